"""`lantern audit verify`: check that no audit event was edited, removed or moved."""

from __future__ import annotations

import typer

from lantern.cli.jsonl import fail

audit_app = typer.Typer(help="Check Lantern's audit trail.", no_args_is_help=True)


@audit_app.command("verify")
def verify() -> None:
    """Exit 0 when the audit trail is intact; 1, naming the first broken event, when not."""
    from lantern.services import Database, Unavailable
    from lantern.settings import get_settings

    try:
        database = Database.open(get_settings().database_url, create=False, migrate=False)
        result = database.verify_audit()
        database.dispose()
    except Unavailable as e:
        fail("audit verify", e.message)
    if not result.ok:
        fail("audit verify", result.message)
    typer.echo(result.message)
