"""Reads transcripts in the shapes people bring them: chat-app text exports and CSV.

Text exports have one message per line, `[date, time] Name: text` (as messaging
apps write them), with long messages continued on the following lines. CSV
files have a header row with a speaker column and a text column, and may carry
a conversation column to hold several conversations. Anything else is refused
with a `TranscriptError` that names the line.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence

from lantern.text.chat.model import Conversation, Message

__all__ = ["TranscriptError", "parse_csv", "parse_text_export"]

#: `[21/11/2026, 19:04]`, `[2026-11-21, 7:04:12 pm]`: a date of digits with / . or -,
#: a comma, a time with optional seconds and am/pm.
_HEADER = re.compile(
    r"^\[(?P<date>\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}),?\s+"
    r"(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?)\]\s*"
    r"(?P<rest>.*)$"
)
_NAME_TEXT = re.compile(r"^(?P<name>[^:]{1,80}?):\s?(?P<text>.*)$")
#: Invisible direction marks that some apps put at the start of exported lines.
_INVISIBLE = "\u200e\u200f\u202a\u202b\u202c\ufeff"

_SPEAKER_COLUMNS = ("speaker", "sender", "from", "author", "name", "user", "username")
_TEXT_COLUMNS = ("text", "message", "body", "content", "msg")
_CONVERSATION_COLUMNS = ("conversation", "conversation_id", "chat", "chat_id", "thread")
#: Longest speaker name accepted: a longer one means a column or line was misread.
_MAX_NAME = 80


class TranscriptError(ValueError):
    """A transcript that cannot be read, with the 1-based line where the problem is."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


def _conversation(
    conversation_id: str, child: str, messages: list[Message], first_line: int
) -> Conversation:
    if not messages:
        raise TranscriptError("no messages found", first_line)
    return Conversation(id=conversation_id, child=child, messages=tuple(messages))


def parse_text_export(lines: Sequence[str], *, conversation_id: str, child: str) -> Conversation:
    """One conversation from `[date, time] Name: text` lines.

    Lines without a header continue the message before them. Header lines that
    are app notices (no `Name:` part, e.g. "Messages are end-to-end encrypted")
    are skipped.
    """
    messages: list[Message] = []
    first = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.strip(_INVISIBLE).rstrip()
        if not line.strip():
            continue
        header = _HEADER.match(line.lstrip())
        if header is None:
            if not messages:
                raise TranscriptError(
                    "expected a message line of the form '[date, time] Name: text'", number
                )
            last = messages[-1]
            messages[-1] = Message(last.speaker, f"{last.text}\n{line.strip()}")
            continue
        first = first or number
        named = _NAME_TEXT.match(header.group("rest").strip(_INVISIBLE))
        if named is None:
            continue
        name = named.group("name").strip(_INVISIBLE).strip()
        text = named.group("text").strip()
        if not name:
            raise TranscriptError("message has no sender name before ':'", number)
        if not text:
            continue
        messages.append(Message(name, text))
    return _conversation(conversation_id, child, messages, first or 1)


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def parse_csv(text: str, *, conversation_id: str, child: str) -> list[Conversation]:
    """Conversations from CSV with a header row naming speaker and text columns.

    With a conversation column, rows are grouped into one conversation per value
    (in order of first appearance, ids `<conversation_id>:<value>`); without one
    the whole file is one conversation called `conversation_id`.
    """
    reader = csv.reader(text.splitlines(), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        raise TranscriptError(f"not valid CSV ({e})", 1) from None
    if header is None or not any(h.strip() for h in header):
        raise TranscriptError("empty file: expected a header row with speaker and text columns", 1)
    speaker_col = _column(header, _SPEAKER_COLUMNS)
    text_col = _column(header, _TEXT_COLUMNS)
    if speaker_col is None or text_col is None:
        missing = "speaker" if speaker_col is None else "text"
        raise TranscriptError(
            f"header has no {missing} column (expected one of "
            f"{', '.join(_SPEAKER_COLUMNS if speaker_col is None else _TEXT_COLUMNS)})",
            1,
        )
    group_col = _column(header, _CONVERSATION_COLUMNS)
    groups: dict[str, list[Message]] = {}
    first_line: dict[str, int] = {}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise TranscriptError(f"not valid CSV ({e})", reader.line_num) from None
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise TranscriptError(
                f"expected {len(header)} columns as in the header, found {len(row)}", number
            )
        speaker = row[speaker_col].strip()
        body = row[text_col].strip()
        if not speaker:
            raise TranscriptError("empty speaker", number)
        if len(speaker) > _MAX_NAME:
            raise TranscriptError(f"speaker name longer than {_MAX_NAME} characters", number)
        if not body:
            raise TranscriptError("empty text", number)
        key = row[group_col].strip() if group_col is not None else ""
        if group_col is not None and not key:
            raise TranscriptError("empty conversation id", number)
        groups.setdefault(key, []).append(Message(speaker, body))
        first_line.setdefault(key, number)
    if not groups:
        raise TranscriptError("no messages found after the header row", 1)
    return [
        _conversation(f"{conversation_id}:{key}" if key else conversation_id, child, msgs, 1)
        for key, msgs in groups.items()
    ]
