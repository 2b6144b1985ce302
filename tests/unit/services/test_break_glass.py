"""The break-glass review list: who used it, for whom (by reference only), why, when, and the
review state; only reviewers may have it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lantern.services import access
from lantern.services.break_glass import review_list
from lantern.services.context import Actor, Forbidden, as_utc, utcnow
from lantern.services.young_people import YoungPersonDraft, create_young_person
from lantern.store.models import AuditEvent, Role, YoungPerson
from tests.unit.services.conftest import actor_of
from tests.unit.web.conftest import World

REASON = "Police ask who else knows her: she was reported missing this evening."


def _young_person(world: World, first: str) -> tuple[int, str]:
    mash = actor_of(world, Role.MASH)
    with world.db.transaction(mash) as session:
        person = create_young_person(
            session=session,
            actor=mash,
            draft=YoungPersonDraft(
                first_name=first, last_name="Sandhu", date_of_birth=date(2011, 3, 4)
            ),
            checked_duplicates=True,
        )
        return person.id, person.reference


def _open(world: World, role: Role, person: int, *, hours: int = 4) -> int:
    actor = actor_of(world, role)
    with world.db.transaction(actor) as session:
        grant = access.open_break_glass(
            session=session, actor=actor, young_person_id=person, reason=REASON, hours=hours
        )
        return grant.id


def test_a_waiting_grant_names_the_user_and_the_reference_only(world: World) -> None:
    person, reference = _young_person(world, "Priya")
    grant = _open(world, Role.PRACTITIONER, person)
    auditor = actor_of(world, Role.AUDITOR)
    with world.db.transaction(auditor) as session:
        listing = review_list(session=session, actor=auditor)
    assert listing.recently_reviewed == []
    [waiting] = listing.waiting
    assert waiting.id == grant
    assert waiting.user_name == "Test practitioner"
    assert waiting.user_email == "practitioner@school.test"
    assert waiting.young_person_reference == reference
    assert waiting.reason == REASON
    assert waiting.open_now and not waiting.reviewed and waiting.reviewed_by is None
    assert as_utc(waiting.expires_at) - as_utc(waiting.granted_at) == timedelta(hours=4)
    # Nothing else about the young person is carried (auditors see no case content).
    assert "Priya" not in repr(waiting) and "Sandhu" not in repr(waiting)


def test_reviewing_moves_a_grant_to_recently_reviewed_with_the_reviewer(world: World) -> None:
    first, _ = _young_person(world, "Priya")
    second, second_ref = _young_person(world, "Amrit")
    early = _open(world, Role.PRACTITIONER, first)
    late = _open(world, Role.DSL, second, hours=0)  # already run out
    mash = actor_of(world, Role.MASH)
    with world.db.transaction(mash) as session:
        assert [g.id for g in review_list(session=session, actor=mash).waiting] == [early, late]
        access.review_break_glass(session=session, actor=mash, grant_id=late)
    with world.db.transaction(mash) as session:
        listing = review_list(session=session, actor=mash)
    assert [g.id for g in listing.waiting] == [early]
    [done] = listing.recently_reviewed
    assert done.id == late and done.reviewed and done.reviewed_by == "Test mash"
    assert done.young_person_reference == second_ref
    assert done.user_email == "dsl@school.test"
    assert not done.open_now
    assert done.reviewed_at is not None and as_utc(done.reviewed_at) <= utcnow()


def test_recently_reviewed_is_newest_first_and_limited(world: World) -> None:
    person, _ = _young_person(world, "Priya")
    grants = [_open(world, Role.PRACTITIONER, person) for _ in range(3)]
    auditor = actor_of(world, Role.AUDITOR)
    for grant in grants:
        with world.db.transaction(auditor) as session:
            access.review_break_glass(session=session, actor=auditor, grant_id=grant)
    with world.db.transaction(auditor) as session:
        listing = review_list(session=session, actor=auditor, reviewed_limit=2)
    assert listing.waiting == []
    assert [g.id for g in listing.recently_reviewed] == [grants[2], grants[1]]


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.DSL, Role.ANALYST, Role.ADMIN])
def test_only_reviewers_may_have_the_list(world: World, role: Role) -> None:
    actor = actor_of(world, role)
    with pytest.raises(Forbidden), world.db.transaction(actor) as session:
        review_list(session=session, actor=actor)


def test_reading_the_list_is_audited_as_reading_the_grants(world: World) -> None:
    person, _ = _young_person(world, "Priya")
    grant = _open(world, Role.PRACTITIONER, person)
    auditor = actor_of(world, Role.AUDITOR)
    with world.db.transaction(auditor) as session:
        review_list(session=session, actor=auditor)
    with world.db.transaction(Actor.system("test")) as session:
        reads = session.scalars(
            select(AuditEvent).where(
                AuditEvent.user_id == auditor.user_id, AuditEvent.action == "read"
            )
        ).all()
        kinds = {(e.record_type, e.record_id) for e in reads}
        assert ("break_glass", str(grant)) in kinds
        # The reference is read as a column, not the record: no young-person read is noted.
        assert not any(e.record_type == YoungPerson.__tablename__ for e in reads)
