"""Splitting a note into sentences with character offsets, for scope rules to work within."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# A sentence ends at . ! ? (with any closing quote or bracket) before a space and
# a capital, digit or opening quote, or at a line break. Notes are full of
# abbreviations and dates, so a full stop before a lower-case word does not end one,
# except before a lone "i": young people's messages, quoted, write "I" that way.
# An initial or a title ("Mr D. Kane", "Dr. Shah") does not end a sentence.
_BOUNDARY = re.compile(
    r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)"
    r"[\"'’”)\]]*\s+(?=[A-Z0-9\"'‘“(]|i\s)|\n+"
)


@dataclass(frozen=True, slots=True)
class Sentences:
    """Sentence start offsets of one text, for finding the sentence around an offset."""

    text: str
    starts: tuple[int, ...]

    def bounds(self, offset: int) -> tuple[int, int]:
        """(start, end) of the sentence holding `offset`."""
        i = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[max(i, 0)]
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        return start, end


def split_sentences(text: str) -> Sentences:
    """Find where each sentence of `text` starts."""
    starts = [0]
    starts.extend(m.end() for m in _BOUNDARY.finditer(text) if m.end() < len(text))
    return Sentences(text, tuple(starts))
