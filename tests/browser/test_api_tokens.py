"""A person creates two API tokens and revokes one, by keyboard alone: the list shows each
token's state, a banner confirms the revocation, the API refuses the revoked token at once,
and a hostile name is shown as text. axe-core runs on every page visited."""

from __future__ import annotations

from typing import Any

import httpx

from lantern.store.models import Role
from tests.browser.conftest import Site, check_accessibility, sign_in_as, tab_to

PAGE = "/account/api-tokens"
HOSTILE = '<img src=x onerror="document.title=1">Records bridge'


def _api_status(site: Site, token: str) -> int:
    """A bare request with the bearer token alone (no browser cookies)."""
    response = httpx.get(
        f"{site.url}/api/v1/young-people",
        params={"name": "Zed"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    return response.status_code


def _create_by_keyboard(page: Any, name: str) -> str:
    tab_to(page, "#name")
    page.keyboard.type(name)
    tab_to(page, "form[action='/account/api-tokens'] button.govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#api-token")
    check_accessibility(page)
    return str(page.locator("#api-token").inner_text()).strip()


def test_a_person_revokes_a_token_by_keyboard_and_the_api_refuses_it(page: Any, site: Site) -> None:
    sign_in_as(page, site, Role.DSL)
    response = page.goto(PAGE)
    assert response.status == 200
    check_accessibility(page)

    kept = _create_by_keyboard(page, "Pastoral system")
    revoked = _create_by_keyboard(page, HOSTILE)
    assert _api_status(site, kept) == _api_status(site, revoked) == 200

    row = page.locator("#tokens tbody tr", has_text="Records bridge")
    assert row.locator("th").inner_text() == HOSTILE  # shown as text, not as markup
    assert page.locator("#tokens img").count() == 0
    assert "Live" in row.inner_text()
    assert kept not in page.locator("#tokens").inner_text()

    button = row.get_by_role("button", name=f"Revoke the token “{HOSTILE}”")
    button_id = button.evaluate("(b) => b.closest('tr').id")
    tab_to(page, f"#{button_id} button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#revoked")
    check_accessibility(page)

    banner = page.locator("#revoked")
    assert "revoked" in banner.inner_text() and "Records bridge" in banner.inner_text()
    row = page.locator("#tokens tbody tr", has_text="Records bridge")
    assert "Revoked" in row.inner_text()
    assert row.get_by_role("button").count() == 0
    still_live = page.locator("#tokens tbody tr", has_text="Pastoral system").first
    assert still_live.get_by_role("button", name="Revoke the token “Pastoral system”").count()

    assert _api_status(site, revoked) == 401
    assert _api_status(site, kept) == 200
    assert page.title() != "1"
    assert page.problems == [], page.problems
