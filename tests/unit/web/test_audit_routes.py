"""The audit page: events searchable by young person and user, and the chain's verification,
which names an event edited behind Lantern's back."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import text

from lantern.store.models import Role
from tests.unit.web.conftest import World
from tests.unit.web.test_concern_routes import _add_young_person


def test_the_auditor_searches_events_and_sees_the_chain_verified(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    practitioner = signed_in(Role.PRACTITIONER)
    person = _add_young_person(practitioner, "Leon", "Marsh")
    auditor = signed_in(Role.AUDITOR)
    page = auditor.get("/audit")
    assert page.status_code == 200
    assert "The audit trail is intact" in page.text
    mine = auditor.get(f"/audit?young_person={person}")
    assert "practitioner@school.test" in mine.text
    assert "Leon" not in mine.text  # the trail says who and what, not the record's content
    nobody = auditor.get("/audit?young_person=999999")
    assert "practitioner@school.test" not in nobody.text
    assert auditor.get("/audit?user=abc").status_code == 400


def test_an_edited_event_is_named(world: World, signed_in: Callable[[Role], TestClient]) -> None:
    practitioner = signed_in(Role.PRACTITIONER)
    _add_young_person(practitioner, "Leon", "Marsh")
    with world.db.engine.begin() as connection:
        first = connection.execute(text("SELECT min(id) FROM audit_event")).scalar_one()
        connection.execute(
            text("UPDATE audit_event SET action = 'nothing' WHERE id = :id"), {"id": first}
        )
    page = signed_in(Role.AUDITOR).get("/audit")
    assert "The audit trail has been altered" in page.text
    assert f"event {first} was changed" in page.text


def test_only_auditors_open_the_trail(signed_in: Callable[[Role], TestClient]) -> None:
    for role in (Role.PRACTITIONER, Role.DSL, Role.MASH, Role.ANALYST, Role.ADMIN):
        assert signed_in(role).get("/audit").status_code == 403
