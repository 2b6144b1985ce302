"""Per-factor lexicons: the patterns that suggest each factor, read from `data/factors/*.yaml`.

Each factor's patterns are kept both joined (one regex, leftmost match first) and one
by one with the literal hints each needs, so the scanner can run only the patterns
that a sentence's words make possible and still find exactly what the joined regex
would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from lantern.text.hints import required_literal_sets
from lantern.text.resources import DataFileError, compile_pattern, expand, factor_files, load_yaml

#: Whose statement a factor is about. `young_person`: any other person as the doer
#: takes it out of scope. `associate`: the sign is a relationship with another
#: person (an older man, a driver), so only family, friends and peers take it out.
#: `household`: the factor is about the family's life (a parent's violence, a move),
#: so who does it does not matter.
Experiencer = Literal["young_person", "associate", "household"]
_EXPERIENCERS = ("young_person", "associate", "household")


@dataclass(frozen=True, slots=True)
class FactorLexicon:
    """One factor's compiled patterns, and the nearby wording that cancels them."""

    code: str
    experiencer: Experiencer
    suppress: re.Pattern[str] | None
    suppress_window: Literal["sentence", "note"]
    version: int
    #: Words that, standing just before a match in its sentence, make it not this factor:
    #: the doer or thing named is not one the factor covers ("her sister | works nights",
    #: "the dog | died"). Matched against the sentence up to the match, ending there.
    not_after: re.Pattern[str] | None = None
    #: The patterns one by one, in file order. The factor's matches are those of the
    #: patterns joined with | (leftmost first, the earlier pattern on a tie).
    alternatives: tuple[re.Pattern[str], ...] = ()
    #: For each alternative, up to `_HINT_SETS` sets of case-folded strings: its every match
    #: holds a string of each set (none known: the alternative is always tried).
    hints: tuple[tuple[frozenset[str], ...], ...] = ()


#: Hint sets kept per pattern, and the shortest string a set after the first may have.
#: The scanner finds all hint literals of a sentence at once (Aho-Corasick), so a
#: further set costs next to nothing to look for, and requiring "mum|dad|..." as well
#: as "her|his" rules out most sentences. Single characters (a digit, a comma) are in
#: nearly every sentence and would only add work; measured on the bench's notes, three
#: sets of two or more characters searched about half as many sentences as two of four.
_HINT_SETS = 3
_MIN_EXTRA_HINT_CHARS = 2

# Every factor pattern starts at the start of a word (or a quote or bracket before
# one). Saying so up front lets the regex engine reject the positions inside words
# with one cheap test instead of trying every alternative there.
_WORD_START = "(?<!\\w)(?:{})"


def _check(patterns: object, where: str) -> list[str]:
    if not isinstance(patterns, list) or not patterns:
        raise DataFileError(f"{where}: patterns must be a non-empty list of strings")
    if not all(isinstance(p, str) and p for p in patterns):
        raise DataFileError(f"{where}: patterns must be a non-empty list of strings")
    return list(patterns)


def _join(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _load(name: str) -> FactorLexicon:
    data = load_yaml("factors", name)
    code = data.get("code")
    if code != name.removesuffix(".yaml"):
        raise DataFileError(f"factors/{name}: code {code!r} does not match the file name")
    experiencer = data.get("experiencer", "young_person")
    if experiencer not in _EXPERIENCERS:
        raise DataFileError(f"factors/{name}: unknown experiencer {experiencer!r}")
    suppress = None
    window: Literal["sentence", "note"] = "sentence"
    if "suppress" in data:
        window = data["suppress"].get("window", "sentence")
        if window not in ("sentence", "note"):
            raise DataFileError(f"factors/{name}: suppress window must be sentence or note")
        listed = _check(data["suppress"].get("patterns"), f"factors/{name} suppress")
        suppress = compile_pattern(_join(listed))
    not_after = None
    if "not_after" in data:
        listed = _check(data["not_after"], f"factors/{name} not_after")
        not_after = compile_pattern(f"(?:{_join(listed)})\\s*$")
    patterns = _check(data.get("patterns"), f"factors/{name}")
    singles = [_WORD_START.format(p) for p in patterns]
    return FactorLexicon(
        code=code,
        experiencer=experiencer,
        suppress=suppress,
        suppress_window=window,
        version=int(data.get("version", 1)),
        not_after=not_after,
        alternatives=tuple(compile_pattern(p) for p in singles),
        hints=tuple(
            required_literal_sets(
                expand(p), limit=_HINT_SETS, min_extra_chars=_MIN_EXTRA_HINT_CHARS
            )
            for p in singles
        ),
    )


@lru_cache(maxsize=1)
def lexicons() -> tuple[FactorLexicon, ...]:
    """Every factor's lexicon, in code order."""
    return tuple(_load(name) for name in factor_files())
