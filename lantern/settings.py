"""Lantern's settings: each declared once, with its default and what it is for.

Read from environment variables prefixed `LANTERN_` (for example
`LANTERN_DATABASE_URL`). The README's settings table is checked against this
class by a test, so a setting cannot go undocumented.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Length of a generated secret key in bytes: 256 bits, beyond guessing.
SECRET_KEY_BYTES = 32


class Settings(BaseSettings):
    """Every setting Lantern reads, with its default."""

    model_config = SettingsConfigDict(env_prefix="LANTERN_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/lantern.db",
        description="SQLAlchemy URL of the database: SQLite (default, under var/) or "
        "PostgreSQL as postgresql+psycopg://user:password@host/name.",
    )
    var_dir: Path = Field(
        default=Path("var"),
        description="Folder for local state: the SQLite database and the generated secret key.",
    )
    secret_key: str | None = Field(
        default=None,
        description="Key that signs cookies and forms. When unset, one is generated once "
        "into var/secret_key with owner-only permissions.",
    )
    organisation_name: str = Field(default="Lantern", description="Name shown in the page header.")
    organisation_colour: str = Field(
        default="#1d70b8", description="Header colour (a CSS hex colour)."
    )
    session_idle_minutes: int = Field(
        default=30, ge=1, description="A signed-in session ends after this long unused."
    )
    session_absolute_hours: int = Field(
        default=10,
        ge=1,
        description="A signed-in session ends this long after sign-in, however used.",
    )
    max_failed_logins: int = Field(
        default=5, ge=1, description="Failed sign-ins in a row before the account is locked."
    )
    lockout_minutes: int = Field(
        default=15, ge=1, description="How long an account stays locked after too many failures."
    )
    break_glass_hours: int = Field(
        default=4, ge=1, description="How long break-glass access to one young person lasts."
    )
    audit_anchor: Path | None = Field(
        default=None,
        description="Append-only file recording the newest audit event after each change, "
        "so `lantern audit verify` notices removed events. Default: beside a SQLite "
        "database (`<file>.audit-anchor`), else `var/audit-anchor.jsonl`. Put it where the "
        "database's users cannot rewrite it.",
    )
    password_hash_time_cost: int = Field(
        default=3,
        ge=1,
        description="Argon2 passes over memory when hashing a password. Keep the default in "
        "production; the test suite lowers it to run quickly.",
    )
    password_hash_memory_kib: int = Field(
        default=65536,
        ge=64,  # Argon2's own minimum is 8 KiB per lane; Lantern hashes with 4 lanes
        description="Argon2 memory per password hash, in KiB (64 MiB by default). Keep the "
        "default in production; the test suite lowers it to run quickly.",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=5000, ge=0, description="How long SQLite waits for a lock before giving up."
    )
    pages_at_once: int = Field(
        default=4,
        ge=1,
        le=100,
        description="Requests one server process handles at once; the rest wait their turn. "
        "Use `lantern serve --workers` for more cores.",
    )


def _shown_default(value: object) -> str:
    if value is None:
        return "(none)"
    return f"`{value}`"


def settings_table() -> str:
    """The README's settings table, from this class: variable, default, what it is for."""
    prefix = str(Settings.model_config.get("env_prefix", ""))
    lines = ["| Variable | Default | What it is for |", "| --- | --- | --- |"]
    for name, info in Settings.model_fields.items():
        description = " ".join((info.description or "").split()).replace("|", "\\|")
        lines.append(
            f"| `{prefix}{name.upper()}` | {_shown_default(info.default)} | {description} |"
        )
    return "\n".join(lines)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read once from the environment."""
    return Settings()


def secret_key(settings: Settings) -> str:
    """The secret key from the environment, or from var/secret_key (created on first use)."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.var_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(SECRET_KEY_BYTES)
    # Created owner-only from the start, so the key is never readable by others.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(key + "\n")
    return key


__all__ = ["Settings", "get_settings", "secret_key", "settings_table"]
