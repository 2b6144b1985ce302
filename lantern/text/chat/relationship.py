"""Works out who each speaker is to the young person, message by message.

The same words are a tactic from a stranger and harmless from a parent, a
teacher or coach in their role, or a friend from school. This module keeps,
for each speaker, the role their name or the young person's way of addressing
them gives, and counts the cues that show they know the young person offline
(familiar) or are a new contact (stranger). It only ever looks at messages
already seen, so the analysis stays causal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from lantern.text.chat.lexicon import RelationshipCues, fold

__all__ = [
    "Profile",
    "claims_young_by_name",
    "named_adult_ages",
    "observe_child",
    "observe_speaker",
    "role_from_name",
]

_NAME_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@dataclass(slots=True)
class Profile:
    """What is known so far about one speaker's relationship to the young person."""

    role: str | None = None
    familiar: list[str] = field(default_factory=list)
    stranger: list[str] = field(default_factory=list)
    vouched: bool = False
    hard_stranger: bool = False
    claims_young: bool = False
    adult_life: bool = False
    pretend_peer: bool = False
    #: Shown to be an adult: an adult age given by them, noticed by the young
    #: person or given by someone else, or a pretend peer unmasked.
    adult: bool = False

    def unmask(self) -> None:
        """Mark a speaker whose claim to be young meets an adult's life as an unknown adult."""
        # A claim to be young that the speaker's own life contradicts (driving,
        # their own children or spouse, an age "I lied" about) is the
        # pretend peer: an unknown adult, whatever vouching came before.
        if self.claims_young and self.adult_life and not self.pretend_peer:
            self.pretend_peer = self.hard_stranger = self.adult = True
            self.stranger.append("pretend_peer")

    @property
    def is_known(self) -> bool:
        """Someone in the young person's offline life: family, a professional, a friend.

        Familiar cues count when no stranger cue contradicts them; cues that
        bring the parents in (which grooming avoids) outweigh soft stranger cues.
        """
        if self.role is not None:
            return True
        if not self.familiar or self.hard_stranger:
            return False
        return self.vouched or not self.stranger


def role_from_name(name: str, cues: RelationshipCues) -> str | None:
    """'family' or 'professional' when the display name says so ("Nana Jean", "Coach Steve")."""
    parts = {p.lower() for p in _NAME_PARTS.findall(name)}
    if parts & cues.family_names:
        return "family"
    if parts & cues.professional_names:
        return "professional"
    return None


def claims_young_by_name(name: str, cues: RelationshipCues) -> bool:
    """Whether a display name gives a young age or school year ("jayden_15", "ben_y9")."""
    return cues.young_name is not None and cues.young_name.search(fold(name)) is not None


def named_adult_ages(text: str, names: Sequence[str], cues: RelationshipCues) -> list[str]:
    """The speakers among `names` whose adult age this message gives ("deano is 22 btw")."""
    template = cues.named_adult_age
    if template is None:
        return []
    folded = fold(text).value.lower()
    return [n for n in names if _age_pattern(template, n).search(folded)]


@cache
def _age_pattern(template: str, name: str) -> re.Pattern[str]:
    # The name as people write it in chat: its first word, without digits or
    # decorations ("Deano", "Sean B" -> "sean"), at least three letters long.
    words = re.findall(r"[a-z]{3,}", name.lower())
    word = re.escape(words[0]) if words else r"(?!x)x"
    return re.compile(template.replace("{name}", rf"\b{word}\b"))


def observe_speaker(profile: Profile, text: str, cues: RelationshipCues) -> None:
    """Update a speaker's profile with the familiar and stranger cues in their message."""
    folded = fold(text)
    if any(c.pattern.search(folded) for c in cues.young_claim):
        profile.claims_young = True
    if any(c.pattern.search(folded) for c in cues.adult_life):
        profile.adult_life = True
    profile.unmask()
    if profile.role is None and cues.family_reference.search(folded):
        # "is mum in?", "dont tell mum": a parent named without "your" is a
        # parent they share, so the speaker is a brother, sister or the other parent.
        profile.role = "family"
    found = [c for c in cues.familiar if c.pattern.search(folded)]
    profile.familiar.extend(c.id for c in found)
    profile.vouched = profile.vouched or any(c.vouches for c in found)
    strange = [c for c in cues.stranger if c.pattern.search(folded)]
    profile.stranger.extend(c.id for c in strange)
    profile.hard_stranger = profile.hard_stranger or any(not c.soft for c in strange)
    profile.adult = profile.adult or any(c.adult for c in strange)


def observe_child(profile: Profile, text: str, cues: RelationshipCues) -> None:
    """Learn from the young person's reply who the speaker they answer is.

    "ye nana", "thanks miss" give a role; "who r u", "ur 19??" show a stranger;
    "hes in my form" or "ur prettier" vouch for a peer.
    """
    folded = fold(text.strip())
    strange = [c for c in cues.child_says_stranger if c.pattern.search(folded)]
    profile.stranger.extend(c.id for c in strange)
    profile.hard_stranger = profile.hard_stranger or bool(strange)
    profile.adult = profile.adult or any(c.adult for c in strange)
    if any(c.pattern.search(folded) for c in cues.child_says_adult_life):
        profile.adult_life = True
        profile.unmask()
    # The young person placing the speaker in their offline life ("hes in my
    # form") or answering a compliment in kind ("ur prettier") vouches for a
    # peer: it outweighs the soft stranger cues, never an adult's own age.
    familiar = [c.id for c in cues.child_says_familiar if c.pattern.search(folded)]
    profile.familiar.extend(familiar)
    profile.vouched = profile.vouched or bool(familiar)
    if profile.role is not None:
        return
    for role, pattern in cues.address:
        if pattern.search(folded):
            profile.role = role
            return
