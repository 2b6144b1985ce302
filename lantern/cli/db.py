"""`lantern db upgrade` (create and migrate the database) and `lantern db link` (batch linking)."""

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


@db_app.command("link")
def link(
    backend: str = typer.Option(
        "duckdb", "--backend", help="Engine for record linkage: duckdb (embedded) or spark."
    ),
) -> None:
    """Resolve the adults named in concerns into identities and raise shared-entity alerts."""
    from lantern.linking import BackendUnavailable
    from lantern.services import Database, Unavailable, network
    from lantern.services.context import Actor
    from lantern.settings import get_settings

    if backend not in ("duckdb", "spark"):
        fail("db link", f"--backend must be duckdb or spark, not {backend!r}")
    actor = Actor.system("link")
    try:
        database = Database.open(get_settings().database_url, create=False, migrate=False)
        summary = network.link_people_in_database(database=database, actor=actor, backend=backend)
        database.dispose()
    except (Unavailable, BackendUnavailable) as e:
        fail("db link", getattr(e, "message", str(e)))
    typer.echo(
        f"{summary.person_entities} adults named, {summary.identities} identities, "
        f"{summary.entities_joined} records joined to another, {summary.new_alerts} new alerts"
    )
