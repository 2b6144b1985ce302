"""Finding records of the same young person made by different agencies, to propose merging.

Lantern never merges young people's records by itself: it proposes, with
reasons, and a professional decides. A confirmed merge is a `MergePlan` that
points duplicate records at a lead record; every source record is kept, and
the plan can be undone exactly. Everything here is pure data in, data out.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from lantern.linking.features import parse_dob
from lantern.linking.names import canonical_forename, parse_name

__all__ = [
    "PROPOSE_FROM_SCORE",
    "MergePlan",
    "MergeProposal",
    "YoungPersonRecord",
    "apply_merge",
    "blocking_keys",
    "plan_merge",
    "propose_young_person_merges",
    "undo_merge",
]

# Evidence points for each kind of agreement. Dates of birth carry the most:
# two young people with the same name are common in one area, the same name
# and date of birth are not. A disagreeing full date of birth or gender is a
# near-veto, because merging two children's records is a serious error.
SAME_DOB = 4
SWAPPED_DOB = 2
DIFFERENT_DOB = -6
SAME_SURNAME = 3
CLOSE_SURNAME = 2
DIFFERENT_SURNAME = -3
SAME_FORENAME = 3
CLOSE_FORENAME = 2
INITIAL_FITS = 1
DIFFERENT_FORENAME = -3
SAME_SCHOOL = 2
SAME_AREA = 1
DIFFERENT_GENDER = -4

#: A pair is proposed at this score: e.g. same date of birth and surname and a
#: forename that fits (4 + 3 + 1), but not a shared surname and school alone
#: (siblings), nor the same date of birth and surname with different forenames
#: (twins).
PROPOSE_FROM_SCORE = 8


@dataclass(frozen=True)
class YoungPersonRecord:
    """A young person as one organisation recorded them."""

    record_id: str
    organisation: str
    name: str
    dob: str | None = None
    gender: str | None = None
    school: str | None = None
    area: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class MergeProposal:
    """Records that look like one young person, the lead to keep, and why."""

    lead_id: str
    duplicate_ids: tuple[str, ...]
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MergePlan:
    """A confirmed merge: each duplicate points at the lead; nothing is deleted."""

    lead_id: str
    duplicate_ids: tuple[str, ...]
    confirmed_by: str
    rationale: str
    previous: Mapping[str, str] = field(default_factory=dict)


def _close(a: str, b: str) -> bool:
    # One insertion, deletion, substitution or swap of neighbours apart.
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _forenames(record: YoungPersonRecord) -> tuple[set[str], set[str]]:
    names: set[str] = set()
    initials: set[str] = set()
    for written in (record.name, *record.aliases):
        parsed = parse_name(written)
        if parsed.forename:
            names.add(canonical_forename(parsed.forename) or parsed.forename)
            names.add(parsed.forename)
        if parsed.initial:
            initials.add(parsed.initial)
    return names, initials


def _score(a: YoungPersonRecord, b: YoungPersonRecord) -> tuple[int, list[str]]:
    score = 0
    why: list[str] = []

    def add(points: int, reason: str) -> None:
        nonlocal score
        score += points
        why.append(reason)

    dob_a, dob_b = parse_dob(a.dob), parse_dob(b.dob)
    if dob_a and dob_b:
        if dob_a == dob_b:
            add(SAME_DOB, "same date of birth")
        elif dob_a[:4] == dob_b[:4] and dob_a[5:7] == dob_b[8:10] and dob_a[8:10] == dob_b[5:7]:
            add(SWAPPED_DOB, "date of birth with day and month swapped")
        else:
            add(DIFFERENT_DOB, "different dates of birth")
    sur_a, sur_b = parse_name(a.name).surname, parse_name(b.name).surname
    if sur_a and sur_b:
        if sur_a == sur_b:
            add(SAME_SURNAME, "same surname")
        elif _close(sur_a, sur_b):
            add(CLOSE_SURNAME, "surname one slip apart")
        else:
            add(DIFFERENT_SURNAME, "different surnames")
    names_a, initials_a = _forenames(a)
    names_b, initials_b = _forenames(b)
    if names_a & names_b:
        add(SAME_FORENAME, "same forename or short form")
    elif any(_close(x, y) for x in names_a for y in names_b):
        add(CLOSE_FORENAME, "forename one slip apart")
    elif (initials_a & initials_b) and (not names_a or not names_b):
        add(INITIAL_FITS, "initial fits the forename")
    elif (names_a or initials_a) and (names_b or initials_b):
        add(DIFFERENT_FORENAME, "different forenames")
    if a.school and b.school and a.school.strip().lower() == b.school.strip().lower():
        add(SAME_SCHOOL, "same school")
    if a.area and b.area and a.area.strip().upper() == b.area.strip().upper():
        add(SAME_AREA, "same area")
    if a.gender and b.gender and a.gender.strip().lower() != b.gender.strip().lower():
        add(DIFFERENT_GENDER, "different gender")
    return score, why


def _dob_key(dob: str) -> str:
    # Year with day and month in either order: a pair with both dates of birth
    # known can reach PROPOSE_FROM_SCORE only with the same date or day and month
    # swapped (a different date costs DIFFERENT_DOB, more than the rest can make up).
    return f"dob:{dob[:4]}:{min(dob[5:7], dob[8:10])}:{max(dob[5:7], dob[8:10])}"


def _one_slip_keys(word: str) -> set[str]:
    # The word and every way of deleting one letter: two words one insertion,
    # deletion, substitution or neighbour swap apart (`_close`) share one of these.
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _school_keys(record: YoungPersonRecord) -> set[str]:
    # Without a date of birth on both sides a pair reaches PROPOSE_FROM_SCORE only
    # with the same school and a surname that is the same or one slip apart (the
    # forename, surname and area alone make at most SAME_SURNAME + SAME_FORENAME +
    # SAME_AREA, below it), so such pairs are looked for within school and surname.
    surname = parse_name(record.name).surname
    if not record.school or not surname:
        return set()
    school = record.school.strip().lower()
    return {f"school:{school}:{variant}" for variant in _one_slip_keys(surname)}


def blocking_keys(record: YoungPersonRecord) -> frozenset[str]:
    """Keys such that any two records that could be proposed together share at least one.

    Only records sharing a key are ever compared (a full comparison of every pair
    would not scale to an area); callers looking for one record's proposal among
    its neighbours use the same keys.
    """
    dob = parse_dob(record.dob)
    keys = _school_keys(record)
    if dob:
        keys.add(_dob_key(dob))
    return frozenset(keys)


def _blocks(records: Sequence[YoungPersonRecord]) -> Iterable[tuple[int, int]]:
    # Pairs sharing a date-of-birth key; and pairs sharing a school-and-surname key
    # of which at least one lacks a date of birth (two dates of birth must agree).
    by_dob: dict[str, list[int]] = defaultdict(list)
    by_school: dict[str, list[int]] = defaultdict(list)
    undated: set[int] = set()
    for i, record in enumerate(records):
        dob = parse_dob(record.dob)
        if dob:
            by_dob[_dob_key(dob)].append(i)
        else:
            undated.add(i)
        for key in _school_keys(record):
            by_school[key].append(i)
    seen: set[tuple[int, int]] = set()
    for members in by_dob.values():
        for pair in itertools.combinations(members, 2):
            if pair not in seen:
                seen.add(pair)
                yield pair
    for members in by_school.values():
        for pair in itertools.combinations(members, 2):
            if (pair[0] in undated or pair[1] in undated) and pair not in seen:
                seen.add(pair)
                yield pair


def _completeness(record: YoungPersonRecord) -> int:
    return sum(bool(v) for v in (record.dob, record.gender, record.school, record.area)) + len(
        record.name.split()
    )


def propose_young_person_merges(
    records: Iterable[YoungPersonRecord], *, apart: Collection[frozenset[str]] = ()
) -> list[MergeProposal]:
    """Groups of records that look like the same young person, strongest first.

    The lead is the most complete record (ties: the smallest id). Nothing is
    merged: a proposal becomes a merge only through `plan_merge`. `apart` holds
    pairs of record ids a professional found are not the same young person: no
    proposal contains both records of such a pair.
    """
    rows = list(records)
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    ids = [r.record_id for r in rows]
    edges: list[tuple[int, int, int, list[str]]] = []
    for i, j in _blocks(rows):
        if frozenset((ids[i], ids[j])) in apart:
            continue
        score, why = _score(rows[i], rows[j])
        if score >= PROPOSE_FROM_SCORE:
            parent[find(i)] = find(j)
            edges.append((i, j, score, why))
    if apart:
        _keep_apart(rows, edges, parent, find, apart)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(rows)):
        groups[find(i)].append(i)
    evidence: dict[int, list[tuple[int, list[str]]]] = defaultdict(list)
    for i, j, score, why in edges:
        if find(i) == find(j):
            evidence[find(i)].append((score, why))
    proposals = []
    for root, members in groups.items():
        if len(members) < 2:
            continue
        lead = max(
            members, key=lambda i: (_completeness(rows[i]), [-ord(c) for c in rows[i].record_id])
        )
        scores = [s for s, _ in evidence[root]]
        reasons = sorted({r for _, why in evidence[root] for r in why})
        proposals.append(
            MergeProposal(
                lead_id=rows[lead].record_id,
                duplicate_ids=tuple(sorted(rows[i].record_id for i in members if i != lead)),
                score=min(scores),
                reasons=tuple(reasons),
            )
        )
    return sorted(proposals, key=lambda p: (-p.score, p.lead_id))


def _keep_apart(
    rows: Sequence[YoungPersonRecord],
    edges: Sequence[tuple[int, int, int, list[str]]],
    parent: list[int],
    find: Callable[[int], int],
    apart: Collection[frozenset[str]],
) -> None:
    """Regroup each group holding a pair kept apart: strongest links first, skipping a
    link that would join records kept apart. Decided within the group alone (its
    members and their links), so a caller looking at a group's neighbourhood only
    finds the same result as one looking at every record."""
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(rows)):
        members[find(i)].append(i)
    split = {
        root
        for root, group in members.items()
        if any(
            frozenset((rows[a].record_id, rows[b].record_id)) in apart
            for a, b in itertools.combinations(group, 2)
        )
    }
    if not split:
        return
    # Each affected record starts alone; links are then taken strongest first, ties by
    # their records' ids, so the order does not depend on the order records came in.
    by_group = {i: find(i) for group in split for i in members[group]}
    for i in by_group:
        parent[i] = i
    part: dict[int, set[int]] = {i: {i} for i in by_group}
    ordered = sorted(
        (e for e in edges if e[0] in by_group),
        key=lambda e: (-e[2], *sorted((rows[e[0]].record_id, rows[e[1]].record_id))),
    )
    for i, j, _, _ in ordered:
        a, b = find(i), find(j)
        if a == b:
            continue
        if any(
            frozenset((rows[x].record_id, rows[y].record_id)) in apart
            for x in part[a]
            for y in part[b]
        ):
            continue
        parent[a] = b
        part[b] |= part.pop(a)


def plan_merge(
    proposal: MergeProposal, identities: Mapping[str, str], *, confirmed_by: str, rationale: str
) -> MergePlan:
    """A merge a professional confirmed, remembering where each record pointed before."""
    if not confirmed_by.strip():
        raise ValueError("a merge must name the person who confirmed it")
    involved = (proposal.lead_id, *proposal.duplicate_ids)
    previous = {rid: identities.get(rid, rid) for rid in involved}
    # Records already merged into a duplicate move with it, so they are remembered too.
    moving = {identities.get(rid, rid) for rid in proposal.duplicate_ids} | set(
        proposal.duplicate_ids
    )
    previous |= {rid: target for rid, target in identities.items() if target in moving}
    return MergePlan(proposal.lead_id, proposal.duplicate_ids, confirmed_by, rationale, previous)


def apply_merge(identities: Mapping[str, str], plan: MergePlan) -> dict[str, str]:
    """Record id -> lead record id after the merge (a new mapping; the input is unchanged).

    Records already pointing at a merged record follow it to the new lead.
    """
    lead = identities.get(plan.lead_id, plan.lead_id)
    merged = {identities.get(rid, rid) for rid in plan.duplicate_ids} | set(plan.duplicate_ids)
    out = dict(identities)
    for rid in plan.duplicate_ids:
        out[rid] = lead
    for rid, target in identities.items():
        if target in merged:
            out[rid] = lead
    out.setdefault(plan.lead_id, lead)
    return out


def undo_merge(identities: Mapping[str, str], plan: MergePlan) -> dict[str, str]:
    """The mapping with this merge taken back: each record points where it did before."""
    out = dict(identities)
    for rid, before in plan.previous.items():
        out[rid] = before
    return out
