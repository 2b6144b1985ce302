"""Integration fixtures: the same tests against SQLite and a throwaway PostgreSQL server.

The schema is built once per backend (by the real migrations) into a template;
each test gets a fresh copy (a file copy for SQLite, CREATE DATABASE ... TEMPLATE
for PostgreSQL), so tests are isolated, including the audit chain.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from lantern.services import Database
from lantern.services.auth import actor_for, hash_password
from lantern.services.context import Actor, utcnow
from lantern.services.young_people import YoungPersonDraft, create_young_person
from lantern.store import make_engine, upgrade
from lantern.store.models import Organisation, OrganisationKind, Role, User

PG_BIN = [str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"))]
PASSWORD = "a long test password"  # noqa: S105 - fictional test accounts
_counter = itertools.count()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    # PostgreSQL refuses to run as root; the Debian package creates a `postgres` user.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + args, capture_output=True, check=True, timeout=60)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if not PG_BIN:
        pytest.skip("PostgreSQL binaries not installed (apt-get install postgresql)")
    bin_dir = PG_BIN[-1]
    base = Path(tempfile.mkdtemp(prefix="lantern-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    port = _free_port()
    _as_postgres(
        [
            f"{bin_dir}/initdb",
            "-D",
            str(data),
            "-U",
            "lantern",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ]
    )
    _as_postgres(
        [
            f"{bin_dir}/pg_ctl",
            "-D",
            str(data),
            "-w",
            "-l",
            str(base / "log"),
            "-o",
            f"-p {port} -k {base} -h 127.0.0.1 -F",
            "start",
        ]
    )
    try:
        yield f"postgresql+psycopg://lantern@127.0.0.1:{port}/postgres"
    finally:
        _as_postgres([f"{bin_dir}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"])
        # Every test made its own database (about 8 MB each): removing them all took
        # most of a minute at the end of the run, so it is left to a detached `rm`.
        subprocess.Popen(
            ["rm", "-rf", str(base)],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_url: str) -> str:
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text("CREATE DATABASE lantern_template"))
    admin.dispose()
    engine = make_engine(postgres_url.rsplit("/", 1)[0] + "/lantern_template")
    upgrade(engine)
    engine.dispose()
    return postgres_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database URL on each backend."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "lantern.db"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    server: str = request.getfixturevalue("postgres_template")
    name = f"t{os.getpid()}_{next(_counter)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name} TEMPLATE lantern_template"))
    admin.dispose()
    return server.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def anchor_path(tmp_path: Path) -> Path:
    """Where the test database's audit anchor is kept (never the working directory's var/)."""
    return tmp_path / "audit-anchor.jsonl"


@pytest.fixture
def db(db_url: str, anchor_path: Path) -> Iterator[Database]:
    database = Database.open(db_url, anchor_path=anchor_path)
    yield database
    database.dispose()


@lru_cache(maxsize=1)
def _password_hash() -> str:
    # argon2 is slow on purpose; one hash serves every test account.
    return hash_password(PASSWORD)


class World:
    """Organisations and a user in every role, for tests to act as."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.users: dict[str, Actor] = {}
        self.orgs: dict[str, int] = {}
        with db.transaction(Actor.system("test")) as s:
            for name, kind in [
                ("School A", OrganisationKind.SCHOOL),
                ("School B", OrganisationKind.SCHOOL),
                ("MASH", OrganisationKind.MASH),
            ]:
                org = Organisation(name=name, kind=kind, created_at=utcnow())
                s.add(org)
                s.flush()
                self.orgs[name] = org.id
            pw = _password_hash()
            for key, role, org_name in [
                ("prac_a", Role.PRACTITIONER, "School A"),
                ("prac_a2", Role.PRACTITIONER, "School A"),
                ("prac_b", Role.PRACTITIONER, "School B"),
                ("dsl_a", Role.DSL, "School A"),
                ("dsl_b", Role.DSL, "School B"),
                ("mash", Role.MASH, "MASH"),
                ("analyst", Role.ANALYST, "MASH"),
                ("admin", Role.ADMIN, "MASH"),
                ("auditor", Role.AUDITOR, "MASH"),
            ]:
                user = User(
                    email=f"{key}@test.example",
                    name=key,
                    role=role,
                    organisation_id=self.orgs[org_name],
                    password_hash=pw,
                    created_at=utcnow(),
                )
                s.add(user)
                s.flush()
                self.users[key] = actor_for(user)

    def young_person(
        self, actor_key: str = "prac_a", first: str = "Amy", last: str = "Stone"
    ) -> int:
        actor = self.users[actor_key]
        with self.db.transaction(actor) as s:
            person = create_young_person(
                session=s,
                actor=actor,
                draft=YoungPersonDraft(
                    first_name=first,
                    last_name=last,
                    date_of_birth=date(2011, 5, 1),
                    school="Oak School",
                ),
                checked_duplicates=True,
            )
            return person.id


@pytest.fixture
def world(db: Database) -> World:
    return World(db)
