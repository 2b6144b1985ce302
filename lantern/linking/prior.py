"""How often two random records are the same person: the prior, estimated without labels.

Splink counts the pairs that near-certain rules (surname and phone, surname and
date of birth, ...) find and divides by the share of true pairs those rules are
believed to find. That share is not a constant: in sparse records, where most
phones and dates of birth are missing, the rules find a fifth of true pairs,
not the half a fixed guess assumes, and the prior comes out several times too
small, so every true pair looks less likely than it is.

Here the share is estimated from the data and the trained model instead: under
the model's own assumption (fields agree independently given a match), a true
pair satisfies a rule when both records hold each of its fields (the field's
coverage, squared) and the field agrees exactly (its trained m).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["MIN_RULE_RECALL", "estimated_rule_recall", "exact_agreement_m"]

#: Floor for the estimated recall: below it the estimate rests on too few
#: fields to trust, and the prior it gives would be implausibly large.
MIN_RULE_RECALL = 0.05


def exact_agreement_m(parameters: Mapping[str, Any], comparison: str, label: str) -> float:
    """The trained m of one level (0 when the level is absent or untrained)."""
    for level in parameters["comparisons"].get(comparison, []):
        if level.get("label") == label and isinstance(level.get("m"), int | float):
            return float(level["m"])
    return 0.0


def estimated_rule_recall(
    rules: Sequence[Sequence[str]], agree_given_match: Callable[[str], float]
) -> float:
    """The share of true pairs that satisfy at least one rule.

    Each rule is a set of fields that must all agree; `agree_given_match` gives
    the probability that a field agrees exactly for a true pair. Fields are
    taken as independent given a match (the model's own assumption), and every
    combination of agreeing fields is summed, so rules sharing a field (all of
    them share surname) are not double-counted.
    """
    fields = sorted({field for rule in rules for field in rule})
    chance = {field: min(max(agree_given_match(field), 0.0), 1.0) for field in fields}
    total = 0.0
    for states in itertools.product((True, False), repeat=len(fields)):
        agreeing = {f for f, agrees in zip(fields, states, strict=True) if agrees}
        if not any(set(rule) <= agreeing for rule in rules):
            continue
        p = 1.0
        for f, agrees in zip(fields, states, strict=True):
            p *= chance[f] if agrees else 1.0 - chance[f]
        total += p
    return max(total, MIN_RULE_RECALL)
