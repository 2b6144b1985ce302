"""The results of reading a case note: factor suggestions and linking entities, with offsets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FactorSuggestion:
    """A factor the note appears to show, with the words that show it (`text[start:end]`)."""

    code: str
    start: int
    end: int
    evidence: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "start": self.start, "end": self.end, "evidence": self.evidence}


@dataclass(frozen=True, slots=True)
class EntityMention:
    """A phone, vehicle, postcode, handle or person named in the note, normalised."""

    type: str
    value: str
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "value": self.value, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class NoteExtraction:
    """Everything suggested for one note, each code and each (type, value) at most once."""

    factors: list[FactorSuggestion] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
