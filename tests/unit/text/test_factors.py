"""The hint-gated factor scanner finds exactly what searching every sentence with each
factor's whole joined pattern finds (the plain, slow way), on notes in many styles."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.text import extract_note, factors
from lantern.text.factors import _first, _in_scope, _names_pattern, _trim, find_factors
from lantern.text.lexicon import lexicons
from lantern.text.model import FactorSuggestion
from lantern.text.segment import split_sentences
from tests.paths import DATA

HERE = Path(__file__).resolve().parent / "data"


def _texts() -> list[str]:
    paths = [
        HERE / f"{name}_notes.jsonl"
        for name in (
            "own",
            "heldout",
            "tune",
            "batch3",
            "batch4",
            "batch5",
            "batch6",
            "batch7",
            "batch8",
        )
    ]
    paths.append(DATA / "notes_dev.jsonl")
    out = []
    for path in paths:
        if path.exists():
            out += [json.loads(line)["text"] for line in path.read_text().splitlines() if line]
    return out


TEXTS = _texts()
JOINED = {
    lex.code: re.compile(
        "|".join(f"(?:{a.pattern})" for a in lex.alternatives), lex.alternatives[0].flags
    )
    for lex in lexicons()
}


def _reference(text: str) -> list[FactorSuggestion]:
    """The scanner without hints: every sentence, every factor's joined pattern."""
    sentences = split_sentences(text)
    bounds = [*sentences.starts, len(text)]
    found = []
    for lex in lexicons():
        note_suppress = lex.suppress if lex.suppress_window == "note" else None
        for s, e in itertools.pairwise(bounds):
            hit = next(
                (
                    m
                    for m in JOINED[lex.code].finditer(text, s, e)
                    if m.end() > m.start()
                    and not (note_suppress and note_suppress.search(text))
                    and _in_scope(text, sentences, lex, m, None, None)
                ),
                None,
            )
            if hit:
                start, end = _trim(text, *hit.span())
                found.append(FactorSuggestion(lex.code, start, end, text[start:end]))
                break
    return sorted(found, key=lambda f: (f.start, f.code))


@pytest.mark.parametrize("index", range(len(TEXTS)))
def test_same_as_joined_patterns_on_notes(index: int) -> None:
    text = TEXTS[index]
    assert find_factors(text) == _reference(text)


WORDS = sorted({w for t in TEXTS for w in re.findall(r"[\w'’]+|[.,;:!?()-]", t)} | {"ß", "İ", "K"})


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=60))
def test_same_as_joined_patterns_on_word_salad(words: list[str]) -> None:
    # Notes' own words in random order, with letters that change length when case-folded
    text = " ".join(words)
    assert find_factors(text) == _reference(text)


@pytest.mark.parametrize("skip", [0, 1, 2])
def test_first_steps_through_matches_like_finditer(skip: int) -> None:
    for lex in lexicons():
        joined = JOINED[lex.code]
        for text in TEXTS[:40]:
            expected = [m.span() for m in joined.finditer(text)]
            seen: list[tuple[int, int]] = []

            def accept(m: re.Match[str], seen: list[tuple[int, int]] = seen) -> bool:
                seen.append(m.span())
                return len(seen) > skip

            hit = _first(text, 0, len(text), list(lex.alternatives), accept)
            assert seen == expected[: skip + 1]
            assert (hit.span() if hit else None) == (
                expected[skip] if len(expected) > skip else None
            )


def test_names_pattern_is_cached_and_whole_words() -> None:
    pattern = _names_pattern(("Reece Smith", "Tia"))
    assert pattern is _names_pattern(("Reece Smith", "Tia"))
    assert pattern is not None
    assert pattern.search("then Reece left") and not pattern.search("Tiana")
    assert factors._names_pattern(()) is None


def test_every_matching_alternative_is_a_candidate_of_its_sentence() -> None:
    # the hint index may only ever rule out sentences where an alternative cannot match
    lexes = lexicons()
    for text in TEXTS[:60]:
        sentences = split_sentences(text)
        bounds = [*sentences.starts, len(text)]
        candidates = factors._candidates(text, sentences)
        for li, lex in enumerate(lexes):
            for k, (s, e) in enumerate(itertools.pairwise(bounds)):
                for ai, alternative in enumerate(lex.alternatives):
                    if alternative.search(text, s, e):
                        assert ai in candidates.get(li, {}).get(k, set()), (lex.code, text[s:e])


def test_further_hint_sets_rule_sentences_out() -> None:
    # "her" alone is not enough for a parent-as-doer pattern: the parent word is needed too
    text = "Staff spoke with her at school. Mum says dad hit her last night."
    sentences = split_sentences(text)
    candidates = factors._candidates(text, sentences)
    li, lex = next((i, x) for i, x in enumerate(lexicons()) if x.code == "adverse_experiences")
    gated = [
        ai
        for ai, sets in enumerate(lex.hints)
        if len(sets) > 1 and any("her" in hints for hints in sets)
    ]
    assert gated
    per = candidates.get(li, {})
    assert not set(gated) & per.get(0, set())
    assert set(gated) & per.get(1, set())
    assert any(f.code == "adverse_experiences" for f in find_factors(text))


def _codes(sentence: str) -> set[str]:
    return {f.code for f in extract_note(sentence, "Sam Test").factors}


# Issue 3 follow-up: general classes of false positive and miss, each in several wordings
# of my own, with the near-misses that must keep their factor. (sentence, code, expected)
KNOWN_ERRORS = [
    # a sibling's, friend's or partner's hours are not the parents' (time_poor_family)
    ("Her older sister works nights.", "time_poor_family", False),
    ("Sam's older brother works long shifts so is rarely in.", "time_poor_family", False),
    ("Her boyfriend is working evenings at the chip shop.", "time_poor_family", False),
    ("Dad, who is a lorry driver, works away most weeks.", "time_poor_family", True),
    ("Mum works nights and Sam is often home alone.", "time_poor_family", True),
    ("Her brother works away and dad works nights.", "time_poor_family", True),
    ("Her sister, who is her main carer, works nights.", "time_poor_family", True),
    # a pet's death is not the loss of someone significant (bereavement_loss)
    ("Her dog died last month and she was upset.", "bereavement_loss", False),
    ("Sam's cat passed away in the summer.", "bereavement_loss", False),
    ("Their family pet, Milo, died at the weekend.", "bereavement_loss", False),
    ("She is grieving for her rabbit.", "bereavement_loss", False),
    ("Since the death of his dog he has been quiet.", "bereavement_loss", False),
    ("Her nan died in March.", "bereavement_loss", True),
    ("Sam's dad passed away in the summer.", "bereavement_loss", True),
    ("Since the death of his grandad he has been quiet.", "bereavement_loss", True),
    ("Her dog died the week after her gran died.", "bereavement_loss", True),
    # a family housed in a hotel or B&B is homelessness, not an unknown address
    (
        "The family were placed in a B&B by the council after the eviction.",
        "parties_unknown_addresses",
        False,
    ),
    (
        "Mum and the children are staying at the Travelodge until housing find a flat.",
        "parties_unknown_addresses",
        False,
    ),
    (
        "Following their eviction they have been living in a hotel.",
        "parties_unknown_addresses",
        False,
    ),
    (
        "Sam is at the Premier Inn with his mum on an emergency basis.",
        "parties_unknown_addresses",
        False,
    ),
    ("The family have been placed at a B&B in town.", "in_care", False),
    ("The family were placed in a B&B by the council after the eviction.", "homelessness", True),
    ("Sam stayed at a hotel with an older man on Friday.", "parties_unknown_addresses", True),
    ("She was found at the Travelodge with two adult males.", "parties_unknown_addresses", True),
    ("Sam says he goes to a B&B with Dee at weekends.", "parties_unknown_addresses", True),
    ("She was placed at a children's home in Leeds.", "in_care", True),
    # supported lodgings is housing, not care in itself
    ("Sam now lives in supported lodgings.", "in_care", False),
    ("He moved into supported lodgings in June and is managing well.", "in_care", False),
    ("Sam is a care leaver living in supported lodgings.", "in_care", True),
    ("She has lived in supported lodgings since her foster placement ended.", "in_care", True),
    # CAMHS involvement names no condition; with a condition it does
    ("Sam is known to CAMHS.", "additional_needs", False),
    ("He has been open to CAMHS since last year.", "additional_needs", False),
    ("Referred to CAMHS by the GP in May.", "additional_needs", False),
    ("Sam is known to CAMHS for anxiety.", "additional_needs", True),
    ("She is under CAMHS due to an eating disorder.", "additional_needs", True),
    ("He has a diagnosis of anxiety.", "additional_needs", True),
    ("He has anxiety about his exams.", "additional_needs", False),
    # left as it is: factors.md lists anxiety under emotional_change as well
    ("He has a diagnosis of anxiety.", "emotional_change", True),
    # a food given up is a diet or belief, not a change of mood
    ("Sam has stopped eating meat.", "emotional_change", False),
    ("She is vegetarian and not eating meat or fish.", "emotional_change", False),
    ("He is not eating pork at the moment.", "emotional_change", False),
    ("Sam is not eating and has lost weight.", "emotional_change", True),
    ("She has stopped eating properly since the summer.", "emotional_change", True),
    # the negation is of the thing, not of the care setting that issued it
    ("It is not the phone issued by the children's home.", "in_care", True),
    ("It's not the phone that was given to her by her foster carer.", "in_care", True),
    ("The phone he had was not the one provided by the residential unit.", "in_care", True),
    ("Sam is not in care.", "in_care", False),
    ("She was not placed in foster care.", "in_care", False),
    ("She has not been given cannabis by older boys.", "substance_misuse", False),
    # keeping out of sight 'in case they see him' is a fear now, not a hypothetical
    ("He was scared to go out in case 'they' saw him.", "threats_or_violence", True),
    ("He would not go out in case 'they' saw him.", "threats_or_violence", True),
    ("She won't walk to school in case the lads see her.", "threats_or_violence", True),
    ("He stays at his nan's in case Dee finds him.", "threats_or_violence", True),
    ("Take a coat in case it rains.", "threats_or_violence", False),
    ("She keeps her phone off in case mum rings her.", "threats_or_violence", False),
    (
        "Advised mum to keep him in if he is worried in case they see him.",
        "threats_or_violence",
        False,
    ),
    # going off to another town with a named person is being taken to other areas
    ("He went to Manchester with Jay.", "transported_by_adults", True),
    ("Sam went to Leeds with Dee on Saturday.", "transported_by_adults", True),
    ("She has been going up to Birmingham with Kane at weekends.", "transported_by_adults", True),
    ("He travelled to London by train with Shorty.", "transported_by_adults", True),
    (
        "He went to Manchester with his mum and brother for the football.",
        "transported_by_adults",
        False,
    ),
    ("He went to Manchester with Mum for the football.", "transported_by_adults", False),
    ("She went to Tesco with Jade after school.", "transported_by_adults", False),
    ("He did not go to Leeds with Dee.", "transported_by_adults", False),
    # let into an address with a key, or holding a key to an adult's flat
    ("A boy of about 15 has been let in with a key.", "parties_unknown_addresses", True),
    ("She is let in with a key most evenings.", "parties_unknown_addresses", True),
    ("Sam has been given a key to Dee's flat.", "parties_unknown_addresses", True),
    ("She has a spare key for an older man's house.", "parties_unknown_addresses", True),
    ("She has a key to her mum's house.", "parties_unknown_addresses", False),
    ("He lets himself in with his own key after school.", "parties_unknown_addresses", False),
    ("She has a key to the flat.", "parties_unknown_addresses", False),
]


@pytest.mark.parametrize(("sentence", "code", "expected"), KNOWN_ERRORS)
def test_known_error_classes(sentence: str, code: str, expected: bool) -> None:
    assert (code in _codes(sentence)) is expected
