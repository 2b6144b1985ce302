"""`lantern db upgrade`: create the database when needed and apply the packaged migrations."""

from __future__ import annotations

import typer

from lantern.cli.jsonl import fail

db_app = typer.Typer(help="Create and migrate Lantern's database.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade() -> None:
    """Create the database named by LANTERN_DATABASE_URL if needed and migrate it to the newest."""
    from lantern.services import Database, Unavailable
    from lantern.settings import get_settings
    from lantern.store import current_revision

    try:
        database = Database.open(get_settings().database_url, create=True, migrate=True)
    except Unavailable as e:
        fail("db upgrade", e.message)
    typer.echo(f"database at revision {current_revision(database.engine)}")
    database.dispose()
