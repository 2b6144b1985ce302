"""Identities from linked pairs: no weak record may bridge two different birth dates.

Both engines hand their matching pairs here, so DuckDB and Spark runs cluster
by the same code and name clusters the same way. Plain connected components
let one weak record bridge two people ("B Griffiths, 24" matching both Ben,
born 1998-10-14, and Barry, born 2000-07-13). So pairs are joined strongest
first, and a pair is not joined when it would put into one identity two dates
of birth that no slip explains, or ages too far apart to be one person's,
unless the pair's own two records carry the conflicting field, in which case
the model has already weighed it.
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


def _compatible(x: _Identity, y: _Identity, a: Person, b: Person) -> bool:
    # A pair whose own records both carry the field has had it weighed by the
    # model, which matched them anyway (FEBRL's records keep a corrupted date
    # of birth beside a matching identifier): only a conflict the joining pair
    # never saw (one brought in through records that lack the field) refuses it.
    if a.birth_year is None or b.birth_year is None:
        years = [v for v in (x.low, x.high, y.low, y.high) if v is not None]
        if years and max(years) - min(years) > BIRTH_YEAR_SPREAD:
            return False
    if a.dob is not None and b.dob is not None:
        return True
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

    Most connected components hold at most one date of birth and a narrow
    spread of ages, so no join in them can be refused: those are taken whole
    (igraph, on arrays), and only the rest are joined pair by pair.
    """
    import igraph
    import numpy as np
    import pyarrow as pa  # type: ignore[import-untyped]  # no stubs published
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    n = len(ids)
    id_array = pa.array(ids, type=pa.string())
    left = pc.index_in(pairs.column("unique_id_l"), value_set=id_array)
    right = pc.index_in(pairs.column("unique_id_r"), value_set=id_array)
    if left.null_count or right.null_count:
        raise ValueError("a pair names a record that is not among the ids")
    left_np = left.to_numpy(zero_copy_only=False).astype(np.int64)
    right_np = right.to_numpy(zero_copy_only=False).astype(np.int64)
    graph = igraph.Graph(n=n, edges=np.column_stack([left_np, right_np]).tolist())
    component = np.asarray(graph.connected_components().membership, dtype=np.int64)
    members = pa.table(
        {
            "component": component,
            "dob": pa.array([p.dob for p in people], type=pa.string()),
            "birth_year": pa.array([p.birth_year for p in people], type=pa.int64()),
        }
    )
    summary = members.group_by("component").aggregate(
        [("dob", "count_distinct"), ("birth_year", "min"), ("birth_year", "max")]
    )
    spread = pc.subtract(summary.column("birth_year_max"), summary.column("birth_year_min"))
    risky = pc.or_(
        pc.greater(summary.column("dob_count_distinct"), 1),
        pc.fill_null(pc.greater(spread, BIRTH_YEAR_SPREAD), False),
    )
    flagged = np.zeros(n, dtype=bool)
    flagged[summary.column("component").filter(risky).to_numpy()] = True
    # Records of untroubled components start as their component; the others
    # start alone and are joined pair by pair below.
    root = np.where(flagged[component], np.arange(n), component + n)
    careful = flagged[component[left_np]]
    if careful.any():
        chosen = pairs.filter(pa.array(careful))
        _join_carefully(people, chosen, left_np[careful], right_np[careful], root)
    labels = pa.table({"root": root, "record": id_array})
    smallest = labels.group_by("root").aggregate([("record", "min")])
    where = pc.index_in(pa.array(root), value_set=smallest.column("root"))
    named = pc.take(smallest.column("record_min"), where).to_pylist()
    return dict(zip(ids, named, strict=True))


def _join_carefully(
    people: Sequence[Person],
    pairs: Any,
    left: Any,
    right: Any,
    root: Any,
) -> None:
    # Kruskal's order with a compatibility check: the strongest links decide
    # which identity a weak record joins. Writes each record's identity into `root`.
    weights = pairs.column("match_weight").to_numpy(zero_copy_only=False)
    names_l = pairs.column("unique_id_l").to_pylist()
    names_r = pairs.column("unique_id_r").to_pylist()
    order = sorted(range(len(weights)), key=lambda k: (-weights[k], names_l[k], names_r[k]))
    parent: dict[int, int] = {}
    identity: dict[int, _Identity] = {}

    def find(i: int) -> int:
        parent.setdefault(i, i)
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def of(r: int) -> _Identity:
        if r not in identity:
            p = people[r]
            identity[r] = _Identity({p.dob} if p.dob else set(), p.birth_year, p.birth_year)
        return identity[r]

    for k in order:
        ra, rb = find(int(left[k])), find(int(right[k]))
        if ra == rb:
            continue
        x, y = of(ra), of(rb)
        if not _compatible(x, y, people[int(left[k])], people[int(right[k])]):
            continue
        parent[rb] = ra
        identity[ra] = _merge(x, y)
        identity.pop(rb, None)
    for i in list(parent):
        root[i] = find(i)
