"""A list page's reads: one event per kind of record naming every young person, indexed,
findable per young person, and checked by `verify` against the hashed detail."""

# ruff: noqa: S608 - tampering SQL is built from ids the test itself read
from __future__ import annotations

from datetime import date

from sqlalchemy import select, text

from lantern.services import audit
from lantern.services.concerns import ConcernDraft, FactorChoice, record_concern
from lantern.services.triage import queue
from lantern.services.young_people import get_page
from lantern.store.models import AuditEvent, AuditEventYoungPerson

from .conftest import World


def _three_with_concerns(world: World) -> list[int]:
    people = [world.young_person("prac_a", first=f"Amy{i}", last="Stone") for i in range(3)]
    actor = world.users["prac_a"]
    for n, yp in enumerate(people):
        with world.db.transaction(actor) as s:
            record_concern(
                session=s,
                actor=actor,
                draft=ConcernDraft(
                    young_person_id=yp,
                    observed_on=date.today(),
                    text="Seen with older adults near the station.",
                    factors=[FactorChoice(code="older_associates")],
                    idempotency_key=f"list-key-{n}",
                ),
            )
    return people


def _reads_by(world: World, who: str) -> list[AuditEvent]:
    user_id = world.users[who].user_id
    with world.db.sessions() as s:
        return list(
            s.scalars(
                select(AuditEvent).where(AuditEvent.user_id == user_id, AuditEvent.action == "read")
            )
        )


def test_a_queue_is_one_event_per_kind_naming_each_young_person(world: World) -> None:
    people = _three_with_concerns(world)
    lead = world.users["dsl_a"]
    with world.db.transaction(lead) as s:
        assert len(queue(session=s, actor=lead)) == 3
    reads = _reads_by(world, "dsl_a")
    kinds = sorted(e.record_type or "" for e in reads)
    assert kinds == sorted(set(kinds)), "one event per kind of record"
    assert "concern" in kinds
    for event in reads:
        assert event.young_person_id is None
        assert event.detail[audit.YOUNG_PEOPLE] == sorted(people)
        assert len(event.detail["ids"]) == 3
    with world.db.sessions() as s:
        indexed = set(
            s.execute(select(AuditEventYoungPerson.event_id, AuditEventYoungPerson.young_person_id))
        )
    assert indexed == {(e.id, yp) for e in reads for yp in people}
    assert world.db.verify_audit().ok


def test_each_young_person_finds_the_list_events_that_name_them(world: World) -> None:
    people = _three_with_concerns(world)
    lead = world.users["dsl_a"]
    with world.db.transaction(lead) as s:
        queue(session=s, actor=lead)
    listed = {e.id for e in _reads_by(world, "dsl_a")}
    other = world.young_person("prac_b", first="Zed", last="Other")
    with world.db.sessions() as s:
        for yp in people:
            found = {e.id for e in audit.list_events(s, young_person_id=yp, limit=1000)}
            assert listed <= found
            # ...together with that young person's own events (the writes).
            assert any(e.young_person_id == yp for e in audit.list_events(s, young_person_id=yp))
        assert not listed & {e.id for e in audit.list_events(s, young_person_id=other)}


def test_one_young_persons_page_keeps_events_of_their_own(world: World) -> None:
    people = _three_with_concerns(world)
    lead = world.users["dsl_a"]
    with world.db.transaction(lead) as s:
        get_page(session=s, actor=lead, young_person_id=people[1])
    reads = _reads_by(world, "dsl_a")
    assert reads and all(e.young_person_id == people[1] for e in reads)
    assert all(audit.YOUNG_PEOPLE not in e.detail for e in reads)


def _tamper(world: World, sql: str) -> None:
    with world.db.engine.begin() as c:
        c.execute(text(sql))


def _listed(world: World) -> tuple[int, list[int]]:
    people = _three_with_concerns(world)
    lead = world.users["dsl_a"]
    with world.db.transaction(lead) as s:
        queue(session=s, actor=lead)
    assert world.db.verify_audit().ok
    return _reads_by(world, "dsl_a")[0].id, people


def test_removing_a_young_person_from_the_index_is_detected(world: World) -> None:
    event_id, people = _listed(world)
    _tamper(
        world,
        f"DELETE FROM audit_event_young_person WHERE event_id = {event_id} "
        f"AND young_person_id = {people[0]}",
    )
    result = world.db.verify_audit()
    assert not result.ok
    assert result.first_broken_id == event_id
    assert "index" in result.message


def test_pointing_the_index_elsewhere_is_detected(world: World) -> None:
    event_id, people = _listed(world)
    _tamper(
        world,
        f"UPDATE audit_event_young_person SET young_person_id = {max(people) + 1000} "
        f"WHERE event_id = {event_id} AND young_person_id = {people[2]}",
    )
    assert world.db.verify_audit().first_broken_id == event_id
