"""`lantern chat FILE`: flag online grooming tactics in transcripts (contract in interfaces.md).

Besides the JSONL contract, reads a chat app's text export (`[date, time] Name: text`)
or a CSV with speaker and text columns; for those, `--child` names the young person.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from lantern.cli.jsonl import (
    InputError,
    decode_lines,
    fail,
    read_bytes,
    read_jsonl,
    require_id,
    write_jsonl,
)

if TYPE_CHECKING:
    from lantern.text.chat import Conversation

#: More messages than this in one conversation is not a transcript a person brought;
#: refusing it keeps one bad line from holding the machine for minutes.
MAX_MESSAGES = 100_000
#: Longest speaker name accepted in JSONL input, for the same reason.
MAX_NAME = 200


class Format(StrEnum):
    """Input shapes `lantern chat` reads."""

    auto = "auto"
    jsonl = "jsonl"
    text = "text"
    csv = "csv"


_BY_SUFFIX = {
    ".jsonl": Format.jsonl,
    ".json": Format.jsonl,
    ".ndjson": Format.jsonl,
    ".txt": Format.text,
    ".text": Format.text,
    ".csv": Format.csv,
}


def _format_of(file: str, given: Format) -> Format:
    if given is not Format.auto:
        return given
    if file == "-":
        return Format.jsonl
    found = _BY_SUFFIX.get(Path(file).suffix.lower())
    if found is None:
        raise typer.BadParameter(
            f"cannot tell the format of {file!r} from its name; use --format jsonl, text or csv",
            param_hint="--format",
        )
    return found


def _string(value: Any, what: str, line: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{what} must be a non-empty string", line)
    return value


def parse_conversation(obj: dict[str, Any], line: int) -> Conversation:
    """One JSONL input object as a Conversation, or InputError naming the line."""
    from lantern.text.chat import Conversation, Message

    conversation_id = require_id(obj, line)
    child = _string(obj.get("child"), "'child'", line)
    raw = obj.get("messages")
    if not isinstance(raw, list):
        raise InputError("'messages' must be a list of {speaker, text} objects", line)
    if len(raw) > MAX_MESSAGES:
        raise InputError(f"more than {MAX_MESSAGES} messages", line)
    messages = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InputError(f"message {i} must be an object with 'speaker' and 'text'", line)
        speaker = _string(item.get("speaker"), f"message {i} 'speaker'", line)
        text = item.get("text")
        if not isinstance(text, str):
            raise InputError(f"message {i} 'text' must be a string", line)
        if len(speaker) > MAX_NAME:
            raise InputError(f"message {i} 'speaker' is longer than {MAX_NAME} characters", line)
        messages.append(Message(speaker, text))
    return Conversation(id=conversation_id, child=child, messages=tuple(messages))


def _read_export(file: str, fmt: Format, child: str, conversation_id: str) -> list[Conversation]:
    from lantern.text.chat import TranscriptError, parse_csv, parse_text_export

    lines = decode_lines(read_bytes(file))
    try:
        if fmt is Format.text:
            found = [parse_text_export(lines, conversation_id=conversation_id, child=child)]
        else:
            found = parse_csv("\n".join(lines), conversation_id=conversation_id, child=child)
    except TranscriptError as e:
        raise InputError(e.message, e.line) from None
    for conversation in found:
        speakers = {m.speaker for m in conversation.messages}
        if child not in speakers:
            shown = ", ".join(sorted(speakers)[:5])
            raise InputError(
                f"--child {child!r} never speaks in {conversation.id} (speakers: {shown})"
            )
    return found


def chat(
    file: Annotated[
        str, typer.Argument(help="Transcripts: JSONL, a text export or CSV; - for JSONL on stdin.")
    ],
    input_format: Annotated[
        Format,
        typer.Option("--format", help="Input shape; 'auto' goes by the file name's extension."),
    ] = Format.auto,
    child: Annotated[
        str | None,
        typer.Option(help="The young person's name as it appears in a text or CSV transcript."),
    ] = None,
    conversation_id: Annotated[
        str | None,
        typer.Option("--id", help="Id for a text or CSV transcript (default: the file name)."),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(help="Add the running risk per message and the reasons for the score."),
    ] = False,
) -> None:
    """Flag grooming tactics message by message, score each conversation, and say how early
    the concern could have been raised."""
    from lantern.text.chat import ChatDataError, analyse, load_lexicon

    fmt = _format_of(file, input_format)
    if fmt is Format.jsonl and (child is not None or conversation_id is not None):
        raise typer.BadParameter(
            "--child and --id are for text and CSV transcripts; JSONL lines carry their own",
            param_hint="--child/--id",
        )
    if fmt is not Format.jsonl and not (child and child.strip()):
        raise typer.BadParameter(
            "a text or CSV transcript needs --child NAME (the young person's name in it)",
            param_hint="--child",
        )
    try:
        if fmt is Format.jsonl:
            conversations = [parse_conversation(obj, line) for line, obj in read_jsonl(file)]
        else:
            assert child is not None  # checked above; narrows the type for mypy
            name = conversation_id or ("stdin" if file == "-" else Path(file).stem)
            conversations = _read_export(file, fmt, child.strip(), name)
    except InputError as e:
        fail("chat", e)
    try:
        lexicon = load_lexicon()
    except ChatDataError as e:  # a broken installation, not bad input, but still one line
        fail("chat", f"cannot load the chat patterns: {e}")
    write_jsonl([analyse(c, lexicon).to_contract(explain=explain) for c in conversations])
