"""The audit trail: every read and write of a young person's data, chained by hashes.

Recorded by the mechanism, not by hand: `install` hooks a session factory so
that loading any case record notes a read, and flushing any new or changed one
notes a write. Events are appended when the unit of work commits, each carrying
the hash of the one before, so `verify` finds any event edited, removed or moved.
After each commit the chain's newest event is written to an anchor file outside
the database (`lantern.services.anchor`), so removing the newest events shows too.
Case records are append-only: the same hook refuses to change or delete them.

On PostgreSQL appending takes a transaction-level advisory lock, but only at
commit time (events are appended as the unit commits): concurrent transactions
run in parallel and queue only for the few milliseconds of the append itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, event, insert, or_, select, text
from sqlalchemy.orm import Session, sessionmaker

from lantern.services.anchor import Anchor
from lantern.services.context import Actor, Conflict, utcnow
from lantern.store.models import (
    Action,
    Alert,
    Assessment,
    AuditEvent,
    AuditEventYoungPerson,
    BreakGlass,
    Concern,
    ConcernFactor,
    Decision,
    Involvement,
    Mention,
    PublicReport,
    Referral,
    Transcript,
    YoungPerson,
    YoungPersonAlias,
)

#: The hash the first event points back to.
GENESIS = "0" * 64

#: A constant key for PostgreSQL's advisory lock: appending to the chain is one
#: writer at a time, or two events could claim the same predecessor.
_PG_CHAIN_LOCK = 7_460_531

#: Records that hold (or are) a young person's data, by the name events use.
AUDITED: dict[type[Any], str] = {
    YoungPerson: "young_person",
    YoungPersonAlias: "alias",
    Involvement: "involvement",
    Concern: "concern",
    ConcernFactor: "concern_factor",
    Mention: "mention",
    Assessment: "assessment",
    Decision: "decision",
    Action: "action",
    Referral: "referral",
    Alert: "alert",
    PublicReport: "public_report",
    BreakGlass: "break_glass",
    Transcript: "transcript",
}

#: Records that may never change once written: corrections are new records.
APPEND_ONLY: tuple[type[Any], ...] = (Concern, ConcernFactor, Mention, Assessment, Decision)

_READS = "lantern.audit.reads"
_WRITES = "lantern.audit.writes"
_CONTEXT = "lantern.audit.context"
_HEAD = "lantern.audit.head"
_DEFERRED = "lantern.audit.deferred"

#: The detail key naming every young person an event concerns, when it concerns several.
YOUNG_PEOPLE = "young_people"


class AppendOnly(Conflict):
    """An attempt to change or delete a record that may only be added to."""


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    message: str = ""
    anchored: int = 0  # events named by the anchor file and found intact


def install(factory: sessionmaker[Session], anchor: Anchor | None = None) -> None:
    """Make every session from `factory` record reads and writes of case records, and
    (with `anchor`) write the chain's head to the anchor file after each commit."""
    event.listen(factory, "loaded_as_persistent", _on_load)
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_rollback", _after_rollback)
    if anchor is not None:

        def _after_commit(session: Session) -> None:
            head = session.info.pop(_HEAD, None)
            if head is not None:
                anchor.append(*head)

        event.listen(factory, "after_commit", _after_commit)


def note_reason(
    session: Session, young_person_id: int, reason: str | None, *, break_glass: bool = False
) -> None:
    """Attach why the actor is looking (and whether by break-glass) to this unit's events."""
    session.info.setdefault(_CONTEXT, {})[young_person_id] = (reason, break_glass)


def record(
    session: Session,
    *,
    action: str,
    record_type: str | None = None,
    record_id: str | int | None = None,
    young_person_id: int | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    actor: Actor | None = None,
) -> None:
    """Record an event that is not a row read or written (sign-in, search, export, verify)."""
    actor = actor or _actor(session)
    row = _row(actor, action, record_type, record_id, young_person_id, reason, False, detail or {})
    _append(session, [row])


def _actor(session: Session) -> Actor:
    actor = session.info.get("actor")
    if not isinstance(actor, Actor):
        # Refusing is the point: case data touched by nobody in particular is unaccountable.
        raise RuntimeError("case records touched in a session with no actor; use a transaction")
    return actor


def _young_person_of(session: Session, obj: Any) -> int | None:
    if isinstance(obj, YoungPerson):
        return obj.id
    if isinstance(obj, ConcernFactor | Mention):
        with session.no_autoflush:
            concern = session.get(Concern, obj.concern_id)
        return concern.young_person_id if concern else None
    value = getattr(obj, "young_person_id", None)
    return value if isinstance(value, int) else None


def _on_load(session: Session, obj: Any) -> None:
    if type(obj) in AUDITED:
        session.info.setdefault(_READS, []).append((obj, session.info.get("actor")))


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.dirty):
        if isinstance(obj, APPEND_ONLY) and session.is_modified(obj):
            raise AppendOnly(f"{AUDITED[type(obj)]} records cannot be changed; add an amendment")
    for obj in list(session.deleted):
        if type(obj) in AUDITED:
            raise AppendOnly(f"{AUDITED[type(obj)]} records cannot be deleted")
    for obj in list(session.new) + list(session.dirty):
        if type(obj) in AUDITED and (obj in session.new or session.is_modified(obj)):
            _actor(session)  # fail before anything is written


def _after_flush(session: Session, _context: Any) -> None:
    # The actor is taken now, not at commit: one unit of work may act for several
    # people in turn (the demo loader), and each write is theirs.
    actor = session.info.get("actor")
    writes: list[tuple[str, Any, Any]] = session.info.setdefault(_WRITES, [])
    for obj in session.new:
        if type(obj) in AUDITED:
            writes.append(("create", obj, actor))
    for obj in session.dirty:
        if type(obj) in AUDITED and session.is_modified(obj, include_collections=False):
            writes.append(("update", obj, actor))


def defer(session: Session) -> None:
    """Mark `session` as a reading unit's: its events are kept, not appended, until
    `take_events` hands them over to be appended by a short write of their own."""
    session.info[_DEFERRED] = []


def take_events(session: Session) -> list[dict[str, Any]]:
    """The events a deferred (reading) session has gathered, ready for `append_events`."""
    rows: list[dict[str, Any]] = session.info.pop(_DEFERRED, [])
    rows.extend(_pending(session))
    return rows


def append_events(session: Session, rows: list[dict[str, Any]]) -> None:
    """Append events gathered by a reading unit, in the writing unit `session`."""
    _append(session, rows)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the unit's events are appended once, when the unit commits
    if _DEFERRED in session.info:
        return  # a reading unit: its events are taken and appended by the caller
    _append(session, _pending(session))


def _pending(session: Session) -> list[dict[str, Any]]:
    """The events for what this unit has read and written so far (and forget them)."""
    writes: list[tuple[str, Any, Any]] = session.info.pop(_WRITES, [])
    loaded: list[tuple[Any, Any]] = session.info.pop(_READS, [])
    if not writes and not loaded:
        return []
    default = _actor(session)
    context: dict[int, tuple[str | None, bool]] = session.info.get(_CONTEXT, {})
    rows: list[dict[str, Any]] = []
    written: set[tuple[str, int]] = set()
    for action, obj, who in writes:
        actor = who if isinstance(who, Actor) else default
        kind = AUDITED[type(obj)]
        if (kind, obj.id) in written and action == "update":
            continue
        written.add((kind, obj.id))
        yp = _young_person_of(session, obj)
        reason, glass = context.get(yp, (None, False)) if yp is not None else (None, False)
        rows.append(_row(actor, action, kind, obj.id, yp, reason, glass, {}))
    rows.extend(_read_rows(session, loaded, written, context, default))
    return rows


def _read_rows(
    session: Session,
    loaded: list[tuple[Any, Any]],
    written: set[tuple[str, int]],
    context: dict[int, tuple[str | None, bool]],
    default: Actor,
) -> list[dict[str, Any]]:
    """One read event per reader and kind of record, naming every record read.

    A list page (a queue, a search) reads records of many young people at once: that
    is one event, whose detail names each young person (indexed in
    `audit_event_young_person`). A young person read with a stated reason (or by
    break-glass) keeps events of their own, so the reason stays beside the read.
    """
    #: (reader, kind, the young person when read with a reason, else None) -> ids read,
    #: and the young people they belong to.
    grouped: dict[tuple[Actor, str, int | None], tuple[list[str], set[int | None]]] = {}
    for obj, who in loaded:
        kind = AUDITED[type(obj)]
        if (kind, obj.id) in written:
            continue
        yp = _young_person_of(session, obj)
        reader = who if isinstance(who, Actor) else default
        own = yp if yp is not None and yp in context else None
        ids, people = grouped.setdefault((reader, kind, own), ([], set()))
        ids.append(str(obj.id))
        people.add(yp)
    rows: list[dict[str, Any]] = []
    for (actor, kind, _own), (ids, people) in grouped.items():
        unique = sorted(set(ids), key=lambda i: (len(i), i))
        named = sorted(p for p in people if p is not None)
        yp = named[0] if len(named) == 1 else None
        reason, glass = context.get(yp, (None, False)) if yp is not None else (None, False)
        first = unique[0] if len(unique) == 1 else None
        detail: dict[str, Any] = {} if first else {"ids": unique}
        if len(named) > 1:
            detail[YOUNG_PEOPLE] = named
        rows.append(_row(actor, "read", kind, first, yp, reason, glass, detail))
    return rows


def _after_rollback(session: Session) -> None:
    for key in (_WRITES, _READS, _HEAD):
        session.info.pop(key, None)


def _row(
    actor: Actor,
    action: str,
    record_type: str | None,
    record_id: str | int | None,
    young_person_id: int | None,
    reason: str | None,
    break_glass: bool,
    detail: dict[str, Any],
) -> dict[str, Any]:
    return {
        "at": utcnow(),
        "user_id": actor.user_id,
        "user_email": actor.email,
        "role": actor.role.value if actor.role else None,
        "action": action,
        "record_type": record_type,
        "record_id": None if record_id is None else str(record_id),
        "young_person_id": young_person_id,
        "reason": reason,
        "break_glass": break_glass,
        "detail": {**detail, "channel": actor.channel},
    }


def _append(session: Session, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    deferred = session.info.get(_DEFERRED)
    if deferred is not None:
        deferred.extend(rows)  # a reading unit: appended after it, by a write of its own
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CHAIN_LOCK})
    last = connection.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar()
    prev = last or GENESIS
    for row in rows:
        row["prev_hash"] = prev
        row["hash"] = event_hash(row)
        prev = row["hash"]
    # One statement for the unit's events (executemany): a list page reads dozens of
    # records, and building one INSERT per event cost more than the page's own queries.
    connection.execute(insert(AuditEvent), rows)
    # The head is this unit's own last event (the lock above, or SQLite's write lock,
    # keeps others out until commit); it is anchored once the commit succeeds.
    head_id = connection.execute(select(AuditEvent.id).where(AuditEvent.hash == prev)).scalar_one()
    session.info[_HEAD] = (head_id, prev)
    _index_young_people(connection, rows)


def _index_young_people(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Index the young people named by events that concern several."""
    naming = {
        row["hash"]: row["detail"][YOUNG_PEOPLE] for row in rows if YOUNG_PEOPLE in row["detail"]
    }
    if not naming:
        return
    ids = connection.execute(
        select(AuditEvent.hash, AuditEvent.id).where(AuditEvent.hash.in_(list(naming)))
    ).all()
    index = [
        {"event_id": event_id, "young_person_id": yp} for h, event_id in ids for yp in naming[h]
    ]
    connection.execute(insert(AuditEventYoungPerson), index)


#: The fields an event's hash covers: all of it except its own id and hash.
_HASHED = (
    "at",
    "user_id",
    "user_email",
    "role",
    "action",
    "record_type",
    "record_id",
    "young_person_id",
    "reason",
    "break_glass",
    "detail",
    "prev_hash",
)


def _canonical_time(moment: datetime) -> str:
    # SQLite returns naive datetimes and PostgreSQL aware ones: hash the UTC wall time.
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


def event_hash(row: dict[str, Any] | AuditEvent) -> str:
    """The hash of one event's content together with its predecessor's hash."""
    values = row if isinstance(row, dict) else {f: getattr(row, f) for f in _HASHED}
    content = {f: values.get(f) for f in _HASHED}
    content["at"] = _canonical_time(values["at"])
    content["break_glass"] = bool(values.get("break_glass"))
    blob = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def verify(session: Session, anchor: Anchor | None = None) -> VerifyResult:
    """Walk the chain in order; report the first event whose content or link is wrong, and
    (with `anchor`) any event the anchor file names that is missing or different."""
    try:
        anchored = anchor.read() if anchor is not None else {}
    except ValueError as e:
        return VerifyResult(False, 0, None, str(e))
    prev = GENESIS
    checked = 0
    found = 0
    indexed: dict[int, set[int]] = {}
    for event_id, yp in session.execute(
        select(AuditEventYoungPerson.event_id, AuditEventYoungPerson.young_person_id)
    ):
        indexed.setdefault(event_id, set()).add(yp)
    events: Iterable[AuditEvent] = session.scalars(
        select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=1000)
    )
    for ev in events:
        named = ev.detail.get(YOUNG_PEOPLE, []) if isinstance(ev.detail, dict) else []
        if indexed.pop(ev.id, set()) != set(named):
            return VerifyResult(
                False,
                checked,
                ev.id,
                f"event {ev.id}: the index of the young people it concerns was changed",
            )
        if ev.prev_hash != prev:
            return VerifyResult(
                False,
                checked,
                ev.id,
                f"event {ev.id} does not follow the event before it "
                "(an event was removed or moved)",
            )
        if event_hash(ev) != ev.hash:
            return VerifyResult(
                False, checked, ev.id, f"event {ev.id} was changed after it was recorded"
            )
        expected = anchored.get(ev.id)
        if expected is not None:
            if expected != ev.hash:
                return VerifyResult(
                    False,
                    checked,
                    ev.id,
                    f"event {ev.id} is not the event the anchor file recorded "
                    "(events were removed and others written in their place)",
                )
            found += 1
        prev = ev.hash
        checked += 1
    if found < len(anchored):
        seen = {i for i, _ in session.execute(select(AuditEvent.id, AuditEvent.hash))}
        gone = min(i for i in anchored if i not in seen)
        return VerifyResult(
            False,
            checked,
            gone,
            f"event {gone} recorded in the anchor file is missing (the newest events were removed)",
            found,
        )
    note = f", {found} anchored" if anchor is not None else ", no anchor file checked"
    if anchor is not None and not anchored and checked:
        note = f" (no anchor lines in {anchor.path}: removal of the newest events cannot be seen)"
    return VerifyResult(True, checked, None, f"audit trail intact: {checked} events{note}", found)


def list_events(
    session: Session,
    *,
    young_person_id: int | None = None,
    user_id: int | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> list[AuditEvent]:
    """Recent events, newest first, optionally for one young person or one user."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if young_person_id is not None:
        among = select(AuditEventYoungPerson.event_id).where(
            AuditEventYoungPerson.young_person_id == young_person_id
        )
        query = query.where(
            or_(AuditEvent.young_person_id == young_person_id, AuditEvent.id.in_(among))
        )
    if user_id is not None:
        query = query.where(AuditEvent.user_id == user_id)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return list(session.scalars(query))


__all__ = [
    "APPEND_ONLY",
    "AUDITED",
    "GENESIS",
    "YOUNG_PEOPLE",
    "AppendOnly",
    "VerifyResult",
    "append_events",
    "defer",
    "event_hash",
    "install",
    "list_events",
    "note_reason",
    "record",
    "take_events",
    "verify",
]
