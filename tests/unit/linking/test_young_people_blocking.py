"""Young-person proposals: the narrow blocking (date of birth; school and surname) loses no
proposal that comparing every pair would make, and pairs a professional kept apart are
never proposed together, decided within a group so a neighbourhood gives the same answer."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.linking import young_people
from lantern.linking.young_people import (
    PROPOSE_FROM_SCORE,
    MergeProposal,
    YoungPersonRecord,
    blocking_keys,
    propose_young_person_merges,
)

# Small pools with short forms, one-slip spellings, swapped and missing dates, case and
# space variants, so that near and true matches are frequent.
FORENAMES = ["Jessica", "Jess", "Jesica", "J.", "Kieran", "Keiran", "Ciaran", "Amira", "Amy", ""]
SURNAMES = ["Hall", "Hal", "Hlal", "Ahll", "Hallam", "Okafor", "Okafer", "Nowak", "Nowakk"]
DOBS = [None, "2011-05-14", "2011-14-05", "14/05/2011", "2011-05-04", "2011-04-05", "2010-05-14"]
DOBS += ["not known", "05/04/2011"]
SCHOOLS = [None, "Hilltop Academy", "hilltop academy ", "Oak Primary", "  "]
AREAS = [None, "TF1", "tf1", "WV3"]
GENDERS = [None, "female", "Female", "male"]

record_fields = st.tuples(
    st.sampled_from(FORENAMES),
    st.sampled_from(SURNAMES),
    st.sampled_from(DOBS),
    st.sampled_from(SCHOOLS),
    st.sampled_from(AREAS),
    st.sampled_from(GENDERS),
    st.lists(st.sampled_from(["Jess Hall", "Kez", "Amy Nowak"]), max_size=1),
)


Fields = tuple[str, str, str | None, str | None, str | None, str | None, list[str]]


def _records(fields: list[Fields]) -> list[YoungPersonRecord]:
    return [
        YoungPersonRecord(
            record_id=f"r{i}",
            organisation=f"org{i % 3}",
            name=f"{first} {last}".strip(),
            dob=dob,
            gender=gender,
            school=school,
            area=area,
            aliases=tuple(aliases),
        )
        for i, (first, last, dob, school, area, gender, aliases) in enumerate(fields)
    ]


def _every_pair(rows: list[YoungPersonRecord]) -> Iterable[tuple[int, int]]:
    return itertools.combinations(range(len(rows)), 2)


records = st.lists(record_fields, min_size=2, max_size=14).map(_records)


@settings(max_examples=300)
@given(records)
def test_every_pair_that_could_be_proposed_is_compared(rows: list[YoungPersonRecord]) -> None:
    compared = set(young_people._blocks(rows))
    for i, j in _every_pair(rows):
        score, _ = young_people._score(rows[i], rows[j])
        if score >= PROPOSE_FROM_SCORE:
            assert (i, j) in compared, (rows[i], rows[j], score)
            assert blocking_keys(rows[i]) & blocking_keys(rows[j])


@settings(max_examples=300)
@given(records)
def test_proposals_are_those_of_comparing_every_pair(rows: list[YoungPersonRecord]) -> None:
    blocked = propose_young_person_merges(rows)
    with patch.object(young_people, "_blocks", _every_pair):
        every = propose_young_person_merges(rows)
    assert blocked == every


def test_a_pair_without_dates_of_birth_one_slip_apart_at_one_school_is_proposed() -> None:
    # The surnames differ in their first letters, which the old surname blocks missed.
    rows = [
        YoungPersonRecord("a", "school", "Kieran Ahll", None, None, "Oak Primary", "TF1"),
        YoungPersonRecord("b", "health", "Kieran Hall", None, None, "oak primary", "TF1"),
    ]
    assert [(p.lead_id, p.duplicate_ids) for p in propose_young_person_merges(rows)] == [
        ("a", ("b",))
    ]


JESS = [
    YoungPersonRecord("s1", "school", "Jessica Hall", "2011-05-14", "female", "Hilltop Academy"),
    YoungPersonRecord("h1", "health", "Jess Hall", "2011-05-14", "female", "Hilltop Academy"),
    YoungPersonRecord("p1", "police", "J. Hall", "14/05/2011", None, "Hilltop Academy"),
]


def _groups(proposals: list[MergeProposal]) -> list[set[str]]:
    return [{p.lead_id, *p.duplicate_ids} for p in proposals]


def test_a_pair_kept_apart_is_not_proposed_together() -> None:
    assert _groups(propose_young_person_merges(JESS[:2])) == [{"s1", "h1"}]
    assert propose_young_person_merges(JESS[:2], apart={frozenset({"s1", "h1"})}) == []
    # A third record like both does not bring them back together: it joins the stronger.
    groups = _groups(propose_young_person_merges(JESS, apart={frozenset({"s1", "h1"})}))
    assert len(groups) == 1 and len(groups[0]) == 2 and "p1" in groups[0]
    # Pairs not kept apart are unaffected.
    other = [*JESS[:2], YoungPersonRecord("x", "school", "Leon Marsh", "2012-06-30", "male")]
    other.append(YoungPersonRecord("y", "police", "Leon Marsh", "30/06/2012", "male"))
    assert _groups(propose_young_person_merges(other, apart={frozenset({"s1", "h1"})})) == [
        {"x", "y"}
    ]


@settings(max_examples=200)
@given(records, st.data())
def test_kept_apart_records_never_share_a_proposal_and_a_group_decides_alone(
    rows: list[YoungPersonRecord], data: st.DataObject
) -> None:
    pairs = list(itertools.combinations([r.record_id for r in rows], 2))
    chosen = data.draw(st.lists(st.sampled_from(pairs), max_size=4))
    apart = {frozenset(p) for p in chosen}
    found = propose_young_person_merges(rows, apart=apart)
    for group in _groups(found):
        assert not any(frozenset(p) in apart for p in itertools.combinations(group, 2))
    # Each proposal is found again among the records of its unconstrained group alone,
    # with records in a different order.
    by_id = {r.record_id: r for r in rows}
    for whole in _groups(propose_young_person_merges(rows)):
        near = [by_id[i] for i in sorted(whole, reverse=True)]
        expected = [p for p in found if {p.lead_id, *p.duplicate_ids} <= whole]
        assert propose_young_person_merges(near, apart=apart) == expected
