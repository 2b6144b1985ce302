"""The screening rules as validated data: levels, time bands, floors, factor weights.

The rules live in `data/rules.yaml` so that a safeguarding partnership can read
and change them without reading code; this module only loads and checks them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lantern.knowledge import load_vocabulary

DEFAULT_RULES = Path(__file__).parent / "data" / "rules.yaml"


class RulesError(Exception):
    """The rules file is missing, malformed, or disagrees with the vocabulary."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Frozen):
    code: str
    title: str
    min_score: Annotated[int, Field(ge=0)] | None
    requires_action: bool
    summary: str
    actions: tuple[str, ...] = Field(min_length=1)


class TimeBand(_Frozen):
    code: str
    title: str
    max_days: Annotated[int, Field(ge=0)] | None
    multiplier: Annotated[float, Field(gt=0, le=1)]


class Floors(_Frozen):
    single_significant_sign: str
    multiple_significant_signs: str
    young_child_max_age: Annotated[int, Field(ge=0, le=17)]
    young_child_with_any_sign: str


class FactorRule(_Frozen):
    weight: Annotated[int, Field(ge=1, le=20)]
    significant: bool = False
    why: str = Field(min_length=1)


class Rules(_Frozen):
    version: str = Field(min_length=1)
    levels: tuple[Level, ...] = Field(min_length=2)
    time_bands: tuple[TimeBand, ...] = Field(min_length=1)
    floors: Floors
    factors: dict[str, FactorRule]

    @model_validator(mode="after")
    def _consistent(self) -> Rules:
        codes = [level.code for level in self.levels]
        if len(set(codes)) != len(codes):
            raise ValueError("level codes must be unique")
        if self.levels[0].min_score != 0:
            raise ValueError("the lowest level must start at score 0")
        if self.levels[-1].min_score is not None:
            raise ValueError(
                "the highest level is reached only by immediate danger: min_score null"
            )
        scored = [level.min_score for level in self.levels[:-1]]
        if any(s is None for s in scored) or scored != sorted(set(scored)):  # type: ignore[type-var]
            raise ValueError("min_score must rise strictly from level to level")
        if not self.levels[-1].actions[0].lower().startswith("call 999"):
            raise ValueError("the highest level's first action must be to call 999")
        for name in ("single_significant_sign", "multiple_significant_signs"):
            if getattr(self.floors, name) not in codes:
                raise ValueError(f"floor {name} names unknown level {getattr(self.floors, name)!r}")
        if self.floors.young_child_with_any_sign not in codes:
            raise ValueError("floor young_child_with_any_sign names an unknown level")
        single = self.level(self.floors.single_significant_sign)
        if not single.requires_action:
            raise ValueError(
                "a single current significant sign must floor at a level requiring action"
            )
        bands = self.time_bands
        if bands[-1].max_days is not None:
            raise ValueError("the last time band must be open-ended (max_days null)")
        limits = [b.max_days for b in bands[:-1]]
        if limits != sorted(limits):  # type: ignore[type-var]
            raise ValueError("time bands must be in order of age")
        multipliers = [b.multiplier for b in bands]
        if multipliers != sorted(multipliers, reverse=True):
            raise ValueError("older time bands must never weigh more than recent ones")
        return self

    def level(self, code: str) -> Level:
        for level in self.levels:
            if level.code == code:
                return level
        raise KeyError(code)

    def rank(self, code: str) -> int:
        return [level.code for level in self.levels].index(code)


def load_rules(path: Path | None = None) -> Rules:
    """Load and check the rules; the packaged ones (cached) when no path is given."""
    if path is None:
        return _packaged_rules()
    return _load(path)


@cache
def _packaged_rules() -> Rules:
    return _load(DEFAULT_RULES)


def _load(path: Path) -> Rules:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise RulesError(f"cannot read rules {path}: {e}") from None
    except yaml.YAMLError as e:
        raise RulesError(f"rules {path} are not valid YAML: {e}") from None
    try:
        rules = Rules.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise RulesError(f"rules {path}: {where}: {first['msg']}") from None
    vocabulary = load_vocabulary()
    known = set(vocabulary.factors)
    missing = sorted(known - set(rules.factors))
    unknown = sorted(set(rules.factors) - known)
    if missing or unknown:
        raise RulesError(
            f"rules {path} disagree with the vocabulary: "
            f"no weight for {missing or 'none'}; unknown codes {unknown or 'none'}"
        )
    return rules
