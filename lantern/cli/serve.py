"""`lantern serve`: start the web application on the configured database, migrating it first."""

from __future__ import annotations

import gc
import signal
import socket
from pathlib import Path
from typing import Annotated

import typer

#: Loopback by default: Lantern holds children's records, so it is reachable from
#: other machines only when someone chooses to bind it to another address.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: More processes than this gains nothing on SQLite, whose writers take turns.
MAX_WORKERS = 16
#: Connections waiting to be accepted by one worker.
_BACKLOG = 2048
#: How often the parent looks for a worker that has died.
_WATCH_SECONDS = 1.0


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
        try:
            # Without SO_REUSEPORT: a server already listening there (even another
            # Lantern, whose workers would otherwise share the port with these) refuses it.
            _listening_socket(host, port, shared=False).close()
        except OSError as e:
            typer.echo(f"lantern serve: cannot listen on {host}:{port}: {e.strerror}", err=True)
            raise typer.Exit(1) from None
        typer.echo(
            f"Lantern is running at http://{host}:{port}/ with {workers} worker processes "
            "(press Ctrl+C to stop)"
        )
        _run_workers(host, port, workers)
        return
    _check_assets(STATIC_DIR)
    app = create_app(settings, database=database)
    _settle()
    typer.echo(f"Lantern is running at http://{host}:{port}/ (press Ctrl+C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


def _check_assets(static_dir: Path) -> None:
    if not (static_dir / "lantern.css").exists():
        typer.echo(
            "lantern serve: the web assets are not built; run scripts/build-assets.sh (or make)",
            err=True,
        )
        raise typer.Exit(1)


def _settle() -> None:
    """Set aside what start-up built (rules, lexicons, templates) from the garbage
    collector's full passes: it lives as long as the server, so a full collection
    during a request has that much less to walk."""
    gc.collect()
    gc.freeze()


def _listening_socket(host: str, port: int, *, shared: bool = True) -> socket.socket:
    """A socket on host:port that the other workers listen on too (SO_REUSEPORT): the
    kernel spreads new connections across them, where with one shared socket the
    quickest process took nearly all (19 of 20 clients on one of two workers)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(host: str, port: int) -> None:
    """One server process: its own listening socket and its own app on the database."""
    import uvicorn

    from lantern.web.app import create_app

    # The app first, then the socket: connections are only routed here once it can serve.
    app = create_app()
    _settle()
    sock = _listening_socket(host, port)
    sock.listen(_BACKLOG)
    config = uvicorn.Config(app, log_level="warning", proxy_headers=False)
    uvicorn.Server(config).run(sockets=[sock])


def _run_workers(host: str, port: int, workers: int) -> None:
    """Run `workers` server processes, starting a new one if one dies, until stopped."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> multiprocessing.process.BaseProcess:
        process = context.Process(target=_worker, args=(host, port))
        process.start()
        return process

    processes = [start() for _ in range(workers)]

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for process in processes:
            if process.is_alive():
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        for i, process in enumerate(processes):
            process.join(timeout=_WATCH_SECONDS / len(processes))
            if not stopping and not process.is_alive():
                typer.echo(
                    f"lantern serve: a worker stopped (exit {process.exitcode}); restarting it",
                    err=True,
                )
                processes[i] = start()
    for process in processes:
        process.join(timeout=30)
