"""Factor suggestions: lexicon matches that survive the scope rules, one per code.

Each sentence is read once (Aho-Corasick) for the literal hints of every lexicon
pattern, and then searched only with the patterns its hints allow, with the same
result as searching it with every factor's whole joined pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

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
    #: literal index -> the (lexicon, alternative) pairs with a single hint set that
    #: it meets: found, the alternative may match
    single: tuple[tuple[tuple[int, int], ...], ...]
    #: literal index -> (lexicon, alternative, bit of the hint set) for alternatives
    #: with more than one hint set, which may match only when every set is met
    several: tuple[tuple[tuple[int, int, int], ...], ...]
    #: (lexicon, alternative) -> the bits of all its hint sets: met together, it may match
    full: dict[tuple[int, int], int]
    #: per lexicon, the alternatives without hints (tried in every sentence)
    always: tuple[frozenset[int], ...]


@lru_cache(maxsize=1)
def _hint_index() -> _HintIndex:
    direct: dict[str, set[tuple[int, int, int]]] = {}
    full: dict[tuple[int, int], int] = {}
    always = []
    for li, lex in enumerate(lexicons()):
        unhinted = set()
        for ai, sets in enumerate(lex.hints):
            if not sets:
                unhinted.add(ai)
                continue
            full[(li, ai)] = (1 << len(sets)) - 1
            for bit, hints in enumerate(sets):
                for lit in hints:
                    direct.setdefault(lit, set()).add((li, ai, 1 << bit))
        always.append(frozenset(unhinted))
    literals = sorted(direct)
    single = tuple(
        tuple(sorted({(li, ai) for li, ai, _ in direct[lit] if full[(li, ai)] == 1}))
        for lit in literals
    )
    several = tuple(
        tuple(sorted(slot for slot in direct[lit] if full[(slot[0], slot[1])] != 1))
        for lit in literals
    )
    finder = AhoCorasick(literals) if literals else None
    return _HintIndex(finder, single, several, full, tuple(always))


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
    single, several, full = index.single, index.several, index.full
    for k in range(count):
        # One sentence at a time: a match inside it holds only literals inside it,
        # and each literal's owners are gathered once however often it occurs.
        met: dict[tuple[int, int], int] = {}
        for lit in {m[0] for m in find(folded[bounds[k] : bounds[k + 1]], overlapping=True)}:
            for li, ai in single[lit]:
                out.setdefault(li, {}).setdefault(k, set()).add(ai)
            for li, ai, bit in several[lit]:
                met[(li, ai)] = met.get((li, ai), 0) | bit
        for (li, ai), bits in met.items():
            if bits == full[(li, ai)]:
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
