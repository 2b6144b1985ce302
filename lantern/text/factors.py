"""Factor suggestions: lexicon matches that survive the scope rules, one per code.

Each sentence is read once (Aho-Corasick) for the literal hints of every lexicon
pattern, and then searched only with the patterns its hints allow, with the same
result as searching it with every factor's whole joined pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import or_

from ahocorasick_rs import AhoCorasick

from lantern.text import scope
from lantern.text.lexicon import FactorLexicon, lexicons
from lantern.text.model import FactorSuggestion
from lantern.text.segment import Sentences, split_sentences


@lru_cache(maxsize=256)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    words = sorted(
        {w for n in names for w in re.findall(r"[A-Za-z][\w-]+", n)}, key=len, reverse=True
    )
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


def _in_scope(
    text: str,
    sentences: Sentences,
    lex: FactorLexicon,
    m: re.Match[str],
    others: re.Pattern[str] | None,
    subject: re.Pattern[str] | None,
) -> bool:
    start, end = m.span()
    sentence = sentences.bounds(start)
    suppress = lex.suppress if lex.suppress_window == "sentence" else None
    if suppress is not None and suppress.search(text, sentence[0], sentence[1]):
        return False
    if lex.not_after is not None and lex.not_after.search(text, sentence[0], start):
        return False
    return not (
        scope.negated(text, sentence, start, end)
        or scope.hypothetical(text, sentence, start, end)
        or scope.topic_only(text, sentence, start)
        or scope.other_person(text, sentence, start, end, lex.experiencer, others, subject)
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop spaces and stray punctuation at the edges, so evidence is the words themselves."""
    while start < end and text[start] in " \t\n,;:(":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:(":
        end -= 1
    return start, end


@dataclass(frozen=True, slots=True)
class _HintIndex:
    """Every lexicon alternative's hints, gathered so one pass over a sentence finds them all."""

    #: finds every occurrence of every hint literal (overlapping ones too), by index
    finder: AhoCorasick | None
    #: literal index -> (lexicon, alternative, further sets) for each alternative whose
    #: first (most selective) hint set holds the literal; `further` has a bit for each
    #: of its other hint sets, all of which must be met too
    first: tuple[tuple[tuple[int, int, int], ...], ...]
    #: literal index -> the bits of the further hint sets that the literal meets
    meets: tuple[int, ...]
    #: per lexicon, the alternatives without hints (tried in every sentence)
    always: tuple[frozenset[int], ...]


@lru_cache(maxsize=1)
def _hint_index() -> _HintIndex:
    first: dict[str, set[tuple[int, int, int]]] = {}
    meets: dict[str, int] = {}
    bits: dict[frozenset[str], int] = {}  # each distinct further set's bit
    always = []
    for li, lex in enumerate(lexicons()):
        unhinted = set()
        for ai, sets in enumerate(lex.hints):
            if not sets:
                unhinted.add(ai)
                continue
            further = 0
            for hints in sets[1:]:
                bit = bits.setdefault(hints, 1 << len(bits))
                further |= bit
                for lit in hints:
                    meets[lit] = meets.get(lit, 0) | bit
            for lit in sets[0]:
                first.setdefault(lit, set()).add((li, ai, further))
        always.append(frozenset(unhinted))
    literals = sorted(first.keys() | meets.keys())
    finder = AhoCorasick(literals) if literals else None
    return _HintIndex(
        finder,
        tuple(tuple(sorted(first.get(lit, ()))) for lit in literals),
        tuple(meets.get(lit, 0) for lit in literals),
        tuple(always),
    )


def _candidates(text: str, sentences: Sentences) -> dict[int, dict[int, set[int]]]:
    """lexicon -> sentence -> the alternatives whose hints that sentence holds."""
    index = _hint_index()
    n_lex = len(index.always)
    count = len(sentences.starts)
    out: dict[int, dict[int, set[int]]] = {}
    folded = text.casefold()
    if index.finder is None or len(folded) != len(text):
        # case folding moved the offsets (a rare letter such as "ß"): try everything
        for li, lex in enumerate(lexicons()):
            out[li] = {k: set(range(len(lex.alternatives))) for k in range(count)}
        return out
    bounds = [*sentences.starts, len(text)]
    find = index.finder.find_matches_as_indexes
    first, meets = index.first, index.meets
    for k in range(count):
        # One sentence at a time: a match inside it holds only literals inside it.
        found = {m[0] for m in find(folded[bounds[k] : bounds[k + 1]], overlapping=True)}
        met = reduce(or_, map(meets.__getitem__, found), 0)
        for lit in found:
            for li, ai, further in first[lit]:
                if met & further == further:
                    out.setdefault(li, {}).setdefault(k, set()).add(ai)
    for li in range(n_lex):
        if index.always[li]:
            per = out.setdefault(li, {})
            for k in range(count):
                per.setdefault(k, set()).update(index.always[li])
    return out


def _first(
    text: str,
    start: int,
    end: int,
    patterns: list[re.Pattern[str]],
    accept: Callable[[re.Match[str]], bool],
) -> re.Match[str] | None:
    """The first match that `accept`s, as joining `patterns` (in order) with | and
    running `finditer` over text[start:end] would give, found one pattern at a time."""
    pending = [p.search(text, start, end) for p in patterns]
    pos = start
    while True:
        best: re.Match[str] | None = None
        for i, m in enumerate(pending):
            if m is not None and m.start() < pos:
                # leftmost match at or after pos: a cached one still is, unless passed
                m = pending[i] = patterns[i].search(text, pos, end)
            if m is not None and (best is None or m.start() < best.start()):
                best = m  # on a tie the earlier pattern wins, as in an alternation
        if best is None:
            return None
        if best.end() > best.start() and accept(best):
            return best
        pos = max(best.end(), best.start() + 1)


def find_factors(
    text: str, *, other_names: Iterable[str] = (), subject: str | None = None
) -> list[FactorSuggestion]:
    """Factor codes the note shows for its young person, each with its evidence span.

    `other_names` are people found in the note (so "Reece got slapped" is Reece's),
    `subject` the young person's name (which brings a statement back to them).
    """
    sentences = split_sentences(text)
    others = _names_pattern(tuple(other_names))
    subject_re = _names_pattern((subject,)) if subject else None
    bounds = [*sentences.starts, len(text)]
    found = []
    candidates = _candidates(text, sentences)
    for li, lex in enumerate(lexicons()):
        per_sentence = candidates.get(li)
        if not per_sentence:
            continue
        if lex.suppress is not None and lex.suppress_window == "note" and lex.suppress.search(text):
            continue

        def accept(m: re.Match[str], lex: FactorLexicon = lex) -> bool:
            return _in_scope(text, sentences, lex, m, others, subject_re)

        for k in sorted(per_sentence):
            patterns = [lex.alternatives[a] for a in sorted(per_sentence[k])]
            hit = _first(text, bounds[k], bounds[k + 1], patterns, accept)
            if hit:
                start, end = _trim(text, *hit.span())
                found.append(FactorSuggestion(lex.code, start, end, text[start:end]))
                break
    found.sort(key=lambda f: (f.start, f.code))
    return found
