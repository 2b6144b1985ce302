"""Clusters from matching pairs: strongest first, never two people's birth dates in one."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.linking.clusters import Person, constrained_clusters, dates_compatible

UNKNOWN = Person(None, None)


def _pairs(pairs: list[tuple[str, str, float]]) -> pa.Table:
    return pa.table(
        {
            "unique_id_l": pa.array([a for a, _, _ in pairs], type=pa.string()),
            "unique_id_r": pa.array([b for _, b, _ in pairs], type=pa.string()),
            "match_weight": pa.array([w for _, _, w in pairs], type=pa.float64()),
        }
    )


def test_chains_join_and_unpaired_records_stand_alone() -> None:
    ids = ["r5", "r2", "r9", "r1", "r7"]
    got = constrained_clusters(ids, [UNKNOWN] * 5, _pairs([("r5", "r9", 5), ("r9", "r1", 4)]))
    assert got == {"r5": "r1", "r9": "r1", "r1": "r1", "r2": "r2", "r7": "r7"}


def test_no_pairs() -> None:
    assert constrained_clusters(["b", "a"], [UNKNOWN] * 2, _pairs([])) == {"b": "b", "a": "a"}


def test_unknown_record_in_a_pair_is_refused() -> None:
    with pytest.raises(ValueError, match="not among the ids"):
        constrained_clusters(["a"], [UNKNOWN], _pairs([("a", "z", 9)]))


def test_weak_record_does_not_bridge_two_dates_of_birth() -> None:
    # "B Griffiths, 24" matches Ben (born 1998) and Barry (born 2000): whichever
    # link is stronger wins, and the two men stay apart.
    ids = ["ben", "barry", "b_griffiths"]
    people = [Person("1998-10-14", 1998), Person("2000-07-13", 2000), Person(None, 2002)]
    got = constrained_clusters(
        ids, people, _pairs([("b_griffiths", "barry", 6.0), ("ben", "b_griffiths", 4.0)])
    )
    assert got["b_griffiths"] == got["barry"] != got["ben"]


def test_slips_in_a_date_of_birth_do_not_split_a_person() -> None:
    ids = ["a", "b", "c"]
    people = [Person("1985-02-07", 1985), Person("1985-07-02", 1985), Person("1985-02-17", 1985)]
    got = constrained_clusters(ids, people, _pairs([("a", "b", 5), ("a", "c", 5)]))
    assert len(set(got.values())) == 1


def test_ages_too_far_apart_stay_apart_when_no_pair_compared_them() -> None:
    people = [Person(None, 1970), Person(None, None), Person(None, 1995)]
    got = constrained_clusters(["x", "y", "z"], people, _pairs([("x", "y", 9), ("y", "z", 5)]))
    assert got["x"] == got["y"] != got["z"]


def test_a_pair_that_compared_its_own_dates_is_trusted() -> None:
    # The model matched these two despite their dates (say a shared identifier
    # outweighed a corrupted date): clustering does not overrule it.
    people = [Person("1961-03-02", 1961), Person("1966-08-21", 1966)]
    got = constrained_clusters(["x", "y"], people, _pairs([("x", "y", 12)]))
    assert got["x"] == got["y"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("1990-04-12", "1990-04-12", True),
        ("1990-04-12", "1990-12-04", True),  # day and month swapped
        ("1990-04-12", "1990-04-13", True),  # one key
        ("1990-04-12", "1909-04-12", True),  # neighbours swapped
        ("1990-04-12", "1991-05-12", False),
        ("1998-10-14", "2000-07-13", False),
    ],
)
def test_dates_compatible(a: str, b: str, same: bool) -> None:
    assert dates_compatible(a, b) is same
    assert dates_compatible(b, a) is same


@given(
    st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15), st.integers(0, 3)), max_size=30),
    st.integers(0, 1000),
)
def test_without_dates_it_is_connected_components_whatever_the_order(
    edges: list[tuple[int, int, int]], seed: int
) -> None:
    ids = [f"id{i:02d}" for i in range(16)]
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b, _ in edges:
        ra, rb = find(ids[a]), find(ids[b])
        parent[max(ra, rb)] = min(ra, rb)
    expected = {i: find(i) for i in ids}
    shuffled = [(ids[a], ids[b], float(w)) for a, b, w in edges]
    random.Random(seed).shuffle(shuffled)  # noqa: S311  # test order, not security
    assert constrained_clusters(ids, [UNKNOWN] * 16, _pairs(shuffled)) == expected


def _reference(
    ids: list[str], people: list[Person], pairs: list[tuple[str, str, float]]
) -> dict[str, str]:
    # Every pair joined strongest first with the compatibility check: the rule
    # the fast path must reproduce, written plainly.
    groups = {i: {i} for i in ids}
    where = {i: i for i in ids}

    def fits(a: set[str], b: set[str], pa_: Person, pb_: Person) -> bool:
        dobs_a = {people[ids.index(r)].dob for r in a} - {None}
        dobs_b = {people[ids.index(r)].dob for r in b} - {None}
        years = {people[ids.index(r)].birth_year for r in a | b} - {None}
        seen_years = pa_.birth_year is not None and pb_.birth_year is not None
        if not seen_years and years and max(years) - min(years) > 8:  # type: ignore[operator]
            return False
        if pa_.dob is not None and pb_.dob is not None:
            return True
        return (
            not dobs_a
            or not dobs_b
            or any(
                dates_compatible(x, y)  # type: ignore[arg-type]
                for x in dobs_a
                for y in dobs_b
            )
        )

    for a, b, _ in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        ga, gb = where[a], where[b]
        pa_, pb_ = people[ids.index(a)], people[ids.index(b)]
        if ga == gb or not fits(groups[ga], groups[gb], pa_, pb_):
            continue
        groups[ga] |= groups.pop(gb)
        for r in groups[ga]:
            where[r] = ga
    return {i: min(groups[where[i]]) for i in ids}


_DOBS = [None, "1990-01-02", "1990-02-01", "1990-01-03", "1975-06-06"]


@given(
    st.lists(
        st.tuples(st.sampled_from(_DOBS), st.sampled_from([None, 1970, 1975, 1990])),
        min_size=10,
        max_size=10,
    ),
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), st.integers(0, 5)), max_size=25),
)
def test_fast_path_gives_the_same_identities_as_joining_pair_by_pair(
    described: list[tuple[str | None, int | None]], edges: list[tuple[int, int, int]]
) -> None:
    ids = [f"r{i}" for i in range(10)]
    people = [Person(d, int(d[:4]) if d else y) for d, y in described]
    pairs = [(ids[a], ids[b], float(w)) for a, b, w in edges if a != b]
    assert constrained_clusters(ids, people, _pairs(pairs)) == _reference(ids, people, pairs)
