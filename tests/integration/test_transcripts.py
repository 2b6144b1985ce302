"""The transcript service on SQLite and PostgreSQL: stored with its hash and analysis, audited,
scoped, refused whole when bad, and the starting point of a concern."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lantern.services import Forbidden, Invalid, NotFound
from lantern.services.access import open_break_glass
from lantern.services.concerns import ConcernDraft, FactorChoice, record_concern
from lantern.services.context import Actor, utcnow
from lantern.services.transcripts import (
    TranscriptFormat,
    concern_start,
    get_transcript,
    list_transcripts,
    upload_transcript,
)
from lantern.store.models import AuditEvent, ConcernFactor, Transcript

from .conftest import World

#: A fictional gaming chat (non-graphic): praise, a gift, secrecy, a move to a private app.
#: Written as a CSV export with an emoji and accented names, to test the encodings too.
CHAT_CSV = """sender,message
Rhys_07,gg ur actually cracked at this 😮
Élodie,haha thanks
Rhys_07,ill send u 1000 gems for the new skin
Élodie,wait really??
Rhys_07,just dont tell ur mum where u got them ok
Rhys_07,add me on the other app its more private
Élodie,ok
"""


def _upload(world: World, actor_key: str, person: int, content: bytes, **extra: object) -> int:
    actor = world.users[actor_key]
    with world.db.transaction(actor) as session:
        return upload_transcript(
            session=session,
            actor=actor,
            young_person_id=person,
            filename=str(extra.get("filename", "chat.csv")),
            content=content,
            child=str(extra.get("child", "Élodie")),
            fmt=TranscriptFormat.AUTO,
        )


def _count(world: World) -> int:
    with world.db.transaction(Actor.system("test")) as session:
        return int(session.scalar(select(func.count()).select_from(Transcript)) or 0)


def test_a_transcript_is_stored_analysed_and_audited(world: World) -> None:
    person = world.young_person("prac_a", "Élodie", "Brun")
    content = CHAT_CSV.encode("utf-8")
    transcript_id = _upload(world, "prac_a", person, content)

    actor = world.users["prac_a"]
    with world.db.transaction(actor) as session:
        view = get_transcript(session=session, actor=actor, transcript_id=transcript_id)
        listed = list_transcripts(session=session, actor=actor, young_person_id=person)
    assert view.summary.sha256 == hashlib.sha256(content).hexdigest()
    assert view.summary.concern and view.first_alert is not None
    assert view.child == "Élodie" and view.format == "csv"
    codes = {t.code for m in view.messages for t in m.tactics}
    assert {"gifts_offers", "secrecy"} <= codes
    assert not any(m.tactics for m in view.messages if m.from_child)
    assert view.messages[0].segments[-1].text.endswith("😮")
    assert len(view.risk) == 7 and view.risk == tuple(sorted(view.risk))  # only rises here
    assert [t.id for t in listed.transcripts] == [transcript_id]

    with world.db.transaction(Actor.system("test")) as session:
        stored = session.get(Transcript, transcript_id)
        assert stored is not None and stored.content == CHAT_CSV
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.record_type == "transcript")
        ).all()
    actions = {(e.action, e.user_id) for e in events}
    assert ("create", actor.user_id) in actions
    assert ("read", actor.user_id) in actions
    assert all(e.young_person_id == person for e in events)


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b"sender,message\nRhys_07,hi\x00there\n", "file"),
        (b"\xc3\x28 not utf-8", "file"),
        (b"sender,message\n", "file"),
        (CHAT_CSV.replace("Élodie", "Someone").encode(), "child"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_stored(
    world: World, content: bytes, field: str
) -> None:
    person = world.young_person("prac_a")
    with pytest.raises(Invalid) as refused:
        _upload(world, "prac_a", person, content)
    assert field in refused.value.errors
    assert _count(world) == 0


def test_only_those_with_the_record_in_scope_read_or_add_transcripts(world: World) -> None:
    person = world.young_person("prac_a")
    transcript_id = _upload(world, "prac_a", person, CHAT_CSV.encode())
    for key in ("prac_a", "dsl_a"):
        actor = world.users[key]
        with world.db.transaction(actor) as session:
            get_transcript(session=session, actor=actor, transcript_id=transcript_id)
    for key in ("prac_b", "dsl_b", "mash", "analyst", "admin", "auditor"):
        actor = world.users[key]
        with pytest.raises(Forbidden), world.db.transaction(actor) as session:
            get_transcript(session=session, actor=actor, transcript_id=transcript_id)
        with pytest.raises(Forbidden):
            _upload(world, key, person, CHAT_CSV.encode())
    actor = world.users["prac_a"]
    with pytest.raises(NotFound), world.db.transaction(actor) as session:
        get_transcript(session=session, actor=actor, transcript_id=transcript_id + 1000)
    assert _count(world) == 1


def test_break_glass_opens_a_transcript_and_marks_the_read(world: World) -> None:
    person = world.young_person("prac_a")
    transcript_id = _upload(world, "prac_a", person, CHAT_CSV.encode())
    mash = world.users["mash"]
    started = utcnow() - timedelta(seconds=1)
    with world.db.transaction(mash) as session:
        open_break_glass(
            session=session,
            actor=mash,
            young_person_id=person,
            reason="Police strategy discussion about this chat",
        )
    with world.db.transaction(mash) as session:
        view = get_transcript(session=session, actor=mash, transcript_id=transcript_id)
    assert view.summary.id == transcript_id
    with world.db.transaction(Actor.system("test")) as session:
        reads = session.scalars(
            select(AuditEvent).where(
                AuditEvent.record_type == "transcript",
                AuditEvent.user_id == mash.user_id,
                AuditEvent.at >= started,
            )
        ).all()
    assert reads and all(e.break_glass for e in reads)


def test_a_concern_raised_from_a_transcript_keeps_its_suggested_factors(world: World) -> None:
    person = world.young_person("prac_a", "Élodie", "Brun")
    transcript_id = _upload(world, "prac_a", person, CHAT_CSV.encode())
    actor = world.users["prac_a"]
    with world.db.transaction(actor) as session:
        start = concern_start(session=session, actor=actor, transcript_id=transcript_id)
    codes = [f.code for f in start.factors]
    assert codes[0] == "online_contact"
    assert {"unexplained_gifts", "secretive_behaviour"} <= set(codes)
    for factor in start.factors:
        assert start.text[factor.start : factor.end].strip()
    assert "gems" in start.text and hashlib.sha256(CHAT_CSV.encode()).hexdigest() in start.text
    draft = ConcernDraft(
        young_person_id=person,
        observed_on=start.observed_on,
        text=start.text,
        factors=[
            FactorChoice(
                code=f.code,
                evidence=start.text[f.start : f.end],
                start=f.start,
                end=f.end,
                suggested=True,
                confirmed=True,
            )
            for f in start.factors
        ],
        idempotency_key="transcript-concern-000001",
    )
    with world.db.transaction(actor) as session:
        saved = record_concern(session=session, actor=actor, draft=draft)
        concern_id = saved.concern.id
    with world.db.transaction(Actor.system("test")) as session:
        stored = {
            f.code: f.evidence
            for f in session.scalars(
                select(ConcernFactor).where(ConcernFactor.concern_id == concern_id)
            )
        }
    assert stored["online_contact"] == "Rhys_07"
    assert set(codes) <= set(stored)


def test_a_jsonl_line_carries_its_own_young_person(world: World) -> None:
    person = world.young_person("prac_a")
    line = {
        "id": "c1",
        "child": "amy",
        "messages": [
            {"speaker": "unknown_1", "text": "are u home alone rn"},
            {"speaker": "amy", "text": "why"},
        ],
    }
    transcript_id = _upload(
        world, "prac_a", person, json.dumps(line).encode(), filename="c1.jsonl", child=""
    )
    actor = world.users["prac_a"]
    with world.db.transaction(actor) as session:
        view = get_transcript(session=session, actor=actor, transcript_id=transcript_id)
    assert view.child == "amy" and view.format == "jsonl"
