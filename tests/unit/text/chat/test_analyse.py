"""Whole conversations: context decides, the risk is causal, and the labelled sets are met."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.text.chat import Conversation, Message, analyse, analyse_many
from tests.paths import DATA
from tests.unit.text.chat.conftest import (
    OWN_CHATS,
    as_conversation,
    codes,
    conversation,
    load_labelled,
)

DEV_CHATS = DATA / "chats_dev.jsonl"
HELDOUT_CHATS = Path(__file__).parent / "data" / "chats_heldout.jsonl"


def _half(prefix: str) -> list[dict[str, Any]]:
    """The tune ("ho-t-") or unseen ("ho-u-") half of the set written for the second pass."""
    return [i for i in load_labelled(HELDOUT_CHATS) if i["id"].startswith(prefix)]


def test_only_messages_to_the_child_carry_tactics() -> None:
    chat = conversation(
        "amy",
        ("amy", "dont tell ur mum about me, how old r u, send me a pic of u"),
        ("stranger_01", "hi"),
    )
    assert analyse(chat).tactics == ()


def test_same_words_from_a_parent_and_from_a_stranger() -> None:
    lines = [
        ("Is anyone else in? Are your parents home?", "hi"),
        ("Send me a photo of you in your new coat", "ok"),
        ("What school are you at now?", "st marys"),
    ]
    parent = conversation("Zoe", *[m for q, a in lines for m in (("Mum", q), ("Zoe", a))])
    stranger = conversation("Zoe", *[m for q, a in lines for m in (("nightowl77", q), ("Zoe", a))])
    assert analyse(parent).tactics == () and not analyse(parent).concern
    assert {c for _, c in codes(analyse(stranger))} == {"personal_probing", "image_request"}
    assert analyse(stranger).concern


def test_where_are_you_counts_only_once_the_speaker_is_suspicious() -> None:
    friend = conversation("Mia", ("Leah", "where r u?"), ("Mia", "home"))
    assert analyse(friend).tactics == ()
    stranger = conversation(
        "Mia",
        ("nite_owl", "how old r u"),
        ("Mia", "13"),
        ("nite_owl", "where r u rn?"),
        ("Mia", "home"),
    )
    assert (2, "personal_probing") in codes(analyse(stranger))


def test_friends_sharing_usernames_are_not_a_platform_move() -> None:
    chat = conversation(
        "Ben",
        ("Ali", "add me on snap my new one is ali.k_22, did u do the science hw"),
        ("Ben", "added, nope lol"),
        ("Ali", "see u in form tmrw"),
    )
    assert analyse(chat).tactics == ()


def test_friends_falling_out_is_not_isolation() -> None:
    lines = [
        "honestly ignore her shes jealous, u dont need her",
        "keep this between us tho i dont want drama",
        "wanna come to the cinema sat? my dad can drive us",
    ]
    friend = conversation(
        "Chloe",
        ("Amelia", "did u hear what jess said about u in maths"),
        *[(s, t) for line in lines for s, t in (("Amelia", line), ("Chloe", "ok"))],
    )
    stranger = conversation(
        "Chloe",
        ("xx_dan_xx", "saw ur profile, im 23"),
        *[(s, t) for line in lines for s, t in (("xx_dan_xx", line), ("Chloe", "ok"))],
    )
    assert analyse(friend).tactics == () and not analyse(friend).concern
    assert {"isolation", "secrecy"} <= {c for _, c in codes(analyse(stranger))}
    assert analyse(stranger).concern


def test_a_coach_arranging_a_lift_is_not_a_meeting_request() -> None:
    chat = conversation(
        "Kian",
        ("Coach Dan", "Kian your mum messaged, I can pick you up at 9 for the match"),
        ("Kian", "thanks coach"),
        ("Coach Dan", "Bring your boots, see you at 9"),
    )
    assert analyse(chat).tactics == ()


def test_a_coach_who_asks_for_secrecy_is_no_longer_in_role() -> None:
    chat = conversation(
        "Kian",
        ("Coach Dan", "I can pick you up for extra training on Sunday"),
        ("Kian", "ok coach"),
        ("Coach Dan", "Don't tell your mum about the extra sessions, keep it between us"),
        ("Kian", "ok"),
    )
    assert {"meeting_request", "secrecy"} <= {c for _, c in codes(analyse(chat))}


def test_probing_after_secrecy_raises_the_risk_more() -> None:
    secrecy_first = conversation(
        "Jo",
        ("xx_rob", "dont tell anyone about us"),
        ("Jo", "ok"),
        ("xx_rob", "r u home alone tonight?"),
    )
    probing_first = conversation(
        "Jo",
        ("xx_rob", "r u home alone tonight?"),
        ("Jo", "ok"),
        ("xx_rob", "dont tell anyone about us"),
    )
    assert analyse(secrecy_first).score > analyse(probing_first).score


def test_explanations_name_the_messages_that_raised_the_risk() -> None:
    chat = conversation(
        "Jo",
        ("xx_rob", "how old r u? ur so mature"),
        ("Jo", "14"),
        ("xx_rob", "delete this chat and dont tell ur mum about me"),
    )
    result = analyse(chat)
    assert result.concern and result.first_alert == 2
    assert {r.message for r in result.reasons} == {0, 2}
    out = result.to_contract(explain=True)
    assert len(out["risk"]) == 3 and out["reasons"]


def _check_causal(conv: Conversation) -> None:
    full = analyse(conv)
    for i in range(len(conv.messages)):
        prefix = analyse(Conversation(conv.id, conv.child, conv.messages[: i + 1]))
        assert prefix.score == pytest.approx(full.risk[i])
    if full.first_alert is not None:
        fa = full.first_alert
        after = analyse(Conversation(conv.id, conv.child, conv.messages[: fa + 1]))
        before = analyse(Conversation(conv.id, conv.child, conv.messages[:fa]))
        assert after.concern and after.first_alert == fa
        assert not before.concern and before.first_alert is None


@pytest.mark.parametrize(
    "path",
    [DEV_CHATS, OWN_CHATS, HELDOUT_CHATS, HELDOUT_CHATS.parent / "chats_third.jsonl"],
    ids=["dev", "own", "heldout", "third"],
)
def test_first_alert_is_causal_on_labelled_conversations(path: Path) -> None:
    for item in load_labelled(path):
        _check_causal(as_conversation(item))


_PHRASES = [
    "hey",
    "lol ok",
    "how old r u",
    "dont tell ur mum about me",
    "ur so mature for ur age",
    "send me a pic of u",
    "add me on snap",
    "ill buy u robux",
    "my mum said u can come round",
    "see u in form tmrw",
    "r u home alone",
    "if u loved me u would",
    "ill pick u up after school",
    "ye nana",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["kid", "adult", "Nana", "pal"]), st.sampled_from(_PHRASES)),
        min_size=1,
        max_size=14,
    )
)
def test_running_risk_never_depends_on_later_messages(lines: list[tuple[str, str]]) -> None:
    _check_causal(Conversation("h", "kid", tuple(Message(s, t) for s, t in lines)))


def _metrics(items: list[dict[str, Any]]) -> dict[str, float]:
    results = analyse_many([as_conversation(i) for i in items])
    tp = fp = fn = 0
    ctp = cfp = cfn = benign = 0
    fractions = []
    for item, result in zip(items, results, strict=True):
        gold = {(t["message"], t["code"]) for t in item["tactics"]}
        pred = codes(result)
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
        grooming = item["label"] == "grooming"
        ctp += grooming and result.concern
        cfp += (not grooming) and result.concern
        cfn += grooming and not result.concern
        benign += not grooming
        if grooming:
            fa = result.first_alert
            fractions.append((fa + 1) / len(item["messages"]) if fa is not None else 1.0)
    fractions.sort()
    return {
        "tactic_f1": 2 * tp / (2 * tp + fp + fn),
        "concern_f1": 2 * ctp / (2 * ctp + cfp + cfn),
        "false_alarm": cfp / benign,
        "alert_at": fractions[len(fractions) // 2],
    }


@pytest.mark.parametrize("path", [DEV_CHATS, OWN_CHATS], ids=["dev", "own"])
def test_labelled_sets_meet_the_aims(path: Path) -> None:
    m = _metrics(load_labelled(path))
    assert m["tactic_f1"] >= 0.85, m
    assert m["concern_f1"] >= 0.90, m
    assert m["false_alarm"] <= 0.10, m
    assert m["alert_at"] <= 0.5, m


def test_tune_half_of_the_new_set_meets_the_aims() -> None:
    m = _metrics(_half("ho-t-"))
    assert m["tactic_f1"] >= 0.85, m
    assert m["concern_f1"] >= 0.90, m
    assert m["false_alarm"] <= 0.10, m
    assert m["alert_at"] <= 0.5, m


def test_unseen_half_of_the_new_set_keeps_its_measured_level() -> None:
    # Never tuned on: these floors are the figures measured after the second
    # pass (F1 0.859, concern 0.880, false alarms 0.273, alert 0.318), so a
    # change that generalises worse fails here. They are below the aims.
    m = _metrics(_half("ho-u-"))
    assert m["tactic_f1"] >= 0.84, m
    assert m["concern_f1"] >= 0.85, m
    assert m["false_alarm"] <= 0.3, m
    assert m["alert_at"] <= 0.5, m


def test_an_alert_that_later_messages_withdraw_is_still_reported() -> None:
    # An older brother saved under his first name: "on ur own?" and a lift look
    # like grooming until "our mum" shows a shared parent. The conversation
    # ends without concern, and `alerted` keeps where a live monitor alerted.
    chat = conversation(
        "Dan",
        ("Rhys", "where r u"),
        ("Dan", "town"),
        ("Rhys", "r u on ur own?"),
        ("Dan", "ye"),
        ("Rhys", "ill pick u up from the bus station at 6"),
        ("Dan", "ok"),
        ("Rhys", "our mum says tea is at 7 so dont be late"),
        ("Dan", "ok"),
    )
    result = analyse(chat)
    assert result.alerted == 4
    assert result.concern is False and result.first_alert is None
    assert result.to_contract(explain=True)["alerted"] == result.alerted


def test_new_set_passes_the_shared_validator() -> None:
    import subprocess
    import sys

    checker = DATA / "check_chats.py"
    done = subprocess.run(
        [sys.executable, str(checker), str(HELDOUT_CHATS)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout


def test_own_set_is_balanced_and_well_formed() -> None:
    items = load_labelled(OWN_CHATS)
    assert len({i["id"] for i in items}) == len(items)
    assert all(12 <= len(i["messages"]) <= 60 for i in items)
    assert sum(i["label"] == "grooming" for i in items) == sum(
        i["label"] == "benign" for i in items
    )
    for item in items:
        for t in item["tactics"]:
            message = item["messages"][t["message"]]
            assert message["speaker"] != item["child"] and t["evidence"] in message["text"]
