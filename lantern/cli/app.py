"""The `lantern` entry point: one Typer app; each command lives in its own module.

Command modules import their libraries inside the command function, so that
`lantern --help` and a one-note `lantern extract` start quickly.
"""

from __future__ import annotations

from typing import Annotated

import typer

from lantern import __version__
from lantern.cli import assess as _assess
from lantern.cli import audit as _audit
from lantern.cli import chat as _chat
from lantern.cli import db as _db
from lantern.cli import demo as _demo
from lantern.cli import extract as _extract
from lantern.cli import link as _link
from lantern.cli import serve as _serve
from lantern.cli import users as _users

app = typer.Typer(
    name="lantern",
    help=(
        "Lantern helps the adults around a young person spot child sexual exploitation "
        "early, record what they see, and connect the signs across agencies."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"lantern {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Lantern: spot child sexual exploitation early and connect the signs."""


app.command("assess")(_assess.assess)
app.command("chat")(_chat.chat)
app.command("demo")(_demo.demo)
app.add_typer(_db.db_app, name="db")
app.add_typer(_audit.audit_app, name="audit")
app.add_typer(_users.users_app, name="users")
app.command("extract")(_extract.extract)
app.command("link")(_link.link)
app.command("serve")(_serve.serve)


def main() -> None:
    """Run the command line (the `lantern` console script)."""
    app()
