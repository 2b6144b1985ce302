"""Lantern's store: the schema, engines and sessions, and the packaged migrations."""

from lantern.store.engine import (
    DatabaseMissing,
    make_engine,
    make_session_factory,
    sqlite_path,
    transaction,
)
from lantern.store.migrate import current_revision, ensure_schema, head_revision, upgrade

__all__ = [
    "DatabaseMissing",
    "current_revision",
    "ensure_schema",
    "head_revision",
    "make_engine",
    "make_session_factory",
    "sqlite_path",
    "transaction",
    "upgrade",
]
