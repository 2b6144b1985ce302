"""Third pass: the evidence that makes risky-looking words ordinary, and what it must not excuse.

Each case is written afresh (not taken from a labelled set) in a style of its
own, and each benign one is paired with the grooming pattern it must not hide.
"""

from __future__ import annotations

from typing import Any

import pytest

from lantern.text.chat import analyse, load_lexicon
from lantern.text.chat.relationship import Profile, observe_child, observe_speaker
from tests.unit.text.chat.conftest import as_conversation, codes, conversation, load_labelled

from .test_analyse import HELDOUT_CHATS

THIRD_CHATS = HELDOUT_CHATS.parent / "chats_third.jsonl"


def _half(prefix: str) -> list[dict[str, Any]]:
    return [i for i in load_labelled(THIRD_CHATS) if i["id"].startswith(prefix)]


@pytest.mark.parametrize(
    "text",
    ["is mum in?", "Dont tell Dad I was late", "our nan says hi", "Mum said u can have the ipad"],
)
def test_a_parent_named_without_your_gives_the_family_role(text: str) -> None:
    profile = Profile()
    observe_speaker(profile, text, load_lexicon().relationships)
    assert profile.role == "family"


@pytest.mark.parametrize(
    "text", ["do u live with mum or dad?", "dont tell ur mum", "when ur dad's at work"]
)
def test_a_parent_of_the_young_person_is_not_a_shared_one(text: str) -> None:
    profile = Profile()
    observe_speaker(profile, text, load_lexicon().relationships)
    assert profile.role is None


@pytest.mark.parametrize(
    "reply", ["omg shes in my form", "ye hes my best mate", "nooo ur prettier", "hes in my science"]
)
def test_the_young_person_can_vouch_for_a_peer(reply: str) -> None:
    profile = Profile(stranger=["asks_age"])
    observe_child(profile, reply, load_lexicon().relationships)
    assert profile.vouched and profile.is_known


def test_a_vouching_reply_does_not_outweigh_an_adult_age() -> None:
    profile = Profile()
    cues = load_lexicon().relationships
    observe_speaker(profile, "lol im 24 but age is just a number", cues)
    observe_child(profile, "hes in my form", cues)
    assert not profile.is_known


def test_a_game_trade_between_classmates_is_not_grooming() -> None:
    chat = conversation(
        "Ollie",
        ("creeper_king", "still got the golden pickaxe?"),
        ("Ollie", "yeah"),
        ("creeper_king", "ill send u 300 coins for it"),
        ("Ollie", "400"),
        ("creeper_king", "ok. add me on discord, its creeperking"),
        ("Ollie", "done"),
        ("creeper_king", "how old are u btw"),
        ("Ollie", "12 year 7"),
        ("creeper_king", "same lol year 7 at hillside"),
        ("Ollie", "no way do u know zak"),
        ("creeper_king", "zak m? ye"),
        ("Ollie", "hes in my form lol"),
    )
    result = analyse(chat)
    assert result.concern is False and result.tactics == ()


def test_the_same_opening_from_an_adult_still_alerts() -> None:
    chat = conversation(
        "Ollie",
        ("creeper_king", "still got the golden pickaxe?"),
        ("Ollie", "yeah"),
        ("creeper_king", "ill send u 300 coins for it"),
        ("Ollie", "400"),
        ("creeper_king", "ok. add me on discord, its creeperking"),
        ("Ollie", "done"),
        ("creeper_king", "how old are u btw"),
        ("Ollie", "12"),
        ("creeper_king", "im 23 lol. dont tell ur parents we talk, they wont get it"),
        ("Ollie", "ok"),
        ("creeper_king", "send a pic so i know ur real"),
        ("Ollie", "hes in my form lol"),
    )
    assert analyse(chat).concern is True


def test_a_coach_who_brings_the_parents_in_keeps_the_role() -> None:
    chat = conversation(
        "Nia",
        ("Coach Bev", "Welcome to Dragons Netball Nia! Your dad said you can do Mondays"),
        ("Nia", "thanks coach"),
        ("Coach Bev", "I need a photo of you for the league registration card, face only"),
        ("Nia", "ok"),
        ("Coach Bev", "Which school are you at? Some of the squad are from Ysgol Glan"),
        ("Nia", "ysgol glan"),
        ("Coach Bev", "Lovely. Training is 6pm in the sports hall"),
        ("Nia", "ok coach"),
    )
    result = analyse(chat)
    assert result.concern is False
    assert (4, "personal_probing") not in codes(result)


def test_a_coach_who_hides_the_contact_loses_the_role() -> None:
    chat = conversation(
        "Nia",
        ("Coach Bev", "Welcome to Dragons Netball Nia! Your dad said you can do Mondays"),
        ("Nia", "thanks coach"),
        ("Coach Bev", "I need a photo of you for the card, just between us ok"),
        ("Nia", "ok"),
        ("Coach Bev", "Which school are you at? Dont tell your dad I asked"),
        ("Nia", "ysgol glan"),
    )
    assert analyse(chat).concern is True


def test_a_surprise_for_someone_else_makes_later_secrecy_ordinary() -> None:
    chat = conversation(
        "Zain",
        ("Khala Amina", "Salaam Zain, we're planning a surprise party for your dad's 50th"),
        ("Zain", "omg ok khala"),
        ("Khala Amina", "Don't tell him anything! Keep it between us"),
        ("Zain", "i wont"),
        ("Khala Amina", "Can you send me a photo of the guest list from his phone"),
        ("Zain", "ok"),
    )
    result = analyse(chat)
    assert result.concern is False
    assert not any(code == "secrecy" for _, code in codes(result))


def test_a_present_for_the_young_person_does_not_excuse_secrecy() -> None:
    chat = conversation(
        "Zain",
        ("deano77", "got u a surprise, new airpods"),
        ("Zain", "rly?"),
        ("deano77", "dont tell ur mum about me tho, delete our chats"),
        ("Zain", "ok"),
    )
    assert any(code == "secrecy" for _, code in codes(analyse(chat)))


@pytest.mark.parametrize(
    "text",
    ["ill pay u back tmrw", "ill give u the money back", "wanna swap skins", "we can go halves"],
)
def test_money_back_and_swaps_between_equals_are_not_gifts(text: str) -> None:
    chat = conversation("Lee", ("stranger_x", "how old r u"), ("stranger_x", text))
    assert (1, "gifts_offers") not in codes(analyse(chat))


@pytest.mark.parametrize("name", ["Nain", "Ammi", "Babcia Ola", "Gramps", "Nonna Rita"])
def test_relationship_words_across_languages_give_the_family_role(name: str) -> None:
    chat = conversation(
        "Ava",
        (name, "where are you? are you on your own?"),
        ("Ava", "at the park"),
        (name, "send me a photo so I know you're safe, I'll pick you up"),
    )
    assert analyse(chat).tactics == ()


def test_third_set_passes_the_shared_validator_except_its_deliberate_imbalance() -> None:
    import subprocess
    import sys

    from tests.paths import DATA

    done = subprocess.run(
        [sys.executable, str(DATA / "check_chats.py"), str(THIRD_CHATS)],
        capture_output=True,
        text=True,
    )
    # Mostly benign by design (look-alikes are the false alarms being measured),
    # so the validator's balance rule is the one error allowed.
    assert "1 ERROR(S):" in done.stdout and "labels unbalanced" in done.stdout, done.stdout
    assert len(load_labelled(THIRD_CHATS)) >= 30


def test_third_set_tune_half_has_no_false_alarm_and_keeps_recall() -> None:
    # Only the tune half ("nb-t-") is held to this; the unseen half is measured
    # by the bench and never tuned on.
    items = _half("nb-t-")
    results = {i["id"]: analyse(as_conversation(i)) for i in items}
    for item in items:
        assert results[item["id"]].concern is (item["label"] == "grooming"), item["id"]


LOOK_ALIKES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "sister saved by name": (
        "Abi",
        [
            ("Tash", "where r u, mum's going mad"),
            ("Abi", "bus"),
            ("Tash", "r u on ur own"),
            ("Abi", "ye"),
            ("Tash", "ill meet u at the stop, dont tell mum i was out"),
            ("Abi", "ok"),
            ("Tash", "send me a pic of the timetable"),
        ],
    ),
    "online shop": (
        "Ryan",
        [
            ("VintageKicks", "Thanks for your order! Can you confirm your address and postcode?"),
            ("Ryan", "12 oak rd"),
            ("VintageKicks", "Send us a photo of the size label on your old pair"),
            ("Ryan", "ok"),
            ("VintageKicks", "We can give you 10% off your next order, use code KICKS10"),
            ("Ryan", "thanks"),
            ("VintageKicks", "Are you home Thursday for delivery?"),
        ],
    ),
    "teasing friend": (
        "Lola",
        [
            ("meg", "lolaaa who's the boy in ur story"),
            ("Lola", "no one"),
            ("meg", "liar. dont worry i wont tell ur mum"),
            ("Lola", "shut up"),
            ("meg", "send me the pic without the sticker"),
            ("Lola", "no lol"),
            ("meg", "ur so pretty tho he's lucky"),
            ("Lola", "stoppp"),
            ("meg", "see u in form x"),
        ],
    ),
    "grandad new to phones": (
        "Finn",
        [
            ("Grampa Bill", "Hello Finn. Is this how you send a message?"),
            ("Finn", "yes grampa"),
            ("Grampa Bill", "Where are you today?"),
            ("Finn", "school"),
            ("Grampa Bill", "I will pick you up Friday and we will go fishing"),
            ("Finn", "yay"),
            ("Grampa Bill", "Send me a picture of your new bike"),
        ],
    ),
    "gamer of the same age": (
        "Leo",
        [
            ("vex_99", "gg"),
            ("Leo", "gg"),
            ("vex_99", "add me on discord"),
            ("Leo", "whats ur tag"),
            ("vex_99", "vex99. how old r u"),
            ("Leo", "12"),
            ("vex_99", "im 12 too lol"),
            ("Leo", "nice"),
            ("vex_99", "wanna duo tmrw after school"),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(LOOK_ALIKES))
def test_benign_look_alikes_raise_no_concern(name: str) -> None:
    child, lines = LOOK_ALIKES[name]
    assert analyse(conversation(child, *lines)).concern is False


def test_an_age_given_back_as_a_teenager_does_not_vouch() -> None:
    # "im 13 too" gives the speaker's own age: a stranger cue that no peer
    # claim outweighs, so the secrecy and images that follow still count.
    chat = conversation(
        "Em",
        ("skye_x", "hey how old r u"),
        ("Em", "13"),
        ("skye_x", "omg im 13 too"),
        ("Em", "cool"),
        ("skye_x", "dont tell ur mum about me"),
        ("Em", "ok"),
        ("skye_x", "send me a pic of u in ur room and delete our chats after"),
    )
    assert analyse(chat).concern is True
