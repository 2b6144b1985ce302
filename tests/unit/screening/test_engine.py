"""The screening engine: levels, time bands, floors, explanations."""

from __future__ import annotations

from datetime import date

import pytest

from lantern.screening import (
    Observation,
    ScreeningError,
    Situation,
    UnknownFactorError,
    assess,
    load_rules,
)

AS_OF = date(2026, 11, 1)
RULES = load_rules()


def situation(*codes: str, **kwargs: object) -> Situation:
    return Situation(factors=tuple(Observation(c) for c in codes), **kwargs)  # type: ignore[arg-type]


def test_nothing_recorded_is_rank_zero() -> None:
    result = assess(Situation())
    assert (result.rank, result.score, result.level) == (0, 0, "no_apparent_risk")
    assert result.reasons == () and result.floors == ()


def test_levels_are_named_and_ranked_in_order() -> None:
    assert [lvl.code for lvl in RULES.levels] == [
        "no_apparent_risk",
        "emerging",
        "moderate",
        "significant",
        "immediate",
    ]


def test_immediate_danger_is_top_level_with_999_first() -> None:
    result = assess(situation(immediate_danger=True))
    assert result.rank == len(RULES.levels) - 1
    assert result.actions[0].startswith("Call 999")
    assert [f.rule for f in result.floors] == ["immediate_danger"]


def test_score_alone_never_reaches_immediate() -> None:
    everything = situation(*RULES.factors)
    result = assess(everything)
    assert result.level == "significant"
    assert result.score == sum(r.weight for r in RULES.factors.values())


def test_single_current_significant_sign_requires_action() -> None:
    result = assess(situation("sexual_images"))
    assert result.requires_action
    assert result.level == RULES.floors.single_significant_sign
    assert "single_significant_sign" in [f.rule for f in result.floors]


def test_two_current_significant_signs_raise_to_significant() -> None:
    result = assess(situation("going_missing", "older_associates"))
    assert result.level == "significant"
    assert {f.rule for f in result.floors} >= {"multiple_significant_signs"}


def test_a_minor_sign_alone_is_emerging_not_action() -> None:
    result = assess(situation("emotional_change"))
    assert result.level == "emerging" and not result.requires_action
    assert result.floors == ()


@pytest.mark.parametrize("age", [8, 11, 12])
def test_young_child_with_any_sign_is_never_lowest(age: int) -> None:
    rules = RULES.model_copy(
        update={"levels": (RULES.levels[0].model_copy(update={"min_score": 0}), *RULES.levels[1:])}
    )
    # A rule set where a weight-1 sign would not by itself leave the lowest level.
    raised = rules.model_copy(
        update={
            "levels": tuple(
                lvl.model_copy(
                    update={"min_score": lvl.min_score * 10 if lvl.min_score else lvl.min_score}
                )
                for lvl in rules.levels
            )
        }
    )
    assert assess(situation("emotional_change"), raised).rank == 0
    result = assess(situation("emotional_change", age=age), raised)
    assert result.rank >= 1
    assert "young_child_with_any_sign" in [f.rule for f in result.floors]


def test_young_child_floor_needs_a_sign_not_only_a_vulnerability() -> None:
    result = assess(situation("new_to_area", age=10))
    assert "young_child_with_any_sign" not in [f.rule for f in result.floors]


def test_thirteen_year_old_is_not_under_the_young_child_floor() -> None:
    result = assess(situation("emotional_change", age=13))
    assert "young_child_with_any_sign" not in [f.rule for f in result.floors]


def test_recent_factors_weigh_more_than_older_and_historic() -> None:
    def weight(observed: date) -> int:
        s = Situation(factors=(Observation("older_associates", observed),), as_of=AS_OF)
        return assess(s).reasons[0].weight

    recent, older, historic = (
        weight(date(2026, 10, 1)),
        weight(date(2026, 2, 1)),
        weight(date(2024, 1, 1)),
    )
    assert recent > older > historic >= 1


def test_older_significant_sign_sets_no_action_floor() -> None:
    s = Situation(factors=(Observation("sexual_images", date(2025, 12, 1)),), as_of=AS_OF)
    result = assess(s)
    assert result.reasons[0].band == "older"
    assert not any(f.rule == "single_significant_sign" for f in result.floors)


def test_the_same_factor_twice_counts_once_at_its_most_recent() -> None:
    s = Situation(
        factors=(
            Observation("going_missing", date(2025, 1, 1)),
            Observation("going_missing", date(2026, 10, 1)),
        ),
        as_of=AS_OF,
    )
    result = assess(s)
    assert len(result.reasons) == 1
    assert result.reasons[0].band == "recent"


def test_every_reason_explains_itself() -> None:
    result = assess(situation("going_missing", "in_care", "emotional_change"))
    for reason in result.reasons:
        assert reason.weight >= 1 and reason.why and reason.title
    assert [r.weight for r in result.reasons] == sorted(
        (r.weight for r in result.reasons), reverse=True
    )
    assert result.rules_version == RULES.version


def test_unknown_code_names_the_nearest() -> None:
    with pytest.raises(UnknownFactorError) as err:
        assess(situation("going_misssing"))
    assert err.value.suggestion == "going_missing"
    assert "going_missing" in str(err.value)


def test_observed_after_as_of_is_refused() -> None:
    with pytest.raises(ScreeningError, match="after"):
        assess(Situation(factors=(Observation("going_missing", date(2027, 1, 1)),), as_of=AS_OF))


def test_observed_without_as_of_is_refused() -> None:
    with pytest.raises(ScreeningError, match="as_of"):
        assess(Situation(factors=(Observation("going_missing", date(2026, 1, 1)),)))


@pytest.mark.parametrize("age", [-1, 26, 140])
def test_impossible_age_is_refused(age: int) -> None:
    with pytest.raises(ScreeningError, match="age"):
        assess(situation("going_missing", age=age))


def test_to_dict_is_plain_data() -> None:
    data = assess(situation("going_missing", immediate_danger=True)).to_dict()
    assert data["level"] == "immediate" and isinstance(data["reasons"], tuple | list)
