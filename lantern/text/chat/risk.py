"""Turns the tactics one speaker has used into a running grooming-risk score.

Pure arithmetic over data/risk.yaml: weights per tactic, less for repeats, more
for each new kind of tactic and for requests that follow a demand for secrecy,
and a little more when the speaker is a new or unknown contact.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from lantern.text.chat.detect import Candidate
from lantern.text.chat.lexicon import RiskModel
from lantern.text.chat.model import Reason

__all__ = ["score", "speaker_total"]

#: When too few messages carry tactics for a concern, the score is held this far
#: below the threshold so that it still ranks conversations but never alerts.
_BELOW_THRESHOLD = 0.01


def speaker_total(
    speaker: str, tactics: Sequence[Candidate], *, stranger: bool, model: RiskModel
) -> tuple[float, list[Reason]]:
    """The summed risk weight of one speaker's tactics (in message order), with reasons."""
    total = 0.0
    reasons: list[Reason] = []
    seen: set[str] = set()
    secrecy_at: int | None = None
    for t in tactics:
        weight = model.weights[t.code]
        why = "tactic"
        if t.code in seen:
            weight *= model.repeat_factor
            why = "repeated tactic"
        elif seen:
            weight += model.distinct_bonus
            why = "a further kind of tactic"
        if (
            secrecy_at is not None
            and t.message > secrecy_at
            and t.code in model.after_secrecy_codes
        ):
            weight *= model.after_secrecy_factor
            why += ", after secrecy was asked for"
        seen.add(t.code)
        if t.code == "secrecy" and secrecy_at is None:
            secrecy_at = t.message
        total += weight
        reasons.append(Reason(t.message, speaker, t.code, weight, why))
    if stranger and tactics:
        total += model.stranger_bonus
        first = tactics[0]
        reasons.append(
            Reason(first.message, speaker, "-", model.stranger_bonus, "a new or unknown contact")
        )
    return total, reasons


def score(total: float, tactic_messages: int, model: RiskModel) -> float:
    """Map a speaker's total into [0, 1]; below the threshold if too few tactic messages."""
    value = 1.0 - math.exp(-max(total, 0.0) / model.scale)
    if tactic_messages < model.min_tactic_messages:
        value = min(value, model.threshold - _BELOW_THRESHOLD)
    return max(0.0, min(1.0, value))
