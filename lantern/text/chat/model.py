"""The shapes `lantern chat` works with: a conversation in, tactics and risk out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ChatAnalysis", "Conversation", "Message", "Reason", "TacticHit"]


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a transcript: who sent it and what it says."""

    speaker: str
    text: str


@dataclass(frozen=True, slots=True)
class Conversation:
    """A transcript between a young person (`child`, a speaker name) and others."""

    id: str
    child: str
    messages: tuple[Message, ...]


@dataclass(frozen=True, slots=True)
class TacticHit:
    """A grooming tactic found in one message, with the words that show it."""

    message: int
    code: str
    evidence: str
    start: int
    end: int
    rule: str

    def to_contract(self) -> dict[str, Any]:
        """The `tactics` entry of the `lantern chat` output line."""
        return {"message": self.message, "code": self.code, "evidence": self.evidence}


@dataclass(frozen=True, slots=True)
class Reason:
    """How much one tactic added to its speaker's risk, and why."""

    message: int
    speaker: str
    code: str
    weight: float
    why: str


@dataclass(frozen=True, slots=True)
class ChatAnalysis:
    """The result for one conversation.

    `risk` holds the running score after each message, each computed from the
    messages up to that point only; `first_alert` is where it first reached the
    concern threshold when the conversation ends in concern (None otherwise);
    `alerted` is where it first reached it whether or not it stayed there (a
    live monitor's alert that later messages withdrew).
    """

    id: str
    concern: bool
    score: float
    first_alert: int | None
    tactics: tuple[TacticHit, ...]
    risk: tuple[float, ...]
    reasons: tuple[Reason, ...]
    alerted: int | None = None

    def to_contract(self, *, explain: bool = False) -> dict[str, Any]:
        """The output line of `lantern chat`; with `explain`, also the reasons and risk curve."""
        out: dict[str, Any] = {
            "id": self.id,
            "concern": self.concern,
            "score": round(self.score, 4),
            "first_alert": self.first_alert,
            "tactics": [t.to_contract() for t in self.tactics],
        }
        if explain:
            out["risk"] = [round(r, 4) for r in self.risk]
            out["alerted"] = self.alerted
            out["reasons"] = [
                {
                    "message": r.message,
                    "speaker": r.speaker,
                    "code": r.code,
                    "weight": round(r.weight, 3),
                    "why": r.why,
                }
                for r in self.reasons
            ]
        return out
