"""A person's API tokens on both backends: listed to their owner only, revoked once (audited),
and refused for use the moment they are revoked or expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lantern.services import Forbidden, NotFound, audit, auth
from lantern.services.context import Actor, utcnow
from lantern.store.models import ApiToken, AuditEvent

from .conftest import World


def _make(world: World, key: str, name: str, days: int | None = 90) -> tuple[int, str]:
    actor = world.users[key]
    with world.db.transaction(actor) as s:
        token = auth.create_api_token(session=s, actor=actor, name=name, days=days)
        record = s.scalars(select(ApiToken).where(ApiToken.token_hash == auth.token_hash(token)))
        return record.one().id, token


def _listed(world: World, key: str) -> list[auth.ApiTokenView]:
    actor = world.users[key]
    with world.db.reading(actor) as s:
        return auth.list_api_tokens(session=s, actor=actor)


def _usable(world: World, token: str) -> bool:
    with world.db.reading(Actor.public()) as s:
        try:
            auth.actor_for_api_token(session=s, token=token)
        except Forbidden:
            return False
    return True


def test_each_person_sees_only_their_own_tokens_newest_first(world: World) -> None:
    first, _ = _make(world, "dsl_a", "Case system")
    second, _ = _make(world, "dsl_a", "Forever", days=None)
    _make(world, "dsl_b", "Another school's system")
    listed = _listed(world, "dsl_a")
    assert [t.id for t in listed] == [second, first]
    assert [t.state for t in listed] == ["live", "live"]
    assert listed[0].expires_at is None and listed[1].expires_at is not None
    assert listed[1].created_at.tzinfo is not None
    assert not any(hasattr(t, "token_hash") or hasattr(t, "token") for t in listed)
    assert [t.name for t in _listed(world, "dsl_b")] == ["Another school's system"]
    assert _listed(world, "prac_a") == []


def test_revoking_is_audited_once_and_refuses_the_token_at_once(world: World) -> None:
    token_id, token = _make(world, "prac_a", "Attendance system")
    assert _usable(world, token)
    actor = world.users["prac_a"]
    with world.db.transaction(actor) as s:
        view = auth.revoke_own_api_token(session=s, actor=actor, token_id=token_id)
    assert view.state == "revoked" and view.revoked_at is not None
    assert not _usable(world, token)
    with world.db.transaction(actor) as s:
        again = auth.revoke_own_api_token(session=s, actor=actor, token_id=token_id)
    assert again.revoked_at == view.revoked_at  # the first revocation's time is kept
    with world.db.transaction(Actor.system("test")) as s:
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "revoke_api_token")))
        assert [(e.user_id, e.record_type, e.record_id) for e in events] == [
            (actor.user_id, "api_token", str(token_id))
        ]
        assert audit.verify(s).ok


@pytest.mark.parametrize("key", ["prac_a2", "dsl_a", "admin", "auditor"])
def test_nobody_revokes_another_persons_token(world: World, key: str) -> None:
    token_id, token = _make(world, "prac_a", "Mine")
    other = world.users[key]
    for probe in (token_id, token_id + 1000):
        with pytest.raises(NotFound), world.db.transaction(other) as s:
            auth.revoke_own_api_token(session=s, actor=other, token_id=probe)
    assert _usable(world, token)
    with pytest.raises(NotFound), world.db.transaction(Actor.system("test")) as s:
        auth.revoke_own_api_token(session=s, actor=Actor.system("test"), token_id=token_id)


def test_an_expired_token_is_listed_as_expired_and_refused(world: World) -> None:
    token_id, token = _make(world, "mash", "Nightly export", days=30)
    with world.db.transaction(Actor.system("test")) as s:
        record = s.get(ApiToken, token_id)
        assert record is not None
        record.expires_at = utcnow() - timedelta(seconds=1)
    assert not _usable(world, token)
    assert [t.state for t in _listed(world, "mash")] == ["expired"]
    # Revoked wins over expired: it was someone's decision, and it is what the list shows.
    actor = world.users["mash"]
    with world.db.transaction(actor) as s:
        assert auth.revoke_own_api_token(session=s, actor=actor, token_id=token_id).state == (
            "revoked"
        )
