"""Factor suggestions: lexicon matches that survive the scope rules, one per code."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from lantern.text import scope
from lantern.text.lexicon import FactorLexicon, lexicons
from lantern.text.model import FactorSuggestion
from lantern.text.segment import Sentences, split_sentences


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
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
    if lex.suppress is not None:
        where = text[sentence[0] : sentence[1]] if lex.suppress_window == "sentence" else text
        if lex.suppress.search(where):
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


def find_factors(
    text: str, *, other_names: Iterable[str] = (), subject: str | None = None
) -> list[FactorSuggestion]:
    """Factor codes the note shows for its young person, each with its evidence span.

    `other_names` are people found in the note (so "Reece got slapped" is Reece's),
    `subject` the young person's name (which brings a statement back to them).
    """
    sentences = split_sentences(text)
    others = _names_pattern(other_names)
    subject_re = _names_pattern([subject]) if subject else None
    found = []
    bounds = [*sentences.starts, len(text)]
    pieces = [(s, e, text[s:e].lower()) for s, e in itertools.pairwise(bounds)]
    for lex in lexicons():
        # only the sentences holding one of the factor's hints are searched
        for s, e, lowered in pieces:
            if not lex.may_match(lowered):
                continue
            hit = next(
                (
                    m
                    for m in lex.pattern.finditer(text, s, e)
                    if m.end() > m.start()
                    and _in_scope(text, sentences, lex, m, others, subject_re)
                ),
                None,
            )
            if hit:
                start, end = _trim(text, *hit.span())
                found.append(FactorSuggestion(lex.code, start, end, text[start:end]))
                break
    found.sort(key=lambda f: (f.start, f.code))
    return found
