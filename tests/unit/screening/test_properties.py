"""Properties of the screening that must hold for every situation (Hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.screening import Observation, Situation, assess, load_rules

RULES = load_rules()
CODES = sorted(RULES.factors)
AS_OF = date(2026, 11, 1)
TOP = len(RULES.levels) - 1

observations = st.builds(
    Observation,
    code=st.sampled_from(CODES),
    observed=st.none() | st.integers(0, 1200).map(lambda d: AS_OF - timedelta(days=d)),
)
situations = st.builds(
    Situation,
    factors=st.lists(observations, max_size=12).map(tuple),
    immediate_danger=st.booleans(),
    age=st.none() | st.integers(0, 25),
    as_of=st.just(AS_OF),
)


@settings(max_examples=300)
@given(situations, observations)
def test_adding_a_factor_never_lowers_rank_or_score(s: Situation, extra: Observation) -> None:
    before = assess(s)
    after = assess(Situation((*s.factors, extra), s.immediate_danger, s.age, s.as_of))
    assert after.rank >= before.rank
    assert after.score >= before.score


@given(situations)
def test_immediate_danger_always_top_with_999_first(s: Situation) -> None:
    result = assess(Situation(s.factors, True, s.age, s.as_of))
    assert result.rank == TOP
    assert result.actions[0].lower().startswith("call 999")


@given(situations)
def test_without_danger_never_top(s: Situation) -> None:
    assert assess(Situation(s.factors, False, s.age, s.as_of)).rank < TOP


@given(situations)
def test_floors_hold(s: Situation) -> None:
    result = assess(s)
    current_significant = [r for r in result.reasons if r.significant and r.band == "recent"]
    if current_significant:
        assert result.requires_action
    if len(current_significant) >= 2:
        assert result.rank >= RULES.rank(RULES.floors.multiple_significant_signs)
    young = s.age is not None and s.age <= RULES.floors.young_child_max_age
    if young and any(r.category == "sign" for r in result.reasons):
        assert result.rank >= 1
    for floor in result.floors:
        assert result.rank >= RULES.rank(floor.level)


@given(situations)
def test_same_input_same_output(s: Situation) -> None:
    assert assess(s) == assess(s)


@given(situations)
def test_order_of_factors_does_not_matter(s: Situation) -> None:
    reordered = Situation(tuple(reversed(s.factors)), s.immediate_danger, s.age, s.as_of)
    a, b = assess(s), assess(reordered)
    assert (a.rank, a.score, a.level) == (b.rank, b.score, b.level)
    assert {r.code: r.weight for r in a.reasons} == {r.code: r.weight for r in b.reasons}


@given(situations)
def test_no_factors_no_danger_is_rank_zero(s: Situation) -> None:
    assert assess(Situation((), False, s.age, s.as_of)).rank == 0
