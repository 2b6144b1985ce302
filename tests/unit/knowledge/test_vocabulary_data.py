"""The shipped vocabulary.yaml, held to the shared specification (factors.md) in both directions."""

from __future__ import annotations

import re

import phonenumbers
import pytest

from lantern.knowledge import Vocabulary

from .conftest import Spec

#: Spec cells that mean "nothing excluded".
_NONE = {"—", "-", ""}


def test_version_is_set(vocab: Vocabulary) -> None:
    assert re.fullmatch(r"\d{4}\.\d+", vocab.version)


def test_sign_codes_match_spec_exactly_and_in_order(vocab: Vocabulary, spec: Spec) -> None:
    assert vocab.sign_codes == tuple(r.code for r in spec.signs)


def test_vulnerability_codes_match_spec_exactly_and_in_order(vocab: Vocabulary, spec: Spec) -> None:
    assert vocab.vulnerability_codes == tuple(r.code for r in spec.vulnerabilities)


def test_factor_categories_match_spec_both_ways(vocab: Vocabulary, spec: Spec) -> None:
    expected = {r.code: "sign" for r in spec.signs} | {
        r.code: "vulnerability" for r in spec.vulnerabilities
    }
    actual = {code: f.category for code, f in vocab.factors.items()}
    assert actual == expected
    assert list(vocab.factors) == [*vocab.sign_codes, *vocab.vulnerability_codes]


def test_tactic_codes_match_spec(vocab: Vocabulary, spec: Spec) -> None:
    assert tuple(vocab.tactics) == tuple(r.code for r in spec.tactics)


def test_entity_types_match_spec(vocab: Vocabulary, spec: Spec) -> None:
    assert tuple(vocab.entity_types) == tuple(r.code for r in spec.entities)


def test_not_this_present_exactly_where_spec_draws_a_line(vocab: Vocabulary, spec: Spec) -> None:
    for row in [*spec.signs, *spec.vulnerabilities]:
        excluded = row.cells[1] if len(row.cells) > 1 else ""
        factor = vocab.factor(row.code)
        if excluded in _NONE:
            assert factor.not_this is None, row.code
        else:
            assert factor.not_this, f"{row.code}: spec excludes {excluded!r}"
            # Where the spec points at another code, Lantern's wording points at the same one.
            for other in re.findall(r"`([a-z_]+)`", excluded):
                assert other in factor.not_this, row.code
                assert other in vocab.factors


@pytest.mark.parametrize("field", ["title", "description", "why_it_matters"])
def test_every_factor_has_the_text_field(vocab: Vocabulary, field: str) -> None:
    for factor in vocab.factors.values():
        value = getattr(factor, field)
        assert value.strip(), f"{factor.code}.{field} is empty"


def test_in_practice_has_three_to_six_distinct_examples(vocab: Vocabulary) -> None:
    for factor in vocab.factors.values():
        assert 3 <= len(factor.in_practice) <= 6, factor.code
        assert len(set(factor.in_practice)) == len(factor.in_practice), factor.code
        assert all(item.strip() for item in factor.in_practice), factor.code


def test_titles_are_short_and_unique(vocab: Vocabulary) -> None:
    titles = [f.title for f in vocab.factors.values()] + [t.title for t in vocab.tactics.values()]
    assert len({t.lower() for t in titles}) == len(titles)
    # A title is a label for forms and charts, not a sentence.
    assert all(len(t.split()) <= 8 for t in titles)


def test_why_it_matters_is_one_or_two_sentences(vocab: Vocabulary) -> None:
    for factor in vocab.factors.values():
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", factor.why_it_matters) if s]
        assert 1 <= len(sentences) <= 2, factor.code


def test_every_tactic_has_examples(vocab: Vocabulary) -> None:
    for tactic in vocab.tactics.values():
        assert tactic.title.strip() and tactic.description.strip()
        assert len(tactic.examples) >= 2, tactic.code


def test_phone_example_normalises_to_e164(vocab: Vocabulary) -> None:
    phone = vocab.entity_types["phone"]
    digits = re.search(r"0[\d ]{9,12}\d", phone.example_text)
    assert digits
    parsed = phonenumbers.parse(digits.group(0), "GB")
    assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == (
        phone.example_value
    )
    # Example data uses Ofcom's drama range only, never a number someone might own.
    assert phone.example_value.startswith("+447700900")


@pytest.mark.parametrize(
    ("kind", "pattern"),
    [
        ("vehicle", r"[A-Z]{2}\d{2}[A-Z]{3}"),
        ("postcode", r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}"),
        ("handle", r"[a-z0-9_.]+"),
        ("person", r"[^\"“”']+"),
    ],
)
def test_entity_examples_are_in_normal_form(vocab: Vocabulary, kind: str, pattern: str) -> None:
    entity = vocab.entity_types[kind]
    assert re.fullmatch(pattern, entity.example_value), entity.example_value


@pytest.mark.parametrize("kind", ["vehicle", "postcode", "handle", "person"])
def test_entity_example_value_comes_from_its_text(vocab: Vocabulary, kind: str) -> None:
    entity = vocab.entity_types[kind]
    squash = re.sub(r"[\s@]", "", entity.example_text).lower()
    assert re.sub(r"\s", "", entity.example_value).lower() in squash
