"""Screening: a transparent, versioned scoring of factors into levels, with safety floors."""

from lantern.screening.engine import (
    Assessment,
    FloorApplied,
    Observation,
    Reason,
    ScreeningError,
    Situation,
    UnknownFactorError,
    assess,
)
from lantern.screening.rules import Rules, RulesError, load_rules

__all__ = [
    "Assessment",
    "FloorApplied",
    "Observation",
    "Reason",
    "Rules",
    "RulesError",
    "ScreeningError",
    "Situation",
    "UnknownFactorError",
    "assess",
    "load_rules",
]
