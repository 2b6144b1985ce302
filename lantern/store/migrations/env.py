"""Alembic's entry point: runs migrations on the engine Lantern hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

from lantern.store.models import Base

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):
    # Run from the `alembic` tool by a developer, e.g. to autogenerate a revision.
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///var/lantern.db")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
