"""The risk arithmetic: bounded, monotone in tactics, worse after secrecy."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.text.chat import TACTIC_CODES, load_lexicon
from lantern.text.chat.detect import Candidate
from lantern.text.chat.risk import SpeakerRisk, score, speaker_total


def _hit(message: int, code: str) -> Candidate:
    return Candidate(message, code, 0, 1, "x", "r", True, frozenset())


tactic_lists = st.lists(
    st.tuples(st.integers(0, 50), st.sampled_from(TACTIC_CODES)), max_size=30
).map(lambda xs: [_hit(m, c) for m, c in sorted(xs)])


@settings(deadline=None)
@given(tactic_lists, st.booleans())
def test_score_is_in_unit_interval(tactics: list[Candidate], stranger: bool) -> None:
    model = load_lexicon().risk
    total, reasons = speaker_total("s", tactics, stranger=stranger, model=model)
    value = score(total, len({t.message for t in tactics}) >= 2, model)
    assert 0.0 <= value <= 1.0
    assert abs(sum(r.weight for r in reasons) - total) < 1e-9


@given(tactic_lists, st.sampled_from(TACTIC_CODES))
def test_one_more_tactic_never_lowers_the_total(tactics: list[Candidate], code: str) -> None:
    model = load_lexicon().risk
    before, _ = speaker_total("s", tactics, stranger=False, model=model)
    after, _ = speaker_total("s", [*tactics, _hit(99, code)], stranger=False, model=model)
    assert after > before


def test_probing_after_secrecy_weighs_more_than_before_it() -> None:
    model = load_lexicon().risk
    later, _ = speaker_total(
        "s", [_hit(1, "secrecy"), _hit(2, "personal_probing")], stranger=False, model=model
    )
    earlier, _ = speaker_total(
        "s", [_hit(1, "personal_probing"), _hit(2, "secrecy")], stranger=False, model=model
    )
    assert later > earlier


def test_too_few_tactics_never_reach_the_threshold() -> None:
    model = load_lexicon().risk
    assert score(100.0, False, model) < model.threshold
    assert score(100.0, True, model) >= model.threshold


def _risk(*hits: Candidate) -> SpeakerRisk:
    risk = SpeakerRisk("s", load_lexicon().risk)
    for h in hits:
        risk.add(h)
    return risk


def test_one_message_is_not_enough_from_an_ordinary_unknown_contact() -> None:
    assert not _risk(_hit(3, "flattery_trust")).enough(hard_stranger=False)
    assert _risk(_hit(3, "flattery_trust"), _hit(5, "gifts_offers")).enough(hard_stranger=False)


def test_secrecy_with_any_other_tactic_is_enough_in_one_message() -> None:
    assert _risk(_hit(3, "secrecy"), _hit(3, "platform_move")).enough(hard_stranger=False)
    assert not _risk(_hit(3, "platform_move"), _hit(3, "gifts_offers")).enough(hard_stranger=False)


def test_a_strong_tactic_from_an_unknown_adult_is_enough() -> None:
    weak = Candidate(3, "image_request", 0, 1, "x", "r", False, frozenset())
    assert _risk(_hit(3, "image_request")).enough(hard_stranger=True)
    assert not _risk(weak).enough(hard_stranger=True)
    model = load_lexicon().risk
    one_request = _risk(_hit(3, "image_request"))
    total = one_request.total(stranger=True, hard_stranger=True)
    assert score(total, True, model) >= model.threshold
    compliment = _risk(_hit(3, "flattery_trust")).total(stranger=True, hard_stranger=True)
    assert score(compliment, True, model) < model.threshold
