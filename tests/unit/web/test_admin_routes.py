"""Administration: organisations, users and roles; a one-time password shown once; deactivate
and reset the second factor; administrators never see case content."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from lantern.services.context import Actor
from lantern.store.models import Organisation, Role, User
from tests.unit.web.conftest import BASE_URL, World, csrf_of
from tests.unit.web.test_concern_routes import _add_young_person

SCRIPT = '<script>alert("x")</script>'


def test_an_administrator_adds_an_organisation(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    admin = signed_in(Role.ADMIN)
    page = admin.get("/admin/organisations")
    assert page.status_code == 200
    assert "Riverside Academy" in page.text
    added = admin.post(
        "/admin/organisations",
        data={
            "csrf_token": csrf_of(page.text),
            "name": "Hillside Youth Club",
            "kind": "youth_service",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert "Hillside Youth Club" in admin.get("/admin/organisations").text
    again = admin.post(
        "/admin/organisations",
        data={
            "csrf_token": csrf_of(page.text),
            "name": "hillside youth club",
            "kind": "youth_service",
        },
    )
    assert again.status_code == 400
    assert "already exists" in again.text
    bad = admin.post(
        "/admin/organisations",
        data={"csrf_token": csrf_of(page.text), "name": SCRIPT, "kind": "castle"},
    )
    assert bad.status_code == 400
    assert SCRIPT not in bad.text
    assert "&lt;script&gt;" in bad.text
    with world.db.transaction(Actor.system("test")) as session:
        names = set(session.scalars(select(Organisation.name)))
    assert SCRIPT not in names


def test_an_administrator_creates_an_account_that_can_sign_in(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    admin = signed_in(Role.ADMIN)
    page = admin.get("/admin/users")
    assert "practitioner@school.test" in page.text
    created = admin.post(
        "/admin/users",
        data={
            "csrf_token": csrf_of(page.text),
            "email": "New.Worker@School.test",
            "name": f"Sam {SCRIPT}",
            "role": "practitioner",
            "organisation_id": str(world.organisations["school"]),
        },
    )
    assert created.status_code == 201, created.text
    found = re.search(r'id="one-time-password">([^<]+)<', created.text)
    assert found
    password = found.group(1)
    listing = admin.get("/admin/users").text
    assert "new.worker@school.test" in listing
    assert password not in listing  # shown once
    assert SCRIPT not in listing and "Sam &lt;script&gt;" in listing

    newcomer = TestClient(world.app, base_url=BASE_URL)
    form = newcomer.get("/sign-in")
    signed = newcomer.post(
        "/sign-in",
        data={
            "email": "new.worker@school.test",
            "password": password,
            "csrf_token": csrf_of(form.text),
        },
        follow_redirects=False,
    )
    assert signed.status_code == 303
    assert signed.headers["location"].startswith("/sign-in/set-up-code")

    duplicate = admin.post(
        "/admin/users",
        data={
            "csrf_token": csrf_of(page.text),
            "email": "new.worker@school.test",
            "name": "Sam",
            "role": "practitioner",
            "organisation_id": str(world.organisations["school"]),
        },
    )
    assert duplicate.status_code == 400
    invalid = admin.post(
        "/admin/users",
        data={
            "csrf_token": csrf_of(page.text),
            "email": "not-an-address",
            "name": "",
            "role": "king",
        },
    )
    assert invalid.status_code == 400
    assert "There is a problem" in invalid.text


def test_deactivate_and_reset_the_second_factor(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    admin = signed_in(Role.ADMIN)
    page = admin.get("/admin/users")
    target = world.users[Role.PRACTITIONER][0]
    off = admin.post(
        f"/admin/users/{target}/active",
        data={"csrf_token": csrf_of(page.text), "active": "0"},
        follow_redirects=False,
    )
    assert off.status_code == 303
    reset = admin.post(
        f"/admin/users/{target}/reset-second-factor",
        data={"csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert reset.status_code == 303
    with world.db.transaction(Actor.system("test")) as session:
        user = session.get(User, target)
        assert user is not None and not user.active and not user.totp_confirmed
    own = world.users[Role.ADMIN][0]
    refused = admin.post(
        f"/admin/users/{own}/active", data={"csrf_token": csrf_of(page.text), "active": "0"}
    )
    assert refused.status_code == 400
    assert (
        admin.post(
            "/admin/users/999999/reset-second-factor", data={"csrf_token": csrf_of(page.text)}
        ).status_code
        == 404
    )


def test_administrators_never_see_case_content(
    signed_in: Callable[[Role], TestClient],
) -> None:
    practitioner = signed_in(Role.PRACTITIONER)
    person = _add_young_person(practitioner, "Leon", "Marsh")
    admin = signed_in(Role.ADMIN)
    for path in ("/admin/users", "/admin/organisations", "/home"):
        assert "Leon" not in admin.get(path).text
    for path in (f"/young-people/{person}", "/young-people?name=Leon", "/triage", "/alerts"):
        assert admin.get(path).status_code == 403, path


def test_case_roles_cannot_administer(signed_in: Callable[[Role], TestClient]) -> None:
    for role in (Role.PRACTITIONER, Role.DSL, Role.MASH, Role.AUDITOR):
        client = signed_in(role)
        page = client.get("/home")
        assert client.get("/admin/users").status_code == 403
        posted = client.post(
            "/admin/organisations",
            data={"csrf_token": csrf_of(page.text), "name": "Rogue", "kind": "other"},
        )
        assert posted.status_code == 403
