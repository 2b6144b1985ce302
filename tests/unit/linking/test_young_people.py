"""Young-person duplicate proposals and reversible merge plans."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.linking.young_people import (
    MergeProposal,
    YoungPersonRecord,
    apply_merge,
    plan_merge,
    propose_young_person_merges,
    undo_merge,
)

JESS = [
    YoungPersonRecord("s1", "school", "Jessica Hall", "2011-05-14", "female", "Hilltop Academy"),
    YoungPersonRecord("h1", "health", "Jess Hall", "2011-05-14", "female", "Hilltop Academy"),
    YoungPersonRecord("p1", "police", "J. Hall", "14/05/2011", None, "Hilltop Academy"),
]


def test_same_young_person_across_agencies_is_proposed() -> None:
    proposals = propose_young_person_merges(JESS)
    assert len(proposals) == 1
    p = proposals[0]
    assert {p.lead_id, *p.duplicate_ids} == {"s1", "h1", "p1"}
    assert "same date of birth" in p.reasons


def test_twins_and_siblings_are_not_proposed() -> None:
    records = [
        YoungPersonRecord("a", "school", "Lily Baines", "2012-03-01", "female", "Oak Primary"),
        YoungPersonRecord("b", "school", "Rosie Baines", "2012-03-01", "female", "Oak Primary"),
        YoungPersonRecord("c", "school", "Lily Baines", "2009-08-20", "female", "Oak Primary"),
    ]
    assert propose_young_person_merges(records) == []


def test_merge_keeps_records_and_undoes_exactly() -> None:
    proposal = propose_young_person_merges(JESS)[0]
    before = {r.record_id: r.record_id for r in JESS}
    plan = plan_merge(proposal, before, confirmed_by="dsl.hilltop", rationale="same DOB and school")
    after = apply_merge(before, plan)
    assert set(after) == set(before)  # no record is lost
    assert len(set(after.values())) == 1
    assert undo_merge(after, plan) == before
    with pytest.raises(ValueError):
        plan_merge(proposal, before, confirmed_by=" ", rationale="")


ids = st.sampled_from(list("abcdef"))


@given(st.dictionaries(ids, ids), ids, st.lists(ids, min_size=1, max_size=3, unique=True))
def test_apply_then_undo_restores_every_record(
    start: dict[str, str], lead: str, dups: list[str]
) -> None:
    dups = [d for d in dups if d != lead]
    proposal = MergeProposal(lead, tuple(dups), 10, ())
    plan = plan_merge(proposal, start, confirmed_by="analyst", rationale="test")
    restored = undo_merge(apply_merge(start, plan), plan)
    for rid, target in start.items():
        assert restored[rid] == target
