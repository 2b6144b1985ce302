"""Signing in: argon2 passwords, TOTP second factor, throttling, server-side sessions, API tokens.

The browser holds only a random session token; its SHA-256 is what is stored,
so a copy of the database cannot be replayed as cookies. The same goes for API
tokens. A TOTP code is accepted once (its time step is remembered).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Literal

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lantern.services import audit
from lantern.services.context import (
    Actor,
    Channel,
    Forbidden,
    Invalid,
    NotFound,
    SignInFailed,
    TooManyAttempts,
    as_utc,
    utcnow,
)
from lantern.settings import Settings, get_settings
from lantern.store.models import ApiToken, User, WebSession

#: Shortest password accepted: length is what makes a password hard to guess
#: (NCSC advice), so no composition rules, just a floor.
MIN_PASSWORD_LENGTH = 12

#: Longest password accepted: argon2 hashes anything, but a megabyte "password"
#: is an attack on the server's CPU, not a password.
MAX_PASSWORD_LENGTH = 256

#: Bytes of randomness in session, CSRF and API tokens (256 bits).
TOKEN_BYTES = 32

#: A session's idle deadline is moved on at most this often: writing it on every
#: request made every page a database write, and a minute is nothing against an
#: idle limit counted in minutes (a session may end up to this much early).
TOUCH_INTERVAL = timedelta(minutes=1)

#: TOTP codes one step either side are accepted: phone clocks drift.
TOTP_VALID_WINDOW = 1

#: Issuer shown in authenticator apps.
TOTP_ISSUER = "Lantern"


@cache
def _hasher() -> PasswordHasher:
    settings = get_settings()
    return PasswordHasher(
        time_cost=settings.password_hash_time_cost,
        memory_cost=settings.password_hash_memory_kib,
    )


@cache
def _dummy_hash() -> str:
    # A hash of nothing in particular, checked when the email is unknown so that a
    # wrong email takes as long as a wrong password and does not reveal accounts.
    return _hasher().hash(secrets.token_hex(16))


_WRONG = "The email address or password is not right."


def hash_password(password: str) -> str:
    """The argon2 hash of a password that meets the length rules."""
    check_password_rules(password)
    return _hasher().hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid({"password": f"use at least {MIN_PASSWORD_LENGTH} characters"})
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Invalid({"password": f"use at most {MAX_PASSWORD_LENGTH} characters"})


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def actor_for(user: User, channel: Channel = "web") -> Actor:
    return Actor(
        user_id=user.id,
        email=user.email,
        role=user.role,
        organisation_id=user.organisation_id,
        channel=channel,
    )


def _find_user(session: Session, email: str) -> User | None:
    return session.scalars(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).first()


def _locked(user: User) -> bool:
    return user.locked_until is not None and as_utc(user.locked_until) > utcnow()


def _fail(session: Session, user: User, settings: Settings, what: str) -> None:
    user.failed_logins += 1
    if user.failed_logins >= settings.max_failed_logins:
        user.locked_until = utcnow() + timedelta(minutes=settings.lockout_minutes)
        user.failed_logins = 0
    audit.record(session, action=what, record_type="user", record_id=user.id, actor=actor_for(user))


def authenticate(
    *, session: Session, email: str, password: str, settings: Settings | None = None
) -> User:
    """The user whose email and password these are (first factor only).

    Raises `Invalid` (one message for every wrong answer, so accounts cannot be
    discovered) or `TooManyAttempts` while the account is locked. The caller
    commits either way, so failures are counted.
    """
    settings = settings or get_settings()
    if len(password) > MAX_PASSWORD_LENGTH or len(email) > 254:
        raise Invalid({"email": _WRONG})
    user = _find_user(session, email)
    if user is None or not user.active:
        verify_password(_dummy_hash(), password)
        raise Invalid({"email": _WRONG})
    if _locked(user):
        raise TooManyAttempts(
            "Too many failed attempts: this account is locked for a while. Try again later."
        )
    if not verify_password(user.password_hash, password):
        _fail(session, user, settings, "sign_in_failed")
        raise SignInFailed({"email": _WRONG})
    return user


def begin_totp_setup(*, session: Session, user: User) -> str:
    """Give the user a new (unconfirmed) TOTP secret; returns the otpauth:// URI for a QR code."""
    if user.totp_confirmed:
        raise Forbidden("the second factor is already set up")
    user.totp_secret = pyotp.random_base32()
    session.flush()
    return totp_uri(user)


def totp_uri(user: User) -> str:
    if not user.totp_secret:
        raise NotFound("no second factor set up")
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def verify_totp(
    *, session: Session, user: User, code: str, settings: Settings | None = None
) -> None:
    """Check a TOTP code (each code works once); confirms a set-up in progress.

    Raises `Invalid` for a wrong or reused code (counted towards lock-out) and
    `TooManyAttempts` while locked.
    """
    settings = settings or get_settings()
    if _locked(user):
        raise TooManyAttempts("Too many failed attempts: try again later.")
    if not user.totp_secret:
        raise Invalid({"code": "set up your second factor first"})
    code = "".join(code.split())
    step = _matching_step(user.totp_secret, code)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        _fail(session, user, settings, "second_factor_failed")
        raise SignInFailed(
            {"code": "The code is not right, or was already used. Enter the newest."}
        )
    user.totp_last_step = step
    user.totp_confirmed = True
    user.failed_logins = 0
    user.last_login_at = utcnow()
    audit.record(
        session, action="sign_in", record_type="user", record_id=user.id, actor=actor_for(user)
    )
    session.flush()


def _matching_step(secret: str, code: str) -> int | None:
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(utcnow().timestamp()) // totp.interval
    for step in range(now_step - TOTP_VALID_WINDOW, now_step + TOTP_VALID_WINDOW + 1):
        if secrets.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


def current_totp(user: User) -> str:
    """The code a demo account's authenticator would show now (demo accounts only)."""
    if not user.is_demo:
        raise Forbidden("codes are only shown for demo accounts")
    if not user.totp_secret:
        raise NotFound("this account has no second factor set up")
    return pyotp.TOTP(user.totp_secret).now()


@dataclass(frozen=True)
class SignedIn:
    """A new session: `token` goes in the cookie (never stored); `record` is the stored row."""

    token: str
    record: WebSession


def create_session(*, session: Session, user: User, settings: Settings | None = None) -> SignedIn:
    """Start a server-side session after the password; the second factor completes it."""
    settings = settings or get_settings()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = utcnow()
    record = WebSession(
        token_hash=token_hash(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(TOKEN_BYTES),
        second_factor_done=False,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=settings.session_absolute_hours),
    )
    session.add(record)
    user.failed_logins = 0
    session.flush()
    return SignedIn(token=token, record=record)


def complete_second_factor(
    *, session: Session, web_session: WebSession, code: str, settings: Settings | None = None
) -> User:
    """Verify the TOTP code for the session's user and mark the session fully signed in.

    A new token is not issued here; the web layer rotates the cookie by calling
    `rotate_session` so a token seen before sign-in is useless after it.
    """
    user = session.get(User, web_session.user_id)
    if user is None:
        raise NotFound("no such user")
    verify_totp(session=session, user=user, code=code, settings=settings)
    web_session.second_factor_done = True
    session.flush()
    return user


def rotate_session(*, session: Session, web_session: WebSession) -> str:
    """Give the session a new token (after sign-in steps); returns it for the cookie."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    web_session.token_hash = token_hash(token)
    web_session.csrf_token = secrets.token_urlsafe(TOKEN_BYTES)
    session.flush()
    return token


def get_session(
    *, session: Session, token: str, settings: Settings | None = None
) -> tuple[WebSession, User] | None:
    """The live session for a cookie token and its user, or None if unknown, ended or expired.

    Only reads: `touch_due` and `touch_session` move the idle deadline on. Expiry is
    idle (no use for `session_idle_minutes`) or absolute (`session_absolute_hours`
    after sign-in).
    """
    settings = settings or get_settings()
    if not token or len(token) > 200:
        return None
    record = session.scalars(
        select(WebSession).where(WebSession.token_hash == token_hash(token))
    ).first()
    if record is None or record.ended_at is not None:
        return None
    now = utcnow()
    idle_deadline = as_utc(record.last_seen_at) + timedelta(minutes=settings.session_idle_minutes)
    if now >= as_utc(record.expires_at) or now >= idle_deadline:
        return None
    user = session.get(User, record.user_id)
    if user is None or not user.active:
        return None
    return record, user


def touch_due(web_session: WebSession) -> bool:
    """Whether the session's idle deadline is due to be moved on (see `TOUCH_INTERVAL`)."""
    return utcnow() - as_utc(web_session.last_seen_at) >= TOUCH_INTERVAL


def touch_session(*, session: Session, session_id: int) -> None:
    """Move a session's idle deadline on: it was used just now."""
    record = session.get(WebSession, session_id)
    if record is not None and record.ended_at is None:
        record.last_seen_at = utcnow()
        session.flush()


def end_session(*, session: Session, web_session: WebSession) -> None:
    """Sign out: the session can never be used again."""
    web_session.ended_at = utcnow()
    user = session.get(User, web_session.user_id)
    if user is not None:
        audit.record(
            session, action="sign_out", record_type="user", record_id=user.id, actor=actor_for(user)
        )
    session.flush()


def check_csrf(web_session: WebSession, submitted: str | None) -> bool:
    """Whether a form's CSRF token is the session's (compared in constant time)."""
    return bool(submitted) and secrets.compare_digest(web_session.csrf_token, submitted or "")


def create_api_token(*, session: Session, actor: Actor, name: str, days: int | None = 90) -> str:
    """A new API token for the actor themself; returned once, only its hash is kept."""
    if actor.user_id is None:
        raise Forbidden("only a signed-in user can create an API token")
    name = name.strip()
    if not name or len(name) > 100:
        raise Invalid({"name": "give the token a name of up to 100 characters"})
    token = "lt_" + secrets.token_urlsafe(TOKEN_BYTES)
    now = utcnow()
    session.add(
        ApiToken(
            user_id=actor.user_id,
            name=name,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + timedelta(days=days) if days else None,
        )
    )
    audit.record(
        session, action="create_api_token", record_type="user", record_id=actor.user_id, actor=actor
    )
    session.flush()
    return token


def actor_for_api_token(*, session: Session, token: str) -> Actor:
    """The actor a bearer token speaks for; `Forbidden` if unknown, revoked or expired."""
    if not token or len(token) > 200:
        raise Forbidden("a valid API token is needed")
    record = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == token_hash(token))
    ).first()
    now = utcnow()
    if (
        record is None
        or record.revoked_at is not None
        or (record.expires_at is not None and as_utc(record.expires_at) <= now)
    ):
        raise Forbidden("a valid API token is needed")
    user = session.get(User, record.user_id)
    if user is None or not user.active:
        raise Forbidden("a valid API token is needed")
    return actor_for(user, "api")


#: What a person's token is now: usable, past its expiry, or withdrawn by them.
TokenState = Literal["live", "expired", "revoked"]


@dataclass(frozen=True)
class ApiTokenView:
    """What a person may see of one of their API tokens: never the token or its hash."""

    id: int
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    state: TokenState


def token_state(
    *, expires_at: datetime | None, revoked_at: datetime | None, now: datetime
) -> TokenState:
    """A token's state at `now`, by the rule `actor_for_api_token` applies when it is used.

    Revoked wins over expired: it was a person's decision, and the list should say so.
    """
    if revoked_at is not None:
        return "revoked"
    if expires_at is not None and as_utc(expires_at) <= now:
        return "expired"
    return "live"


def _token_view(record: ApiToken, now: datetime) -> ApiTokenView:
    expires_at = as_utc(record.expires_at) if record.expires_at is not None else None
    revoked_at = as_utc(record.revoked_at) if record.revoked_at is not None else None
    return ApiTokenView(
        id=record.id,
        name=record.name,
        created_at=as_utc(record.created_at),
        expires_at=expires_at,
        revoked_at=revoked_at,
        state=token_state(expires_at=expires_at, revoked_at=revoked_at, now=now),
    )


def list_api_tokens(*, session: Session, actor: Actor) -> list[ApiTokenView]:
    """The actor's own API tokens, newest first (no one sees another person's)."""
    if actor.user_id is None:
        return []
    now = utcnow()
    records = session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == actor.user_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return [_token_view(r, now) for r in records]


def revoke_own_api_token(*, session: Session, actor: Actor, token_id: int) -> ApiTokenView:
    """Revoke one of the actor's own tokens, audited; `NotFound` for anyone else's.

    Revoking a token already revoked changes nothing and records nothing, so a form
    sent twice is harmless and the first revocation's time is kept.
    """
    record = session.get(ApiToken, token_id)
    if record is None or actor.user_id is None or record.user_id != actor.user_id:
        # The same answer for "no such token" and "not yours", so ids cannot be probed.
        raise NotFound(f"no API token {token_id}")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        audit.record(
            session,
            action="revoke_api_token",
            record_type="api_token",
            record_id=record.id,
            actor=actor,
        )
        session.flush()
    return _token_view(record, utcnow())


__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "ApiTokenView",
    "SignedIn",
    "TokenState",
    "actor_for",
    "actor_for_api_token",
    "authenticate",
    "begin_totp_setup",
    "check_csrf",
    "check_password_rules",
    "complete_second_factor",
    "create_api_token",
    "create_session",
    "current_totp",
    "end_session",
    "get_session",
    "hash_password",
    "list_api_tokens",
    "revoke_own_api_token",
    "rotate_session",
    "token_hash",
    "token_state",
    "totp_uri",
    "verify_password",
    "verify_totp",
]
