"""Standard spelling before matching: text-speak, typos and dialect, with exact evidence offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lantern.text.chat import load_lexicon
from lantern.text.chat.detect import find_candidates
from lantern.text.chat.normalise import normalise


def _norm(text: str) -> str:
    return normalise(text, load_lexicon().spellings).value


def test_text_speak_typos_and_dialect_become_standard_words() -> None:
    assert _norm("wud be best not 2 say") == "would be best not 2 say"
    assert _norm("deleet these msgs") == "delete these messages"
    assert _norm("dinnae be tellin yer maw") == "don't be telling your mum"
    assert _norm("Ah'll come roond") == "i'll come round"
    assert _norm("is any1 in?") == "is anyone in?"


def test_stretched_letters_shorten_to_the_word() -> None:
    assert _norm("sooo pleaseee") == "so please"
    assert _norm("goood") == "good"


def test_ambiguous_spellings_stay_as_written() -> None:
    # "ur" is your or you're, "ye" is you or yes: the patterns allow for both.
    assert _norm("ur mum ye") == "ur mum ye"


def test_evidence_is_quoted_from_the_original_text() -> None:
    text = "gr8. deleet these msgs after ok"
    found = find_candidates(0, text, load_lexicon(), {})
    secrecy = [c for c in found if c.code == "secrecy"]
    assert secrecy and secrecy[0].evidence in text
    assert secrecy[0].evidence.startswith("deleet")


@given(st.text(max_size=80))
def test_every_rewritten_character_points_into_the_original(text: str) -> None:
    n = normalise(text, load_lexicon().spellings)
    assert len(n.starts) == len(n.ends) == len(n.value)
    for i in range(len(n.value)):
        a, b = n.original_span(i, i + 1)
        assert 0 <= a < b <= len(text)
    if n.value:
        a, b = n.original_span(0, len(n.value))
        assert text[a:b].strip() == text.strip() or a <= b


def test_emoji_read_as_spaces_and_trailing_ones_are_dropped() -> None:
    spellings = load_lexicon().spellings
    text = "ur so pretty\U0001f60dsend a pic 🤫👀"
    norm = normalise(text, spellings)
    assert norm.value == "ur so pretty send a pic"
    start = norm.value.index("send")
    s, e = norm.original_span(start, len(norm.value))
    assert text[s:e] == "send a pic"


def test_a_secrecy_request_ending_in_an_emoji_is_still_found() -> None:
    found = find_candidates(1, "delete these too yeah 🤐", load_lexicon(), {})
    assert [c.code for c in found] == ["secrecy"]
    assert found[0].evidence == "delete these too yeah"
