"""The knowledge models: look-ups by code, suggestions for typos, and immutability."""

from __future__ import annotations

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.knowledge import (
    Factor,
    GuidancePage,
    KnowledgeError,
    UnknownCodeError,
    Vocabulary,
    load_vocabulary,
)

_VOCAB = load_vocabulary()
_CODES = sorted(_VOCAB.factors)


def test_factor_returns_the_factor(vocab: Vocabulary) -> None:
    factor = vocab.factor("going_missing")
    assert isinstance(factor, Factor)
    assert factor.category == "vulnerability"


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("school_absense", "school_absence"),
        ("goingmissing", "going_missing"),
        ("older_associate", "older_associates"),
        ("sexual_image", "sexual_images"),
        ("threats_and_violence", "threats_or_violence"),
    ],
)
def test_unknown_code_suggests_the_nearest(vocab: Vocabulary, typed: str, suggestion: str) -> None:
    with pytest.raises(UnknownCodeError) as caught:
        vocab.factor(typed)
    assert caught.value.code == typed
    assert caught.value.suggestion == suggestion
    assert f"did you mean {suggestion!r}" in str(caught.value)


def test_unknown_code_without_a_near_match(vocab: Vocabulary) -> None:
    with pytest.raises(UnknownCodeError) as caught:
        vocab.factor("weather")
    assert caught.value.suggestion is None
    assert str(caught.value) == "unknown factor code 'weather'"


def test_unknown_code_error_is_a_knowledge_and_lookup_error(vocab: Vocabulary) -> None:
    with pytest.raises(KnowledgeError):
        vocab.factor("nope")
    with pytest.raises(LookupError):
        vocab.factor("nope")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Going missing", "going_missing"),
        ("going-missing", "going_missing"),
        ("  SCHOOL ABSENCE ", "school_absence"),
        ("Older friends or partners", "older_associates"),
        ("In care or leaving care", "in_care"),
        ("", None),
        ("   ", None),
        ("banana bread", None),
    ],
)
def test_nearest_code_accepts_titles_and_loose_spellings(
    vocab: Vocabulary, text: str, code: str | None
) -> None:
    assert vocab.nearest_code(text) == code


def test_tactic_lookup(vocab: Vocabulary) -> None:
    assert vocab.tactic("secrecy").code == "secrecy"
    with pytest.raises(UnknownCodeError) as caught:
        vocab.tactic("secracy")
    assert caught.value.suggestion == "secrecy"


@given(st.sampled_from(_CODES))
def test_every_code_is_its_own_nearest(code: str) -> None:
    assert _VOCAB.nearest_code(code) == code
    assert _VOCAB.nearest_code(code.upper().replace("_", " ")) == code


@given(st.sampled_from(_CODES), st.data())
def test_one_dropped_letter_is_corrected(code: str, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(code) - 1))
    typo = code[:index] + code[index + 1 :]
    if typo in _VOCAB.factors:
        return
    assert _VOCAB.nearest_code(typo) == code


@given(st.text(max_size=40))
def test_nearest_code_is_always_a_real_code_or_none(text: str) -> None:
    found = _VOCAB.nearest_code(text)
    assert found is None or found in _VOCAB.factors


def test_models_are_frozen(vocab: Vocabulary) -> None:
    factor = vocab.factor("school_absence")
    with pytest.raises(pydantic.ValidationError):
        factor.title = "changed"  # type: ignore[misc]


def test_models_reject_unknown_fields() -> None:
    with pytest.raises(pydantic.ValidationError):
        GuidancePage(slug="a", title="t", summary="s", order=1, body="b", colour="red")  # type: ignore[call-arg]


def test_sign_and_vulnerability_codes_partition_the_factors(vocab: Vocabulary) -> None:
    signs, vulns = set(vocab.sign_codes), set(vocab.vulnerability_codes)
    assert signs.isdisjoint(vulns)
    assert signs | vulns == set(vocab.factors)


def test_vocabulary_rejects_keys_that_disagree_with_codes(vocab: Vocabulary) -> None:
    factor = vocab.factor("going_missing")
    with pytest.raises(pydantic.ValidationError, match="does not match its code"):
        Vocabulary(version="x", factors={"homelessness": factor}, tactics={}, entity_types={})


def test_vocabulary_rejects_a_vulnerability_before_a_sign(vocab: Vocabulary) -> None:
    factors = {c: vocab.factor(c) for c in ("going_missing", "school_absence")}
    with pytest.raises(pydantic.ValidationError, match="every sign before"):
        Vocabulary(version="x", factors=factors, tactics={}, entity_types={})
