"""The API tokens page: a person sees their own tokens (never the secret) and revokes one;
a revoked or expired token is refused by the API at once; nobody revokes another's token."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from lantern.services.auth import token_hash
from lantern.services.context import Actor, utcnow
from lantern.store.models import ApiToken, AuditEvent, Role
from tests.unit.web.conftest import BASE_URL, World, csrf_of

PAGE = "/account/api-tokens"


def _create(client: TestClient, name: str, days: str = "30") -> str:
    page = client.get(PAGE)
    created = client.post(PAGE, data={"csrf_token": csrf_of(page.text), "name": name, "days": days})
    assert created.status_code == 201, created.text
    found = re.search(r'id="api-token">([^<]+)<', created.text)
    assert found
    return found.group(1)


def _token_id(world: World, token: str) -> int:
    with world.db.transaction(Actor.system("test")) as session:
        record = session.scalars(
            select(ApiToken).where(ApiToken.token_hash == token_hash(token))
        ).one()
        return record.id


def _revoke(client: TestClient, token_id: int) -> Any:
    """Press a token's Revoke button (the response is the test client's own httpx type)."""
    page = client.get(PAGE)
    return client.post(
        f"{PAGE}/{token_id}/revoke",
        data={"csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


def _api_status(world: World, token: str) -> int:
    api = TestClient(world.app, base_url=BASE_URL)  # no cookies: the token alone
    response = api.get(
        "/api/v1/young-people", params={"name": "Zed"}, headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code


def _rows(page_html: str) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row" id="token-\d+">(.*?)</tr>', page_html, re.S)


def test_the_page_lists_own_tokens_without_the_secret_or_its_hash(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    practitioner = signed_in(Role.PRACTITIONER)
    first = _create(practitioner, "School information system", "30")
    second = _create(practitioner, "Attendance exports", "365")
    theirs = _create(signed_in(Role.DSL), "Safeguarding log of the lead")

    page = practitioner.get(PAGE)
    assert page.status_code == 200
    rows = _rows(page.text)
    assert len(rows) == 2
    assert (
        "Attendance exports" in rows[0] and "School information system" in rows[1]
    )  # newest first
    assert all("Live" in row and "Revoke" in row for row in rows)
    today = utcnow()
    assert f"{(today + timedelta(days=30)).day} {(today + timedelta(days=30)):%B %Y}" in rows[1]
    assert "Safeguarding log of the lead" not in page.text
    with world.db.transaction(Actor.system("test")) as session:
        hashes = list(session.scalars(select(ApiToken.token_hash)))
    for secret in (first, second, theirs, *hashes):
        assert secret not in page.text


def test_revoking_shows_a_banner_and_the_api_refuses_the_token_at_once(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    practitioner = signed_in(Role.PRACTITIONER)
    kept = _create(practitioner, "Kept system")
    token = _create(practitioner, "Old case system")
    assert _api_status(world, token) == 200
    token_id = _token_id(world, token)

    response = _revoke(practitioner, token_id)
    assert response.status_code == 303
    location = response.headers["location"]
    after = practitioner.get(location)
    assert after.status_code == 200
    assert "govuk-notification-banner--success" in after.text
    assert "Token “Old case system” revoked" in after.text
    row = next(r for r in _rows(after.text) if "Old case system" in r)
    assert "Revoked" in row and "<button" not in row

    assert _api_status(world, token) == 401
    assert _api_status(world, kept) == 200

    with world.db.transaction(Actor.system("test")) as session:
        events = list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == "revoke_api_token"))
        )
    assert [(e.record_type, e.record_id) for e in events] == [("api_token", str(token_id))]


def test_a_second_revoke_is_harmless(world: World, signed_in: Callable[[Role], TestClient]) -> None:
    practitioner = signed_in(Role.PRACTITIONER)
    token_id = _token_id(world, _create(practitioner, "Sent twice"))
    page = practitioner.get(PAGE)
    form = {"csrf_token": csrf_of(page.text)}
    first = practitioner.post(f"{PAGE}/{token_id}/revoke", data=form, follow_redirects=False)
    with world.db.transaction(Actor.system("test")) as session:
        revoked_at = session.get(ApiToken, token_id).revoked_at  # type: ignore[union-attr]
    second = practitioner.post(f"{PAGE}/{token_id}/revoke", data=form, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert practitioner.get(second.headers["location"]).status_code == 200
    with world.db.transaction(Actor.system("test")) as session:
        assert session.get(ApiToken, token_id).revoked_at == revoked_at  # type: ignore[union-attr]
        events = list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == "revoke_api_token"))
        )
    assert len(events) == 1


def test_nobody_revokes_another_persons_token_and_ids_cannot_be_probed(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    owner = signed_in(Role.PRACTITIONER)
    token = _create(owner, "Owner's system")
    token_id = _token_id(world, token)
    other = signed_in(Role.MASH)
    someone_elses = _revoke(other, token_id)
    missing = _revoke(other, token_id + 1000)
    assert someone_elses.status_code == missing.status_code == 404
    assert "Owner" not in someone_elses.text
    assert _api_status(world, token) == 200
    # Nor does a banner address name someone else's token.
    shown = other.get(f"{PAGE}?revoked={token_id}")
    assert shown.status_code == 200 and "Owner" not in shown.text
    assert "govuk-notification-banner" not in shown.text


def test_revoking_needs_the_form_token_and_a_role_that_uses_the_api(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    owner = signed_in(Role.DSL)
    token = _create(owner, "Lead's system")
    token_id = _token_id(world, token)
    forged = owner.post(f"{PAGE}/{token_id}/revoke", data={}, follow_redirects=False)
    assert forged.status_code == 403
    assert _api_status(world, token) == 200
    for role in (Role.ADMIN, Role.AUDITOR):
        assert _revoke(signed_in(role), token_id).status_code == 403
    visitor = TestClient(world.app, base_url=BASE_URL)
    # A visitor has no session: the form token check refuses the post first.
    assert visitor.post(f"{PAGE}/{token_id}/revoke", follow_redirects=False).status_code == 403
    assert _api_status(world, token) == 200
    page = owner.get(PAGE)
    not_an_id = owner.post(f"{PAGE}/not-a-number/revoke", data={"csrf_token": csrf_of(page.text)})
    assert not_an_id.status_code == 400


def test_an_expired_token_is_listed_as_expired_and_refused(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    lead = signed_in(Role.DSL)
    token = _create(lead, "Nightly export")
    assert _api_status(world, token) == 200
    with world.db.transaction(Actor.system("test")) as session:
        record = session.get(ApiToken, _token_id(world, token))
        assert record is not None
        record.expires_at = utcnow() - timedelta(minutes=1)
    assert _api_status(world, token) == 401
    row = _rows(lead.get(PAGE).text)[0]
    assert "Expired" in row and "<button" not in row


def test_hostile_token_names_are_shown_escaped(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    practitioner = signed_in(Role.PRACTITIONER)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    token_id = _token_id(world, _create(practitioner, hostile))
    listed = practitioner.get(PAGE).text
    assert "<script>alert" not in listed and "<img src=x" not in listed
    name_cell = re.search(r'<th scope="row" class="govuk-table__header">(.*?)</th>', listed, re.S)
    assert name_cell and html.unescape(name_cell.group(1)) == hostile
    response = _revoke(practitioner, token_id)
    banner = practitioner.get(response.headers["location"]).text
    assert "govuk-notification-banner--success" in banner
    assert "<script>alert" not in banner and "<img src=x" not in banner
    assert f"Token “{hostile}” revoked" in html.unescape(banner)
