"""The transcript service's pure parts: reading files of each shape, highlighting evidence,
the note and factors of a concern raised from a transcript, and the factor mapping held to
the vocabulary."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.knowledge import load_vocabulary
from lantern.services.context import Invalid
from lantern.services.transcripts import (
    MAX_TRANSCRIPT_BYTES,
    MessageView,
    Segment,
    TacticView,
    TranscriptFormat,
    TranscriptSummary,
    TranscriptView,
    concern_text,
    highlight,
    load_transcript_factors,
    read_transcript,
)


def test_the_factor_mapping_uses_only_vocabulary_codes() -> None:
    mapping = load_transcript_factors()
    vocabulary = load_vocabulary()
    assert mapping.always == "online_contact"
    assert set(mapping.tactics) <= set(vocabulary.tactics)
    assert set(mapping.tactics.values()) <= set(vocabulary.factors)


def test_a_mapping_naming_an_unknown_factor_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "factors.yaml"
    bad.write_text("version: '1'\nalways: online_contact\ntactics: {secrecy: keeps_secrets}\n")
    with pytest.raises(ValueError, match="keeps_secrets"):
        load_transcript_factors(bad)


@pytest.mark.parametrize(
    ("filename", "content", "fmt"),
    [
        ("a.txt", b"[1/2/2026, 10:00] Sam: hi\n[1/2/2026, 10:01] Ava: hey\n", "text"),
        ("a", b"[1/2/2026, 10:00] Sam: hi\n[1/2/2026, 10:01] Ava: hey\n", "text"),
        ("a.csv", b"from,body\nSam,hi\nAva,hey\n", "csv"),
        ("export", b"speaker,text\nSam,hi\nAva,hey\n", "csv"),
        (
            "a",
            b'{"id": "x", "child": "Ava", "messages": [{"speaker": "Ava", "text": "hi"}]}',
            "jsonl",
        ),
        ("a.txt", b"\xef\xbb\xbf[1/2/2026, 10:00] Ava: with a byte order mark\n", "text"),
    ],
)
def test_each_shape_is_recognised(filename: str, content: bytes, fmt: str) -> None:
    conversation, found, _ = read_transcript(content, filename=filename, child="Ava")
    assert found.value == fmt
    assert conversation.child == "Ava"
    assert any(m.speaker == "Ava" for m in conversation.messages)


def test_a_format_given_overrides_the_name() -> None:
    with pytest.raises(Invalid) as refused:
        read_transcript(
            b"speaker,text\nAva,hi\n", filename="a.csv", child="Ava", fmt=TranscriptFormat.TEXT
        )
    assert "line 1" in refused.value.errors["file"]


def test_unrecognisable_and_oversized_files_are_refused() -> None:
    with pytest.raises(Invalid, match="Cannot tell"):
        read_transcript(b"just some words\n", filename="notes", child="Ava")
    with pytest.raises(Invalid, match="larger than"):
        read_transcript(b"x" * (MAX_TRANSCRIPT_BYTES + 1), filename="a.txt", child="Ava")
    with pytest.raises(Invalid) as many:
        read_transcript(
            b"conversation,speaker,text\n1,Ava,hi\n2,Ava,hey\n", filename="a.csv", child="Ava"
        )
    assert "one conversation" in many.value.errors["file"]


def test_escaped_control_characters_in_json_are_refused() -> None:
    line = b'{"id": "x", "child": "Ava", "messages": [{"speaker": "Ava", "text": "a\\u0000b"}]}'
    with pytest.raises(Invalid, match="control"):
        read_transcript(line, filename="a.jsonl", child=None)


spans = st.lists(
    st.tuples(st.integers(-5, 60), st.integers(-5, 60), st.sampled_from(["secrecy", "isolation"])),
    max_size=5,
)


@given(st.text(max_size=50), spans)
def test_highlighting_keeps_every_character_in_order(text: str, cuts: list) -> None:  # type: ignore[type-arg]
    parts = highlight(text, cuts)
    assert "".join(p.text for p in parts) == text
    marked = [p for p in parts if p.code is not None]
    assert all(p.text for p in marked)
    # Each marked part lies within the spans given (clipped to the text).
    covered = {i for s, e, _ in cuts for i in range(max(0, s), min(len(text), e))}
    at = 0
    for part in parts:
        if part.code is not None:
            assert set(range(at, at + len(part.text))) <= covered
        at += len(part.text)


def _view(messages: list[MessageView]) -> TranscriptView:
    summary = TranscriptSummary(
        id=1,
        filename="chat.txt",
        sha256="ab" * 32,
        uploaded_at=datetime(2026, 10, 3, 19, 0, tzinfo=UTC),
        uploaded_by="Test",
        messages=len(messages),
        flagged=sum(1 for m in messages if m.tactics),
        concern=True,
        score=0.9,
    )
    return TranscriptView(
        summary=summary,
        young_person_id=1,
        person_name="Lily Hart",
        reference="YP-TEST",
        child="Lily",
        format="text",
        size=100,
        first_alert=1,
        risk=tuple(0.5 for _ in messages),
        messages=tuple(messages),
        tactic_counts=(),
        reasons=(),
    )


def _message(index: int, speaker: str, text: str, *tactics: tuple[str, str]) -> MessageView:
    return MessageView(
        index=index,
        speaker=speaker,
        from_child=speaker == "Lily",
        segments=(Segment(text, None),),
        tactics=tuple(TacticView(code, code.title(), evidence) for code, evidence in tactics),
        risk=0.5,
        first_alert=False,
    )


def test_the_concern_note_quotes_flagged_messages_with_factor_spans() -> None:
    view = _view(
        [
            _message(0, "Zayn", "ur so mature", ("flattery_trust", "so mature")),
            _message(1, "Lily", "thanks"),
            _message(2, "Zayn", "dont tell ur mum", ("secrecy", "dont tell ur mum")),
            _message(3, "Zayn", "ill put £20 on ur phone", ("gifts_offers", "put £20 on ur")),
        ]
    )
    text, factors = concern_text(view)
    by_code = {f.code: text[f.start : f.end] for f in factors}
    assert by_code == {
        "online_contact": "Zayn",
        "secretive_behaviour": "dont tell ur mum",
        "unexplained_gifts": "put £20 on ur",
    }
    assert "chat.txt" in text and "ab" * 32 in text and "3 October 2026" in text
    assert "Message 1 (Zayn" in text and "thanks" not in text  # the young person is not quoted


def test_a_transcript_with_nothing_flagged_suggests_nothing() -> None:
    text, factors = concern_text(_view([_message(0, "Mum", "tea's ready")]))
    assert factors == () and "flagged no messages" in text


def test_broken_chat_patterns_make_the_upload_unavailable_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lantern.services import transcripts
    from lantern.services.context import Unavailable
    from lantern.text.chat import ChatDataError

    def broken() -> None:
        raise ChatDataError("relationships.yaml: expected a list of cues")

    monkeypatch.setattr(transcripts, "_lexicon", broken)
    conversation, found, _ = read_transcript(
        b"[1/2/2026, 10:00] Sam: hi\n[1/2/2026, 10:01] Ava: hey\n", filename="a.txt", child="Ava"
    )
    with pytest.raises(Unavailable, match="nothing was saved"):
        transcripts._analysis(conversation, found, 10)
