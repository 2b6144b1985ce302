"""Finding records of the same young person made by different agencies, to propose merging.

Lantern never merges young people's records by itself: it proposes, with
reasons, and a professional decides. A confirmed merge is a `MergePlan` that
points duplicate records at a lead record; every source record is kept, and
the plan can be undone exactly. Everything here is pure data in, data out.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from lantern.linking.features import parse_dob
from lantern.linking.names import canonical_forename, parse_name

__all__ = [
    "PROPOSE_FROM_SCORE",
    "MergePlan",
    "MergeProposal",
    "YoungPersonRecord",
    "apply_merge",
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


def _blocks(records: Sequence[YoungPersonRecord]) -> Iterable[tuple[int, int]]:
    # Only records sharing a date of birth or a surname's first letters are
    # compared: a full comparison of every pair would not scale to an area.
    keys: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        dob = parse_dob(record.dob)
        if dob:
            keys[f"dob:{dob[:4]}"].append(i)
        surname = parse_name(record.name).surname
        if surname:
            keys[f"sur:{surname[:3]}"].append(i)
    seen: set[tuple[int, int]] = set()
    for members in keys.values():
        for pair in itertools.combinations(members, 2):
            if pair not in seen:
                seen.add(pair)
                yield pair


def _completeness(record: YoungPersonRecord) -> int:
    return sum(bool(v) for v in (record.dob, record.gender, record.school, record.area)) + len(
        record.name.split()
    )


def propose_young_person_merges(records: Iterable[YoungPersonRecord]) -> list[MergeProposal]:
    """Groups of records that look like the same young person, strongest first.

    The lead is the most complete record (ties: the smallest id). Nothing is
    merged: a proposal becomes a merge only through `plan_merge`.
    """
    rows = list(records)
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    evidence: dict[int, list[tuple[int, list[str]]]] = defaultdict(list)
    for i, j in _blocks(rows):
        score, why = _score(rows[i], rows[j])
        if score >= PROPOSE_FROM_SCORE:
            parent[find(i)] = find(j)
            evidence[i].append((score, why))
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(rows)):
        groups[find(i)].append(i)
    proposals = []
    for members in groups.values():
        if len(members) < 2:
            continue
        lead = max(
            members, key=lambda i: (_completeness(rows[i]), [-ord(c) for c in rows[i].record_id])
        )
        scores = [s for i in members for s, _ in evidence[i]]
        reasons = sorted({r for i in members for _, why in evidence[i] for r in why})
        proposals.append(
            MergeProposal(
                lead_id=rows[lead].record_id,
                duplicate_ids=tuple(sorted(rows[i].record_id for i in members if i != lead)),
                score=min(scores),
                reasons=tuple(reasons),
            )
        )
    return sorted(proposals, key=lambda p: (-p.score, p.lead_id))


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
