"""Reading people's names as records write them, for comparing across records.

Handles "SURNAME, Forename", initials ("A Morris", "J. Hall"), a forename on its
own ("Tom"), and short or pet forms ("Deano" for Dean, "Liz" for Elizabeth) via
the versioned lexicon in `data/forenames.yaml`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "FORENAMES_VERSION",
    "ParsedName",
    "canonical_forename",
    "forename_lexicon",
    "is_known_forename",
    "name_key",
    "parse_name",
]

_LEXICON_FILE = "forenames.yaml"
_TOKEN = re.compile(r"[a-z]+(?:['-][a-z]+)*")
# Titles carry no identity and would otherwise be read as forenames.
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "mx", "sir", "prof"})


@dataclass(frozen=True)
class ParsedName:
    """A name split into the parts records are compared on (all lower case)."""

    forename: str | None
    initial: str | None
    surname: str | None


@lru_cache(maxsize=1)
def _load() -> tuple[str, dict[str, str], frozenset[str]]:
    text = resources.files("lantern.linking").joinpath("data", _LEXICON_FILE).read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    to_canonical: dict[str, str] = {}
    for canonical, forms in data["forenames"].items():
        to_canonical[str(canonical)] = str(canonical)
        for form in forms or []:
            to_canonical.setdefault(str(form), str(canonical))
    return str(data["version"]), to_canonical, frozenset(to_canonical)


def forename_lexicon() -> dict[str, str]:
    """Every known form of a forename mapped to its canonical forename."""
    return dict(_load()[1])


FORENAMES_VERSION: str = _load()[0]


#: Distinct names kept parsed in memory: records repeat the same names many times,
#: so parsing each once makes preparing a million records several times faster.
NAME_CACHE_SIZE = 1 << 18


def _fold(text: str) -> str:
    if text.isascii():  # nearly every name; decomposing would change nothing
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(_fold(text)) if t not in _TITLES]


def name_key(text: str | None) -> str | None:
    """A name or nickname folded for exact comparison ('TEEKS' and 'Teeks' agree)."""
    if not text:
        return None
    key = " ".join(_tokens(text))
    return key or None


@lru_cache(maxsize=NAME_CACHE_SIZE)
def canonical_forename(forename: str | None) -> str | None:
    """The canonical form of a forename ('deano' -> 'dean'); unknown names are kept."""
    if not forename:
        return None
    folded = _fold(forename).strip()
    return _load()[1].get(folded, folded)


def is_known_forename(word: str | None) -> bool:
    """Whether a word is a forename or short form in the lexicon."""
    return bool(word) and _fold(word or "").strip() in _load()[2]


@lru_cache(maxsize=NAME_CACHE_SIZE)
def parse_name(full_name: str | None) -> ParsedName:
    """Split a name as written into forename, initial and surname.

    "ASHTON, Christian" and "Christian Ashton" give the same parts; "A Morris"
    gives only an initial; a single word is taken as a forename, since records
    that know only one name of an adult almost always know the first.
    """
    if not full_name or not full_name.strip():
        return ParsedName(None, None, None)
    text = full_name.strip()
    if "," in text:
        before, _, after = text.partition(",")
        surname_tokens, forename_tokens = _tokens(before), _tokens(after)
    else:
        tokens = _tokens(text)
        if len(tokens) <= 1:
            surname_tokens, forename_tokens = [], tokens
        else:
            surname_tokens, forename_tokens = tokens[-1:], tokens[:-1]
    surname = surname_tokens[-1] if surname_tokens else None
    if not forename_tokens:
        return ParsedName(None, None, surname)
    first = forename_tokens[0]
    if len(first) == 1:
        return ParsedName(None, first, surname)
    return ParsedName(first, first[0], surname)
