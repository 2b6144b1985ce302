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

__all__ = ["SpeakerRisk", "score", "speaker_total"]

#: When too few messages carry tactics for a concern, the score is held this far
#: below the threshold so that it still ranks conversations but never alerts.
_BELOW_THRESHOLD = 0.01


class SpeakerRisk:
    """One speaker's running risk total, extended one tactic at a time (in message order)."""

    def __init__(self, speaker: str, model: RiskModel) -> None:
        self.speaker = speaker
        self.model = model
        self.base = 0.0
        self.reasons: list[Reason] = []
        self.messages: set[int] = set()
        self._seen: set[str] = set()
        self._secrecy_at: int | None = None
        self._first: int | None = None
        self.strong_seen = False

    def add(self, t: Candidate) -> None:
        """Count one more tactic, later than (or in the same message as) those before."""
        model = self.model
        weight = model.weights[t.code]
        why = "tactic"
        if t.code in self._seen:
            weight *= model.repeat_factor
            why = "repeated tactic"
        elif self._seen:
            weight += model.distinct_bonus
            why = "a further kind of tactic"
        after_secrecy = self._secrecy_at is not None and t.message > self._secrecy_at
        if after_secrecy and t.code in model.after_secrecy_codes:
            weight *= model.after_secrecy_factor
            why += ", after secrecy was asked for"
        self._seen.add(t.code)
        self.strong_seen = self.strong_seen or t.strong
        if t.code == "secrecy" and self._secrecy_at is None:
            self._secrecy_at = t.message
        if self._first is None:
            self._first = t.message
        self.base += weight
        self.messages.add(t.message)
        self.reasons.append(Reason(t.message, self.speaker, t.code, weight, why))

    def total(
        self,
        *,
        stranger: bool,
        hard_stranger: bool = False,
        pretend: bool = False,
        adult_to_child: bool = False,
    ) -> float:
        """The summed weight, plus the bonus for a new or unknown contact.

        A contact shown to be an unknown adult (their own age, "saw your
        profile") gets the larger bonus; one who posed as a young person and
        was unmasked (`pretend`), or an adult who knows the young person's
        young age (`adult_to_child`), the largest.
        """
        if not (stranger and self.messages):
            return self.base
        bonus = self._bonus(
            hard_stranger=hard_stranger, pretend=pretend, adult_to_child=adult_to_child
        )
        return self.base + bonus[0]

    def _bonus(
        self, *, hard_stranger: bool, pretend: bool, adult_to_child: bool = False
    ) -> tuple[float, str]:
        model = self.model
        if pretend:
            return model.pretend_peer_bonus, "an adult who posed as a young person"
        if adult_to_child:
            return model.adult_to_child_bonus, "an adult who knows the young person's age"
        if hard_stranger:
            return model.hard_stranger_bonus, "an unknown adult contact"
        return model.stranger_bonus, "a new or unknown contact"

    def enough(self, *, hard_stranger: bool) -> bool:
        """Whether this speaker's tactics may raise a concern at all.

        Normally that takes tactics in `min_tactic_messages` messages; but a
        demand for secrecy together with any other tactic, or an unmistakable
        (strong) tactic from an unknown adult, is enough on its own: waiting
        for a second message there only delays the alert.
        """
        if len(self.messages) >= self.model.min_tactic_messages:
            return True
        if "secrecy" in self._seen and len(self._seen) >= 2:
            return True
        return hard_stranger and self.strong_seen

    def explained(
        self,
        *,
        stranger: bool,
        hard_stranger: bool = False,
        pretend: bool = False,
        adult_to_child: bool = False,
    ) -> list[Reason]:
        """The reasons for the total, including the stranger bonus when it applies."""
        if not (stranger and self._first is not None):
            return list(self.reasons)
        weight, why = self._bonus(
            hard_stranger=hard_stranger, pretend=pretend, adult_to_child=adult_to_child
        )
        bonus = Reason(self._first, self.speaker, "-", weight, why)
        return [*self.reasons, bonus]


def speaker_total(
    speaker: str, tactics: Sequence[Candidate], *, stranger: bool, model: RiskModel
) -> tuple[float, list[Reason]]:
    """The summed risk weight of one speaker's tactics (in message order), with reasons."""
    risk = SpeakerRisk(speaker, model)
    for t in tactics:
        risk.add(t)
    return risk.total(stranger=stranger), risk.explained(stranger=stranger)


def score(total: float, enough: bool, model: RiskModel) -> float:
    """Map a speaker's total into [0, 1]; below the threshold when not `enough` tactics."""
    value = 1.0 - math.exp(-max(total, 0.0) / model.scale)
    if not enough:
        value = min(value, model.threshold - _BELOW_THRESHOLD)
    return max(0.0, min(1.0, value))
