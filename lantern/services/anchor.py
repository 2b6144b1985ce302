"""The audit chain's head, kept outside the database, so removing the newest events shows.

A hash chain finds an event edited or removed from the middle, but not the
newest events cut off the end: what is left is still a valid chain. So after
each committed unit of work that added events, the id and hash of the newest
one is appended to a file (one JSON line, opened for appending only), and
`lantern audit verify` checks that every event the file names is still in the
chain with the same hash.

Limits, honestly: the file protects against someone who can change the
database but not the file. Kept beside a SQLite database, or anywhere the same
account can write, it only raises the bar; for real protection point
`LANTERN_AUDIT_ANCHOR` at storage the database's users cannot rewrite (another
host's share, an append-only file (`chattr +a`), or a write-once store). A
unit whose line could not be written (disk full) is not anchored: verify then
checks the events up to the last line written. Events removed together with
their anchor lines are not detected. The file grows by one short line per
committed request (about 100 bytes), and verify reads it whole: archive it with
the database's backups rather than truncating it, or verify will report the
events it no longer names as unanchored, not as removed.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from lantern.store.engine import sqlite_path

_log = logging.getLogger(__name__)

#: Suffix of the anchor file kept beside a SQLite database by default.
SQLITE_ANCHOR_SUFFIX = ".audit-anchor"

#: File name of the anchor under the var folder for other databases.
DEFAULT_ANCHOR_NAME = "audit-anchor.jsonl"


def database_key(url: str) -> str:
    """Which database an anchor line belongs to: the URL without its password (a SQLite
    file by its absolute path), so one anchor file can serve several databases."""
    path = sqlite_path(url)
    if path is not None:
        return f"sqlite:///{path.resolve()}"
    return make_url(url).render_as_string(hide_password=True)


def default_anchor_path(url: str, var_dir: Path) -> Path:
    """Beside a SQLite file (`<file>.audit-anchor`); otherwise `var/audit-anchor.jsonl`."""
    path = sqlite_path(url)
    if path is not None:
        return path.with_name(path.name + SQLITE_ANCHOR_SUFFIX)
    return var_dir / DEFAULT_ANCHOR_NAME


@dataclass(frozen=True)
class Anchor:
    """An append-only file of (database, event id, event hash) lines."""

    path: Path
    database: str

    def append(self, event_id: int, event_hash: str) -> bool:
        """Add a line for the chain's newest event; False (logged) when it cannot be written.

        Never raises: the unit of work is already committed, and its events stand
        whether or not the anchor could follow them.
        """
        line = json.dumps({"db": self.database, "id": event_id, "hash": event_hash}) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # O_APPEND: each line lands whole at the end, even with several writers.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
        except OSError as e:
            _log.error("audit anchor %s not written: %s", self.path, e)
            return False
        return True

    def read(self) -> dict[int, str]:
        """Every anchored event of this database: id → hash (empty when there is no file).

        Raises `ValueError` naming the line when the file was damaged.
        """
        if not self.path.exists():
            return {}
        anchored: dict[int, str] = {}
        with self.path.open(encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                    if entry["db"] != self.database:
                        continue
                    anchored[int(entry["id"])] = str(entry["hash"])
                except (ValueError, KeyError, TypeError):
                    raise ValueError(f"{self.path}:{number}: damaged anchor line") from None
        return anchored


__all__ = [
    "DEFAULT_ANCHOR_NAME",
    "SQLITE_ANCHOR_SUFFIX",
    "Anchor",
    "database_key",
    "default_anchor_path",
]
