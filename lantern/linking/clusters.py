"""Identities from linked pairs: clusters that never hold two incompatible birth dates.

Both engines hand their matching pairs here, so DuckDB and Spark runs cluster
by the same code and name clusters the same way. Plain connected components
let one weak record bridge two people ("B Griffiths, 24" matching both Ben,
born 1998-10-14, and Barry, born 2000-07-13). So pairs are joined strongest
first, and a pair is not joined when it would put into one identity two dates
of birth that no slip explains, or ages too far apart to be one person's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["BIRTH_YEAR_SPREAD", "Person", "constrained_clusters", "dates_compatible"]

#: Widest spread of birth years (from ages and dates) one identity may hold.
#: Ages are recorded on unknown dates and often guessed, so records of one
#: adult made years apart differ by several years; more than this is two people.
BIRTH_YEAR_SPREAD = 8


@dataclass(frozen=True)
class Person:
    """What clustering needs to know of one record: its date of birth and birth year."""

    dob: str | None
    birth_year: int | None


def _one_slip(a: str, b: str) -> bool:
    # One character changed, or two neighbours swapped: a typing slip.
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) <= 1:
        return True
    i, j = diff if len(diff) == 2 else (0, 0)
    return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]


def dates_compatible(a: str, b: str) -> bool:
    """Whether two ISO dates of birth could be one person's: equal, day/month swapped, one slip."""
    if a == b:
        return True
    if a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]:
        return True
    return _one_slip(a, b)


@dataclass
class _Identity:
    dobs: set[str]
    low: int | None
    high: int | None


def _compatible(x: _Identity, y: _Identity) -> bool:
    years = [v for v in (x.low, x.high, y.low, y.high) if v is not None]
    if years and max(years) - min(years) > BIRTH_YEAR_SPREAD:
        return False
    # One identity may already hold a date and its slip; the other need only
    # fit one of them (the spread of birth years stops drift by chained slips).
    if not x.dobs or not y.dobs:
        return True
    return any(dates_compatible(a, b) for a in x.dobs for b in y.dobs)


def _merge(x: _Identity, y: _Identity) -> _Identity:
    lows = [v for v in (x.low, y.low) if v is not None]
    highs = [v for v in (x.high, y.high) if v is not None]
    return _Identity(x.dobs | y.dobs, min(lows) if lows else None, max(highs) if highs else None)


def constrained_clusters(
    ids: Sequence[str], people: Sequence[Person], pairs: Any
) -> dict[str, str]:
    """The cluster id of each record: the smallest record id of its identity.

    `people[i]` describes `ids[i]`. `pairs` is an Arrow table of matching pairs
    with columns unique_id_l, unique_id_r and match_weight. Pairs are joined
    strongest first (ties broken by record ids, so the answer does not depend
    on the order pairs arrive in); a record in no joined pair is its own cluster.
    """
    import pyarrow as pa  # type: ignore[import-untyped]  # no stubs published
    import pyarrow.compute as pc  # type: ignore[import-untyped]  # no stubs published

    if pairs.num_rows:
        ordered = pairs.sort_by(
            [
                ("match_weight", "descending"),
                ("unique_id_l", "ascending"),
                ("unique_id_r", "ascending"),
            ]
        )
        value_set = pa.array(ids, type=pa.string())
        left = pc.index_in(ordered.column("unique_id_l"), value_set=value_set).to_pylist()
        right = pc.index_in(ordered.column("unique_id_r"), value_set=value_set).to_pylist()
        if None in left or None in right:
            raise ValueError("a pair names a record that is not among the ids")
    else:
        left, right = [], []
    parent = list(range(len(ids)))
    identity: dict[int, _Identity] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def of(root: int) -> _Identity:
        if root not in identity:
            p = people[root]
            identity[root] = _Identity({p.dob} if p.dob else set(), p.birth_year, p.birth_year)
        return identity[root]

    for a, b in zip(left, right, strict=True):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        x, y = of(ra), of(rb)
        if not _compatible(x, y):
            continue
        parent[rb] = ra
        identity[ra] = _merge(x, y)
        identity.pop(rb, None)
    smallest: dict[int, str] = {}
    for i, rid in enumerate(ids):
        root = find(i)
        if root not in smallest or rid < smallest[root]:
            smallest[root] = rid
    return {rid: smallest[find(i)] for i, rid in enumerate(ids)}
