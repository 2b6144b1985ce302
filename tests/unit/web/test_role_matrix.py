"""Every role against every staff page: the pages a role's work needs open, the rest refuse.

The expected answer for each (role, route) is written out here, not derived from
the policy under test, so a change to either shows up as a failure.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from lantern.store.models import Role
from tests.unit.web.conftest import World, all_routes, csrf_of
from tests.unit.web.test_triage_routes import record_concern

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
    "/triage": {D, M},
    "/triage?level=emerging&kind=concern": {D, M},
    "/triage/reviews": {D, M},
    "/alerts": {D, M, AN},
    "/alerts?state=closed": {D, M, AN},
    "/break-glass": {M, AU},
    "/admin/organisations": {AD},
    "/admin/users": {AD},
    "/audit": {AU},
    "/audit?young_person=1": {AU},
    "/account/api-tokens": {P, D, M, AN},
    "/account/api-tokens?revoked=1": {P, D, M, AN},
    "/analyst": {M, AN},
    "/analyst?kind=phone&since=2026-01-01": {M, AN},
    "/analyst/chart.json": {M, AN},
    "/merges": {D, M},
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
        # By id, with scope: test_each_role_on_routes_about_one_record below.
        "/triage/concerns/{concern_id}",
        "/triage/public-reports/{report_id}",
        "/triage/public-reports/{report_id}/decide",
        "/young-people/{young_person_id}/manage",
        # Bearer tokens, not sessions: see test_api.
        "/api/v1/young-people",
        "/api/v1/young-people/{young_person_id}",
        "/api/v1/young-people/{young_person_id}/concerns",
        # A node or a record by id, with scope: see test_analyst and test_transcripts.
        "/analyst/node",
        "/analyst/node.json",
        "/young-people/{young_person_id}/linked",
        # Merges by key or id, with scope: see test_merges.
        "/merges/proposals/{key}",
        "/merges/{merge_id}",
        "/merges/not-the-same/{finding_id}",
        "/young-people/{young_person_id}/merges",
        "/young-people/{young_person_id}/transcripts",
        "/transcripts/{transcript_id}",
        "/transcripts/{transcript_id}/concern",
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


def test_each_role_on_routes_about_one_record(
    client: TestClient, signed_in: Callable[[Role], TestClient]
) -> None:
    """A school practitioner's concern and a public report: who may open what about them."""
    person, concern = record_concern(signed_in(P))
    form = client.get("/report")
    client.post(
        "/report",
        data={
            "csrf_token": csrf_of(form.text),
            "child": "A boy of about 12",
            "location": "Shopping centre",
            "what_seen": "Being given cigarettes by an older man.",
        },
    )
    report = 1
    expected: dict[str, set[Role]] = {
        f"/young-people/{person}": {P, D},  # MASH: not referred, no alert (break-glass offer)
        f"/triage/concerns/{concern}": {D},
        f"/young-people/{person}/manage": {D},
        f"/young-people/{person}/merges": {P, D},
        f"/triage/public-reports/{report}": {M},
        f"/triage/public-reports/{report}/decide?young_person={person}": set(),  # MASH: scope
    }
    for role in Role:
        browser = signed_in(role)
        for path, roles in expected.items():
            status = browser.get(path, follow_redirects=False).status_code
            assert status == (200 if role in roles else 403), (role, path, status)
