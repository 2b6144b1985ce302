"""The database as services see it: engine, audited sessions, and units of work.

`Database.open(url)` is what the web app, the API and the CLI call once at
start-up; `db.transaction(actor)` is one unit of work per request or command.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from lantern.services import audit
from lantern.services.context import Actor, ServiceError, Unavailable
from lantern.store.engine import DatabaseMissing, make_engine, make_session_factory
from lantern.store.migrate import ensure_schema, needs_upgrade


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def open(cls, url: str, *, create: bool = True, migrate: bool = True) -> Database:
        """Connect (creating a SQLite file when `create`), and migrate when `migrate`.

        Raises `Unavailable` when the database is missing or cannot be reached,
        and when it needs migrating but `migrate` is False.
        """
        try:
            engine = make_engine(url, create=create)
            if migrate:
                ensure_schema(engine)
            elif needs_upgrade(engine):
                raise Unavailable("the database needs upgrading: run `lantern db upgrade`")
        except DatabaseMissing as e:
            raise Unavailable(str(e)) from None
        except (OperationalError, DBAPIError) as e:
            raise Unavailable(f"cannot use the database: {_short(e)}") from None
        factory = make_session_factory(engine)
        audit.install(factory)
        return cls(engine=engine, sessions=factory)

    @contextmanager
    def transaction(self, actor: Actor) -> Iterator[Session]:
        """One unit of work for `actor`: committed (with its audit events) or rolled back whole.

        A locked, missing or unreachable database raises `Unavailable`; nothing
        from the unit is saved.
        """
        session = self.sessions()
        session.info["actor"] = actor
        try:
            yield session
            session.commit()
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


def _short(error: Exception) -> str:
    original = getattr(error, "orig", None) or error
    return " ".join(str(original).split())[:200]


__all__ = ["Database"]
