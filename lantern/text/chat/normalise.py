"""Rewrites a chat message into standard spelling before the tactic patterns run.

Young people and the adults who target them write "wud", "deleet", "dinnae",
"ah'll", "sooo", "any1". One pattern per spelling does not generalise; instead
each word is mapped to a standard form (data/normalise.yaml) and letters
stretched for emphasis are shortened, so a pattern written once in plain
English covers text-speak, typos and dialect. Every character of the rewritten
text remembers which part of the original it came from, so evidence is always
quoted from what was actually written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Normalised", "Spellings", "normalise"]

#: Typographic apostrophes and quotes become plain ones (one character for one).
_SAME_LENGTH_FOLDS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"'})
#: A word (letters and digits, with inner apostrophes: "ah'll", "d'ye"), or anything else.
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|\s+|.", re.DOTALL)
#: Three or more of one letter is stretching for emphasis ("sooo", "pleaseee").
_STRETCHED = re.compile(r"([a-z])\1{2,}")
#: Unicode categories of emoji and their joiners, skin tones and variation
#: selectors. They read as a space, so that "delete these 🤫" ends where
#: "delete these" does and "pretty😍send" is two words.
_PICTOGRAPHIC = frozenset(["So", "Sk", "Cf", "Mn", "Co", "Cs"])


@dataclass(frozen=True, slots=True)
class Spellings:
    """Word-for-word standard forms, and words that really have a doubled letter."""

    version: str
    words: dict[str, str]
    doubled: frozenset[str]


@dataclass(frozen=True, slots=True)
class Normalised:
    """A message in standard lower-case spelling, with the way back to the original.

    `starts[i]` and `ends[i]` bound the part of the original text that the
    rewritten character `i` came from (a whole word when the word was rewritten).
    """

    value: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the rewritten text's `start:end` (end exclusive, non-empty)."""
        return self.starts[start], self.ends[end - 1]


def _unstretch(word: str, spellings: Spellings) -> str:
    if not _STRETCHED.search(word):
        return word
    two = _STRETCHED.sub(r"\1\1", word)
    if two in spellings.words or two in spellings.doubled:
        return two
    return _STRETCHED.sub(r"\1", word)


def normalise(text: str, spellings: Spellings) -> Normalised:
    """`text` lower-cased, with each word in its standard spelling where one is known."""
    plain = text.translate(_SAME_LENGTH_FOLDS)
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _TOKEN.finditer(plain):
        token = match.group()
        low = token.lower()
        if len(low) != len(token):
            # A few characters change length when lower-cased; keep them as
            # written so that offsets stay exact.
            low = token
        a, b = match.start(), match.end()
        if low[0].isalnum():
            word = _unstretch(low, spellings)
            word = spellings.words.get(word, word)
        elif len(low) == 1 and unicodedata.category(low) in _PICTOGRAPHIC:
            word = " "
        else:
            word = low
        parts.append(word)
        if word == low:
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
        else:
            starts.extend([a] * len(word))
            ends.extend([b] * len(word))
    value = "".join(parts)
    # Patterns that end at the end of the message ("delete these too yeah$")
    # must not fail on the spaces an emoji at the end became.
    kept = len(value.rstrip())
    return Normalised(value[:kept], tuple(starts[:kept]), tuple(ends[:kept]))
