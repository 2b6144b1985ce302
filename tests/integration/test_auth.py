"""Signing in on both backends: passwords, lock-out, TOTP used once, sessions, API tokens."""

# ruff: noqa: S106 - wrong passwords are the point of these tests
from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from lantern.services import Forbidden, Invalid, TooManyAttempts, auth
from lantern.services.context import utcnow
from lantern.settings import Settings
from lantern.store.models import User, WebSession

from .conftest import PASSWORD, World

SETTINGS = Settings(
    max_failed_logins=3, lockout_minutes=10, session_idle_minutes=30, session_absolute_hours=8
)


def test_password_then_totp_set_up_then_code_once(world: World) -> None:
    with world.db.transaction(world.users["prac_a"]) as s:
        user = auth.authenticate(
            session=s, email="PRAC_A@test.example ", password=PASSWORD, settings=SETTINGS
        )
        signed = auth.create_session(session=s, user=user, settings=SETTINGS)
        uri = auth.begin_totp_setup(session=s, user=user)
        assert uri.startswith("otpauth://totp/")
        code = pyotp.TOTP(user.totp_secret or "").now()
        auth.complete_second_factor(
            session=s, web_session=signed.record, code=code, settings=SETTINGS
        )
        token = auth.rotate_session(session=s, web_session=signed.record)
        with pytest.raises(Invalid):  # the same code cannot be used twice
            auth.verify_totp(session=s, user=user, code=code, settings=SETTINGS)
    with world.db.transaction(world.users["prac_a"]) as s:
        found = auth.get_session(session=s, token=token, settings=SETTINGS)
        assert found is not None and found[0].second_factor_done
        assert auth.get_session(session=s, token=signed.token, settings=SETTINGS) is None
        assert auth.check_csrf(found[0], found[0].csrf_token)
        assert not auth.check_csrf(found[0], "forged")
        auth.end_session(session=s, web_session=found[0])
    with world.db.transaction(world.users["prac_a"]) as s:
        assert auth.get_session(session=s, token=token, settings=SETTINGS) is None


def test_lock_out_after_failures_even_with_the_right_password(world: World) -> None:
    for _ in range(3):
        with pytest.raises(Invalid), world.db.transaction(world.users["prac_a"]) as s:
            auth.authenticate(
                session=s, email="prac_a@test.example", password="wrong", settings=SETTINGS
            )
    # Each failure was its own unit of work, refused but saved: the account is now locked.
    with world.db.sessions() as s:
        user = s.scalars(select(User).where(User.email == "prac_a@test.example")).one()
        assert user.locked_until is not None
    with pytest.raises(TooManyAttempts), world.db.transaction(world.users["prac_a"]) as s:
        auth.authenticate(
            session=s, email="prac_a@test.example", password=PASSWORD, settings=SETTINGS
        )


def test_failures_are_counted_and_lock(world: World) -> None:
    with world.db.transaction(world.users["prac_a"]) as s:
        for _ in range(3):
            with pytest.raises(Invalid):
                auth.authenticate(
                    session=s, email="prac_a@test.example", password="wrong", settings=SETTINGS
                )
        with pytest.raises(TooManyAttempts):
            auth.authenticate(
                session=s, email="prac_a@test.example", password=PASSWORD, settings=SETTINGS
            )


def test_unknown_email_gets_the_same_answer(world: World) -> None:
    with pytest.raises(Invalid) as unknown, world.db.transaction(world.users["prac_a"]) as s:
        auth.authenticate(session=s, email="nobody@test.example", password="x", settings=SETTINGS)
    with pytest.raises(Invalid) as wrong, world.db.transaction(world.users["prac_a"]) as s:
        auth.authenticate(session=s, email="prac_a@test.example", password="x", settings=SETTINGS)
    assert unknown.value.errors == wrong.value.errors


def test_sessions_expire_when_idle_and_absolutely(world: World) -> None:
    with world.db.transaction(world.users["prac_a"]) as s:
        user = s.scalars(select(User).where(User.email == "prac_a@test.example")).one()
        idle = auth.create_session(session=s, user=user, settings=SETTINGS)
        old = auth.create_session(session=s, user=user, settings=SETTINGS)
        idle.record.last_seen_at = utcnow() - timedelta(minutes=31)
        old.record.expires_at = utcnow() - timedelta(seconds=1)
    with world.db.transaction(world.users["prac_a"]) as s:
        assert auth.get_session(session=s, token=idle.token, settings=SETTINGS) is None
        assert auth.get_session(session=s, token=old.token, settings=SETTINGS) is None
        assert s.scalars(select(WebSession)).all()  # kept, not deleted


def test_api_tokens(world: World) -> None:
    actor = world.users["dsl_a"]
    with world.db.transaction(actor) as s:
        token = auth.create_api_token(session=s, actor=actor, name="case system")
    with world.db.transaction(actor) as s:
        assert auth.actor_for_api_token(session=s, token=token).user_id == actor.user_id
        with pytest.raises(Forbidden):
            auth.actor_for_api_token(session=s, token=token + "x")


def test_demo_codes_only_for_demo_accounts(world: World) -> None:
    with world.db.transaction(world.users["prac_a"]) as s:
        user = s.scalars(select(User).where(User.email == "prac_a@test.example")).one()
        user.totp_secret = pyotp.random_base32()
        with pytest.raises(Forbidden):
            auth.current_totp(user)
        user.is_demo = True
        assert len(auth.current_totp(user)) == 6
