"""`lantern extract FILE`: factor suggestions and linking entities for case notes (JSONL)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from lantern.cli.jsonl import InputError, fail, read_jsonl, require_id, write_jsonl


def _subject_name(obj: dict[str, Any]) -> str | None:
    subject = obj.get("subject")
    if isinstance(subject, dict) and isinstance(subject.get("name"), str):
        return str(subject["name"])
    return None


def extract(
    file: Annotated[str, typer.Argument(help='JSONL of notes ({"id", "text"}), or - for stdin.')],
) -> None:
    """Suggest exploitation factors and linking entities in case notes.

    Each input line is {"id": ..., "text": ...} (other keys are ignored, except
    that subject.name, when present, keeps the young person out of `person`).
    A note must be non-empty text of at most 100,000 characters without control
    characters. Output: one line per note, in input order.
    """
    from lantern.text import NoteTextError, extract_note

    try:
        results = []
        for line, obj in read_jsonl(file):
            note_id = require_id(obj, line)
            if "text" not in obj:
                raise InputError("missing 'text'", line)
            try:
                found = extract_note(obj["text"], _subject_name(obj))
            except NoteTextError as e:
                raise InputError(str(e), line) from None
            results.append(
                {
                    "id": note_id,
                    "factors": [f.as_dict() for f in found.factors],
                    "entities": [e.as_dict() for e in found.entities],
                }
            )
    except InputError as e:
        fail("extract", e)
    write_jsonl(results)
