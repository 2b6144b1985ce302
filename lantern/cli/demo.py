"""`lantern demo`: create and migrate the database when needed and load the demo data.

`lantern demo --screening` shows the screening at work on fictional example
situations instead, without a database.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from lantern.cli.jsonl import fail

EXAMPLES = Path(__file__).parent / "data" / "demo_situations.yaml"


def _situations() -> tuple[date, list[dict[str, Any]]]:
    data = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    return date.fromisoformat(data["as_of"]), data["situations"]


def demo(
    screening: Annotated[
        bool,
        typer.Option("--screening", help="Show the screening on example situations instead."),
    ] = False,
) -> None:
    """Load the fictional demo data into the database (once) and print the demo sign-ins."""
    if screening:
        _screening_demo()
        return
    from lantern.services import Database, ServiceError, network
    from lantern.services.context import Actor
    from lantern.services.demo import load_demo
    from lantern.settings import get_settings

    settings = get_settings()
    try:
        database = Database.open(settings.database_url, create=True, migrate=True)
        typer.echo("Loading the demo data (fictional; about a minute the first time)...")
        with database.transaction(Actor.system("demo")) as session:
            summary = load_demo(session=session)
        state = "loaded" if summary.created else "already loaded; nothing changed"
        typer.echo(
            f"Demo data {state}: {summary.young_people} young people, {summary.concerns} concerns."
        )
        if summary.created:
            # The batch linking job, as `lantern db link` runs it: adults named in
            # different concerns are resolved, so the analyst's network is ready.
            linked = network.link_people_in_database(database=database, actor=Actor.system("demo"))
            typer.echo(
                f"Linked {linked.person_entities} adults named into {linked.identities} "
                f"identities; {linked.new_alerts} shared-entity alerts."
            )
    except ServiceError as e:
        fail("demo", e.message)
    typer.echo(f"Every demo account's password: {summary.password}")
    typer.echo("Second factor: add the secret to an authenticator app, or run")
    typer.echo("  lantern users totp EMAIL   to print the current code.")
    for account in summary.accounts:
        typer.echo(
            f"  {account.role.value:<13} {account.email:<32} {account.organisation:<30} "
            f"TOTP secret {account.totp_secret}"
        )
    database.dispose()


def _screening_demo() -> None:
    """Show how Lantern screens some fictional example situations."""
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table

    from lantern.cli.assess import parse_situation
    from lantern.screening import assess, load_rules

    console = Console()
    rules = load_rules()
    as_of, situations = _situations()
    console.print(
        Panel(
            "Lantern screens what a practitioner records about a young person: the level of "
            "concern, every reason with its weight, the safety floors that applied, and what to "
            f"do next. Rules version {rules.version}; dates counted as of {as_of.isoformat()}.\n"
            "All examples are fictional.",
            title="Lantern: screening demonstration",
        )
    )
    for number, example in enumerate(situations, start=1):
        result = assess(parse_situation(example, number, as_of), rules)
        table = Table(show_header=True, header_style="bold", expand=True)
        table.add_column("factor")
        table.add_column("weight", justify="right")
        table.add_column("why", ratio=3)
        for reason in result.reasons:
            table.add_row(reason.title, str(reason.weight), reason.why)
        console.rule(f"{number}. {example['name']}")
        console.print(example["story"])
        if result.reasons:
            console.print(table)
        console.print(
            f"[bold]Level:[/bold] {result.level_title} (rank {result.rank}, score {result.score})"
        )
        for floor in result.floors:
            console.print(f"  floor: {floor.why}")
        console.print("[bold]What to do:[/bold]")
        for action in result.actions:
            console.print(f"  - {action}")
    console.print()
    console.print(
        "Screen your own situations with: lantern assess FILE  (see `lantern assess --help`)."
    )
