"""Who a speaker is to the young person: roles from names and forms of address, and cues."""

from __future__ import annotations

import pytest

from lantern.text.chat import load_lexicon
from lantern.text.chat.relationship import (
    Profile,
    observe_child,
    observe_speaker,
    role_from_name,
)


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("Mum", "family"),
        ("Nana Jean", "family"),
        ("uncle_dave", "family"),
        ("Coach Steve", "professional"),
        ("Ms Hughes", "professional"),
        ("MrDavies_Tutor", "professional"),
        ("kai_rdx", None),
        ("DeanBuilds", None),
        ("GaryFC_Scout", None),
        ("Mummyslittlehelper", None),
    ],
)
def test_role_from_name(name: str, role: str | None) -> None:
    assert role_from_name(name, load_lexicon().relationships) == role


@pytest.mark.parametrize(
    ("reply", "role"),
    [
        ("ye nana lol", "family"),
        ("ok miss, can i have till monday", "professional"),
        ("coach my mums working can i get a lift", "professional"),
        ("ur the best cuz", "family"),
        ("mum said ye but back by 7", None),
        ("my mum took my xbox", None),
    ],
)
def test_role_from_how_the_young_person_addresses_them(reply: str, role: str | None) -> None:
    profile = Profile()
    observe_child(profile, reply, load_lexicon().relationships)
    assert profile.role == role


def test_stranger_and_familiar_cues() -> None:
    cues = load_lexicon().relationships
    stranger = Profile()
    observe_speaker(stranger, "hey sorry random msg, saw ur profile. im 24 btw", cues)
    assert stranger.stranger and not stranger.is_known
    friend = Profile()
    observe_speaker(friend, "my mum said u can come round, see u in form tmrw", cues)
    assert friend.familiar and friend.is_known
    replied = Profile()
    observe_child(replied, "who r u??", cues)
    assert replied.stranger


def test_bringing_the_parents_in_outweighs_asking_age() -> None:
    cues = load_lexicon().relationships
    peer = Profile()
    observe_speaker(peer, "how old r u btw im 12", cues)
    assert peer.stranger and not peer.is_known
    observe_speaker(peer, "my mum said u can come to mine sat, she'll ring ur mum", cues)
    assert peer.vouched and peer.is_known
