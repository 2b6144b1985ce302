"""Fourth pass: the pretend peer, adult ages given by others, and tactics as classes of meaning.

Every conversation and phrase here is written afresh for these tests, in
styles the labelled sets use little (voice-chat fragments, formal letters,
group chats), and each mechanism is paired with the ordinary case it must
leave alone.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lantern.text.chat import analyse, load_lexicon
from lantern.text.chat.detect import find_candidates
from lantern.text.chat.relationship import Profile, claims_young_by_name, observe_child
from tests.paths import DATA
from tests.unit.text.chat.conftest import as_conversation, codes, conversation, load_labelled

from .test_analyse import _check_causal, _metrics

FOURTH_CHATS = Path(__file__).parent / "data" / "chats_fourth.jsonl"


def _half(prefix: str) -> list[dict[str, Any]]:
    return [i for i in load_labelled(FOURTH_CHATS) if i["id"].startswith(prefix)]


def _found(text: str) -> set[str]:
    return {c.code for c in find_candidates(3, text, load_lexicon(), {})}


# --- the pretend peer -------------------------------------------------------

_PEER_OPENING = [
    ("mason.k", "u at westbrook? im in year 9 there too"),
    ("Tia", "ye 9r"),
    ("mason.k", "same year lol im in 9m"),
    ("Tia", "oh ok"),
]


def test_a_same_year_claim_met_by_an_adult_life_is_a_pretend_peer() -> None:
    chat = conversation(
        "Tia",
        *_PEER_OPENING,
        ("mason.k", "brb got to drop my daughter at her nans"),
        ("Tia", "ur daughter??"),
        ("mason.k", "lol my sister i mean. where do u live, near the park?"),
        ("Tia", "kind of"),
    )
    result = analyse(chat)
    assert (6, "personal_probing") in codes(result)
    assert result.concern is True and result.first_alert == 6


def test_a_real_same_year_peer_keeps_the_benefit_of_the_doubt() -> None:
    chat = conversation(
        "Tia",
        *_PEER_OPENING,
        ("mason.k", "my mum is driving us to the match sat if u want a lift"),
        ("Tia", "ill ask my mum"),
        ("mason.k", "where do u live, near the park?"),
        ("Tia", "kind of"),
    )
    assert analyse(chat).concern is False


@pytest.mark.parametrize(
    "reply", ["wait u can drive??", "ur married?!", "u have kids?", "ur driving?? how old r u"]
)
def test_the_young_persons_surprise_unmasks_a_claimed_peer(reply: str) -> None:
    profile = Profile(claims_young=True, familiar=["peer_same_year"], vouched=True)
    observe_child(profile, reply, load_lexicon().relationships)
    assert profile.pretend_peer and not profile.is_known


@pytest.mark.parametrize("reply", ["ur mum driving?", "my dad can drive us", "lol ok"])
def test_ordinary_replies_do_not_unmask(reply: str) -> None:
    profile = Profile(claims_young=True, familiar=["peer_same_year"], vouched=True)
    observe_child(profile, reply, load_lexicon().relationships)
    assert not profile.pretend_peer and profile.is_known


@pytest.mark.parametrize("name", ["jayden_15", "ben_y9", "Amy yr8", "kez14"])
def test_a_display_name_can_claim_a_young_age(name: str) -> None:
    assert claims_young_by_name(name, load_lexicon().relationships)


@pytest.mark.parametrize("name", ["R4zorback", "Coach Adams", "xVortexx", "deano77", "sam_2009"])
def test_other_display_names_claim_nothing(name: str) -> None:
    assert not claims_young_by_name(name, load_lexicon().relationships)


def test_a_name_claim_and_passing_a_driving_test_unmask_together() -> None:
    chat = conversation(
        "Leah",
        ("kyra_y10", "hiya saw u in the netball pics"),
        ("Leah", "hi"),
        ("kyra_y10", "passed my test today!! so happy"),
        ("Leah", "wait what"),
        ("kyra_y10", "send me a selfie of u in ur kit"),
        ("Leah", "why"),
    )
    result = analyse(chat)
    assert (4, "image_request") in codes(result) and result.concern is True
    assert any("posed as a young person" in r.why for r in result.reasons)


# --- an adult age given by someone else -------------------------------------


def _skating(age_line: str) -> list[tuple[str, str]]:
    return [
        ("amelia", "who wants to go ice skating sunday"),
        ("Jess", "meee"),
        ("Rob", "ill come too"),
        ("amelia", age_line),
        ("Rob", "jess need a lift? ill grab u from urs"),
        ("Jess", "ok"),
        ("Rob", "ill get u a hot chocolate there too"),
        ("Jess", "yay"),
    ]


def test_a_group_member_giving_a_speakers_adult_age_makes_them_an_unknown_adult() -> None:
    result = analyse(conversation("Jess", *_skating("rob is 24 btw hes my cousins mate")))
    assert {(4, "meeting_request"), (6, "gifts_offers")} <= codes(result)
    assert result.concern is True and result.first_alert == 6


@pytest.mark.parametrize("age_line", ["rob is 13 on sunday lol", "rob is my cousins mate"])
def test_without_an_adult_age_the_same_offers_stay_ordinary(age_line: str) -> None:
    result = analyse(conversation("Jess", *_skating(age_line)))
    assert result.concern is False and result.tactics == ()


# --- an adult who knows the young person's age ------------------------------


def _adult_asks(child_reply: str) -> list[tuple[str, str]]:
    return [
        ("Gav", "alright, nice build on ur server map"),
        ("Leo", "thanks"),
        ("Gav", "im 27 lol been building for years"),
        ("Leo", child_reply),
        ("Gav", "which school do u go to?"),
        ("Leo", "why"),
    ]


@pytest.mark.parametrize("reply", ["oh im 13", "13", "cool im in year 8"])
def test_one_tactic_from_an_adult_who_knows_the_childs_age_alerts(reply: str) -> None:
    result = analyse(conversation("Leo", *_adult_asks(reply)))
    assert result.concern is True and result.first_alert == 4
    assert any("knows the young person's age" in r.why for r in result.reasons)


def test_one_tactic_from_an_adult_without_the_childs_age_does_not() -> None:
    result = analyse(conversation("Leo", *_adult_asks("cool")))
    assert (4, "personal_probing") in codes(result)
    assert result.concern is False


# --- news to be announced ---------------------------------------------------


def test_keeping_news_until_it_is_announced_is_not_secrecy() -> None:
    chat = conversation(
        "Kai",
        ("Coach Lou", "Your mum has signed the form for the county trials, brilliant"),
        ("Kai", "thanks coach"),
        ("Coach Lou", "Keep it quiet from the squad for now, I'll announce the team on Friday"),
        ("Kai", "ok"),
        ("Coach Lou", "I can give you a lift to the trials if your mum is working"),
        ("Kai", "ok thanks coach"),
    )
    result = analyse(chat)
    assert result.concern is False and result.tactics == ()


def test_an_announcement_does_not_excuse_hiding_the_contact() -> None:
    chat = conversation(
        "Kai",
        ("Coach Lou", "I'll announce the team on Friday"),
        ("Kai", "ok"),
        ("Coach Lou", "delete our chats tonight, and dont let your mum see them"),
        ("Kai", "ok"),
    )
    assert any(code == "secrecy" for _, code in codes(analyse(chat)))


# --- tactics as classes of meaning ------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("dont post in the group chat that we talk ok", "secrecy"),
        ("keep this out of the server yeah", "secrecy"),
        ("read it then delete it.", "secrecy"),
        ("wipe them after ok", "secrecy"),
        ("ur pals are two faced, they laugh at u", "isolation"),
        ("your foster carers don't even care where you go", "isolation"),
        ("nicest girl ive ever talked to tbh", "flattery_trust"),
        ("You are incredibly talented, truly.", "flattery_trust"),
        ("u sound like someone way older", "flattery_trust"),
        ("ur nothing like the others", "flattery_trust"),
        ("chatting with u is the highlight of my week", "flattery_trust"),
        ("got a spare headset here, its yours", "gifts_offers"),
        ("I'd be glad to treat you to something nice", "gifts_offers"),
        ("a wee present for you is in the post", "gifts_offers"),
        ("the agency pays girls for a day of filming", "gifts_offers"),
        ("jump on my server later", "platform_move"),
        ("turn it on so the chats vanish after", "platform_move"),
        ("age?", "personal_probing"),
        ("who's in the house right now", "personal_probing"),
        ("I shall need your home address for the parcel", "personal_probing"),
        ("what's your street called", "personal_probing"),
        ("u need a lift sat?", "meeting_request"),
        ("i can drive round to yours after tea", "meeting_request"),
        ("after i sent u that code?? seriously", "pressure_threats"),
        ("i thought u were different", "pressure_threats"),
    ],
)
def test_unfamiliar_wording_of_a_tactic_is_found(text: str, code: str) -> None:
    assert code in _found(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("delete it and resend the form with your signature", "secrecy"),
        ("who's home for tea tonight", "personal_probing"),
        ("what a talented team they are", "flattery_trust"),
        ("pay it back whenever", "gifts_offers"),
        ("i'll drive the minibus", "meeting_request"),
        ("after i finish work ill ring your mum", "pressure_threats"),
    ],
)
def test_ordinary_words_near_those_tactics_are_not(text: str, code: str) -> None:
    assert code not in _found(text)


# Everyday wordings, one or two per class the fourth pass added, in several
# registers; the classes are meant to catch wordings like these, not these.
_EVERYDAY = {
    "secrecy": [
        "nobody needs to know about this",
        "keep ur mouth shut about me ok",
        "if ur mum asks say im a girl from school",
        "dont screenshot any of this",
        "mums the word yeah",
        "u cant tell anyone",
        "this is just for us",
    ],
    "isolation": [
        "ur family dont deserve u",
        "they're holding you back, you know that",
        "I'm the only one you can rely on",
        "you dont need anyone else, you have me",
        "ur mum is always on at u",
        "ur too good for them",
    ],
    "flattery_trust": [
        "ur honestly perfect",
        "u got such a nice smile",
        "i've never clicked with anyone like this",
        "ur lowkey gorgeous",
        "you light up my day",
    ],
    "gifts_offers": [
        "want me to top up ur phone",
        "can send u 20 quid tonight",
        "here take my spare switch",
        "fancy some money",
        "i'll buy it for u",
    ],
    "platform_move": ["whats ur snap", "got kik?", "hmu on snap", "follow me back on insta"],
    "personal_probing": [
        "whens ur mum back",
        "do you walk home on your own?",
        "is ur phone on silent at night?",
        "what room do u sleep in",
        "u still at the same address?",
        "u 13?",
    ],
    "meeting_request": ["fancy a drive", "can i see u this weekend", "ill come to urs", "meet up?"],
    "image_request": ["let me see u", "show me what ur wearing", "can u facetime", "pic?"],
    "pressure_threats": [
        "if u cared u would",
        "ur so ungrateful",
        "i'll tell your mum everything",
        "you'll regret it",
        "why are u ignoring me",
        "thought u were my friend",
    ],
}


# Formal, dialect and indirect wordings, written after the everyday ones.
_FORMAL_AND_DIALECT = {
    "secrecy": [
        "It would be wise not to share our correspondence with your parents.",
        "pls dnt tel ur mam",
        "I'd appreciate your discretion regarding our chats.",
        "your parents would not approve so best they dont find out",
    ],
    "isolation": [
        "Your friends are a bad influence, you'd do better without them",
        "they'll never understand you like i do",
        "why do u even hang round with them",
    ],
    "flattery_trust": ["ur proper bonnie", "You have such a beautiful soul"],
    "gifts_offers": ["Do you want a new iPhone? I can arrange that.", "got u a wee present"],
    "platform_move": [
        "Let's continue this conversation on Signal.",
        "can we talk somewhere more private",
        "make a new insta just for us",
    ],
    "personal_probing": ["Do you have your own bedroom?", "wots ur address", "anyone with u?"],
    "meeting_request": ["I'd really like to see you in person.", "want me to come get u"],
    "image_request": ["Can I see what you look like?"],
    "pressure_threats": [
        "If you don't reply I'll be really upset.",
        "you're going to get in trouble if you don't",
        "You're making me sad by ignoring me",
    ],
}


@pytest.mark.parametrize(
    ("code", "text"),
    [
        (code, text)
        for table in (_EVERYDAY, _FORMAL_AND_DIALECT)
        for code, texts in table.items()
        for text in texts
    ],
)
def test_everyday_wording_of_a_tactic_is_found(code: str, text: str) -> None:
    assert code in _found(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("no one knows the answer to q3", "secrecy"),
        ("dont tell me the ending!!", "secrecy"),
        ("I'd never treat you like that", "gifts_offers"),
        ("do u do art at school as well?", "personal_probing"),
        ("do you have an email address for the club newsletter?", "personal_probing"),
        ("ur perfect for the lead role", "flattery_trust"),
        ("can i see u play on sat", "meeting_request"),
        ("u can keep it till monday", "gifts_offers"),
        ("im getting the new battle pass, want me to get u one too", "meeting_request"),
        ("u still need money for them trainers", "gifts_offers"),
        ("Please share the kit list with your parents.", "secrecy"),
    ],
)
def test_everyday_near_misses_are_not_tactics(text: str, code: str) -> None:
    assert code not in _found(text)


def test_a_question_about_them_counts_only_from_a_suspicious_speaker() -> None:
    friendly = conversation(
        "Ava",
        ("jojo", "omg is ur phone on silent at night? i messaged u at 10"),
        ("Ava", "ye soz"),
        ("jojo", "see u in form tmrw"),
        ("Ava", "ok"),
    )
    stranger = conversation(
        "Ava",
        ("jojo", "im 31 btw. is ur phone on silent at night?"),
        ("Ava", "ye"),
        ("jojo", "what room do u sleep in"),
        ("Ava", "why"),
    )
    assert analyse(friendly).tactics == ()
    assert {(0, "personal_probing"), (2, "personal_probing")} <= codes(analyse(stranger))


# --- the fourth labelled set ------------------------------------------------


def test_fourth_set_passes_the_shared_validator() -> None:
    done = subprocess.run(
        [sys.executable, str(DATA / "check_chats.py"), str(FOURTH_CHATS)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout


def test_first_alert_is_causal_on_the_fourth_set() -> None:
    for item in load_labelled(FOURTH_CHATS):
        _check_causal(as_conversation(item))


def test_tune_half_of_the_fourth_set_meets_the_aims() -> None:
    m = _metrics(_half("c4-t-"))
    assert m["tactic_f1"] >= 0.85, m
    assert m["concern_f1"] >= 0.90, m
    assert m["false_alarm"] <= 0.10, m
    assert m["alert_at"] <= 0.5, m


def test_unseen_half_of_the_fourth_set_keeps_its_measured_level() -> None:
    # Never tuned on: floors just under the figures measured after the fourth
    # pass (F1 0.711, concern 1.0, false alarms 0, alert 0.733), so a change
    # that generalises worse fails here. Tactic F1 and the alert point are
    # below the aims.
    m = _metrics(_half("c4-u-"))
    assert m["tactic_f1"] >= 0.70, m
    assert m["concern_f1"] >= 0.95, m
    assert m["false_alarm"] <= 0.0, m
    assert m["alert_at"] <= 0.75, m
