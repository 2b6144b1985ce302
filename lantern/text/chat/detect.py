"""Finds candidate grooming tactics in one message from the packaged patterns.

A candidate is not yet a tactic: whether it counts depends on who is speaking
to the young person, which `relationship` and `analyse` decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lantern.text.chat.lexicon import Lexicon, TacticRule
from lantern.text.chat.normalise import Normalised, normalise

__all__ = ["Candidate", "find_candidates"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A pattern match for one tactic code in one message."""

    message: int
    code: str
    start: int
    end: int
    evidence: str
    rule: str
    strong: bool
    exempt: frozenset[str]


def _span(text: str, start: int, end: int) -> tuple[int, int]:
    # Evidence is shown to a professional: no leading or trailing spaces or commas.
    while start < end and text[start] in " \t,":
        start += 1
    while end > start and text[end - 1] in " \t,":
        end -= 1
    return start, end


def _better(new: Candidate, old: Candidate | None) -> bool:
    if old is None:
        return True
    return (new.strong, -len(new.exempt)) > (old.strong, -len(old.exempt))


def find_candidates(
    index: int,
    text: str,
    lexicon: Lexicon,
    recent_codes: Mapping[str, int],
    normalised: Normalised | None = None,
) -> list[Candidate]:
    """Candidates in message `index`, at most one per code (the strongest rule wins).

    `recent_codes` maps each tactic code this speaker has had a candidate for to
    the index of the last message it was in; rules with `after` need it.
    Patterns run on the message in standard spelling (`normalised`, computed
    here when not given); evidence is quoted from the original text.
    """
    norm = normalised if normalised is not None else normalise(text, lexicon.spellings)
    folded = norm.value
    if any(a.search_lower(folded) for a in lexicon.advice):
        # Advice about tactics ("if anyone asks you to keep a secret, tell an
        # adult") names them without using them.
        return []
    best: dict[str, Candidate] = {}
    # The probes hold case-folded literals; checking them first halves the
    # pattern searches, which are most of the analysis's time.
    probed = folded.casefold()
    # One pass for every rule's literals (lexicon.index) instead of a probe per
    # rule; the per-rule probe stays for a lexicon built without the index.
    possible = lexicon.index.possible(probed) if lexicon.index is not None else None
    for number, rule in enumerate(lexicon.rules):
        if not _applies(rule, index, recent_codes):
            continue
        if possible is not None:
            if number not in possible:
                continue
        elif rule.probe is not None and rule.probe.search(probed) is None:
            continue
        match = rule.pattern.search_lower(folded)
        if match is None or match.end() == match.start():
            continue
        if rule.unless is not None and rule.unless.search_lower(folded):
            continue
        start, end = _span(text, *norm.original_span(match.start(), match.end()))
        if start == end:
            continue
        candidate = Candidate(
            message=index,
            code=rule.code,
            start=start,
            end=end,
            evidence=text[start:end],
            rule=rule.id,
            strong=rule.strong,
            exempt=rule.exempt,
        )
        if _better(candidate, best.get(rule.code)):
            best[rule.code] = candidate
    return [best[code] for code in sorted(best, key=lambda c: best[c].start)]


def _applies(rule: TacticRule, index: int, recent_codes: Mapping[str, int]) -> bool:
    if rule.after is None:
        return True
    last = recent_codes.get(rule.after)
    return last is not None and index - last <= rule.within
