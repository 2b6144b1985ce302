"""Analyses a conversation message by message: tactics, running risk, first alert.

Everything at message i is computed from messages 0..i only (who each speaker
is, which candidates count, the score), so the running risk is what a live
monitor would have shown and `first_alert` cannot depend on later messages.
The tactics reported are those that count given everything known at the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lantern.text.chat.detect import Candidate, find_candidates
from lantern.text.chat.lexicon import Lexicon, load_lexicon
from lantern.text.chat.model import ChatAnalysis, Conversation, Reason, TacticHit
from lantern.text.chat.relationship import (
    Profile,
    observe_child,
    observe_speaker,
    role_from_name,
)
from lantern.text.chat.risk import score, speaker_total

__all__ = ["analyse", "analyse_many"]


def _counting(candidates: Sequence[Candidate], profile: Profile) -> list[Candidate]:
    """The candidates that are tactics, given what is known about who is speaking."""
    role = profile.role or ("friend" if profile.is_known else None)
    if role is not None:
        # From a parent, a teacher in their role or a school friend, many of these
        # words are ordinary ("where are you?", "send me your address"); each rule
        # lists the roles it is exempt for, and the rest ("delete our chats") count.
        allowed = [c for c in candidates if role not in c.exempt]
        # A teacher, coach or friend who uses an unmistakable tactic (asks for
        # secrecy) is no longer acting in that role: their other words count too.
        forfeited = role != "family" and any(c.strong for c in allowed)
        candidates = list(candidates) if forfeited else allowed
    strong = [c for c in candidates if c.strong]
    if profile.is_known and not strong:
        return []
    # Ordinary words ("add me on snap") count once the speaker has shown they are
    # a new contact, or is known but has used an unmistakable tactic anyway.
    suspicious = bool(profile.stranger) or bool(strong)
    return list(candidates) if suspicious else strong


def _state(
    candidates: Mapping[str, list[Candidate]], profiles: Mapping[str, Profile], lexicon: Lexicon
) -> tuple[float, list[Candidate], list[Reason]]:
    best = 0.0
    counted: list[Candidate] = []
    reasons: list[Reason] = []
    for speaker, found in candidates.items():
        profile = profiles[speaker]
        tactics = _counting(found, profile)
        if not tactics:
            continue
        total, why = speaker_total(
            speaker, tactics, stranger=bool(profile.stranger), model=lexicon.risk
        )
        value = score(total, len({t.message for t in tactics}), lexicon.risk)
        best = max(best, value)
        counted.extend(tactics)
        reasons.extend(why)
    return best, counted, reasons


def analyse(conversation: Conversation, lexicon: Lexicon | None = None) -> ChatAnalysis:
    """Tactics per message, the running risk, `score`, `concern` and `first_alert`."""
    lex = lexicon or load_lexicon()
    cues = lex.relationships
    profiles: dict[str, Profile] = {}
    candidates: dict[str, list[Candidate]] = {}
    recent: dict[str, dict[str, int]] = {}
    last_other: str | None = None
    running: list[float] = []
    current = 0.0
    for index, message in enumerate(conversation.messages):
        changed = False
        if message.speaker == conversation.child:
            if last_other is not None:
                profile = profiles[last_other]
                before = (profile.role, len(profile.stranger))
                observe_child(profile, message.text, cues)
                changed = (profile.role, len(profile.stranger)) != before
        else:
            speaker = message.speaker
            if speaker not in profiles:
                profiles[speaker] = Profile(role=role_from_name(speaker, cues))
                candidates[speaker] = []
                recent[speaker] = {}
            observe_speaker(profiles[speaker], message.text, cues)
            found = find_candidates(index, message.text, lex, recent[speaker])
            for c in found:
                recent[speaker][c.code] = index
            candidates[speaker].extend(found)
            last_other = speaker
            changed = True
        if changed:
            current = _state(candidates, profiles, lex)[0]
        running.append(current)
    final, counted, reasons = _state(candidates, profiles, lex)
    threshold = lex.risk.threshold
    concern = final >= threshold
    first_alert = next((i for i, r in enumerate(running) if r >= threshold), None)
    hits = sorted(
        (TacticHit(c.message, c.code, c.evidence, c.start, c.end, c.rule) for c in counted),
        key=lambda h: (h.message, h.start, h.code),
    )
    return ChatAnalysis(
        id=conversation.id,
        concern=concern,
        score=final,
        first_alert=first_alert if concern else None,
        tactics=tuple(hits),
        risk=tuple(running),
        reasons=tuple(sorted(reasons, key=lambda r: r.message)),
    )


def analyse_many(conversations: Sequence[Conversation]) -> list[ChatAnalysis]:
    """`analyse` each conversation, in order."""
    lex = load_lexicon()
    return [analyse(c, lex) for c in conversations]
