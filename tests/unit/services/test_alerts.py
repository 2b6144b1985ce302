"""Accumulation rules as data, and the pure evaluator."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lantern.knowledge import load_vocabulary
from lantern.services.alerts import ConcernFact, evaluate_accumulation, load_alert_rules

RULES = load_alert_rules()
DAY = date(2025, 1, 1)


def fact(i: int, days: int, org: int, *codes: str) -> ConcernFact:
    return ConcernFact(i, DAY + timedelta(days=days), org, frozenset(codes))


def test_rules_name_only_vocabulary_factors() -> None:
    codes = set(load_vocabulary().factors)
    assert RULES.version
    assert all(r.factor is None or r.factor in codes for r in RULES.rules)


def test_three_concerns_two_organisations_within_30_days() -> None:
    facts = [fact(1, 0, 1), fact(2, 10, 2), fact(3, 29, 1)]
    assert [f.rule.code for f in evaluate_accumulation(facts, RULES)] == ["several_agencies"]


def test_not_when_spread_out_or_one_organisation() -> None:
    assert evaluate_accumulation([fact(1, 0, 1), fact(2, 10, 2), fact(3, 30, 1)], RULES) == []
    assert evaluate_accumulation([fact(1, 0, 1), fact(2, 1, 1), fact(3, 2, 1)], RULES) == []


def test_two_missing_episodes() -> None:
    facts = [fact(1, 0, 1, "going_missing"), fact(2, 20, 1, "going_missing")]
    fired = evaluate_accumulation(facts, RULES)
    assert [f.rule.code for f in fired] == ["repeated_missing"]
    assert fired[0].concern_ids == (1, 2)


@given(st.lists(st.tuples(st.integers(0, 400), st.integers(1, 4)), max_size=12))
def test_adding_a_concern_never_removes_an_alert(items: list[tuple[int, int]]) -> None:
    facts = [fact(i, d, o) for i, (d, o) in enumerate(items)]
    before = {f.rule.code for f in evaluate_accumulation(facts, RULES)}
    more = [*facts, fact(999, 200, 3)]
    after = {f.rule.code for f in evaluate_accumulation(more, RULES)}
    assert before <= after
