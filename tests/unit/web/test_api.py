"""The JSON API: bearer tokens only, the same access policy and audit as the pages, JSON errors,
and an OpenAPI description."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from lantern.services.context import Actor
from lantern.store.models import AuditEvent, Role
from tests.unit.web.conftest import BASE_URL, World, csrf_of
from tests.unit.web.test_concern_routes import NOTE, _add_young_person


def token_for(client: TestClient) -> str:
    """A token created through the account page, as a person would."""
    page = client.get("/account/api-tokens")
    assert page.status_code == 200
    created = client.post(
        "/account/api-tokens",
        data={"csrf_token": csrf_of(page.text), "name": "School MIS", "days": "30"},
    )
    assert created.status_code == 201, created.text
    found = re.search(r'id="api-token">([^<]+)<', created.text)
    assert found
    return found.group(1)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _concern(person: int, **extra: object) -> dict[str, object]:
    return {
        "young_person_id": person,
        "observed_on": (date.today() - timedelta(days=1)).isoformat(),
        "text": NOTE,
        "factors": [{"code": "going_missing"}],
        "idempotency_key": uuid.uuid4().hex,
        **extra,
    }


def test_a_token_records_and_lists_concerns_once(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    practitioner = signed_in(Role.PRACTITIONER)
    person = _add_young_person(practitioner, "Leon", "Marsh")
    token = token_for(practitioner)
    api = TestClient(world.app, base_url=BASE_URL)  # no cookies: the token alone

    found = api.get("/api/v1/young-people", params={"name": "Leon"}, headers=_bearer(token))
    assert found.status_code == 200
    assert [m["id"] for m in found.json()] == [person]

    body = _concern(person)
    saved = api.post("/api/v1/concerns", json=body, headers=_bearer(token))
    assert saved.status_code == 201, saved.text
    first = saved.json()
    assert first["created"] is True and first["level"]
    again = api.post("/api/v1/concerns", json=body, headers=_bearer(token))
    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["created"] is False

    listed = api.get(f"/api/v1/young-people/{person}/concerns", headers=_bearer(token))
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()] == [first["id"]]
    assert listed.json()[0]["factors"] == ["going_missing"]

    record = api.get(f"/api/v1/young-people/{person}", headers=_bearer(token))
    assert record.status_code == 200
    assert record.json()["first_name"] == "Leon"
    assert record.json()["latest_level"] == first["level"]

    with world.db.transaction(Actor.system("test")) as session:
        channels = {
            e.detail.get("channel")
            for e in session.scalars(select(AuditEvent).where(AuditEvent.young_person_id == person))
        }
    assert "api" in channels, channels


def test_without_a_valid_token_the_api_answers_401_in_json(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    signed_in_browser = signed_in(Role.PRACTITIONER)
    for client, headers in (
        (TestClient(world.app, base_url=BASE_URL), {}),
        (TestClient(world.app, base_url=BASE_URL), _bearer("lt_not-a-real-token")),
        (signed_in_browser, {}),  # a session cookie is not enough
    ):
        response = client.get("/api/v1/young-people?name=Leon", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert set(response.json()) == {"error", "detail"}


def test_the_api_applies_the_same_scope_and_validation(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    mash = signed_in(Role.MASH)
    theirs = _add_young_person(mash, "Priya", "Sandhu")
    token = token_for(signed_in(Role.PRACTITIONER))
    api = TestClient(world.app, base_url=BASE_URL)
    refused = api.get(f"/api/v1/young-people/{theirs}", headers=_bearer(token))
    assert refused.status_code == 403
    assert "Priya" not in refused.text
    assert api.get("/api/v1/young-people/999999", headers=_bearer(token)).status_code == 404
    assert api.get("/api/v1/young-people", headers=_bearer(token)).status_code == 400
    bad = api.post(
        "/api/v1/concerns",
        json=_concern(theirs, observed_on="2099-01-01", factors=[{"code": "not_a_factor"}]),
        headers=_bearer(token),
    )
    assert bad.status_code == 400
    assert bad.json()["error"]
    not_json = api.post(
        "/api/v1/concerns",
        content=b"<script>alert(1)</script>",
        headers={**_bearer(token), "content-type": "application/json"},
    )
    assert not_json.status_code == 400
    assert not_json.headers["content-type"].startswith("application/json")


def test_roles_without_api_use_cannot_make_tokens(signed_in: Callable[[Role], TestClient]) -> None:
    for role in (Role.ADMIN, Role.AUDITOR):
        assert signed_in(role).get("/account/api-tokens").status_code == 403


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    for path in (
        "/api/v1/young-people",
        "/api/v1/young-people/{young_person_id}",
        "/api/v1/young-people/{young_person_id}/concerns",
        "/api/v1/concerns",
    ):
        assert path in spec["paths"], path
