"""Text analysis: case notes -> factor suggestions and linking entities, with evidence spans.

Pure functions over strings; lexicons and rules are versioned YAML in `data/`.
"""

from lantern.text.entities import find_entities
from lantern.text.factors import find_factors
from lantern.text.model import EntityMention, FactorSuggestion, NoteExtraction
from lantern.text.notes import MAX_NOTE_CHARS, NoteTextError, check_note_text, extract_note

__all__ = [
    "MAX_NOTE_CHARS",
    "EntityMention",
    "FactorSuggestion",
    "NoteExtraction",
    "NoteTextError",
    "check_note_text",
    "extract_note",
    "find_entities",
    "find_factors",
]
