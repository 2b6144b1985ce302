"""Duplicate young-person records: proposals for a lead, confirmed merges, and undoing them.

Different agencies make their own record of the same young person (Jessica Hall
at school, Jess Hall with the police). The linking library
(`lantern.linking.young_people`) finds records that look like one person; this
service shows those proposals, with reasons, to a lead (DSL or MASH) among the
records they may see, and merges only when that person confirms with a
rationale. A merge sets `merged_into_id` on each duplicate and keeps every row,
concern and assessment; it is stored (`YoungPersonMerge`) with where each record
pointed before, so undoing restores exactly. Every step is audited.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lantern.linking.young_people import (
    MergePlan,
    MergeProposal,
    YoungPersonRecord,
    apply_merge,
    blocking_keys,
    plan_merge,
    propose_young_person_merges,
    undo_merge,
)
from lantern.services import access, audit
from lantern.services.access import Permission
from lantern.services.context import Actor, Conflict, Invalid, NotFound, as_utc, utcnow
from lantern.services.validation import check_text
from lantern.services.young_people import ChronologyEntry, get_page
from lantern.store.models import (
    Organisation,
    User,
    YoungPerson,
    YoungPersonAlias,
    YoungPersonMerge,
    YoungPersonNotDuplicate,
)

__all__ = [
    "MAX_CANDIDATES",
    "MIN_RATIONALE",
    "DismissalView",
    "JoinedEntry",
    "MergeView",
    "MergesOf",
    "Proposal",
    "RecordSummary",
    "confirm_merge",
    "dismiss",
    "get_dismissal",
    "get_merge",
    "get_proposal",
    "joined_chronology",
    "list_proposals",
    "merges_of",
    "proposal_key",
    "recent_dismissals",
    "recent_merges",
    "undo",
    "undo_dismissal",
]

#: Shortest rationale accepted: a merge joins two children's records, so "same" is not enough.
MIN_RATIONALE = 10

#: Most records compared in one proposal run: an organisation's caseload, not a region's
#: (a region-wide run is the batch linking job's work, not a page's). Records are
#: compared only within a date of birth (or, lacking one, a school and surname), so the
#: list takes well under a second at this size (bench/bench_web_store.py).
MAX_CANDIDATES = 2000

#: A proposal's key in addresses: the lead's id, then each duplicate's, joined by dashes.
_KEY = re.compile(r"^\d{1,12}(-\d{1,12}){1,20}$")


@dataclass(frozen=True)
class RecordSummary:
    """One record as a lead compares it: who made it and what it says."""

    id: int
    reference: str
    name: str
    date_of_birth: date | None
    gender: str | None
    school: str | None
    area: str | None
    organisation: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Proposal:
    """Records that look like one young person, the one to keep, and why."""

    key: str
    lead: RecordSummary
    duplicates: tuple[RecordSummary, ...]
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class JoinedEntry:
    """A chronology entry with the record it was written on."""

    entry: ChronologyEntry
    reference: str
    merged: bool  # written on a record merged into this one


@dataclass(frozen=True)
class MergeView:
    merge: YoungPersonMerge
    lead: RecordSummary
    duplicates: tuple[RecordSummary, ...]
    confirmed_by: str
    undone_by: str | None
    chronology: list[JoinedEntry]
    can_undo: bool


def proposal_key(proposal: MergeProposal) -> str:
    return "-".join((proposal.lead_id, *proposal.duplicate_ids))


def _summaries(session: Session, ids: list[int]) -> dict[int, RecordSummary]:
    if not ids:
        return {}
    people = list(session.scalars(select(YoungPerson).where(YoungPerson.id.in_(ids))))
    wanted = {yp.created_by_organisation_id for yp in people}
    orgs = {
        o.id: o.name
        for o in session.scalars(select(Organisation).where(Organisation.id.in_(wanted)))
    }
    aliases: dict[int, list[str]] = {}
    for alias in session.scalars(
        select(YoungPersonAlias).where(YoungPersonAlias.young_person_id.in_(ids))
    ):
        aliases.setdefault(alias.young_person_id, []).append(alias.name)
    return {
        yp.id: RecordSummary(
            id=yp.id,
            reference=yp.reference,
            name=f"{yp.first_name} {yp.last_name}",
            date_of_birth=yp.date_of_birth,
            gender=yp.gender,
            school=yp.school,
            area=yp.area,
            organisation=orgs.get(yp.created_by_organisation_id, "Unknown"),
            aliases=tuple(sorted(aliases.get(yp.id, []))),
        )
        for yp in people
    }


def _candidates(session: Session, actor: Actor) -> list[YoungPersonRecord]:
    """Unmerged records within the actor's scope, as the linking library compares them."""
    query = (
        select(YoungPerson)
        .where(YoungPerson.merged_into_id.is_(None))
        .order_by(YoungPerson.id)
        .limit(MAX_CANDIDATES)
    )
    if not actor.is_system:
        query = query.where(access.scope_condition(actor))
    people = list(session.scalars(query))
    aliases: dict[int, list[str]] = {}
    for alias in session.scalars(
        select(YoungPersonAlias).where(YoungPersonAlias.young_person_id.in_([p.id for p in people]))
    ):
        aliases.setdefault(alias.young_person_id, []).append(alias.name)
    return [
        YoungPersonRecord(
            record_id=str(p.id),
            organisation=str(p.created_by_organisation_id),
            name=f"{p.first_name} {p.last_name}",
            dob=p.date_of_birth.isoformat() if p.date_of_birth else None,
            gender=p.gender,
            school=p.school,
            area=p.area,
            aliases=tuple(aliases.get(p.id, [])),
        )
        for p in people
    ]


def _apart(session: Session, records: list[YoungPersonRecord]) -> set[frozenset[str]]:
    """Pairs among `records` that a lead found are not the same young person (standing)."""
    ids = {r.record_id for r in records}
    pairs: set[frozenset[str]] = set()
    for record_ids in session.scalars(
        select(YoungPersonNotDuplicate.record_ids).where(
            YoungPersonNotDuplicate.undone_at.is_(None)
        )
    ):
        members = sorted({str(i) for i in record_ids} & ids)
        pairs.update(frozenset(p) for p in itertools.combinations(members, 2))
    return pairs


def _raw_proposals(session: Session, actor: Actor) -> list[MergeProposal]:
    records = _candidates(session, actor)
    return propose_young_person_merges(records, apart=_apart(session, records))


#: Rounds of widening around a record when looking for its proposal: each round adds the
#: records sharing a block with the group found so far (a chain of look-alikes is short).
_WIDENING_ROUNDS = 6


def _proposals_around(session: Session, actor: Actor, ids: set[str]) -> list[MergeProposal]:
    """The proposals that include any of `ids`, computed among their neighbours only.

    Comparing every pair of a caseload is the list's work; a record's page needs
    only its group. Every record that scores with a member shares a blocking key
    with it, so widening by shared keys until the group (taken without the pairs
    kept apart, so it is the widest) stops growing holds the whole group, and
    proposing within it finds the same proposals, lead and key as the full list.
    """
    records = _candidates(session, actor)
    keys_of = {r.record_id: blocking_keys(r) for r in records}
    group = {i for i in ids if i in keys_of}
    near: list[YoungPersonRecord] = []
    for _ in range(_WIDENING_ROUNDS):
        keys = set().union(*(keys_of[i] for i in group))
        near = [r for r in records if r.record_id in group or keys_of[r.record_id] & keys]
        members = {
            m
            for p in propose_young_person_merges(near)
            if {p.lead_id, *p.duplicate_ids} & group
            for m in (p.lead_id, *p.duplicate_ids)
        } | group
        if members == group:
            break
        group = members
    return [
        p
        for p in propose_young_person_merges(near, apart=_apart(session, near))
        if {p.lead_id, *p.duplicate_ids} & ids
    ]


def _as_proposals(session: Session, raws: list[MergeProposal]) -> list[Proposal]:
    wanted = [int(i) for raw in raws for i in (raw.lead_id, *raw.duplicate_ids)]
    found = _summaries(session, wanted)
    return [
        Proposal(
            key=proposal_key(raw),
            lead=found[int(raw.lead_id)],
            duplicates=tuple(found[int(d)] for d in raw.duplicate_ids),
            score=raw.score,
            reasons=raw.reasons,
        )
        for raw in raws
    ]


def _as_proposal(session: Session, raw: MergeProposal) -> Proposal:
    return _as_proposals(session, [raw])[0]


def list_proposals(*, session: Session, actor: Actor) -> list[Proposal]:
    """Possible duplicates among the records the actor may see, strongest first."""
    access.require(actor, Permission.MERGE_YOUNG_PEOPLE)
    raw = _raw_proposals(session, actor)
    audit.record(session, action="merge_proposals", detail={"proposals": len(raw)})
    return _as_proposals(session, raw)


def _find(session: Session, actor: Actor, key: str) -> MergeProposal | None:
    if not _KEY.match(key):
        raise NotFound(f"no proposal {key[:40]}")
    around = _proposals_around(session, actor, set(key.split("-")))
    return next((p for p in around if proposal_key(p) == key), None)


def _already_merged(session: Session, key: str) -> bool:
    ids = [int(i) for i in key.split("-")]
    merged = session.scalars(
        select(YoungPerson.id).where(
            YoungPerson.id.in_(ids), YoungPerson.merged_into_id.is_not(None)
        )
    ).first()
    return merged is not None


def _yours(session: Session, actor: Actor, key: str) -> bool:
    # Why a proposal is gone is told only to a lead who may see every record in it.
    ids = [int(i) for i in key.split("-")]
    return actor.is_system or all(access.in_scope(session, actor, i) for i in ids)


def get_proposal(*, session: Session, actor: Actor, key: str) -> Proposal:
    """One current proposal, by key; `NotFound` when it is no longer (or never was) proposed."""
    access.require(actor, Permission.MERGE_YOUNG_PEOPLE)
    raw = _find(session, actor, key)
    if raw is None:
        raise NotFound(f"no current proposal {key}")
    proposal = _as_proposal(session, raw)
    audit.record(
        session,
        action="merge_proposal_viewed",
        record_type="young_person",
        record_id=raw.lead_id,
        young_person_id=int(raw.lead_id),
        detail={"duplicates": list(raw.duplicate_ids)},
    )
    return proposal


def _identities(session: Session, ids: list[int]) -> dict[str, str]:
    """Record id -> the record it is merged into (itself when not merged), around `ids`."""
    rows = session.execute(
        select(YoungPerson.id, YoungPerson.merged_into_id).where(
            or_(YoungPerson.id.in_(ids), YoungPerson.merged_into_id.in_(ids))
        )
    ).all()
    return {str(rid): str(into if into is not None else rid) for rid, into in rows}


def _point(session: Session, mapping: dict[str, str], previous: dict[str, str]) -> None:
    # Only rows whose target changes are written, so the audit trail names exactly those.
    for rid in sorted(previous, key=int):
        target = mapping.get(rid, rid)
        person = session.get(YoungPerson, int(rid))
        if person is None:
            continue
        wanted = None if target == rid else int(target)
        if person.merged_into_id != wanted:
            person.merged_into_id = wanted
    session.flush()


def confirm_merge(*, session: Session, actor: Actor, key: str, rationale: str) -> YoungPersonMerge:
    """Merge a current proposal's duplicates into its lead, as the actor confirmed, with why.

    A second submission of the same confirmation finds the records merged and
    raises `Conflict`; nothing is merged twice.
    """
    access.require(actor, Permission.MERGE_YOUNG_PEOPLE)
    check_text("rationale", rationale)
    rationale = " ".join(rationale.split())
    if len(rationale) < MIN_RATIONALE:
        raise Invalid(
            {
                "rationale": "Write why these are the same young person "
                f"(at least {MIN_RATIONALE} characters)"
            }
        )
    raw = _find(session, actor, key)
    if raw is None:
        if _yours(session, actor, key) and _already_merged(session, key):
            raise Conflict("these records have already been merged")
        if _yours(session, actor, key) and _already_dismissed(session, key):
            raise Conflict("these records are recorded as not the same young person")
        raise NotFound(f"no current proposal {key}")
    ids = [int(raw.lead_id), *(int(d) for d in raw.duplicate_ids)]
    identities = _identities(session, ids)
    plan = plan_merge(raw, identities, confirmed_by=actor.email or "unknown", rationale=rationale)
    _point(session, apply_merge(identities, plan), dict(plan.previous))
    merge = YoungPersonMerge(
        lead_id=int(raw.lead_id),
        duplicate_ids=[int(d) for d in raw.duplicate_ids],
        previous=dict(plan.previous),
        score=raw.score,
        reasons=list(raw.reasons),
        rationale=rationale,
        confirmed_by_id=actor.user_id,
        confirmed_at=utcnow(),
    )
    session.add(merge)
    session.flush()
    audit.record(
        session,
        action="merge_confirmed",
        record_type="young_person_merge",
        record_id=merge.id,
        young_person_id=merge.lead_id,
        reason=rationale,
        detail={"duplicates": list(raw.duplicate_ids), "score": raw.score},
    )
    return merge


def _load_merge(session: Session, actor: Actor, merge_id: int) -> YoungPersonMerge:
    access.require(actor, Permission.MERGE_YOUNG_PEOPLE)
    merge = session.get(YoungPersonMerge, merge_id)
    if merge is None:
        raise NotFound(f"no merge {merge_id}")
    involved = [merge.lead_id, *merge.duplicate_ids]
    # A lead sees a merge only when every record in it is theirs to see.
    if not actor.is_system and not all(access.in_scope(session, actor, i) for i in involved):
        raise NotFound(f"no merge {merge_id}")
    return merge


def _later_merge_touches(session: Session, merge: YoungPersonMerge) -> bool:
    touched = {int(k) for k in merge.previous} | {merge.lead_id}
    for later in session.scalars(
        select(YoungPersonMerge).where(
            YoungPersonMerge.id > merge.id, YoungPersonMerge.undone_at.is_(None)
        )
    ):
        theirs = {int(k) for k in later.previous} | {later.lead_id}
        if touched & theirs:
            return True
    return False


def undo(*, session: Session, actor: Actor, merge_id: int, reason: str) -> YoungPersonMerge:
    """Take a merge back: every record points where it did before; the merge stays on file."""
    merge = _load_merge(session, actor, merge_id)
    check_text("reason", reason)
    reason = " ".join(reason.split())
    if len(reason) < MIN_RATIONALE:
        raise Invalid(
            {"reason": f"Write why the merge is being undone (at least {MIN_RATIONALE} characters)"}
        )
    if merge.undone_at is not None:
        raise Conflict("this merge has already been undone")
    if _later_merge_touches(session, merge):
        raise Conflict("a later merge includes these records: undo that one first")
    previous = {str(k): str(v) for k, v in merge.previous.items()}
    plan = MergePlan(
        lead_id=str(merge.lead_id),
        duplicate_ids=tuple(str(d) for d in merge.duplicate_ids),
        confirmed_by=str(merge.confirmed_by_id),
        rationale=merge.rationale,
        previous=previous,
    )
    identities = _identities(session, [int(k) for k in previous])
    _point(session, undo_merge(identities, plan), previous)
    merge.undone_at = utcnow()
    merge.undone_by_id = actor.user_id
    merge.undo_reason = reason
    session.flush()
    audit.record(
        session,
        action="merge_undone",
        record_type="young_person_merge",
        record_id=merge.id,
        young_person_id=merge.lead_id,
        reason=reason,
        detail={"duplicates": [str(d) for d in merge.duplicate_ids]},
    )
    return merge


def joined_chronology(*, session: Session, actor: Actor, young_person_id: int) -> list[JoinedEntry]:
    """The young person's chronology with that of every record merged into them, newest first."""
    page = get_page(session=session, actor=actor, young_person_id=young_person_id)
    entries = [JoinedEntry(e, page.person.reference, False) for e in page.chronology]
    merged_ids = session.scalars(
        select(YoungPerson.id)
        .where(YoungPerson.merged_into_id == young_person_id, YoungPerson.id != young_person_id)
        .order_by(YoungPerson.id)
    ).all()
    for merged_id in merged_ids:
        other = get_page(session=session, actor=actor, young_person_id=merged_id)
        entries.extend(JoinedEntry(e, other.person.reference, True) for e in other.chronology)
    entries.sort(key=lambda j: (as_utc(j.entry.when), j.entry.record_id), reverse=True)
    return entries


def get_merge(*, session: Session, actor: Actor, merge_id: int) -> MergeView:
    """A merge with both sides, who confirmed it, and the surviving record's joined chronology."""
    merge = _load_merge(session, actor, merge_id)
    found = _summaries(session, [merge.lead_id, *merge.duplicate_ids])
    names = {
        u.id: u.name
        for u in session.scalars(
            select(User).where(User.id.in_([merge.confirmed_by_id, merge.undone_by_id or 0]))
        )
    }
    chronology = joined_chronology(session=session, actor=actor, young_person_id=merge.lead_id)
    return MergeView(
        merge=merge,
        lead=found[merge.lead_id],
        duplicates=tuple(found[d] for d in merge.duplicate_ids if d in found),
        confirmed_by=names.get(merge.confirmed_by_id, "Unknown"),
        undone_by=names.get(merge.undone_by_id) if merge.undone_by_id else None,
        chronology=chronology,
        can_undo=merge.undone_at is None and not _later_merge_touches(session, merge),
    )


def recent_merges(*, session: Session, actor: Actor, limit: int = 50) -> list[MergeView]:
    """Recent merges the actor may see (every record in scope), newest first, without chronology."""
    access.require(actor, Permission.MERGE_YOUNG_PEOPLE)
    views: list[MergeView] = []
    for merge in session.scalars(
        select(YoungPersonMerge).order_by(YoungPersonMerge.id.desc()).limit(limit * 4)
    ):
        involved = [merge.lead_id, *merge.duplicate_ids]
        if not actor.is_system and not all(access.in_scope(session, actor, i) for i in involved):
            continue
        found = _summaries(session, involved)
        views.append(
            MergeView(
                merge=merge,
                lead=found[merge.lead_id],
                duplicates=tuple(found[d] for d in merge.duplicate_ids if d in found),
                confirmed_by="",
                undone_by=None,
                chronology=[],
                can_undo=merge.undone_at is None,
            )
        )
        if len(views) >= limit:
            break
    return views


@dataclass(frozen=True)
class MergesOf:
    """For the young person page: what was merged into this record, where it went, and
    (for leads) the current proposals that include it."""

    merged_into: RecordSummary | None
    merged_records: tuple[RecordSummary, ...]
    chronology: list[JoinedEntry]
    proposals: tuple[Proposal, ...]


def merges_of(*, session: Session, actor: Actor, young_person_id: int) -> MergesOf:
    """Merge facts for one young person the actor may view (checked by `get_page`)."""
    page = get_page(session=session, actor=actor, young_person_id=young_person_id)
    person = page.person
    into = (
        _summaries(session, [person.merged_into_id])[person.merged_into_id]
        if (person.merged_into_id is not None)
        else None
    )
    merged_ids = list(
        session.scalars(
            select(YoungPerson.id)
            .where(YoungPerson.merged_into_id == young_person_id)
            .order_by(YoungPerson.id)
        )
    )
    merged = _summaries(session, merged_ids)
    chronology = (
        [
            j
            for j in joined_chronology(
                session=session, actor=actor, young_person_id=young_person_id
            )
            if j.merged
        ]
        if merged_ids
        else []
    )
    proposals: tuple[Proposal, ...] = ()
    if access.role_allows(actor, Permission.MERGE_YOUNG_PEOPLE):
        proposals = tuple(
            _as_proposals(session, _proposals_around(session, actor, {str(young_person_id)}))
        )
    return MergesOf(
        merged_into=into,
        merged_records=tuple(merged[i] for i in merged_ids),
        chronology=chronology,
        proposals=proposals,
    )


@dataclass(frozen=True)
class DismissalView:
    """A lead's finding that records are not the same young person, with the records."""

    dismissal: YoungPersonNotDuplicate
    records: tuple[RecordSummary, ...]  # the proposal's lead first
    recorded_by: str
    undone_by: str | None
    can_undo: bool


def _reason(field: str, text: str, ask: str) -> str:
    check_text(field, text)
    text = " ".join(text.split())
    if len(text) < MIN_RATIONALE:
        raise Invalid({field: f"{ask} (at least {MIN_RATIONALE} characters)"})
    return text


def _already_dismissed(session: Session, key: str) -> bool:
    ids = {int(i) for i in key.split("-")}
    standing = session.scalars(
        select(YoungPersonNotDuplicate.record_ids).where(
            YoungPersonNotDuplicate.lead_id.in_(ids), YoungPersonNotDuplicate.undone_at.is_(None)
        )
    )
    return any({int(i) for i in record_ids} == ids for record_ids in standing)


def dismiss(*, session: Session, actor: Actor, key: str, reason: str) -> YoungPersonNotDuplicate:
    """Record that a current proposal's records are not the same young person, and why.

    No two of its records are proposed together again until a lead undoes this. A
    second submission finds the proposal gone and raises `Conflict`.
    """
    access.require(actor, Permission.MERGE_YOUNG_PEOPLE)
    reason = _reason("reason", reason, "Write why these are not the same young person")
    raw = _find(session, actor, key)
    if raw is None:
        if _yours(session, actor, key) and _already_dismissed(session, key):
            raise Conflict("these records are already recorded as not the same young person")
        if _yours(session, actor, key) and _already_merged(session, key):
            raise Conflict("these records have already been merged")
        raise NotFound(f"no current proposal {key}")
    ids = [int(raw.lead_id), *(int(d) for d in raw.duplicate_ids)]
    finding = YoungPersonNotDuplicate(
        lead_id=ids[0],
        record_ids=sorted(ids),
        score=raw.score,
        reasons=list(raw.reasons),
        reason=reason,
        recorded_by_id=actor.user_id,
        recorded_at=utcnow(),
    )
    session.add(finding)
    session.flush()
    audit.record(
        session,
        action="merge_dismissed",
        record_type="young_person_not_duplicate",
        record_id=finding.id,
        young_person_id=ids[0],
        reason=reason,
        detail={audit.YOUNG_PEOPLE: sorted(ids), "score": raw.score},
    )
    return finding


def _load_dismissal(session: Session, actor: Actor, dismissal_id: int) -> YoungPersonNotDuplicate:
    access.require(actor, Permission.MERGE_YOUNG_PEOPLE)
    finding = session.get(YoungPersonNotDuplicate, dismissal_id)
    if finding is None:
        raise NotFound(f"no finding {dismissal_id}")
    # As for merges: a lead sees a finding only when every record in it is theirs to see.
    involved = [int(i) for i in finding.record_ids]
    if not actor.is_system and not all(access.in_scope(session, actor, i) for i in involved):
        raise NotFound(f"no finding {dismissal_id}")
    return finding


def _dismissal_view(
    session: Session, finding: YoungPersonNotDuplicate, names: dict[int, str]
) -> DismissalView:
    ids = [finding.lead_id, *(int(i) for i in finding.record_ids if int(i) != finding.lead_id)]
    found = _summaries(session, ids)
    return DismissalView(
        dismissal=finding,
        records=tuple(found[i] for i in ids if i in found),
        recorded_by=names.get(finding.recorded_by_id, "Unknown"),
        undone_by=names.get(finding.undone_by_id) if finding.undone_by_id else None,
        can_undo=finding.undone_at is None,
    )


def _user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    return {u.id: u.name for u in session.scalars(select(User).where(User.id.in_(wanted)))}


def get_dismissal(*, session: Session, actor: Actor, dismissal_id: int) -> DismissalView:
    """A "not the same young person" finding with its records and who recorded it."""
    finding = _load_dismissal(session, actor, dismissal_id)
    names = _user_names(session, {finding.recorded_by_id, finding.undone_by_id})
    return _dismissal_view(session, finding, names)


def undo_dismissal(
    *, session: Session, actor: Actor, dismissal_id: int, reason: str
) -> YoungPersonNotDuplicate:
    """Take a finding back, with why: its records may be proposed together again."""
    finding = _load_dismissal(session, actor, dismissal_id)
    reason = _reason("reason", reason, "Write why these may be the same young person after all")
    if finding.undone_at is not None:
        raise Conflict("this finding has already been taken back")
    finding.undone_at = utcnow()
    finding.undone_by_id = actor.user_id
    finding.undo_reason = reason
    session.flush()
    audit.record(
        session,
        action="merge_dismissal_undone",
        record_type="young_person_not_duplicate",
        record_id=finding.id,
        young_person_id=finding.lead_id,
        reason=reason,
        detail={audit.YOUNG_PEOPLE: sorted(int(i) for i in finding.record_ids)},
    )
    return finding


def recent_dismissals(*, session: Session, actor: Actor, limit: int = 50) -> list[DismissalView]:
    """Recent findings the actor may see (every record in scope), newest first."""
    access.require(actor, Permission.MERGE_YOUNG_PEOPLE)
    views: list[DismissalView] = []
    for finding in session.scalars(
        select(YoungPersonNotDuplicate).order_by(YoungPersonNotDuplicate.id.desc()).limit(limit * 4)
    ):
        involved = [int(i) for i in finding.record_ids]
        if not actor.is_system and not all(access.in_scope(session, actor, i) for i in involved):
            continue
        views.append(_dismissal_view(session, finding, {}))
        if len(views) >= limit:
            break
    return views
