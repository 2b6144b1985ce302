"""Bad conditions on the triage, alert and admin pages: a locked or missing database (a clear
503, nothing already saved lost), forged form tokens, expired sessions, script in every field
(shown escaped), and unknown ids (404)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from lantern.services import audit
from lantern.services.context import Actor
from lantern.services.database import Database
from lantern.settings import Settings
from lantern.store.engine import make_engine, make_session_factory, sqlite_path
from lantern.store.models import Action, Concern, Decision, Referral, Role
from lantern.web.app import create_app
from tests.unit.web.conftest import BASE_URL, World, csrf_of, sign_in
from tests.unit.web.test_concern_routes import _details, _form
from tests.unit.web.test_triage_routes import record_concern

SCRIPT = '<script>alert("lantern")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;lantern&#34;)&lt;/script&gt;"

#: A short busy timeout, so a locked database answers within the test's patience.
_BUSY_MS = 150


@pytest.fixture
def impatient(world: World, settings: Settings) -> Iterator[TestClient]:
    """The app again over the same database, waiting only briefly for a lock."""
    engine = make_engine(settings.database_url, busy_timeout_ms=_BUSY_MS)
    factory = make_session_factory(engine)
    audit.install(factory)
    app = create_app(settings, database=Database(engine=engine, sessions=factory))
    yield TestClient(app, base_url=BASE_URL)
    engine.dispose()


def _count(world: World, model: type) -> int:
    with world.db.transaction(Actor.system("test")) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_locked_database_gives_503_and_loses_nothing(
    world: World, settings: Settings, impatient: TestClient
) -> None:
    _, email, secret = world.users[Role.PRACTITIONER]
    sign_in(impatient, email, secret)
    person, _ = record_concern(impatient)
    html, key = _details(impatient, person)
    path = sqlite_path(settings.database_url)
    assert path is not None
    locker = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        response = impatient.post(
            "/concerns", data=_form(person, key, csrf_of(html)), follow_redirects=False
        )
        assert response.status_code == 503
        assert "Nothing from your last request was saved" in response.text
        assert "Traceback" not in response.text
        assert impatient.get("/triage").status_code == 503
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert _count(world, Concern) == 1
    retried = impatient.post(
        "/concerns", data=_form(person, key, csrf_of(html)), follow_redirects=False
    )
    assert retried.status_code == 303
    assert _count(world, Concern) == 2


def test_a_missing_database_gives_503(
    world: World, settings: Settings, signed_in: Callable[[Role], TestClient]
) -> None:
    lead = signed_in(Role.DSL)
    assert lead.get("/triage").status_code == 200
    world.db.dispose()
    path = sqlite_path(settings.database_url)
    assert path is not None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    response = lead.get("/triage")
    assert response.status_code == 503
    assert "Lantern cannot reach its database" in response.text
    # The public pages need no database: whom to call stays on screen.
    public = TestClient(world.app, base_url=BASE_URL).get("/")
    assert public.status_code == 200
    assert "call 999" in public.text


def test_an_expired_session_cannot_triage(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    _, concern = record_concern(signed_in(Role.PRACTITIONER))
    lead = signed_in(Role.DSL)
    form = lead.get(f"/triage/concerns/{concern}")
    with world.db.engine.begin() as connection:
        past = "2000-01-01 00:00:00"
        connection.execute(
            text("UPDATE web_session SET expires_at = :p, last_seen_at = :p"), {"p": past}
        )
    again = lead.get("/triage", follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"].startswith("/sign-in")
    posted = lead.post(
        f"/triage/concerns/{concern}/decision",
        data={
            "csrf_token": csrf_of(form.text),
            "outcome": "monitor",
            "rationale": "Monitor through the pastoral team for a month.",
        },
        follow_redirects=False,
    )
    # The session is gone, so the page's token no longer matches: refused, not saved.
    assert posted.status_code == 403
    assert _count(world, Decision) == 0


def test_a_forged_token_changes_nothing(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    person, concern = record_concern(signed_in(Role.PRACTITIONER))
    lead = signed_in(Role.DSL)
    forged = "f" * 43
    due = date.today() + timedelta(days=3)
    attempts = {
        f"/triage/concerns/{concern}/decision": {
            "outcome": "monitor",
            "rationale": "Monitor through the pastoral team.",
        },
        f"/young-people/{person}/actions": {
            "description": "Call home",
            "owner_id": str(world.users[Role.DSL][0]),
            "due-day": str(due.day),
            "due-month": str(due.month),
            "due-year": str(due.year),
        },
        f"/young-people/{person}/referrals": {
            "to_organisation_id": str(world.organisations["mash"]),
            "reason": "Refer to MASH for a multi-agency view.",
        },
    }
    for path, data in attempts.items():
        response = lead.post(path, data={**data, "csrf_token": forged})
        assert response.status_code == 403, path
        assert "not sent from a page Lantern gave you" in response.text
    assert _count(world, Decision) == _count(world, Action) == _count(world, Referral) == 0


def test_script_in_every_triage_field_is_shown_escaped(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    person, concern = record_concern(signed_in(Role.PRACTITIONER))
    lead = signed_in(Role.DSL)
    form = lead.get(f"/triage/concerns/{concern}")
    token = csrf_of(form.text)
    bad = lead.post(
        f"/triage/concerns/{concern}/decision",
        data={
            "csrf_token": token,
            "outcome": SCRIPT,
            "rationale": SCRIPT,
            "professional_level": SCRIPT,
        },
    )
    assert bad.status_code == 400 and SCRIPT not in bad.text and ESCAPED in bad.text
    lead.post(
        f"/triage/concerns/{concern}/decision",
        data={"csrf_token": token, "outcome": "monitor", "rationale": f"Reason {SCRIPT}"},
    )
    due = date.today() + timedelta(days=3)
    lead.post(
        f"/young-people/{person}/actions",
        data={
            "csrf_token": token,
            "description": f"Action {SCRIPT}",
            "owner_id": str(world.users[Role.DSL][0]),
            "due-day": str(due.day),
            "due-month": str(due.month),
            "due-year": str(due.year),
        },
    )
    lead.post(
        f"/young-people/{person}/referrals",
        data={
            "csrf_token": token,
            "to_organisation_id": str(world.organisations["mash"]),
            "reason": f"Referral {SCRIPT}",
        },
    )
    rejected = lead.post(
        f"/young-people/{person}/actions",
        data={"csrf_token": token, "description": SCRIPT, "owner_id": SCRIPT, "due-day": SCRIPT},
    )
    assert rejected.status_code == 400 and SCRIPT not in rejected.text
    assert _count(world, Decision) == _count(world, Action) == _count(world, Referral) == 1
    for path in (f"/young-people/{person}/manage", f"/young-people/{person}", "/triage"):
        page = lead.get(path)
        assert page.status_code == 200, path
        assert SCRIPT not in page.text, path
    assert page.text.count("<script") == lead.get("/home").text.count("<script")
    manage = lead.get(f"/young-people/{person}/manage").text
    for label in ("Reason ", "Action ", "Referral "):
        assert label + ESCAPED in manage, label
    practitioner = signed_in(Role.PRACTITIONER)
    page = practitioner.get("/home")
    glass = practitioner.post(
        "/young-people/1/break-glass", data={"csrf_token": csrf_of(page.text), "reason": SCRIPT}
    )
    assert SCRIPT not in glass.text


@pytest.mark.parametrize(
    ("role", "method", "path"),
    [
        (Role.DSL, "get", "/triage/concerns/999999"),
        (Role.DSL, "post", "/triage/concerns/999999/decision"),
        (Role.DSL, "get", "/young-people/999999/manage"),
        (Role.DSL, "post", "/young-people/999999/actions"),
        (Role.DSL, "post", "/young-people/999999/referrals"),
        (Role.DSL, "post", "/young-people/999999/rescreen"),
        (Role.DSL, "post", "/actions/999999/status"),
        (Role.DSL, "post", "/referrals/999999/status"),
        (Role.MASH, "get", "/triage/public-reports/999999"),
        (Role.MASH, "post", "/triage/public-reports/999999/close"),
        (Role.MASH, "post", "/alerts/999999/state"),
        (Role.AUDITOR, "post", "/break-glass/999999/reviewed"),
        (Role.ADMIN, "post", "/admin/users/999999/active"),
        (Role.ADMIN, "post", "/admin/users/999999/role"),
    ],
)
def test_unknown_ids_are_not_found(
    role: Role, method: str, path: str, signed_in: Callable[[Role], TestClient]
) -> None:
    client = signed_in(role)
    token = csrf_of(client.get("/home").text)
    data = {
        "csrf_token": token,
        "status": "done" if path.startswith("/actions") else "closed",
        "state": "closed",
        "active": "0",
        "role": "analyst",
        "reason": "A reason long enough to pass.",
        "outcome": "monitor",
        "rationale": "A rationale long enough to pass.",
        "description": "Call home",
        "owner_id": "1",
        "to_organisation_id": "1",
        "due-day": "1",
        "due-month": "1",
        "due-year": str(date.today().year + 1),
    }
    if path.startswith("/referrals"):
        data["status"] = "accepted"
    response = client.get(path) if method == "get" else client.post(path, data=data)
    assert response.status_code == 404, (path, response.status_code)
    assert "Page not found" in response.text
