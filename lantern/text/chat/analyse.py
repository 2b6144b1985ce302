"""Analyses a conversation message by message: tactics, running risk, first alert.

Everything at message i is computed from messages 0..i only (who each speaker
is, which candidates count, the score), so the running risk is what a live
monitor would have shown and `first_alert` cannot depend on later messages.
`score` and `concern` are the risk after the last message; `alerted` is
where a live monitor would first have alerted, whether or not it lasted.
The tactics reported are those that count given everything known at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lantern.text.chat.detect import Candidate, find_candidates
from lantern.text.chat.lexicon import Lexicon, fold, load_lexicon
from lantern.text.chat.model import ChatAnalysis, Conversation, Reason, TacticHit
from lantern.text.chat.relationship import (
    Profile,
    claims_young_by_name,
    named_adult_ages,
    observe_child,
    observe_speaker,
    role_from_name,
)
from lantern.text.chat.risk import SpeakerRisk, score

__all__ = ["analyse", "analyse_many"]


@dataclass(frozen=True, slots=True)
class _Gate:
    """Which of a speaker's candidates count, given what is known about them.

    It changes only a few times in a conversation (when a role, a cue or a first
    strong tactic appears), so a speaker's risk is rebuilt only then and is
    otherwise extended message by message.
    """

    role: str | None
    filtered: bool
    nothing: bool
    weak_too: bool

    def keeps(self, c: Candidate) -> bool:
        if self.nothing or (self.filtered and self.role in c.exempt):
            return False
        return self.weak_too or c.strong


def _gate(
    profile: Profile, strong_hits: set[tuple[str, frozenset[str]]], forfeit_codes: frozenset[str]
) -> _Gate:
    """The gate for a speaker, from their profile and the (code, exempt roles) of strong hits."""
    role = profile.role or ("friend" if profile.is_known else None)
    # From a parent, a teacher in their role or a school friend, many of these
    # words are ordinary ("where are you?", "send me your address"); each rule
    # lists the roles it is exempt for, and the rest ("delete our chats") count.
    allowed = [code for code, exempt in strong_hits if role not in exempt]
    strong_allowed = bool(allowed)
    # A teacher, coach or friend who uses an unmistakable tactic (asks for
    # secrecy) is no longer acting in that role: their other words count too.
    # One who brings the parents in ("your mum said you can") keeps the role
    # unless the tactic hides or pressures (grooming keeps the parents out): a
    # coach's "I need a photo of you for your card" is not a forfeit then.
    hides = any(code in forfeit_codes for code in allowed)
    forfeited = role not in (None, "family") and strong_allowed and (hides or not profile.vouched)
    filtered = role is not None and not forfeited
    strong = strong_allowed if filtered else bool(strong_hits)
    # Ordinary words ("add me on snap") count once the speaker has shown they are
    # a new contact, or is known but has used an unmistakable tactic anyway;
    # never from a vouched-for speaker who keeps their role.
    vouched_role = filtered and profile.vouched and role != "family"
    return _Gate(
        role=role,
        filtered=filtered,
        nothing=profile.is_known and not strong,
        weak_too=(bool(profile.stranger) or strong) and not vouched_role,
    )


@dataclass(slots=True)
class _Speaker:
    """Everything kept about one speaker while reading the conversation."""

    name: str
    profile: Profile
    candidates: list[Candidate] = field(default_factory=list)
    recent: dict[str, int] = field(default_factory=dict)
    strong_hits: set[tuple[str, frozenset[str]]] = field(default_factory=set)
    gate: _Gate | None = None
    risk: SpeakerRisk | None = None
    #: Whether the young person has given a young age or school year so far.
    child_young: bool = False

    def update(self, new: Sequence[Candidate], lexicon: Lexicon) -> float:
        """Take in this message's candidates (if any) and return the speaker's score."""
        self.candidates.extend(new)
        self.strong_hits.update((c.code, c.exempt) for c in new if c.strong)
        gate = _gate(self.profile, self.strong_hits, lexicon.relationships.forfeit_codes)
        if gate != self.gate or self.risk is None:
            self.gate = gate
            self.risk = SpeakerRisk(self.name, lexicon.risk)
            new = self.candidates
        for c in new:
            if gate.keeps(c):
                self.risk.add(c)
        profile = self.profile
        hard = profile.hard_stranger
        total = self.risk.total(
            stranger=bool(profile.stranger),
            hard_stranger=hard,
            pretend=profile.pretend_peer,
            adult_to_child=profile.adult and self.child_young,
        )
        return score(total, self.risk.enough(hard_stranger=hard), lexicon.risk)

    def counted(self) -> list[Candidate]:
        gate = self.gate
        return [c for c in self.candidates if gate is not None and gate.keeps(c)]


def analyse(conversation: Conversation, lexicon: Lexicon | None = None) -> ChatAnalysis:
    """Tactics per message, the running risk, `score`, `concern` and `first_alert`."""
    lex = lexicon or load_lexicon()
    cues = lex.relationships
    speakers: dict[str, _Speaker] = {}
    scores: dict[str, float] = {}
    last_other: _Speaker | None = None
    running: list[float] = []
    benign = lex.benign_secrecy
    surprise_at: int | None = None
    child_young = False
    for index, message in enumerate(conversation.messages):
        # A surprise for someone else, mentioned by anyone so far, makes the
        # next few "don't tell her"s ordinary (see tactics.yaml: benign_secrecy).
        if benign.pattern.search(fold(message.text)):
            surprise_at = index
        # Someone giving another speaker's adult age ("deano is 22 btw") in a
        # group makes that speaker an unknown adult, whatever they claimed.
        for name in named_adult_ages(
            message.text, [n for n in speakers if n != message.speaker], cues
        ):
            named = speakers[name]
            if not named.profile.adult:
                named.profile.hard_stranger = named.profile.adult = True
                named.profile.stranger.append("adult_age_given_by_another")
                scores[name] = named.update((), lex)
        if message.speaker == conversation.child:
            # The young person giving a young age ("13", "year 8"): an adult who
            # goes on using tactics now knows they are talking to a child.
            if not child_young and any(
                c.pattern.search(fold(message.text)) for c in cues.child_young
            ):
                child_young = True
                for other in speakers.values():
                    other.child_young = True
                    if other.profile.adult:
                        scores[other.name] = other.update((), lex)
            if last_other is not None:
                profile = last_other.profile
                before = (profile.role, len(profile.stranger), len(profile.familiar))
                observe_child(profile, message.text, cues)
                if (profile.role, len(profile.stranger), len(profile.familiar)) != before:
                    scores[last_other.name] = last_other.update((), lex)
        else:
            speaker = speakers.get(message.speaker)
            if speaker is None:
                profile = Profile(role=role_from_name(message.speaker, cues))
                profile.claims_young = claims_young_by_name(message.speaker, cues)
                speaker = speakers[message.speaker] = _Speaker(
                    message.speaker, profile, child_young=child_young
                )
            observe_speaker(speaker.profile, message.text, cues)
            found = find_candidates(index, message.text, lex, speaker.recent)
            if surprise_at is not None and index - surprise_at <= benign.within:
                found = [c for c in found if c.code != "secrecy" or c.rule in benign.kept]
            for c in found:
                speaker.recent[c.code] = index
            scores[speaker.name] = speaker.update(found, lex)
            last_other = speaker
        running.append(max(scores.values(), default=0.0))
    final = max(scores.values(), default=0.0)
    counted: list[Candidate] = []
    reasons: list[Reason] = []
    for speaker in speakers.values():
        counted.extend(speaker.counted())
        if speaker.risk is not None:
            profile = speaker.profile
            reasons.extend(
                speaker.risk.explained(
                    stranger=bool(profile.stranger),
                    hard_stranger=profile.hard_stranger,
                    pretend=profile.pretend_peer,
                    adult_to_child=profile.adult and speaker.child_young,
                )
            )
    threshold = lex.risk.threshold
    alerted = next((i for i, r in enumerate(running) if r >= threshold), None)
    # `concern` is the risk after the last message, not "ever reached": measured
    # on the labelled sets, "ever reached" raised benign false alarms (0 to
    # 0.05-0.09) because later messages legitimately withdraw suspicion (a
    # relative named, a surprise explained). A live monitor's earlier alert is
    # still reported, with `--explain`, as `alerted`.
    concern = final >= threshold
    hits = sorted(
        (TacticHit(c.message, c.code, c.evidence, c.start, c.end, c.rule) for c in counted),
        key=lambda h: (h.message, h.start, h.code),
    )
    return ChatAnalysis(
        id=conversation.id,
        concern=concern,
        score=final,
        first_alert=alerted if concern else None,
        alerted=alerted,
        tactics=tuple(hits),
        risk=tuple(running),
        reasons=tuple(sorted(reasons, key=lambda r: r.message)),
    )


def analyse_many(conversations: Sequence[Conversation]) -> list[ChatAnalysis]:
    """`analyse` each conversation, in order."""
    lex = load_lexicon()
    return [analyse(c, lex) for c in conversations]
