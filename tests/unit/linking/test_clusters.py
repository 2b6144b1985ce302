"""Clusters from matching pairs: components, named by their smallest record id."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.linking.clusters import connected_clusters


def _clusters(ids: list[str], pairs: list[tuple[str, str]]) -> dict[str, str]:
    left = pa.array([a for a, _ in pairs], type=pa.string())
    right = pa.array([b for _, b in pairs], type=pa.string())
    out = connected_clusters(pa.array(ids, type=pa.string()), left, right)
    return dict(zip(ids, out.to_pylist(), strict=True))


def test_chains_join_and_unpaired_records_stand_alone() -> None:
    got = _clusters(["r5", "r2", "r9", "r1", "r7"], [("r5", "r9"), ("r9", "r1")])
    assert got == {"r5": "r1", "r9": "r1", "r1": "r1", "r2": "r2", "r7": "r7"}


def test_no_pairs() -> None:
    assert _clusters(["b", "a"], []) == {"b": "b", "a": "a"}


def test_unknown_record_in_a_pair_is_refused() -> None:
    with pytest.raises(ValueError, match="not among the ids"):
        _clusters(["a"], [("a", "z")])


@given(
    st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15)), max_size=30),
    st.randoms(use_true_random=False),
)
def test_same_as_union_find_whatever_the_order(edges: list[tuple[int, int]], rnd: object) -> None:
    ids = [f"id{i:02d}" for i in range(16)]
    pairs = [(ids[a], ids[b]) for a, b in edges]
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    expected = {i: find(i) for i in ids}
    shuffled = list(pairs)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert _clusters(ids, shuffled) == expected
