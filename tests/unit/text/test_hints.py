"""Literal hints: every match of a pattern holds one of its hints; the finder sees them all."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.text.hints import (
    Gated,
    hint_probe,
    possible,
    required_literal_sets,
    required_literals,
)


@pytest.mark.parametrize(
    ("pattern", "hints"),
    [
        (r"\bwent missing\b", {"went missing"}),
        (r"\b(?:ran|run) away\b", {"ran away", "run away"}),
        (r"\bsmok(?:ing|es|ed)\b", {"smoking", "smokes", "smoked"}),
        # an optional piece: both spellings, and the longer one is dropped for the shorter
        (r"\bself[- ]?harm", {"self-harm", "self harm", "selfharm"}),
        # the more selective of two required pieces is kept
        (r"\b(?:a|the) \w+ flat\b", {" flat"}),
        # case is folded; a case-sensitive part is folded too
        (r"(?-i:\bMISPER\b)", {"misper"}),
        (r"\bIRO\b", {"iro"}),
        # the one fixed character among classes
        (r"\d{2}:\d{2}", {":"}),
        (r"(?:a|\w)x", {"x"}),
    ],
)
def test_required_literals(pattern: str, hints: set[str]) -> None:
    assert required_literals(pattern) == hints


@pytest.mark.parametrize("pattern", [r"\w+", r"[^.]{3}", "(?:x)?", r"(?:ab|\w+)c?"])
def test_no_hints_when_nothing_is_required(pattern: str) -> None:
    assert required_literals(pattern) is None


def test_bad_pattern_has_no_hints() -> None:
    assert required_literals("(unclosed") is None


PATTERNS = [
    r"\b(?:taken|driven|picked up) (?:\w+ ){0,2}by (?:an? |the )?(?:man|male|driver)\b",
    r"\bmood (?:has been |is |was )*(?:low|flat|down)\b",
    r"\b(?:he|she)(?: is| was|'s|s) ['‘]?(?:about |around )?(?:1[89]|[2-9]\d)\b",
    r"\b\d+ (?:mins?|minutes|hours?) late\b",
    r"(?:ABC|x{1,3}y|[’']s (?:flat|house))",
]


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_generated_match_holds_a_hint(pattern: str, data: st.DataObject) -> None:
    hints = required_literals(pattern)
    assert hints
    text = data.draw(st.from_regex(re.compile(pattern, re.IGNORECASE), fullmatch=False))
    m = re.search(pattern, text, re.IGNORECASE)
    assert m is not None
    assert any(h in m.group().casefold() for h in hints), (m.group(), hints)


@given(
    st.lists(st.text(alphabet="abc ’", min_size=1, max_size=4), min_size=1, max_size=6),
    st.text(alphabet="abc ’", max_size=30),
)
def test_hint_probe_says_what_possible_says(literals: list[str], text: str) -> None:
    hints = frozenset(literals)
    probe = hint_probe(hints)
    assert probe is not None
    assert (probe.search(text) is not None) == possible(hints, text)


def test_hint_probe_of_no_hints_is_none() -> None:
    assert hint_probe(None) is None
    assert hint_probe(frozenset()) is None


def test_possible_and_gated() -> None:
    assert possible(None, "anything")
    assert possible(frozenset(["miss"]), "went missing")
    assert not possible(frozenset(["miss"]), "came home")
    gated = Gated.of(re.compile(r"\bwent missing\b", re.IGNORECASE))
    assert gated.search("She WENT MISSING") is not None
    assert gated.search("She came home") is None
    assert list(gated.finditer("nothing here")) == []


def test_two_sets_when_two_pieces_are_required() -> None:
    sets = required_literal_sets(r"\b(?:back|home) (?:\w+ ){0,3}in the early hours\b")
    assert sets == (frozenset(["in the early hours"]), frozenset(["back ", "home "]))


def test_short_common_strings_are_no_second_set() -> None:
    sets = required_literal_sets(r"\bmissing (?:\w+ )?in\b")
    assert sets == (frozenset(["missing "]),)


def test_no_sets_when_nothing_is_required() -> None:
    assert required_literal_sets(r"\w+ \d+") == ()


def test_short_further_sets_when_asked() -> None:
    pattern = r"\b(?:mum|dad) \w+ (?:slaps|hits) \w+ (?:her|him)\b"
    best = frozenset([" hits ", " slaps "])
    # by default the three-letter pieces are thought too common to be worth a set
    assert required_literal_sets(pattern) == (best,)
    sets = required_literal_sets(pattern, limit=3, min_extra_chars=2)
    assert sets[0] == best
    assert set(sets[1:]) == {frozenset(["mum ", "dad "]), frozenset([" her", " him"])}
    assert required_literal_sets(pattern, limit=2, min_extra_chars=2)[:1] == (best,)
