"""`lantern users totp EMAIL`: the current second-factor code of a demo account (demo only)."""

from __future__ import annotations

import typer

from lantern.cli.jsonl import fail

users_app = typer.Typer(help="Lantern's user accounts.", no_args_is_help=True)


@users_app.command("totp")
def totp(email: str) -> None:
    """Print the current sign-in code of a demo account. Refused for real accounts."""
    from sqlalchemy import func, select

    from lantern.services import Database, ServiceError, auth
    from lantern.settings import get_settings
    from lantern.store.models import User

    try:
        database = Database.open(get_settings().database_url, create=False, migrate=False)
        with database.sessions() as session:
            user = session.scalars(
                select(User).where(func.lower(User.email) == email.strip().lower())
            ).first()
            if user is None:
                fail("users totp", f"no account {email}")
            code = auth.current_totp(user)
    except ServiceError as e:
        fail("users totp", e.message)
    typer.echo(code)
