"""Reading one case note: the public entry point of the text layer."""

from __future__ import annotations

import re

from lantern.text.entities import find_entities
from lantern.text.factors import find_factors
from lantern.text.model import NoteExtraction
from lantern.text.persons import guess_subject

#: Longest note accepted, in characters. Case notes run to a few thousand
#: characters; far beyond that is a pasted document or the wrong field, and the
#: scope rules (which look back through each sentence) would slow right down.
MAX_NOTE_CHARS = 100_000


# C0 controls other than tab, line feed and carriage return; DEL and the C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class NoteTextError(ValueError):
    """The note text cannot be read as a case note (empty, too long, control characters)."""


def check_note_text(text: object) -> str:
    """Return `text` if it is a usable note, else raise NoteTextError saying why."""
    if not isinstance(text, str):
        raise NoteTextError("'text' must be a string")
    if not text.strip():
        raise NoteTextError("'text' is empty")
    if len(text) > MAX_NOTE_CHARS:
        raise NoteTextError(f"'text' is longer than {MAX_NOTE_CHARS:,} characters")
    bad = _CONTROL.search(text)
    if bad:
        code = ord(bad.group())
        raise NoteTextError(f"'text' holds a control character (U+{code:04X}) at {bad.start()}")
    return text


def extract_note(text: str, subject: str | None = None) -> NoteExtraction:
    """Factor suggestions and linking entities for one note.

    `subject` is the young person's name when known; it keeps them out of the
    `person` entities and out of other-person scope. Raises NoteTextError for
    text that is not a usable note.
    """
    check_note_text(text)
    if subject is None or not subject.strip():
        subject = guess_subject(text)
    entities = find_entities(text, subject)
    others = [e.value for e in entities if e.type == "person"]
    factors = find_factors(text, other_names=others, subject=subject)
    return NoteExtraction(factors=factors, entities=entities)
