"""Chat transcripts as evidence on a young person's record.

A transcript is uploaded in one of the shapes `lantern chat` reads (a JSONL line
of its contract, a chat app's `[date, time] Name: text` export, or CSV with
speaker and text columns), analysed with `lantern.text.chat`, and stored with
the SHA-256 of the bytes received, so it can later be shown to be unchanged.
A bad file is refused with a message naming the line, and nothing is saved.
The view shows each flagged message with its tactics and the running risk; a
concern raised from it starts with the factors the transcript suggests.
Storing and reading are audited by the mechanism (`Transcript` is a case record).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.knowledge import load_vocabulary
from lantern.services import access, young_people
from lantern.services.access import Permission
from lantern.services.context import Actor, Invalid, NotFound, Unavailable, as_utc, utcnow
from lantern.services.validation import FORBIDDEN_CHARACTERS, has_forbidden_characters
from lantern.store.models import Transcript, User

__all__ = [
    "MAX_MESSAGES",
    "MAX_TRANSCRIPT_BYTES",
    "ConcernStart",
    "MessageView",
    "Segment",
    "SuggestedFactor",
    "TacticView",
    "TranscriptFactors",
    "TranscriptFormat",
    "TranscriptList",
    "TranscriptSummary",
    "TranscriptView",
    "concern_start",
    "concern_text",
    "get_transcript",
    "highlight",
    "list_transcripts",
    "load_transcript_factors",
    "read_transcript",
    "upload_transcript",
]

#: Largest transcript accepted, in bytes. Under the web's whole-request limit
#: (1 MB), so an over-long file gets a message on the form rather than an error
#: page; a year of daily chat exported as text is well under it.
MAX_TRANSCRIPT_BYTES = 500_000
#: More messages than this is not one conversation a person brought.
MAX_MESSAGES = 5_000
#: Longest speaker name: a longer one means a column or a line was misread.
MAX_SPEAKER = 80
#: Longest file name kept (the column's width).
MAX_FILENAME = 255
#: Flagged messages quoted in a concern raised from a transcript; the rest are
#: counted. Enough to show the pattern without copying the whole chat.
MAX_QUOTED = 12
#: Longest quotation of one message's evidence in that concern.
MAX_QUOTE_CHARS = 200

FACTORS_FILE = Path(__file__).resolve().parent / "data" / "transcript_factors.yaml"


class TranscriptFormat(StrEnum):
    """The shapes a transcript may come in; `auto` goes by the file's name, then its content."""

    AUTO = "auto"
    JSONL = "jsonl"
    TEXT = "text"
    CSV = "csv"


_BY_SUFFIX = {
    ".jsonl": TranscriptFormat.JSONL,
    ".ndjson": TranscriptFormat.JSONL,
    ".json": TranscriptFormat.JSONL,
    ".txt": TranscriptFormat.TEXT,
    ".text": TranscriptFormat.TEXT,
    ".csv": TranscriptFormat.CSV,
}


class TranscriptFactors(BaseModel):
    """Which concern factors a transcript suggests (data: `transcript_factors.yaml`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    always: str
    tactics: dict[str, str]


@lru_cache(maxsize=2)
def load_transcript_factors(path: Path = FACTORS_FILE) -> TranscriptFactors:
    """Read the mapping and hold it to the vocabulary: every code must exist there."""
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    mapping = TranscriptFactors.model_validate(data)
    vocabulary = load_vocabulary()
    for factor in (mapping.always, *mapping.tactics.values()):
        if factor not in vocabulary.factors:
            raise ValueError(f"{path.name}: unknown factor {factor}")
    for tactic in mapping.tactics:
        if tactic not in vocabulary.tactics:
            raise ValueError(f"{path.name}: unknown tactic {tactic}")
    return mapping


# --- reading a file -------------------------------------------------------------------


def _file_error(message: str, line: int = 0) -> Invalid:
    return Invalid({"file": f"line {line}: {message}" if line else message})


def _decode(content: bytes) -> str:
    if not content.strip():
        raise _file_error("The file is empty")
    if len(content) > MAX_TRANSCRIPT_BYTES:
        raise _file_error(f"The file is larger than {MAX_TRANSCRIPT_BYTES // 1000} KB")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = content[: e.start].count(b"\n") + 1
        raise _file_error("is not UTF-8 text; save the transcript as UTF-8", line) from None
    for number, line_text in enumerate(text.splitlines(), start=1):
        if has_forbidden_characters(line_text):
            raise _file_error("contains control characters; this does not look like a chat", number)
    return text


def _format_of(filename: str, text: str, given: TranscriptFormat) -> TranscriptFormat:
    if given is not TranscriptFormat.AUTO:
        return given
    found = _BY_SUFFIX.get(PurePosixPath(filename).suffix.lower())
    if found is not None:
        return found
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.startswith("{"):
        return TranscriptFormat.JSONL
    if first.startswith("["):
        return TranscriptFormat.TEXT
    if "," in first:
        return TranscriptFormat.CSV
    raise _file_error(
        "Cannot tell what kind of transcript this is: choose JSONL, a text export or CSV"
    )


def _jsonl(text: str) -> Any:
    from lantern.text.chat import Conversation, Message

    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if len(lines) != 1:
        raise _file_error(f"Upload one conversation at a time (this file has {len(lines)} lines)")
    number, line = lines[0]
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise _file_error(f"not valid JSON ({e.msg})", number) from None
    if not isinstance(obj, dict):
        raise _file_error("expected a JSON object with 'id', 'child' and 'messages'", number)
    conversation_id, child, raw = obj.get("id"), obj.get("child"), obj.get("messages")
    if not isinstance(conversation_id, str | int) or not str(conversation_id).strip():
        raise _file_error("'id' must be a non-empty string", number)
    if not isinstance(child, str) or not child.strip():
        raise _file_error("'child' must be a non-empty string", number)
    if not isinstance(raw, list) or not raw:
        raise _file_error("'messages' must be a non-empty list of {speaker, text}", number)
    messages = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise _file_error(f"message {i} must be an object with 'speaker' and 'text'", number)
        speaker, body = item.get("speaker"), item.get("text")
        if not isinstance(speaker, str) or not speaker.strip():
            raise _file_error(f"message {i} 'speaker' must be a non-empty string", number)
        if not isinstance(body, str):
            raise _file_error(f"message {i} 'text' must be a string", number)
        # JSON escapes can carry what the raw line could not: check the decoded text too.
        if has_forbidden_characters(speaker) or has_forbidden_characters(body):
            raise _file_error(f"message {i} contains control characters", number)
        messages.append(Message(speaker, body))
    return Conversation(id=str(conversation_id), child=child, messages=tuple(messages))


def read_transcript(
    content: bytes,
    *,
    filename: str,
    child: str | None,
    fmt: TranscriptFormat = TranscriptFormat.AUTO,
) -> tuple[Any, TranscriptFormat, str]:
    """The one conversation in an uploaded file, its format and its decoded text.

    Raises `Invalid` (field `file` or `child`) with a message naming the line.
    """
    from lantern.text.chat import TranscriptError, parse_csv, parse_text_export

    text = _decode(content)
    found = _format_of(filename, text, fmt)
    name = PurePosixPath(filename).stem or "transcript"
    if found is TranscriptFormat.JSONL:
        conversation = _jsonl(text)
    else:
        who = (child or "").strip()
        if not who:
            raise Invalid({"child": "Enter the young person's name as it appears in the chat"})
        try:
            if found is TranscriptFormat.TEXT:
                conversation = parse_text_export(text.splitlines(), conversation_id=name, child=who)
            else:
                conversations = parse_csv(text, conversation_id=name, child=who)
                if len(conversations) != 1:
                    raise _file_error(
                        f"Upload one conversation at a time (this file holds {len(conversations)})"
                    )
                conversation = conversations[0]
        except TranscriptError as e:
            raise _file_error(e.message, e.line) from None
    if len(conversation.messages) > MAX_MESSAGES:
        raise _file_error(f"More than {MAX_MESSAGES} messages: upload one conversation")
    speakers = sorted({m.speaker for m in conversation.messages})
    if any(len(s) > MAX_SPEAKER for s in speakers):
        raise _file_error(f"A speaker's name is longer than {MAX_SPEAKER} characters")
    if conversation.child not in speakers:
        shown = ", ".join(speakers[:6])
        raise Invalid(
            {"child": f"“{conversation.child}” never writes in this chat (names in it: {shown})"}
        )
    return conversation, found, text


def _safe_filename(filename: str) -> str:
    # Only the last part of a path a browser might send, without control characters.
    base = PureWindowsPath(PurePosixPath(filename or "").name).name
    base = FORBIDDEN_CHARACTERS.sub("", base).strip()
    return (base or "transcript")[:MAX_FILENAME]


@lru_cache(maxsize=1)
def _lexicon() -> Any:
    # Compiling the chat patterns takes longer than analysing a long chat: once per process.
    from lantern.text.chat import load_lexicon

    return load_lexicon()


def _analysis(conversation: Any, fmt: TranscriptFormat, size: int) -> dict[str, Any]:
    from lantern.text.chat import ChatDataError, analyse

    try:
        lexicon = _lexicon()
    except ChatDataError as e:
        # A broken installation, not a bad file: say so, keep nothing, let it be retried.
        raise Unavailable(f"the chat analysis cannot run ({e}); nothing was saved") from None
    result = analyse(conversation, lexicon)
    return {
        "format": fmt.value,
        "child": conversation.child,
        "conversation_id": conversation.id,
        "size": size,
        "messages": [[m.speaker, m.text] for m in conversation.messages],
        "concern": result.concern,
        "score": round(result.score, 4),
        "first_alert": result.first_alert,
        "risk": [round(r, 4) for r in result.risk],
        "tactics": [
            {
                "message": t.message,
                "code": t.code,
                "evidence": t.evidence,
                "start": t.start,
                "end": t.end,
            }
            for t in result.tactics
        ],
        "reasons": [
            {"message": r.message, "speaker": r.speaker, "code": r.code, "why": r.why}
            for r in result.reasons
        ],
    }


def upload_transcript(
    *,
    session: Session,
    actor: Actor,
    young_person_id: int,
    filename: str,
    content: bytes,
    child: str | None,
    fmt: TranscriptFormat = TranscriptFormat.AUTO,
) -> int:
    """Read, analyse and store a transcript on a young person's record; its id.

    The person must be able to see the record and to record concerns. Nothing is
    stored unless the whole file reads cleanly.
    """
    young_people.open_record(
        session=session,
        actor=actor,
        young_person_id=young_person_id,
        permission=Permission.VIEW_YOUNG_PERSON,
    )
    access.require(actor, Permission.RECORD_CONCERN)
    conversation, found, text = read_transcript(content, filename=filename, child=child, fmt=fmt)
    if actor.user_id is None:
        raise Invalid({"file": "only a signed-in person can add a transcript"})
    record = Transcript(
        young_person_id=young_person_id,
        uploaded_by_id=actor.user_id,
        filename=_safe_filename(filename),
        sha256=hashlib.sha256(content).hexdigest(),
        content=text,
        analysis=_analysis(conversation, found, len(content)),
        created_at=utcnow(),
    )
    session.add(record)
    session.flush()
    return record.id


# --- views -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """Part of a message: plain, or the evidence of a tactic (its code)."""

    text: str
    code: str | None


@dataclass(frozen=True)
class TacticView:
    code: str
    title: str
    evidence: str


@dataclass(frozen=True)
class MessageView:
    index: int
    speaker: str
    from_child: bool
    segments: tuple[Segment, ...]
    tactics: tuple[TacticView, ...]
    risk: float
    first_alert: bool


@dataclass(frozen=True)
class TranscriptSummary:
    id: int
    filename: str
    sha256: str
    uploaded_at: datetime
    uploaded_by: str
    messages: int
    flagged: int
    concern: bool
    score: float


@dataclass(frozen=True)
class TranscriptList:
    young_person_id: int
    person_name: str
    reference: str
    transcripts: tuple[TranscriptSummary, ...]


@dataclass(frozen=True)
class TranscriptView:
    summary: TranscriptSummary
    young_person_id: int
    person_name: str
    reference: str
    child: str
    format: str
    size: int
    first_alert: int | None
    risk: tuple[float, ...]
    messages: tuple[MessageView, ...]
    tactic_counts: tuple[tuple[str, str, int], ...]  # code, title, messages
    reasons: tuple[str, ...]


def highlight(text: str, spans: list[tuple[int, int, str]]) -> tuple[Segment, ...]:
    """`text` cut into plain parts and evidence parts; overlapping spans are merged,
    the first code kept. Spans outside the text are clipped."""
    ordered = sorted(
        (max(0, s), min(len(text), e), c) for s, e, c in spans if min(len(text), e) > max(0, s)
    )
    merged: list[list[Any]] = []
    for start, end, code in ordered:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, code])
    parts: list[Segment] = []
    at = 0
    for start, end, code in merged:
        if start > at:
            parts.append(Segment(text[at:start], None))
        parts.append(Segment(text[start:end], code))
        at = end
    if at < len(text) or not parts:
        parts.append(Segment(text[at:], None))
    return tuple(parts)


def _summary(record: Transcript, uploaded_by: str) -> TranscriptSummary:
    analysis = record.analysis
    return TranscriptSummary(
        id=record.id,
        filename=record.filename,
        sha256=record.sha256,
        uploaded_at=as_utc(record.created_at),
        uploaded_by=uploaded_by,
        messages=len(analysis.get("messages", [])),
        flagged=len({int(t["message"]) for t in analysis.get("tactics", [])}),
        concern=bool(analysis.get("concern")),
        score=float(analysis.get("score", 0.0)),
    )


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(sorted(ids)))).all())


def list_transcripts(*, session: Session, actor: Actor, young_person_id: int) -> TranscriptList:
    """The transcripts on a young person's record, newest first."""
    person = young_people.open_record(
        session=session,
        actor=actor,
        young_person_id=young_person_id,
        permission=Permission.VIEW_YOUNG_PERSON,
    )
    records = list(
        session.scalars(
            select(Transcript)
            .where(Transcript.young_person_id == young_person_id)
            .order_by(Transcript.id.desc())
        )
    )
    names = _names(session, {r.uploaded_by_id for r in records})
    return TranscriptList(
        young_person_id=person.id,
        person_name=f"{person.first_name} {person.last_name}",
        reference=person.reference,
        transcripts=tuple(_summary(r, names.get(r.uploaded_by_id, "")) for r in records),
    )


def _open(
    session: Session, actor: Actor, transcript_id: int, permission: Permission
) -> tuple[Transcript, Any]:
    # The owner first, from the column alone: a refused person leaves no read of the transcript.
    owner = session.scalar(select(Transcript.young_person_id).where(Transcript.id == transcript_id))
    if owner is None:
        raise NotFound(f"no transcript {transcript_id}")
    person = young_people.open_record(
        session=session, actor=actor, young_person_id=owner, permission=permission
    )
    record = session.get(Transcript, transcript_id)
    if record is None:  # removed between the two reads
        raise NotFound(f"no transcript {transcript_id}")
    return record, person


def get_transcript(*, session: Session, actor: Actor, transcript_id: int) -> TranscriptView:
    """One transcript with its flagged messages highlighted and the risk after each message."""
    record, person = _open(session, actor, transcript_id, Permission.VIEW_YOUNG_PERSON)
    analysis = record.analysis
    titles = {code: t.title for code, t in load_vocabulary().tactics.items()}
    child = str(analysis.get("child", ""))
    risk = tuple(float(r) for r in analysis.get("risk", []))
    first_alert = analysis.get("first_alert")
    hits: dict[int, list[dict[str, Any]]] = {}
    for hit in analysis.get("tactics", []):
        hits.setdefault(int(hit["message"]), []).append(hit)
    messages = []
    counts: dict[str, int] = {}
    for index, (speaker, text) in enumerate(analysis.get("messages", [])):
        found = hits.get(index, [])
        for code in {h["code"] for h in found}:
            counts[code] = counts.get(code, 0) + 1
        messages.append(
            MessageView(
                index=index,
                speaker=str(speaker),
                from_child=speaker == child,
                segments=highlight(
                    str(text), [(int(h["start"]), int(h["end"]), str(h["code"])) for h in found]
                ),
                tactics=tuple(
                    TacticView(str(h["code"]), titles.get(h["code"], h["code"]), str(h["evidence"]))
                    for h in found
                ),
                risk=risk[index] if index < len(risk) else 0.0,
                first_alert=index == first_alert,
            )
        )
    names = _names(session, {record.uploaded_by_id})
    return TranscriptView(
        summary=_summary(record, names.get(record.uploaded_by_id, "")),
        young_person_id=person.id,
        person_name=f"{person.first_name} {person.last_name}",
        reference=person.reference,
        child=child,
        format=str(analysis.get("format", "")),
        size=int(analysis.get("size", 0)),
        first_alert=first_alert if isinstance(first_alert, int) else None,
        risk=risk,
        messages=tuple(messages),
        tactic_counts=tuple(
            (code, titles.get(code, code), n)
            for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        reasons=tuple(str(r.get("why", "")) for r in analysis.get("reasons", []) if r.get("why")),
    )


# --- raising a concern from a transcript -------------------------------------------------


@dataclass(frozen=True)
class SuggestedFactor:
    """A factor to offer on the concern form, with its evidence span in the concern's text."""

    code: str
    start: int
    end: int


@dataclass(frozen=True)
class ConcernStart:
    """What the concern form opens with when a concern is raised from a transcript."""

    young_person_id: int
    person_name: str
    reference: str
    observed_on: date
    text: str
    factors: tuple[SuggestedFactor, ...]


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_QUOTE_CHARS else flat[: MAX_QUOTE_CHARS - 1] + "…"


def concern_text(
    view: TranscriptView, mapping: TranscriptFactors | None = None
) -> tuple[str, tuple[SuggestedFactor, ...]]:
    """A factual note about the transcript, quoting the flagged messages, and the factors
    it suggests, each with the span of the note that shows it. Pure."""
    mapping = mapping or load_transcript_factors()
    flagged = [m for m in view.messages if m.tactics]
    senders = sorted({m.speaker for m in flagged})
    parts: list[str] = []
    spans: dict[str, tuple[int, int]] = {}

    def add(piece: str, code: str | None = None) -> None:
        start = sum(len(p) for p in parts)
        parts.append(piece)
        if code is not None and code not in spans:
            spans[code] = (start, start + len(piece))

    summary = view.summary
    add(
        f"Chat transcript “{summary.filename}” added to {view.person_name}'s record on "
        f"{summary.uploaded_at:%d %B %Y} (SHA-256 {summary.sha256}). "
    )
    if flagged:
        add(
            f"Lantern flagged {len(flagged)} of {summary.messages} messages "
            f"sent to {view.child} by "
        )
        add(", ".join(senders), mapping.always)
        add(".\n")
        for message in flagged[:MAX_QUOTED]:
            titles = ", ".join(dict.fromkeys(t.title.lower() for t in message.tactics))
            add(f"- Message {message.index + 1} ({message.speaker}, {titles}): “")
            evidence = _quote(message.tactics[0].evidence)
            for tactic in message.tactics:
                factor = mapping.tactics.get(tactic.code)
                if factor is not None and factor not in spans and tactic.evidence:
                    evidence = _quote(tactic.evidence)
                    add(evidence, factor)
                    break
            else:
                add(evidence)
            add("”\n")
        if len(flagged) > MAX_QUOTED:
            add(f"({len(flagged) - MAX_QUOTED} more flagged messages in the transcript.)\n")
    else:
        add("Lantern flagged no messages in it.\n")
    text = "".join(parts)
    factors = tuple(SuggestedFactor(code, s, e) for code, (s, e) in spans.items())
    return text, factors


def concern_start(*, session: Session, actor: Actor, transcript_id: int) -> ConcernStart:
    """The concern form's starting point for a concern raised from this transcript."""
    view = get_transcript(session=session, actor=actor, transcript_id=transcript_id)
    young_people.open_record(
        session=session,
        actor=actor,
        young_person_id=view.young_person_id,
        permission=Permission.RECORD_CONCERN,
    )
    text, factors = concern_text(view)
    return ConcernStart(
        young_person_id=view.young_person_id,
        person_name=view.person_name,
        reference=view.reference,
        observed_on=view.summary.uploaded_at.date(),
        text=text,
        factors=factors,
    )
