"""The database as services see it: engine, audited sessions, and units of work.

`Database.open(url)` is what the web app, the API and the CLI call once at
start-up; `db.transaction(actor)` is one unit of work per request or command, and
`db.reading(actor)` one that only reads (a page), which on SQLite waits for no writer.
On SQLite, writers take turns: threads of a process in order of arrival (`FairLock`),
processes through lock files beside the database (`ProcessLock`).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from lantern.services import audit, validation
from lantern.services.anchor import Anchor, database_key, default_anchor_path
from lantern.services.context import Actor, Invalid, ServiceError, Unavailable
from lantern.settings import get_settings
from lantern.store.engine import (
    DEFAULT_BUSY_TIMEOUT_MS,
    DatabaseMissing,
    make_engine,
    make_session_factory,
    sqlite_path,
)
from lantern.store.migrate import ensure_schema, needs_upgrade


class ProcessLock:
    """An exclusive lock shared by every process using one database file, taken in turns.

    SQLite's own busy handler polls with growing sleeps (up to 100 ms), and a plain
    file lock lets the process that just let go take it straight back: with several
    server processes writing at once, one process's writers could keep the lock for
    seconds while another's waited. Here a waiter first takes a gate (a second lock
    file) and keeps it while it waits for the lock itself, so nobody else can ask for
    the lock meanwhile: the lock passes to it as soon as it is let go. Held only by the
    thread holding the process's `FairLock`, so one thread per process waits here.
    """

    #: How often a waiting process looks again: short beside a write of a few ms.
    POLL_SECONDS = 0.0005

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self._gate = os.open(f"{path}-gate", os.O_RDWR | os.O_CREAT, 0o600)

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self._take(self._gate, deadline):
            return False
        try:
            return self._take(self._fd, deadline)
        finally:
            fcntl.flock(self._gate, fcntl.LOCK_UN)

    def _take(self, fd: int, deadline: float) -> bool:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(self.POLL_SECONDS)

    def release(self) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        for fd in (self._fd, self._gate):
            with suppress(OSError):
                os.close(fd)


class FairLock:
    """A re-entrant lock served first come, first served (within a process, and, with
    `between`, taking a `ProcessLock` too so that processes take turns as well).

    Python's own locks let a releasing thread take the lock straight back, so
    under load some requests waited for many others' turns (the tail of the
    latency); here each waiter is served in order of arrival.
    """

    def __init__(self, between: ProcessLock | None = None) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._queue: deque[object] = deque()
        self._owner: int | None = None
        self._depth = 0
        self._between = between

    def acquire(self, timeout: float) -> bool:
        """Take the lock, waiting at most `timeout` seconds; False when it was not free."""
        me = threading.get_ident()
        with self._cond:
            if self._owner == me:
                self._depth += 1
                return True
            ticket = object()
            self._queue.append(ticket)
            deadline = time.monotonic() + timeout
            while self._owner is not None or self._queue[0] is not ticket:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._cond.wait(remaining):
                    if self._owner is None and self._queue[0] is ticket:
                        break  # freed just as the wait ran out: take it
                    self._queue.remove(ticket)
                    self._cond.notify_all()  # the next in line may now be first
                    return False
            self._queue.popleft()
            self._owner = me
            self._depth = 1
        if self._between is not None and not self._between.acquire(
            max(0.0, deadline - time.monotonic())
        ):
            self._give_back()
            return False
        return True

    def release(self) -> None:
        with self._cond:
            outermost = self._depth == 1
        if outermost and self._between is not None:
            self._between.release()
        self._give_back()

    def close(self) -> None:
        if self._between is not None:
            self._between.close()

    def _give_back(self) -> None:
        with self._cond:
            self._depth -= 1
            if self._depth == 0:
                self._owner = None
                self._cond.notify_all()


class WriteInReadingUnit(RuntimeError):
    """A unit opened with `Database.reading` tried to write: a programming error."""


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]
    anchor: Anchor | None = None
    #: Sessions for units that only read (`reading`): on SQLite from a read-only
    #: engine whose transactions take no lock; elsewhere from the same engine.
    read_sessions: sessionmaker[Session] | None = field(default=None, repr=False)
    read_engine: Engine | None = field(default=None, repr=False)
    #: On SQLite, units of work in this process take turns here, in order of
    #: arrival, before SQLite's own write lock: a waiting thread is woken the moment
    #: the lock is free, where SQLite's busy handler polls with growing sleeps
    #: (20 threads saving at once waited seconds that way, and some timed out as
    #: "database is locked"). Other processes still queue on SQLite's busy timeout.
    writer_lock: FairLock | None = field(default=None, repr=False)
    lock_timeout_s: float = DEFAULT_BUSY_TIMEOUT_MS / 1000

    @classmethod
    def open(
        cls,
        url: str,
        *,
        create: bool = True,
        migrate: bool = True,
        anchor_path: Path | None = None,
    ) -> Database:
        """Connect (creating a SQLite file when `create`), and migrate when `migrate`.

        The audit chain's head is anchored in `anchor_path` (default: the
        `audit_anchor` setting, else beside a SQLite file or under var/).
        Raises `Unavailable` when the database is missing or cannot be reached,
        and when it needs migrating but `migrate` is False.
        """
        settings = get_settings()
        try:
            engine = make_engine(
                url, create=create, busy_timeout_ms=settings.sqlite_busy_timeout_ms
            )
            if migrate:
                ensure_schema(engine)
            elif needs_upgrade(engine):
                raise Unavailable("the database needs upgrading: run `lantern db upgrade`")
        except DatabaseMissing as e:
            raise Unavailable(str(e)) from None
        except (OperationalError, DBAPIError) as e:
            raise Unavailable(f"cannot use the database: {_short(e)}") from None
        factory = make_session_factory(engine)
        path = anchor_path or settings.audit_anchor or default_anchor_path(url, settings.var_dir)
        anchor = Anchor(path=path, database=database_key(url))
        validation.install(factory)
        audit.install(factory, anchor)
        sqlite = engine.dialect.name == "sqlite"
        read_engine = None
        if sqlite and sqlite_path(url) is not None:
            read_engine = make_engine(
                url, create=False, busy_timeout_ms=settings.sqlite_busy_timeout_ms, read_only=True
            )
        readers = make_session_factory(read_engine or engine)
        audit.install(readers)
        event.listen(readers, "before_flush", _refuse_writes)
        return cls(
            engine=engine,
            sessions=factory,
            anchor=anchor,
            read_sessions=readers,
            read_engine=read_engine,
            writer_lock=_writer_lock(url) if sqlite else None,
            lock_timeout_s=settings.sqlite_busy_timeout_ms / 1000,
        )

    def verify_audit(self) -> audit.VerifyResult:
        """Check the audit chain and its anchor file (`lantern audit verify`)."""
        with self.sessions() as session:
            return audit.verify(session, self.anchor)

    @contextmanager
    def transaction(self, actor: Actor) -> Iterator[Session]:
        """One unit of work for `actor`: committed (with its audit events) or rolled back whole.

        A locked, missing or unreachable database raises `Unavailable`; nothing
        from the unit is saved.
        """
        with self._turn():
            yield from self._unit(actor)

    @contextmanager
    def reading(self, actor: Actor) -> Iterator[Session]:
        """A unit of work that only reads, for `actor`: pages and lists.

        On SQLite it reads a snapshot without the write lock, so such units run side
        by side with each other and with a writer. What it read is still audited:
        its events are appended by a short write of their own when it ends, and an
        error there (a locked or missing database) raises `Unavailable`, so nothing
        read goes unrecorded into a page. Any attempt to write raises
        `WriteInReadingUnit`. Errors map as in `transaction`.
        """
        readers = self.read_sessions or self.sessions
        session = readers()
        session.info["actor"] = actor
        audit.defer(session)
        try:
            if self.engine.dialect.name == "postgresql":
                # A read-only transaction: a write (even a bulk UPDATE that no flush
                # sees) fails here, instead of vanishing when the unit is closed.
                session.connection(execution_options={"postgresql_readonly": True})
            yield session
            rows = audit.take_events(session)
        except DataError as e:
            raise Invalid({"form": f"a value could not be used: {_short(e)}"}) from None
        except (OperationalError, DBAPIError) as e:
            if _refused_as_read_only(e):
                raise WriteInReadingUnit(f"a unit opened for reading wrote: {_short(e)}") from e
            raise Unavailable(f"the database is unavailable: {_short(e)}") from None
        finally:
            _end_quietly(session)
        if rows:
            with self.transaction(actor) as write:
                audit.append_events(write, rows)

    @contextmanager
    def _turn(self) -> Iterator[None]:
        if self.writer_lock is None:
            yield
            return
        if not self.writer_lock.acquire(timeout=self.lock_timeout_s):
            raise Unavailable("the database is busy: please try again")
        try:
            yield
        finally:
            self.writer_lock.release()

    def _unit(self, actor: Actor) -> Iterator[Session]:
        session = self.sessions()
        session.info["actor"] = actor
        try:
            yield session
            session.commit()
        except DataError as e:
            # A value the database itself refused (e.g. text it cannot store): bad input,
            # not an outage. The services' own checks normally answer first.
            session.rollback()
            raise Invalid({"form": f"a value could not be stored: {_short(e)}"}) from None
        except (OperationalError, DBAPIError) as e:
            session.rollback()
            raise Unavailable(f"the database is unavailable: {_short(e)}") from None
        except ServiceError as e:
            if e.keep_changes:
                session.commit()
            else:
                session.rollback()
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not None:
            self.read_engine.dispose()
        if self.writer_lock is not None:
            self.writer_lock.close()


def _writer_lock(url: str) -> FairLock:
    """The writers' turn for a SQLite database: in this process, and (for a file) across
    every process using it, through a lock file beside it."""
    path = sqlite_path(url)
    return FairLock(ProcessLock(Path(f"{path}.writer-lock")) if path is not None else None)


def _refuse_writes(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        raise WriteInReadingUnit("a unit opened for reading tried to write; use transaction()")


def _refused_as_read_only(error: Exception) -> bool:
    """Whether the database refused a write because the unit was read-only."""
    original = getattr(error, "orig", None)
    if getattr(original, "sqlstate", None) == "25006":  # PostgreSQL: read-only transaction
        return True
    return "readonly database" in str(original or error)  # SQLite's query_only


def _end_quietly(session: Session) -> None:
    """End a reading session (its snapshot released; what it loaded stays usable for the
    page); a database that has gone away cannot spoil an answer already read."""
    with suppress(OperationalError, DBAPIError):
        session.close()


def _short(error: Exception) -> str:
    original = getattr(error, "orig", None) or error
    return " ".join(str(original).split())[:200]


__all__ = ["Database", "FairLock", "ProcessLock", "WriteInReadingUnit"]
