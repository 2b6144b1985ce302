"""Database engines and sessions: SQLite (WAL, busy timeout, foreign keys) or PostgreSQL.

On SQLite every writing transaction starts with `BEGIN IMMEDIATE`: taking the
write lock up front means two writers queue behind the busy timeout instead of
one failing half-way. Units that only read use a read-only engine whose
transactions begin deferred (a snapshot, no lock).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

#: Default wait for a SQLite lock: long enough to ride out another writer's
#: commit under load, short enough that a stuck lock becomes an error page.
DEFAULT_BUSY_TIMEOUT_MS = 5000


class DatabaseMissing(Exception):
    """The database named does not exist and was not to be created."""


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for other databases or in-memory SQLite)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(
    url: str,
    *,
    create: bool = True,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    read_only: bool = False,
) -> Engine:
    """An engine for `url`. For a SQLite file, `create=False` refuses a missing file.

    `read_only` (SQLite): transactions begin deferred, so they read a snapshot
    without taking the write lock, and the connection refuses any write
    (`PRAGMA query_only`): pages that only read run side by side.
    """
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        return _sqlite_engine(
            url, create=create, busy_timeout_ms=busy_timeout_ms, read_only=read_only
        )
    if parsed.drivername in ("postgresql", "postgres"):
        # psycopg 3 is the driver Lantern installs; plain postgresql:// would look for psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True, future=True)


def _sqlite_engine(url: str, *, create: bool, busy_timeout_ms: int, read_only: bool) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        if not path.exists() and not create:
            raise DatabaseMissing(f"no database at {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": busy_timeout_ms / 1000}}
    if path is None:
        kwargs["poolclass"] = NullPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (the driver's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; much faster commits
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (pages render after saving)."""
    return sessionmaker(bind=engine, expire_on_commit=False, future=True)


@contextmanager
def transaction(factory: sessionmaker[Session], actor: Any = None) -> Iterator[Session]:
    """One unit of work: commit on success (writing its audit events), roll back on error.

    `actor` (a `lantern.services.context.Actor`) is kept on the session for the
    audit trail; a session that touches case records without one is refused.
    """
    session = factory()
    if actor is not None:
        session.info["actor"] = actor
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


__all__ = [
    "DEFAULT_BUSY_TIMEOUT_MS",
    "DatabaseMissing",
    "make_engine",
    "make_session_factory",
    "sqlite_path",
    "transaction",
]
