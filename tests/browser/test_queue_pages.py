"""A lead pages through a long triage queue by keyboard; axe-core on each page."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.services import triage
from lantern.store.models import Role
from tests.browser.conftest import Site, check_accessibility, sign_in_as, tab_to
from tests.browser.test_triage_journeys import seed_concerns


def test_a_lead_pages_through_the_queue_by_keyboard(
    page: Any, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_concerns(
        site,
        "Nadia",
        "Okafor",
        ["Seen with older youths at the bus station late."],
        "older_associates",
    )
    seed_concerns(
        site, "Owen", "Pryce", ["Missing overnight; returned with a new phone."], "going_missing"
    )
    # One row a page (the server runs in this process), so any two waiting make two pages.
    monkeypatch.setattr(triage, "QUEUE_PAGE_SIZE", 1)
    sign_in_as(page, site, Role.DSL)
    page.goto("/triage")
    assert page.get_by_text("Showing 1 to 1 of").is_visible()
    check_accessibility(page)
    tab_to(page, "a[rel='next']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/triage?page=2")
    assert page.get_by_text("Showing 2 to 2 of").is_visible()
    check_accessibility(page)
    tab_to(page, "a[rel='prev']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/triage?page=1")
    assert page.get_by_text("Showing 1 to 1 of").is_visible()
