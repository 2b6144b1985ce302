"""Turn a young person's factors into an assessment: level, score, reasons, floors, actions.

Pure functions over the rules in `rules.yaml`. The score adds each factor's
weight, reduced for older observations; the level is the higher of what the
score reaches and what the safety floors demand. Both only ever rise when a
factor is added, so recording more never makes a child look safer.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from lantern.knowledge import load_vocabulary
from lantern.screening.rules import Rules, TimeBand, load_rules

#: Ages Lantern screens: children, and care leavers supported up to 25.
MAX_AGE = 25


class ScreeningError(ValueError):
    """The situation cannot be screened as given (unknown code, impossible date or age)."""


class UnknownFactorError(ScreeningError):
    def __init__(self, code: str, suggestion: str | None) -> None:
        hint = f"; did you mean '{suggestion}'?" if suggestion else ""
        super().__init__(f"unknown factor code '{code}'{hint}")
        self.code = code
        self.suggestion = suggestion


@dataclass(frozen=True)
class Observation:
    """One factor, and when it was last seen (None: taken as current)."""

    code: str
    observed: date | None = None


@dataclass(frozen=True)
class Situation:
    """What is known about a young person at the time of screening."""

    factors: tuple[Observation, ...] = ()
    immediate_danger: bool = False
    age: int | None = None
    as_of: date | None = None


@dataclass(frozen=True)
class Reason:
    code: str
    title: str
    category: str
    weight: int
    base_weight: int
    significant: bool
    band: str
    observed: str | None
    why: str


@dataclass(frozen=True)
class FloorApplied:
    rule: str
    level: str
    why: str


@dataclass(frozen=True)
class Assessment:
    level: str
    level_title: str
    rank: int
    score: int
    requires_action: bool
    summary: str
    reasons: tuple[Reason, ...]
    floors: tuple[FloorApplied, ...]
    actions: tuple[str, ...]
    rules_version: str
    as_of: str | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def assess(situation: Situation, rules: Rules | None = None) -> Assessment:
    """Screen one situation. Deterministic: the same situation and rules give the same result."""
    rules = rules or load_rules()
    _check_age(situation.age)
    counted = _count_factors(situation, rules)
    score = sum(r.weight for r in counted)
    rank = _rank_for_score(score, rules)
    floors = _floors(situation, counted, rules)
    for floor in floors:
        rank = max(rank, rules.rank(floor.level))
    level = rules.levels[rank]
    return Assessment(
        level=level.code,
        level_title=level.title,
        rank=rank,
        score=score,
        requires_action=level.requires_action,
        summary=level.summary,
        reasons=tuple(counted),
        floors=tuple(floors),
        actions=level.actions,
        rules_version=rules.version,
        as_of=situation.as_of.isoformat() if situation.as_of else None,
    )


def _check_age(age: int | None) -> None:
    if age is not None and not 0 <= age <= MAX_AGE:
        raise ScreeningError(f"age {age} is outside 0 to {MAX_AGE}")


def _band(observed: date | None, as_of: date | None, rules: Rules) -> TimeBand:
    if observed is None:
        return rules.time_bands[0]
    if as_of is None:
        raise ScreeningError("a factor has an observed date but the situation has no as_of date")
    days = (as_of - observed).days
    if days < 0:
        raise ScreeningError(f"observed date {observed} is after as_of {as_of}")
    for band in rules.time_bands:
        if band.max_days is None or days <= band.max_days:
            return band
    raise AssertionError("the last time band is open-ended")  # guaranteed by Rules


def _count_factors(situation: Situation, rules: Rules) -> list[Reason]:
    vocabulary = load_vocabulary()
    best: dict[str, Reason] = {}
    for obs in situation.factors:
        if obs.code not in vocabulary.factors:
            raise UnknownFactorError(obs.code, vocabulary.nearest_code(obs.code))
        factor = vocabulary.factors[obs.code]
        rule = rules.factors[obs.code]
        band = _band(obs.observed, situation.as_of, rules)
        # Rounded up so that an old factor still counts: historic facts matter.
        weight = max(1, math.ceil(rule.weight * band.multiplier))
        when = (
            f"observed {obs.observed.isoformat()}, {band.title}"
            if obs.observed
            else "no date given, counted as current"
        )
        reason = Reason(
            code=obs.code,
            title=factor.title,
            category=factor.category,
            weight=weight,
            base_weight=rule.weight,
            significant=rule.significant,
            band=band.code,
            observed=obs.observed.isoformat() if obs.observed else None,
            why=f"{rule.why} ({when}: weight {weight} of {rule.weight}"
            f"{'; a significant sign' if rule.significant else ''}.)",
        )
        # The same factor seen twice counts once, at its most recent (heaviest) weight.
        if obs.code not in best or reason.weight > best[obs.code].weight:
            best[obs.code] = reason
    order = {code: i for i, code in enumerate(vocabulary.factors)}
    return sorted(best.values(), key=lambda r: (-r.weight, order[r.code]))


def _rank_for_score(score: int, rules: Rules) -> int:
    rank = 0
    for i, level in enumerate(rules.levels):
        if level.min_score is not None and score >= level.min_score:
            rank = i
    return rank


def _floors(situation: Situation, counted: list[Reason], rules: Rules) -> list[FloorApplied]:
    floors: list[FloorApplied] = []
    if situation.immediate_danger:
        top = rules.levels[-1]
        floors.append(
            FloorApplied(
                rule="immediate_danger",
                level=top.code,
                why="The young person was recorded as in immediate danger: call 999 first.",
            )
        )
    current_significant = [
        r for r in counted if r.significant and r.band == rules.time_bands[0].code
    ]
    if len(current_significant) >= 2:
        floors.append(
            FloorApplied(
                rule="multiple_significant_signs",
                level=rules.floors.multiple_significant_signs,
                why="Two or more current significant signs together: "
                + ", ".join(r.title for r in current_significant)
                + ".",
            )
        )
    if current_significant:
        floors.append(
            FloorApplied(
                rule="single_significant_sign",
                level=rules.floors.single_significant_sign,
                why=f"A current significant sign ({current_significant[0].title}) on its own "
                "calls for action, whatever the total score.",
            )
        )
    signs = [r for r in counted if r.category == "sign"]
    young = situation.age is not None and situation.age <= rules.floors.young_child_max_age
    if young and signs:
        floors.append(
            FloorApplied(
                rule="young_child_with_any_sign",
                level=rules.floors.young_child_with_any_sign,
                why=f"The young person is {situation.age}: at "
                f"{rules.floors.young_child_max_age} or under, any sign needs a lead's view.",
            )
        )
    return floors
