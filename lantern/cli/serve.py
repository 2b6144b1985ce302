"""`lantern serve`: start the web application on the configured database, migrating it first."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

#: Loopback by default: Lantern holds children's records, so it is reachable from
#: other machines only when someone chooses to bind it to another address.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: More processes than this gains nothing on SQLite, whose writers take turns.
MAX_WORKERS = 16


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = DEFAULT_PORT,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_WORKERS,
            help="Server processes; one per CPU core suits a busy service (default 1).",
        ),
    ] = 1,
) -> None:
    """Start Lantern's web application (creating and migrating the database when needed)."""
    import uvicorn

    from lantern.services.context import Unavailable
    from lantern.services.database import Database
    from lantern.settings import get_settings, secret_key
    from lantern.web.app import STATIC_DIR, create_app

    settings = get_settings()
    try:
        database = Database.open(settings.database_url)
    except Unavailable as e:
        typer.echo(f"lantern serve: {e.message}", err=True)
        raise typer.Exit(1) from None
    if workers > 1:
        # Migrated above, and the secret key made now, once: the worker processes then
        # only open what exists (two making a new key at once would disagree).
        secret_key(settings)
        database.dispose()
        _check_assets(STATIC_DIR)
        typer.echo(
            f"Lantern is running at http://{host}:{port}/ with {workers} worker processes "
            "(press Ctrl+C to stop)"
        )
        uvicorn.run(
            "lantern.web.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            proxy_headers=False,
        )
        return
    _check_assets(STATIC_DIR)
    app = create_app(settings, database=database)
    typer.echo(f"Lantern is running at http://{host}:{port}/ (press Ctrl+C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


def _check_assets(static_dir: Path) -> None:
    if not (static_dir / "lantern.css").exists():
        typer.echo(
            "lantern serve: the web assets are not built; run scripts/build-assets.sh (or make)",
            err=True,
        )
        raise typer.Exit(1)
