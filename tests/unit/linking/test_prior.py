"""The prior's rule recall, estimated from coverage and trained m without labels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.linking.model import PRIOR_RULE_FIELDS
from lantern.linking.prior import MIN_RULE_RECALL, estimated_rule_recall, exact_agreement_m


def test_single_rule_is_the_product_of_its_fields() -> None:
    chance = {"surname": 0.5, "phone": 0.4}
    assert estimated_rule_recall([("surname", "phone")], chance.__getitem__) == pytest.approx(0.2)


def test_rules_sharing_a_field_are_not_double_counted() -> None:
    chance = {"surname": 0.5, "phone": 0.4, "dob": 0.5}
    # surname and (phone or dob): 0.5 * (1 - 0.6 * 0.5)
    got = estimated_rule_recall([("surname", "phone"), ("surname", "dob")], chance.__getitem__)
    assert got == pytest.approx(0.35)


def test_sparse_records_give_a_floor_not_zero() -> None:
    assert estimated_rule_recall(PRIOR_RULE_FIELDS, lambda _f: 0.0) == MIN_RULE_RECALL


@given(st.dictionaries(st.sampled_from(["surname", "phone", "dob", "handle"]), st.floats(0, 1)))
def test_recall_is_a_share_and_grows_with_agreement(chance: dict[str, float]) -> None:
    low = estimated_rule_recall(PRIOR_RULE_FIELDS, lambda f: chance.get(f, 0.0))
    high = estimated_rule_recall(PRIOR_RULE_FIELDS, lambda f: min(1.0, chance.get(f, 0.0) + 0.1))
    assert MIN_RULE_RECALL <= low <= high <= 1.0 + 1e-9


def test_exact_agreement_m_reads_the_level_by_label() -> None:
    params = {
        "comparisons": {"phone": [{"label": "same phone", "m": 0.9}, {"label": "x", "m": None}]}
    }
    assert exact_agreement_m(params, "phone", "same phone") == 0.9
    assert exact_agreement_m(params, "phone", "x") == 0.0
    assert exact_agreement_m(params, "handle", "same handle") == 0.0
