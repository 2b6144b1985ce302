"""Candidate tactics in single messages, across writing styles, with exact evidence."""

from __future__ import annotations

import pytest

from lantern.text.chat import load_lexicon
from lantern.text.chat.detect import find_candidates

POSITIVE = [
    # text-speak, gaming chat, formal writing, for each tactic
    ("secrecy", "dont tell ur mum bout me ok"),
    ("secrecy", "I would rather you didn't mention our chats to your mother."),
    ("secrecy", "delete all our msgs after yeah"),
    ("secrecy", "just say ur at lauras if she asks"),
    ("isolation", "ur parents r so controlling, they treat u like a baby"),
    (
        "isolation",
        "Your friends don't actually care about you, they talk about you behind your back.",
    ),
    ("flattery_trust", "ur so mature for 13 honestly"),
    ("flattery_trust", "You are wise beyond your years, I have never met anyone like you."),
    ("gifts_offers", "ill send u 2000 vbucks rn"),
    ("gifts_offers", "I can get you a new phone, whatever you want."),
    ("platform_move", "make a secret account so we can talk"),
    ("platform_move", "turn on disappearing messages"),
    ("personal_probing", "hw old r u?"),
    ("personal_probing", "Which school do you attend?"),
    ("personal_probing", "r u home alone rn"),
    ("personal_probing", "do ur parents check ur phone"),
    ("meeting_request", "we should meet up irl"),
    ("meeting_request", "I will wait for you by the gates after school."),
    ("image_request", "send me a selfie just for me"),
    ("image_request", "can we go on facetime tonight"),
    ("pressure_threats", "if u really loved me u would"),
    ("pressure_threats", "do it or ill post ur pics everywhere, everyone will see"),
    ("pressure_threats", "after everything ive done for u"),
    ("pressure_threats", "This offer expires at midnight."),
    # Scottish dialect
    ("secrecy", "dinnae tell yer maw aboot me"),
    ("personal_probing", "whit age are ye"),
    ("flattery_trust", "yer pure stunning"),
    # third pass: phrasings the first two passes missed, written afresh
    ("isolation", "ur dad is way too strict, u deserve a life"),
    ("isolation", "your sister's just jealous of us tbh"),
    ("isolation", "They would never understand what we have."),
    ("flattery_trust", "ur funnier than all my mates honestly"),
    ("flattery_trust", "you've got so much potential, trust me"),
    ("flattery_trust", "ur proper mature 4 12"),
    ("gifts_offers", "here's a tenner for ur bus"),
    ("platform_move", "we chat on signal, not in here"),
    ("personal_probing", "wot age r u"),
    ("personal_probing", "does ur bedroom door lock?"),
    ("personal_probing", "which exit do u come out of after school"),
    ("meeting_request", "come down to the garage when its quiet"),
    ("image_request", "turn ur cam on so i can see ur new room"),
    ("pressure_threats", "you only get the skin only if you video call me"),
    ("pressure_threats", "if u say anything ill get in so much trouble"),
    ("secrecy", "Best if your mum doesn't know, she'd only worry."),
    ("secrecy", "dont talk to anyone else about us"),
]

NEGATIVE = [
    ("secrecy", "Don't tell Dad but I've got him tickets for his birthday, keep it a secret!"),
    ("secrecy", "delete what i said about her lol"),
    ("image_request", "send me a pic of the homework sheet"),
    ("personal_probing", "where r u"),
    ("personal_probing", "how long have you been doing art?"),
    ("flattery_trust", "ur lineart is clean, nice work"),
    ("pressure_threats", "be ready at 6, i aint waiting"),
    ("meeting_request", "are you coming to the match on saturday?"),
    (
        "secrecy",
        "If anyone online asks you to keep a secret or delete your chats, tell a trusted adult.",
    ),
    ("image_request", "Never send photos of yourself to people you haven't met."),
    ("gifts_offers", "ill pay u back for the chips tmrw"),
    ("gifts_offers", "wanna swap my sword for ur shield"),
    ("flattery_trust", "ur my favourite artist on here"),
    ("personal_probing", "what age group is the tournament?"),
]


@pytest.mark.parametrize(("code", "text"), POSITIVE)
def test_tactic_found_with_exact_evidence(code: str, text: str) -> None:
    found = {c.code: c for c in find_candidates(0, text, load_lexicon(), {})}
    assert code in found, f"{code} not found in {text!r}"
    hit = found[code]
    assert hit.evidence == text[hit.start : hit.end]
    assert hit.evidence.strip() == hit.evidence and hit.evidence


@pytest.mark.parametrize(("code", "text"), NEGATIVE)
def test_harmless_words_are_not_that_tactic(code: str, text: str) -> None:
    found = {c.code for c in find_candidates(0, text, load_lexicon(), {})}
    assert code not in found


def test_typographic_apostrophes_match_and_offsets_hold() -> None:
    text = "so you\u2019re home alone? don\u2019t tell your mum about me"
    found = {c.code: c for c in find_candidates(3, text, load_lexicon(), {})}
    assert {"personal_probing", "secrecy"} <= set(found)
    for hit in found.values():
        assert hit.message == 3 and text[hit.start : hit.end] == hit.evidence


def test_follow_up_needs_an_earlier_image_request() -> None:
    text = "just normal ones, face and outfit"
    lex = load_lexicon()
    assert "image_request" not in {c.code for c in find_candidates(5, text, lex, {})}
    recent = {"image_request": 4}
    assert "image_request" in {c.code for c in find_candidates(5, text, lex, recent)}


def test_at_most_one_candidate_per_code() -> None:
    text = "dont tell ur mum, delete this chat, keep it our secret"
    found = [c.code for c in find_candidates(0, text, load_lexicon(), {})]
    assert found.count("secrecy") == 1


def test_rule_probes_never_skip_a_message_the_pattern_matches() -> None:
    # The probes only save work: a rule skipped for want of its literals must
    # have had no match, on every message of the labelled sets in all styles.
    import json
    from pathlib import Path

    from lantern.text.chat.normalise import normalise

    lexicon = load_lexicon()
    data = Path(__file__).parent / "data"
    texts = [
        normalise(m["text"], lexicon.spellings).value
        for name in (
            "chats_own.jsonl",
            "chats_heldout.jsonl",
            "chats_third.jsonl",
            "chats_fourth.jsonl",
        )
        for line in (data / name).read_text(encoding="utf-8").splitlines()
        for m in json.loads(line)["messages"]
    ]
    assert all(rule.probe is not None for rule in lexicon.rules)
    for text in texts:
        for rule in lexicon.rules:
            if rule.probe is not None and rule.probe.search(text.casefold()) is None:
                assert rule.pattern.search_lower(text) is None, (rule.id, text)


def test_the_rule_index_finds_what_the_per_rule_probes_find() -> None:
    # The Aho-Corasick index only saves work: with it and without it (each
    # rule's own probe), every message of the labelled sets gets the same
    # candidates.
    import dataclasses
    import json
    from pathlib import Path

    lexicon = load_lexicon()
    assert lexicon.index is not None
    plain = dataclasses.replace(lexicon, index=None)
    data = Path(__file__).parent / "data"
    for name in ("chats_own.jsonl", "chats_third.jsonl", "chats_fourth.jsonl"):
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            for i, m in enumerate(json.loads(line)["messages"]):
                recent = {"image_request": i - 1}
                got = find_candidates(i, m["text"], lexicon, recent)
                assert got == find_candidates(i, m["text"], plain, recent), m["text"]
