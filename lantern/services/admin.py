"""Administration: organisations, users and roles. Administrators never see case content."""

from __future__ import annotations

import secrets

from pydantic import ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lantern.services import access, audit, auth
from lantern.services.access import Permission
from lantern.services.context import Actor, Conflict, Invalid, NotFound, utcnow
from lantern.services.validation import CleanModel
from lantern.store.models import Organisation, OrganisationKind, Role, User


class OrganisationDraft(CleanModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=200)
    kind: OrganisationKind
    area: str | None = Field(default=None, max_length=100)


class UserDraft(CleanModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # A plain shape check: the real test of an address is the sign-in letter reaching it.
    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    name: str = Field(min_length=1, max_length=200)
    role: Role
    organisation_id: int


def list_organisations(*, session: Session, actor: Actor) -> list[Organisation]:
    access.require(actor, Permission.MANAGE_ORGANISATIONS)
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))


def create_organisation(
    *, session: Session, actor: Actor, draft: OrganisationDraft
) -> Organisation:
    access.require(actor, Permission.MANAGE_ORGANISATIONS)
    if session.scalars(
        select(Organisation.id).where(func.lower(Organisation.name) == draft.name.lower())
    ).first():
        raise Conflict(f"an organisation called {draft.name!r} already exists")
    org = Organisation(name=draft.name, kind=draft.kind, area=draft.area, created_at=utcnow())
    session.add(org)
    session.flush()
    audit.record(session, action="create", record_type="organisation", record_id=org.id)
    return org


def list_users(*, session: Session, actor: Actor) -> list[User]:
    access.require(actor, Permission.MANAGE_USERS)
    return list(session.scalars(select(User).order_by(User.email)))


def create_user(*, session: Session, actor: Actor, draft: UserDraft) -> tuple[User, str]:
    """A new account and its one-time initial password (to pass on securely).

    The user sets up their second factor at first sign-in.
    """
    access.require(actor, Permission.MANAGE_USERS)
    email = str(draft.email).lower()
    if session.scalars(select(User.id).where(func.lower(User.email) == email)).first():
        raise Conflict("an account with that email address already exists")
    if session.get(Organisation, draft.organisation_id) is None:
        raise Invalid({"organisation_id": "choose an organisation"})
    password = secrets.token_urlsafe(15)
    user = User(
        email=email,
        name=draft.name,
        role=draft.role,
        organisation_id=draft.organisation_id,
        password_hash=auth.hash_password(password),
        totp_confirmed=False,
        is_demo=False,
        active=True,
        failed_logins=0,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        action="create",
        record_type="user",
        record_id=user.id,
        detail={"role": draft.role.value},
    )
    return user, password


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def set_role(*, session: Session, actor: Actor, user_id: int, role: Role) -> User:
    access.require(actor, Permission.MANAGE_USERS)
    user = _user(session, user_id)
    if user.id == actor.user_id:
        raise Invalid({"role": "you cannot change your own role"})
    user.role = role
    session.flush()
    audit.record(
        session, action="update", record_type="user", record_id=user.id, detail={"role": role.value}
    )
    return user


def set_active(*, session: Session, actor: Actor, user_id: int, active: bool) -> User:
    access.require(actor, Permission.MANAGE_USERS)
    user = _user(session, user_id)
    if user.id == actor.user_id and not active:
        raise Invalid({"active": "you cannot deactivate your own account"})
    user.active = active
    session.flush()
    audit.record(
        session, action="update", record_type="user", record_id=user.id, detail={"active": active}
    )
    return user


def reset_second_factor(*, session: Session, actor: Actor, user_id: int) -> User:
    """Clear a user's second factor (lost phone): they set it up again at next sign-in."""
    access.require(actor, Permission.MANAGE_USERS)
    user = _user(session, user_id)
    user.totp_secret = None
    user.totp_confirmed = False
    user.totp_last_step = None
    user.locked_until = None
    user.failed_logins = 0
    session.flush()
    audit.record(session, action="reset_second_factor", record_type="user", record_id=user.id)
    return user


__all__ = [
    "OrganisationDraft",
    "UserDraft",
    "create_organisation",
    "create_user",
    "list_organisations",
    "list_users",
    "reset_second_factor",
    "set_active",
    "set_role",
]
