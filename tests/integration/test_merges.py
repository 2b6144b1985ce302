"""Duplicate young-person records on both backends: proposed to a lead, merged only on
confirmation, chronology joined, undone exactly, within scope, and audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lantern.services import Forbidden, Invalid, NotFound
from lantern.services.concerns import record_concern
from lantern.services.context import Conflict
from lantern.services.merges import (
    confirm_merge,
    get_merge,
    get_proposal,
    joined_chronology,
    list_proposals,
    merges_of,
    undo,
)
from lantern.services.young_people import YoungPersonDraft, create_young_person, search
from lantern.store.models import AuditEvent, YoungPerson

from .conftest import World
from .test_concerns import draft

RATIONALE = "Same date of birth and school; the police record uses her short name."
UNDO_REASON = "Checked with the school: these are two different girls."


def _person(world: World, who: str, first: str, last: str, dob: date, school: str) -> int:
    actor = world.users[who]
    with world.db.transaction(actor) as s:
        return create_young_person(
            session=s,
            actor=actor,
            draft=YoungPersonDraft(
                first_name=first, last_name=last, date_of_birth=dob, school=school, gender="Female"
            ),
            checked_duplicates=True,
        ).id


def _concern(world: World, who: str, yp: int, key: str, text: str) -> int:
    actor = world.users[who]
    with world.db.transaction(actor) as s:
        return record_concern(session=s, actor=actor, draft=draft(yp, key, text=text)).concern.id


def _pair(world: World) -> tuple[int, int]:
    """Jessica Hall at school A and Jess Hall at school B's record, both in school A's scope
    (school A recorded a concern on the second)."""
    dob = date(2011, 3, 14)
    school_a = _person(world, "prac_a", "Jessica", "Hall", dob, "Oak School")
    other = _person(world, "prac_b", "Jess", "Hall", dob, "Oak School")
    _concern(world, "prac_a", school_a, "merge-key-0001", "Seen leaving at lunchtime.")
    _concern(world, "prac_a", other, "merge-key-0002", "Collected in a car after school.")
    return school_a, other


def test_a_lead_confirms_a_proposal_and_undoes_it(world: World) -> None:
    first, second = _pair(world)
    # A sibling at the same school and a different date of birth is never proposed.
    _person(world, "prac_a", "Tom", "Hall", date(2009, 7, 2), "Oak School")
    lead = world.users["dsl_a"]
    with world.db.transaction(lead) as s:
        proposals = list_proposals(session=s, actor=lead)
    assert len(proposals) == 1
    proposal = proposals[0]
    assert {proposal.lead.id, *(d.id for d in proposal.duplicates)} == {first, second}
    assert "same date of birth" in proposal.reasons and "same school" in proposal.reasons
    # Proposing changes nothing.
    with world.db.sessions() as s:
        assert s.scalars(select(YoungPerson.merged_into_id)).all() == [None, None, None]

    with world.db.transaction(lead) as s:
        merge = confirm_merge(session=s, actor=lead, key=proposal.key, rationale=RATIONALE)
        merge_id = merge.id
    kept, gone = proposal.lead.id, proposal.duplicates[0].id
    with world.db.sessions() as s:
        assert s.get(YoungPerson, gone).merged_into_id == kept  # type: ignore[union-attr]
        assert s.get(YoungPerson, kept).merged_into_id is None  # type: ignore[union-attr]
    # The surviving record's chronology includes the merged one's; searches show one record.
    with world.db.transaction(lead) as s:
        entries = joined_chronology(session=s, actor=lead, young_person_id=kept)
        texts = {j.entry.detail for j in entries if j.entry.kind == "concern"}
        assert texts == {"Seen leaving at lunchtime.", "Collected in a car after school."}
        assert any(j.merged for j in entries)
        found = search(session=s, actor=lead, name="Hall")
        assert kept in {m.id for m in found} and gone not in {m.id for m in found}
        view = get_merge(session=s, actor=lead, merge_id=merge_id)
        assert view.can_undo and view.merge.rationale == RATIONALE
        facts = merges_of(session=s, actor=lead, young_person_id=kept)
        assert [r.id for r in facts.merged_records] == [gone] and facts.proposals == ()
        assert list_proposals(session=s, actor=lead) == []
    # A practitioner who sees only the surviving record sees the merged one's chronology too.
    prac = world.users["prac_a"]
    with world.db.transaction(prac) as s:
        joined = joined_chronology(session=s, actor=prac, young_person_id=kept)
        assert len([j for j in joined if j.entry.kind == "concern"]) == 2

    with pytest.raises(Invalid), world.db.transaction(lead) as s:
        undo(session=s, actor=lead, merge_id=merge_id, reason="no")
    with world.db.transaction(lead) as s:
        undo(session=s, actor=lead, merge_id=merge_id, reason=UNDO_REASON)
    with world.db.sessions() as s:
        assert s.scalars(select(YoungPerson.merged_into_id)).all() == [None, None, None]
    with pytest.raises(Conflict), world.db.transaction(lead) as s:
        undo(session=s, actor=lead, merge_id=merge_id, reason=UNDO_REASON)
    with world.db.transaction(lead) as s:
        assert get_merge(session=s, actor=lead, merge_id=merge_id).merge.undo_reason == UNDO_REASON
        # Undone, the records are proposed again for a lead to weigh.
        assert [p.key for p in list_proposals(session=s, actor=lead)] == [proposal.key]

    with world.db.sessions() as s:
        actions = s.scalars(
            select(AuditEvent.action).where(AuditEvent.user_id == lead.user_id)
        ).all()
        updates = s.scalars(
            select(AuditEvent.record_id).where(
                AuditEvent.action == "update", AuditEvent.record_type == "young_person"
            )
        ).all()
    assert {"merge_proposals", "merge_confirmed", "merge_undone"} <= set(actions)
    assert updates == [str(gone), str(gone)]  # merged, then restored: the only rows changed


def test_double_submit_merges_once(world: World) -> None:
    _pair(world)
    lead = world.users["dsl_a"]
    with world.db.transaction(lead) as s:
        key = list_proposals(session=s, actor=lead)[0].key
    with world.db.transaction(lead) as s:
        confirm_merge(session=s, actor=lead, key=key, rationale=RATIONALE)
    with pytest.raises(Conflict), world.db.transaction(lead) as s:
        confirm_merge(session=s, actor=lead, key=key, rationale=RATIONALE)
    with world.db.sessions() as s:
        assert (
            len(
                s.scalars(
                    select(YoungPerson.id).where(YoungPerson.merged_into_id.is_not(None))
                ).all()
            )
            == 1
        )


def test_no_proposals_across_what_the_actor_may_not_see(world: World) -> None:
    dob = date(2012, 1, 9)
    a = _person(world, "prac_a", "Jessica", "Hall", dob, "Elm School")
    b = _person(world, "prac_b", "J.", "Hall", dob, "Elm School")
    for who in ("dsl_a", "dsl_b"):
        actor = world.users[who]
        with world.db.transaction(actor) as s:
            assert list_proposals(session=s, actor=actor) == []
    # Nor can a lead confirm or open a proposal by guessing its key.
    actor = world.users["dsl_a"]
    for key in (f"{a}-{b}", f"{b}-{a}"):
        with pytest.raises(NotFound), world.db.transaction(actor) as s:
            confirm_merge(session=s, actor=actor, key=key, rationale=RATIONALE)
        with pytest.raises(NotFound), world.db.transaction(actor) as s:
            get_proposal(session=s, actor=actor, key=key)
    # Practitioners, analysts, administrators and auditors cannot merge at all.
    for who in ("prac_a", "analyst", "admin", "auditor"):
        other = world.users[who]
        with pytest.raises(Forbidden), world.db.transaction(other) as s:
            list_proposals(session=s, actor=other)


def test_a_merge_needs_a_rationale_and_a_current_proposal(world: World) -> None:
    _pair(world)
    lead = world.users["dsl_a"]
    with world.db.transaction(lead) as s:
        key = list_proposals(session=s, actor=lead)[0].key
    with pytest.raises(Invalid), world.db.transaction(lead) as s:
        confirm_merge(session=s, actor=lead, key=key, rationale="  same ")
    for bad in ("1", "x-y", "1-2-", "99998-99999"):
        with pytest.raises(NotFound), world.db.transaction(lead) as s:
            confirm_merge(session=s, actor=lead, key=bad, rationale=RATIONALE)
    with world.db.sessions() as s:
        assert s.scalars(select(YoungPerson.merged_into_id)).all() == [None, None]


def test_a_record_s_proposal_is_the_same_as_in_the_full_list(world: World) -> None:
    """The young person page looks only around one record; it must find the listed proposal."""
    dob = date(2010, 11, 2)
    ids = [
        _person(world, "prac_a", first, last, born, school)
        for first, last, born, school in [
            ("Jessica", "Hall", dob, "Oak School"),
            ("Jess", "Hall", dob, "Oak School"),
            ("J.", "Hall", dob, "Oak School"),
            ("Tom", "Hall", date(2008, 1, 5), "Oak School"),
            ("Amir", "Haller", dob, "Elm School"),
            ("Leon", "Marsh", date(2012, 6, 30), "Oak School"),
            ("Leon", "Marsh", date(2012, 6, 30), None),
        ]
    ]
    lead = world.users["dsl_a"]
    with world.db.transaction(lead) as s:
        listed = list_proposals(session=s, actor=lead)
        assert len(listed) == 2
        for yp in ids:
            around = merges_of(session=s, actor=lead, young_person_id=yp).proposals
            expected = [p for p in listed if yp in {p.lead.id, *(d.id for d in p.duplicates)}]
            assert around == tuple(expected), yp
            for p in around:
                assert get_proposal(session=s, actor=lead, key=p.key) == p


def test_each_organisation_sees_the_merged_young_person_until_undone(world: World) -> None:
    first, second = _pair(world)  # school B made the second record; school A made both concerns
    other = world.users["dsl_b"]
    with pytest.raises(Forbidden), world.db.transaction(other) as s:
        joined_chronology(session=s, actor=other, young_person_id=first)
    lead = world.users["dsl_a"]
    with world.db.transaction(lead) as s:
        key = list_proposals(session=s, actor=lead)[0].key
    with world.db.transaction(lead) as s:
        merge_id = confirm_merge(session=s, actor=lead, key=key, rationale=RATIONALE).id
    for yp in (first, second):
        with world.db.transaction(other) as s:
            joined = joined_chronology(session=s, actor=other, young_person_id=yp)
            assert joined
    with world.db.transaction(lead) as s:
        undo(session=s, actor=lead, merge_id=merge_id, reason=UNDO_REASON)
    with pytest.raises(Forbidden), world.db.transaction(other) as s:
        joined_chronology(session=s, actor=other, young_person_id=first)
    # An outsider to both records still sees neither.
    with world.db.transaction(lead) as s:
        confirm_merge(session=s, actor=lead, key=key, rationale=RATIONALE)
    outsider = world.users["prac_a2"]
    with pytest.raises(Forbidden), world.db.transaction(outsider) as s:
        joined_chronology(session=s, actor=outsider, young_person_id=first)
