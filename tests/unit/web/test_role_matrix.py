"""Every role against every staff page: the pages a role's work needs open, the rest refuse.

The expected answer for each (role, route) is written out here, not derived from
the policy under test, so a change to either shows up as a failure.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from lantern.store.models import Role
from tests.unit.web.conftest import World, all_routes

P, D, M, AN, AD, AU = (
    Role.PRACTITIONER,
    Role.DSL,
    Role.MASH,
    Role.ANALYST,
    Role.ADMIN,
    Role.AUDITOR,
)
CASE_ROLES = {P, D, M}

#: GET routes that need sign-in, and the roles that may open them.
STAFF_GETS: dict[str, set[Role]] = {
    "/home": {P, D, M, AN, AD, AU},
    "/concerns/new": CASE_ROLES,
    "/concerns/new/young-person?name=Zed": CASE_ROLES,
    "/young-people/new": CASE_ROLES,
    "/young-people": CASE_ROLES,
    "/young-people?name=Zed": CASE_ROLES,
}

#: Open to everyone, signed in or not.
PUBLIC_GETS = ["/", "/report", "/guidance/what-to-do", "/sign-in"]


def test_the_matrix_covers_every_get_route(world: World) -> None:
    paths = {p for p, methods in all_routes(world.app.routes) if "GET" in methods}
    covered = {p.split("?")[0] for p in [*STAFF_GETS, *PUBLIC_GETS]}
    known_elsewhere = {
        "/guidance/{slug}",  # PUBLIC_GETS, by one slug
        "/report/sent",
        "/signed-out",
        "/sign-out",
        "/sign-in/code",
        "/sign-in/set-up-code",
        "/theme.css",
        "/favicon.ico",
        "/concerns/new/details",  # needs a young person: see test_concern_routes
        "/concerns/{concern_id}/outcome",
        "/young-people/{young_person_id}",  # scope: see test_young_person_routes
    }
    assert paths - covered - known_elsewhere == set()


@pytest.mark.parametrize("role", list(Role))
def test_each_role_opens_exactly_its_pages(
    role: Role, signed_in: Callable[[Role], TestClient]
) -> None:
    client = signed_in(role)
    for path, roles in STAFF_GETS.items():
        status = client.get(path, follow_redirects=False).status_code
        assert status == (200 if role in roles else 403), (role, path, status)
    for path in PUBLIC_GETS:
        assert client.get(path).status_code == 200, (role, path)


def test_a_visitor_is_sent_to_sign_in_from_every_staff_page(client: TestClient) -> None:
    for path in STAFF_GETS:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/sign-in")
