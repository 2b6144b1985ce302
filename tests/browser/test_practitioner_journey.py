"""A practitioner records a concern by keyboard alone and sees its level; they cannot open
another organisation's young person. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from lantern.store.models import Role
from tests.browser.conftest import Site, check_accessibility, sign_in_as, tab_to

NOTE = (
    "Jade told me she has been staying at an older friend's flat and he gives her vodka. "
    "She has been missing from home overnight twice this month."
)


def test_practitioner_records_a_concern_by_keyboard_and_sees_its_level(
    page: Any, site: Site
) -> None:
    sign_in_as(page, site, Role.PRACTITIONER)
    check_accessibility(page)
    page.goto("/concerns/new")
    check_accessibility(page)
    tab_to(page, "#immediate_danger")
    page.keyboard.press("ArrowRight")  # from Yes to No, as radios move by arrow keys
    assert page.locator("#immediate_danger-2").is_checked()
    tab_to(page, "button.govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/concerns/new/young-person**")
    check_accessibility(page)
    tab_to(page, "#name")
    page.keyboard.type("Jade")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results")
    check_accessibility(page)
    tab_to(page, 'a[href^="/young-people/new"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/young-people/new**")
    check_accessibility(page)
    tab_to(page, "#first_name")
    page.keyboard.type("Jade")
    tab_to(page, "#last_name")
    page.keyboard.type("Whitmore")
    tab_to(page, "form button.govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/concerns/new/details**")
    check_accessibility(page)
    seen = date.today() - timedelta(days=1)
    tab_to(page, "#observed-day")
    page.keyboard.type(str(seen.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(seen.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(seen.year))
    tab_to(page, "#text")
    page.keyboard.type(NOTE)
    # The text analysis answers as they write (HTMX): its suggestions arrive with evidence.
    page.wait_for_selector("mark.lantern-evidence", timeout=10_000)
    check_accessibility(page)
    tab_to(page, "#factor-going_missing")
    page.keyboard.press("Space")
    assert page.locator("#factor-going_missing").is_checked()
    tab_to(page, "#record-concern")
    page.keyboard.press("Enter")
    page.wait_for_url("**/outcome")
    assert page.get_by_role("heading", name="Concern recorded").is_visible()
    level = page.locator("#level").inner_text()
    assert level.strip()
    check_accessibility(page)
    page.get_by_role("link", name="See Jade Whitmore's record").click()
    assert page.get_by_role("heading", name="Jade Whitmore").is_visible()
    assert page.get_by_text("Risk level over time").is_visible()
    check_accessibility(page)
    assert page.problems == [], page.problems


def test_practitioner_cannot_open_another_organisations_young_person(
    browser: Any, page: Any, site: Site
) -> None:
    mash_context = browser.new_context(base_url=site.url)
    mash = mash_context.new_page()
    sign_in_as(mash, site, Role.MASH)
    mash.goto("/young-people/new")
    mash.get_by_label("First name").fill("Corey")
    mash.get_by_label("Last name").fill("Blackwood")
    mash.get_by_role("button", name="Add young person").click()
    mash.wait_for_url("**/concerns/new/details**")
    person = mash.url.split("young_person=")[1].split("&")[0]
    mash_context.close()
    sign_in_as(page, site, Role.PRACTITIONER)
    response = page.goto(f"/young-people/{person}")
    assert response.status == 403
    assert page.get_by_role("heading", name="You cannot see this page").is_visible()
    assert "Blackwood" not in page.content()
    check_accessibility(page)
