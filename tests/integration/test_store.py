"""The store on both backends: migrations, SQLite settings, missing and locked databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from lantern.services import Database, Unavailable
from lantern.services.context import Actor
from lantern.store import current_revision, head_revision
from lantern.store.models import Organisation


def test_migrated_to_head(db: Database) -> None:
    assert current_revision(db.engine) == head_revision()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    database = Database.open(f"sqlite:///{tmp_path / 'x.db'}")
    with database.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    database.dispose()


def test_missing_sqlite_database_is_unavailable_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.db"
    with pytest.raises(Unavailable, match="no database"):
        Database.open(f"sqlite:///{path}", create=False)
    assert not path.exists()


def test_unreachable_postgres_is_unavailable() -> None:
    with pytest.raises(Unavailable):
        Database.open("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_locked_sqlite_database_is_unavailable_and_saves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    database = Database.open(f"sqlite:///{path}")
    database.dispose()
    from lantern.store import make_engine
    from lantern.store.engine import make_session_factory

    impatient = Database(
        engine=(engine := make_engine(f"sqlite:///{path}", busy_timeout_ms=50)),
        sessions=make_session_factory(engine),
    )
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(Unavailable), impatient.transaction(Actor.system("t")) as s:
            s.execute(text("SELECT count(*) FROM organisation")).scalar()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with impatient.sessions() as s:
        assert s.query(Organisation).count() == 0
    impatient.dispose()


#: Indexes with a descending column: Alembic's comparison cannot read them back, so it
#: always reports them changed. Their migration is checked by the queue tests instead.
_EXPRESSION_INDEXES = {"ix_assessment_queue"}


def test_the_migrations_build_what_the_models_describe(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from lantern.store.models import Base

    with db.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    unexplained = [
        d
        for d in diffs
        if not (
            isinstance(d, tuple)
            and d[0] in ("add_index", "remove_index")
            and d[1].name in _EXPRESSION_INDEXES
        )
    ]
    assert unexplained == []
