"""The risk arithmetic: bounded, monotone in tactics, worse after secrecy."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lantern.text.chat import TACTIC_CODES, load_lexicon
from lantern.text.chat.detect import Candidate
from lantern.text.chat.risk import score, speaker_total


def _hit(message: int, code: str) -> Candidate:
    return Candidate(message, code, 0, 1, "x", "r", True, frozenset())


tactic_lists = st.lists(
    st.tuples(st.integers(0, 50), st.sampled_from(TACTIC_CODES)), max_size=30
).map(lambda xs: [_hit(m, c) for m, c in sorted(xs)])


@given(tactic_lists, st.booleans())
def test_score_is_in_unit_interval(tactics: list[Candidate], stranger: bool) -> None:
    model = load_lexicon().risk
    total, reasons = speaker_total("s", tactics, stranger=stranger, model=model)
    value = score(total, len({t.message for t in tactics}), model)
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


def test_one_message_never_reaches_the_threshold() -> None:
    model = load_lexicon().risk
    assert score(100.0, 1, model) < model.threshold
    assert score(100.0, 2, model) >= model.threshold
