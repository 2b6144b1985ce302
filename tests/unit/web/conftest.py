"""Fixtures for the web tests: a real app on a throwaway SQLite database, and signed-in clients.

Staff accounts are made directly in the database (a factory, as the demo
loader would), each with a confirmed second factor whose secret the tests know.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from lantern.services import auth
from lantern.services.context import Actor, utcnow
from lantern.services.database import Database
from lantern.settings import Settings
from lantern.store.engine import sqlite_path
from lantern.store.models import Organisation, OrganisationKind, Role, User
from lantern.web.app import create_app

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's password
BASE_URL = "http://127.0.0.1"

#: One account per role: (email, role, organisation key).
ACCOUNTS: dict[Role, tuple[str, str]] = {
    Role.PRACTITIONER: ("practitioner@school.test", "school"),
    Role.DSL: ("dsl@school.test", "school"),
    Role.MASH: ("mash@mash.test", "mash"),
    Role.ANALYST: ("analyst@mash.test", "mash"),
    Role.ADMIN: ("admin@mash.test", "mash"),
    Role.AUDITOR: ("auditor@mash.test", "mash"),
}


@dataclass
class World:
    app: FastAPI
    db: Database
    organisations: dict[str, int]
    users: dict[Role, tuple[int, str, str]]  # id, email, TOTP secret


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'lantern.db'}",
        var_dir=tmp_path,
        secret_key="test-secret-key-" + "x" * 32,
        organisation_name="Northshire Safeguarding Partnership",
        organisation_colour="#00703c",
    )


_template: list[Path] = []
_hashes: dict[str, str] = {}


def _password_hash() -> str:
    """The test password's argon2 hash, made once: hashing is deliberately slow."""
    if PASSWORD not in _hashes:
        _hashes[PASSWORD] = auth.hash_password(PASSWORD)
    return _hashes[PASSWORD]


def _copy_migrated_schema(url: str) -> None:
    """Start from a copy of one freshly migrated database: migrating per test is the slow part."""
    target = sqlite_path(url)
    if target is None or target.exists():
        return
    if not _template:
        folder = Path(tempfile.mkdtemp(prefix="lantern-web-schema-"))
        Database.open(f"sqlite:///{folder / 'schema.db'}").dispose()
        _template.append(folder / "schema.db")
    shutil.copyfile(_template[0], target)


def build_world(settings: Settings) -> World:
    """A migrated database with three organisations and one account per role, and the app."""
    _copy_migrated_schema(settings.database_url)
    db = Database.open(settings.database_url)
    orgs: dict[str, int] = {}
    users: dict[Role, tuple[int, str, str]] = {}
    with db.transaction(Actor.system("test")) as session:
        for key, name, kind in (
            ("school", "Riverside Academy", OrganisationKind.SCHOOL),
            ("police", "Northshire Police", OrganisationKind.POLICE),
            ("mash", "Northshire MASH", OrganisationKind.MASH),
        ):
            org = Organisation(name=name, kind=kind, area="TF1", created_at=utcnow())
            session.add(org)
            session.flush()
            orgs[key] = org.id
        password_hash = _password_hash()
        for role, (email, org_key) in ACCOUNTS.items():
            secret = pyotp.random_base32()
            user = User(
                email=email,
                name=f"Test {role.value}",
                role=role,
                organisation_id=orgs[org_key],
                password_hash=password_hash,
                totp_secret=secret,
                totp_confirmed=True,
                created_at=utcnow(),
            )
            session.add(user)
            session.flush()
            users[role] = (user.id, email, secret)
    app = create_app(settings, database=db)
    return World(app=app, db=db, organisations=orgs, users=users)


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    built = build_world(settings)
    yield built
    built.db.dispose()


@pytest.fixture
def client(world: World) -> TestClient:
    return TestClient(world.app, base_url=BASE_URL)


def all_routes(routes: Iterable[Any], prefix: str = "") -> list[tuple[str, set[str]]]:
    """Every (path, methods) of the app, including those of included routers."""
    found: list[tuple[str, set[str]]] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            extra = getattr(getattr(route, "include_context", None), "prefix", "") or ""
            found.extend(all_routes(inner.routes, prefix + extra))
        elif isinstance(route, APIRoute):
            found.append((prefix + route.path, set(route.methods)))
    return found


def csrf_of(html: str) -> str:
    """The page's form token (from its meta element)."""
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert found, "page has no CSRF token"
    return found.group(1)


def next_code(secret: str, *, steps_ahead: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(utcnow().timestamp() + steps_ahead * totp.interval)


def sign_in(client: TestClient, email: str, secret: str, *, steps_ahead: int = 0) -> None:
    """Sign in with password and code, as a person would through the forms."""
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get("/sign-in/code")
    response = client.post(
        "/sign-in/code",
        data={"code": next_code(secret, steps_ahead=steps_ahead), "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def signed_in(world: World) -> Callable[[Role], TestClient]:
    """A client signed in as the account with the given role (one per role and test: a
    second sign-in within the same 30 seconds would need a code already used)."""
    made: dict[Role, TestClient] = {}

    def make(role: Role) -> TestClient:
        if role not in made:
            _, email, secret = world.users[role]
            new = TestClient(world.app, base_url=BASE_URL)
            sign_in(new, email, secret)
            made[role] = new
        return made[role]

    return make
