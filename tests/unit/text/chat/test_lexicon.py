"""The chat data files load, and hold to the vocabulary's tactic codes."""

from __future__ import annotations

import re

import pytest

from lantern.knowledge import load_vocabulary
from lantern.text.chat import TACTIC_CODES, ChatDataError, load_lexicon
from lantern.text.chat import lexicon as lexicon_module
from tests.paths import SHARED


def test_codes_match_the_knowledge_base() -> None:
    assert set(TACTIC_CODES) == set(load_vocabulary().tactics)


def test_codes_match_the_shared_specification() -> None:
    text = (SHARED / "spec" / "factors.md").read_text(encoding="utf-8")
    section = text.split("## Online grooming tactics", 1)[1]
    spec_codes = set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE))
    assert spec_codes == set(TACTIC_CODES)


def test_every_code_has_rules_and_a_weight() -> None:
    lex = load_lexicon()
    assert {r.code for r in lex.rules} == set(TACTIC_CODES)
    assert set(lex.risk.weights) == set(TACTIC_CODES)
    assert all(w > 0 for w in lex.risk.weights.values())
    assert 0 < lex.risk.threshold < 1
    assert lex.version


def test_rule_ids_are_unique_per_code() -> None:
    ids = [(r.code, r.id) for r in load_lexicon().rules]
    assert len(ids) == len(set(ids))


def test_unknown_code_is_refused() -> None:
    with pytest.raises(ChatDataError, match="unknown tactic code"):
        lexicon_module._rules({"tactics": {"bribery": [{"id": "x", "strength": "weak"}]}}, {})


def test_bad_pattern_is_refused_with_its_place() -> None:
    bad = {"tactics": {"secrecy": [{"id": "x", "strength": "weak", "pattern": "(unclosed"}]}}
    with pytest.raises(ChatDataError, match=r"secrecy\.x: bad pattern"):
        lexicon_module._rules(bad, {})


def test_unknown_macro_is_refused() -> None:
    bad = {"tactics": {"secrecy": [{"id": "x", "strength": "weak", "pattern": "{nope}"}]}}
    with pytest.raises(ChatDataError, match="unknown macro"):
        lexicon_module._rules(bad, {})


def test_unknown_strength_and_role_are_refused() -> None:
    with pytest.raises(ChatDataError, match="strength"):
        lexicon_module._rules(
            {"tactics": {"secrecy": [{"id": "x", "strength": "huge", "pattern": "a"}]}}, {}
        )
    with pytest.raises(ChatDataError, match="exempt"):
        lexicon_module._rules(
            {
                "tactics": {
                    "secrecy": [{"id": "x", "strength": "weak", "pattern": "a", "exempt": ["pope"]}]
                }
            },
            {},
        )


def test_optional_space_may_be_absent() -> None:
    pattern = lexicon_module._compile("grown ?up", {}, "t")
    fold = lexicon_module.fold
    assert pattern.search(fold("so grownup")) and pattern.search(fold("So Grown   Up"))


def test_patterns_must_be_lower_case() -> None:
    with pytest.raises(ChatDataError, match="lower case"):
        lexicon_module._compile("Mum", {}, "t")
    assert lexicon_module._compile(r"\W\S", {}, "t")


def test_folding_keeps_offsets_and_falls_back_when_it_cannot() -> None:
    assert lexicon_module.fold("Don\u2019t TELL").value == "don't tell"
    odd = lexicon_module.fold("\u0130stanbul")  # lower-cases to two characters
    assert not odd.lowered and len(odd.value) == len("\u0130stanbul")
    assert lexicon_module._compile("stanbul", {}, "t").search(odd)
