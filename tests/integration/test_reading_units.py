"""Units that only read: audited after they end, never writing, not waiting for writers,
and the session's idle deadline written at most once a minute."""

from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from lantern.services import Unavailable, auth
from lantern.services.context import Actor, utcnow
from lantern.services.database import Database, WriteInReadingUnit
from lantern.services.young_people import get_page
from lantern.settings import get_settings
from lantern.store.models import AuditEvent, User, WebSession, YoungPerson

from .conftest import World


def _events(db: Database) -> int:
    with db.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_what_a_reading_unit_read_is_audited_once_it_ends(world: World) -> None:
    yp = world.young_person("prac_a")
    lead = world.users["dsl_a"]
    before = _events(world.db)
    with world.db.reading(lead) as s:
        page = get_page(session=s, actor=lead, young_person_id=yp)
        assert _events(world.db) == before  # not yet: appended when the unit ends
    assert page.person.first_name == "Amy"  # what was read stays usable after the unit
    with world.db.sessions() as s:
        reads = s.scalars(
            select(AuditEvent).where(AuditEvent.id > before, AuditEvent.action == "read")
        ).all()
    assert {(e.user_id, e.young_person_id, e.record_type) for e in reads} >= {
        (lead.user_id, yp, "young_person")
    }
    assert world.db.verify_audit().ok


def test_a_reading_unit_cannot_write(world: World) -> None:
    yp = world.young_person("prac_a")
    lead = world.users["dsl_a"]
    with pytest.raises(WriteInReadingUnit), world.db.reading(lead) as s:
        person = s.get(YoungPerson, yp)
        assert person is not None
        person.school = "Somewhere else"
        s.flush()
    with world.db.sessions() as s:
        assert s.get(YoungPerson, yp).school == "Oak School"  # type: ignore[union-attr]


def test_an_error_in_a_reading_unit_records_nothing(world: World) -> None:
    yp = world.young_person("prac_a")
    lead = world.users["dsl_a"]
    before = _events(world.db)
    with pytest.raises(KeyError), world.db.reading(lead) as s:
        s.get(YoungPerson, yp)
        raise KeyError("the page failed")
    assert _events(world.db) == before


def test_reading_does_not_wait_for_a_writer(world: World) -> None:
    """A writer holding its transaction open does not hold up a unit that only reads
    (on SQLite the reader reads its snapshot; there is no lock to wait for)."""
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with world.db.transaction(Actor.system("test")) as s:
                user = s.scalars(select(User).limit(1)).one()
                user.name = "Renamed in a long write"
                s.flush()
                holding.set()
                release.wait(10)
        except BaseException as e:
            errors.append(e)
            holding.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10)
        with world.db.reading(world.users["dsl_a"]) as s:
            names = set(s.scalars(select(User.name)))
        assert "Renamed in a long write" not in names  # the snapshot before the write
    finally:
        release.set()
        thread.join(10)
    assert not errors


def test_when_its_reads_cannot_be_recorded_a_reading_unit_is_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page is refused (503) rather than shown with its reads unrecorded."""
    monkeypatch.setenv("LANTERN_SQLITE_BUSY_TIMEOUT_MS", "100")
    get_settings.cache_clear()
    try:
        path = tmp_path / "locked.db"
        db = Database.open(f"sqlite:///{path}", anchor_path=tmp_path / "anchor")
        world = World(db)
        yp = world.young_person("prac_a")
        before = _events(db)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            lead = world.users["dsl_a"]
            with pytest.raises(Unavailable), db.reading(lead) as s:
                get_page(session=s, actor=lead, young_person_id=yp)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert _events(db) == before
        assert db.verify_audit().ok
        db.dispose()
    finally:
        get_settings.cache_clear()


def _session_for(world: World, key: str) -> tuple[str, int]:
    with world.db.transaction(Actor.system("test")) as s:
        user = s.get(User, world.users[key].user_id)
        assert user is not None
        started = auth.create_session(session=s, user=user)
        return started.token, started.record.id


def _last_seen(world: World, session_id: int) -> object:
    with world.db.sessions() as s:
        return s.get(WebSession, session_id).last_seen_at  # type: ignore[union-attr]


def test_the_idle_deadline_is_written_at_most_once_a_minute(world: World) -> None:
    _token, session_id = _session_for(world, "dsl_a")
    with world.db.sessions() as s:
        record = s.get(WebSession, session_id)
        assert record is not None
        assert not auth.touch_due(record)  # just signed in
        record.last_seen_at = utcnow() - auth.TOUCH_INTERVAL - timedelta(seconds=1)
        assert auth.touch_due(record)
    with world.db.transaction(Actor.public()) as s:
        s.get(WebSession, session_id).last_seen_at = utcnow() - timedelta(minutes=5)  # type: ignore[union-attr]
    stale = _last_seen(world, session_id)
    with world.db.transaction(Actor.public()) as s:
        auth.touch_session(session=s, session_id=session_id)
    assert _last_seen(world, session_id) != stale


def test_a_bulk_write_in_a_reading_unit_is_refused_not_lost(world: World) -> None:
    """An UPDATE that no flush sees is refused by the database itself (SQLite's query_only,
    PostgreSQL's read-only transaction) rather than silently dropped at the unit's end."""
    yp = world.young_person("prac_a")
    lead = world.users["dsl_a"]
    with pytest.raises(WriteInReadingUnit), world.db.reading(lead) as s:
        s.execute(update(YoungPerson).where(YoungPerson.id == yp).values(school="Elsewhere"))
    with world.db.sessions() as s:
        assert s.get(YoungPerson, yp).school == "Oak School"  # type: ignore[union-attr]
    # ...and every pooled connection (the one it used among them) writes normally after.
    for n in range(8):
        with world.db.transaction(Actor.system("test")) as s:
            person = s.get(YoungPerson, yp)
            assert person is not None
            person.school = f"Oak School {n}"
    with world.db.reading(lead) as s:
        assert s.get(YoungPerson, yp).school == "Oak School 7"  # type: ignore[union-attr]
