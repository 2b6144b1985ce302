""" "Not the same young person" on both backends: a lead records it with a reason, the
proposal does not come back (in the list or on a record's page), a lead may take it back,
only within scope, and every step is audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lantern.services import Forbidden, Invalid, NotFound
from lantern.services.context import Conflict
from lantern.services.merges import (
    confirm_merge,
    dismiss,
    get_dismissal,
    get_proposal,
    list_proposals,
    merges_of,
    recent_dismissals,
    undo_dismissal,
)
from lantern.store.models import AuditEvent, AuditEventYoungPerson, YoungPersonNotDuplicate

from .conftest import World
from .test_merges import _pair, _person

REASON = "Checked with both schools: two different girls with the same birthday."
UNDO = "The school has since found they are one pupil who moved house."


def test_a_lead_records_not_the_same_person_and_takes_it_back(world: World) -> None:
    first, second = _pair(world)
    lead = world.users["dsl_a"]
    with world.db.transaction(lead) as s:
        key = list_proposals(session=s, actor=lead)[0].key
    with pytest.raises(Invalid) as short, world.db.transaction(lead) as s:
        dismiss(session=s, actor=lead, key=key, reason="  not her ")
    assert "reason" in short.value.errors
    with world.db.transaction(lead) as s:
        finding_id = dismiss(session=s, actor=lead, key=key, reason=REASON).id
    with world.db.transaction(lead) as s:
        assert list_proposals(session=s, actor=lead) == []
        for yp in (first, second):
            assert merges_of(session=s, actor=lead, young_person_id=yp).proposals == ()
        view = get_dismissal(session=s, actor=lead, dismissal_id=finding_id)
        assert {r.id for r in view.records} == {first, second}
        assert view.dismissal.reason == REASON and view.can_undo and view.recorded_by == "dsl_a"
        assert [v.dismissal.id for v in recent_dismissals(session=s, actor=lead)] == [finding_id]
    with pytest.raises(NotFound), world.db.transaction(lead) as s:
        get_proposal(session=s, actor=lead, key=key)
    # Pressing the button twice records once; a stale merge form is refused too.
    with pytest.raises(Conflict), world.db.transaction(lead) as s:
        dismiss(session=s, actor=lead, key=key, reason=REASON)
    with pytest.raises(Conflict), world.db.transaction(lead) as s:
        confirm_merge(session=s, actor=lead, key=key, rationale=REASON)

    with pytest.raises(Invalid), world.db.transaction(lead) as s:
        undo_dismissal(session=s, actor=lead, dismissal_id=finding_id, reason="oops")
    with world.db.transaction(lead) as s:
        undo_dismissal(session=s, actor=lead, dismissal_id=finding_id, reason=UNDO)
    with pytest.raises(Conflict), world.db.transaction(lead) as s:
        undo_dismissal(session=s, actor=lead, dismissal_id=finding_id, reason=UNDO)
    with world.db.transaction(lead) as s:
        assert [p.key for p in list_proposals(session=s, actor=lead)] == [key]
        view = get_dismissal(session=s, actor=lead, dismissal_id=finding_id)
        assert not view.can_undo and view.dismissal.undo_reason == UNDO
        assert view.undone_by == "dsl_a"
    with world.db.sessions() as s:
        events = s.execute(
            select(AuditEvent.id, AuditEvent.action, AuditEvent.reason).where(
                AuditEvent.action.in_(["merge_dismissed", "merge_dismissal_undone"])
            )
        ).all()
        assert [(a, r) for _, a, r in events] == [
            ("merge_dismissed", REASON),
            ("merge_dismissal_undone", UNDO),
        ]
        # Each event is found under both young people.
        for event_id, _, _ in events:
            named = s.scalars(
                select(AuditEventYoungPerson.young_person_id).where(
                    AuditEventYoungPerson.event_id == event_id
                )
            ).all()
            assert sorted(named) == sorted([first, second])
        assert len(s.scalars(select(YoungPersonNotDuplicate)).all()) == 1  # kept, marked undone
    assert world.db.verify_audit().ok


def test_a_third_record_does_not_bring_the_pair_back_together(world: World) -> None:
    dob = date(2011, 3, 14)
    first, second = _pair(world)
    lead = world.users["dsl_a"]
    with world.db.transaction(lead) as s:
        key = list_proposals(session=s, actor=lead)[0].key
        dismiss(session=s, actor=lead, key=key, reason=REASON)
    third = _person(world, "prac_a", "Jessica", "Hall", dob, "Oak School")
    with world.db.transaction(lead) as s:
        listed = list_proposals(session=s, actor=lead)
        assert len(listed) == 1
        group = {listed[0].lead.id, *(d.id for d in listed[0].duplicates)}
        assert third in group and len(group) == 2
        # Each record's page finds the same proposal as the list, or none.
        for yp in (first, second, third):
            around = merges_of(session=s, actor=lead, young_person_id=yp).proposals
            assert around == tuple(p for p in listed if yp in group), yp


def test_findings_stay_within_scope(world: World) -> None:
    _pair(world)
    lead = world.users["dsl_a"]
    with world.db.transaction(lead) as s:
        key = list_proposals(session=s, actor=lead)[0].key
        finding_id = dismiss(session=s, actor=lead, key=key, reason=REASON).id
    # School B's lead sees only one of the two records: not the finding.
    other = world.users["dsl_b"]
    with pytest.raises(NotFound), world.db.transaction(other) as s:
        get_dismissal(session=s, actor=other, dismissal_id=finding_id)
    with pytest.raises(NotFound), world.db.transaction(other) as s:
        undo_dismissal(session=s, actor=other, dismissal_id=finding_id, reason=UNDO)
    with world.db.transaction(other) as s:
        assert recent_dismissals(session=s, actor=other) == []
    for who in ("prac_a", "analyst", "admin", "auditor"):
        actor = world.users[who]
        with pytest.raises(Forbidden), world.db.transaction(actor) as s:
            undo_dismissal(session=s, actor=actor, dismissal_id=finding_id, reason=UNDO)
        with pytest.raises(Forbidden), world.db.transaction(actor) as s:
            dismiss(session=s, actor=actor, key=key, reason=REASON)
    # Nor can a lead dismiss what is not a current proposal of theirs.
    with pytest.raises(NotFound), world.db.transaction(other) as s:
        dismiss(session=s, actor=other, key="1-2", reason=REASON)
    with world.db.transaction(lead) as s:
        assert get_dismissal(session=s, actor=lead, dismissal_id=finding_id).can_undo
