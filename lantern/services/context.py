"""Who is acting, and the errors services raise for the web, API and CLI to turn into answers.

Every service function takes an `Actor`; the web layer builds it from the
signed-in session, the API from a token, the CLI for its own commands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from lantern.store.models import Role

Channel = Literal["web", "api", "cli", "public"]


@dataclass(frozen=True)
class Actor:
    """The person (or the public, or the system) on whose behalf a service runs."""

    user_id: int | None
    email: str | None
    role: Role | None
    organisation_id: int | None
    channel: Channel = "web"

    @classmethod
    def public(cls) -> Actor:
        """A member of the public using the open pages."""
        return cls(user_id=None, email=None, role=None, organisation_id=None, channel="public")

    @classmethod
    def system(cls, purpose: str = "cli") -> Actor:
        """Lantern itself (demo loader, migrations): recorded in the audit trail as such."""
        return cls(
            user_id=None, email=f"system:{purpose}", role=None, organisation_id=None, channel="cli"
        )

    @property
    def is_system(self) -> bool:
        return self.user_id is None and (self.email or "").startswith("system:")


class ServiceError(Exception):
    """Base of the errors a service raises on purpose; each maps to one HTTP status."""

    status = 400
    #: Whether the unit of work is committed despite the error (e.g. a failed
    #: sign-in must still be counted towards lock-out).
    keep_changes = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """No such record (or one the actor may not know exists)."""

    status = 404


class Forbidden(ServiceError):
    """The actor's role or scope does not allow this."""

    status = 403


class Invalid(ServiceError):
    """Bad input: `errors` maps each field name to a message for the person to correct it."""

    status = 400

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


class SignInFailed(Invalid):
    """A wrong password or code: refused, but the failure is saved (it counts to lock-out)."""

    keep_changes = True


class Conflict(ServiceError):
    """The change conflicts with the current state (e.g. an email already in use)."""

    status = 409


class TooManyAttempts(ServiceError):
    """Throttled: too many attempts; try again later."""

    status = 429


class Unavailable(ServiceError):
    """The database is locked, missing or unreachable; nothing was saved."""

    status = 503


@dataclass(frozen=True)
class Page:
    """Paging for lists: 1-based page number and page size."""

    number: int = 1
    size: int = 50
    total: int = field(default=0, compare=False)


def utcnow() -> datetime:
    """The current time in UTC (one place, so tests can reason about it)."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time as aware UTC: SQLite hands back naive datetimes, PostgreSQL aware ones."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


__all__ = [
    "Actor",
    "Channel",
    "Conflict",
    "Forbidden",
    "Invalid",
    "NotFound",
    "Page",
    "ServiceError",
    "SignInFailed",
    "TooManyAttempts",
    "Unavailable",
    "as_utc",
    "utcnow",
]
