"""Word-level helpers the guidance tests use to compare Lantern's text with the seed pages."""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n\s*\n|\n\s*[-*]\s+|\n#+\s+")


def words(text: str) -> list[str]:
    """Lower-case words, with typographic apostrophes made plain so "don’t" matches "don't"."""
    plain = text.lower().replace("’", "'").replace("‘", "'")
    return _WORD.findall(plain)


def sentences(text: str) -> list[str]:
    """Sentences, list items and headings, as separate pieces of text."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def ngrams(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def shared_run(a: str, b: str, n: int) -> tuple[str, ...] | None:
    """Some run of `n` consecutive words found in both texts, or None."""
    common = ngrams(words(a), n) & ngrams(words(b), n)
    return min(common) if common else None


def overlap(seed_sentence: str, candidates: Iterable[str], n: int = 3) -> tuple[float, str]:
    """The largest share of the seed sentence's word n-grams that one candidate sentence repeats."""
    seed = ngrams(words(seed_sentence), n)
    best = (0.0, "")
    if not seed:
        return best
    for candidate in candidates:
        share = len(seed & ngrams(words(candidate), n)) / len(seed)
        best = max(best, (share, candidate))
    return best


def contains(text: str, keyword: str) -> bool:
    """Whether text contains the keyword, or one of its "a|b" alternatives, ignoring case."""
    flat = " ".join(text.lower().replace("’", "'").split())
    return any(" ".join(alt.lower().split()) in flat for alt in keyword.split("|"))
