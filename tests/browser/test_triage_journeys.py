"""A lead triages a concern and refers; MASH sees an accumulation alert; the administration,
audit and break-glass review pages. axe-core runs on every page visited."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from lantern.services import concerns, young_people
from lantern.services.concerns import ConcernDraft, FactorChoice
from lantern.services.context import Actor
from lantern.services.young_people import YoungPersonDraft
from lantern.store.models import Role
from tests.browser.conftest import Site, check_accessibility, sign_in_as


def _practitioner(site: Site) -> Actor:
    user_id, email, _ = site.world.users[Role.PRACTITIONER]
    return Actor(
        user_id=user_id,
        email=email,
        role=Role.PRACTITIONER,
        organisation_id=site.world.organisations["school"],
    )


def seed_concerns(site: Site, first: str, last: str, notes: list[str], factor: str) -> int:
    """A school practitioner's concerns about a new young person, saved through the services."""
    actor = _practitioner(site)
    with site.world.db.transaction(actor) as session:
        person = young_people.create_young_person(
            session=session,
            actor=actor,
            draft=YoungPersonDraft(first_name=first, last_name=last, school="Riverside Academy"),
            checked_duplicates=True,
        )
        for days_ago, note in enumerate(notes, start=1):
            concerns.record_concern(
                session=session,
                actor=actor,
                draft=ConcernDraft(
                    young_person_id=person.id,
                    observed_on=date.today() - timedelta(days=days_ago * 3),
                    text=note,
                    factors=[FactorChoice(code=factor)],
                    idempotency_key=secrets.token_urlsafe(16),
                ),
            )
        return person.id


def test_a_lead_triages_a_concern_and_refers(page: Any, site: Site) -> None:
    seed_concerns(
        site,
        "Kayla",
        "Brennan",
        ["Kayla was collected from school by a man in his twenties who is not family."],
        "older_associates",
    )
    sign_in_as(page, site, Role.DSL)
    page.get_by_role("link", name="Triage").first.click()
    page.wait_for_url("**/triage")
    check_accessibility(page)
    page.get_by_role("link", name="Decide on the concern about Kayla Brennan").click()
    page.wait_for_url("**/triage/concerns/*")
    check_accessibility(page)
    page.get_by_label("Refer to children's social care").check()
    page.get_by_label("Why? Give your reasons").fill(
        "Older adult collecting her from school; her mother does not know him. Refer today."
    )
    page.get_by_label("Your professional judgement of the level").select_option("significant")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/manage?decided=1")
    assert page.get_by_text("The decision was recorded.").is_visible()
    check_accessibility(page)
    page.get_by_label("Refer to").select_option(label="Northshire MASH (mash)")
    page.get_by_label("Reason for the referral").fill(
        "Decision to refer: older adult collecting Kayla from school."
    )
    page.get_by_role("button", name="Send the referral").click()
    page.wait_for_url("**/manage#referrals")
    assert page.get_by_text("Referral to Northshire MASH (sent)").is_visible()
    due = date.today() + timedelta(days=5)
    page.get_by_label("What needs to be done").fill("Meet Kayla's mother with the school nurse")
    page.locator("#due-day").fill(str(due.day))
    page.locator("#due-month").fill(str(due.month))
    page.locator("#due-year").fill(str(due.year))
    page.get_by_role("button", name="Add the action").click()
    page.wait_for_url("**/manage#actions")
    assert page.get_by_text("Meet Kayla's mother with the school nurse").first.is_visible()
    check_accessibility(page)
    assert page.problems == [], page.problems


def test_mash_sees_an_accumulation_alert(page: Any, site: Site) -> None:
    person = seed_concerns(
        site,
        "Mason",
        "Okafor",
        [
            "Mason was reported missing overnight and returned with a new coat.",
            "Mason missing from home again; found in another town by police.",
        ],
        "going_missing",
    )
    sign_in_as(page, site, Role.MASH)
    page.get_by_role("link", name="Alerts").first.click()
    page.wait_for_url("**/alerts")
    check_accessibility(page)
    card = page.locator(".govuk-summary-card", has_text="Repeated missing episodes").first
    assert card.is_visible()
    card.locator(f'a[href="/young-people/{person}"]').click()
    page.wait_for_url(f"**/young-people/{person}")
    assert page.get_by_role("heading", name="Open alerts").is_visible()
    check_accessibility(page)
    page.goto("/triage?kind=alert")
    check_accessibility(page)
    page.goto("/alerts")
    card = page.locator(".govuk-summary-card", has_text="Repeated missing episodes").first
    card.get_by_role("button", name="Acknowledge").click()
    page.wait_for_url("**/alerts?state=acknowledged")
    check_accessibility(page)
    page.goto("/break-glass")
    check_accessibility(page)
    assert page.problems == [], page.problems


def test_administration_audit_and_tokens_pages_are_accessible(browser: Any, site: Site) -> None:
    for role, paths in (
        (Role.ADMIN, ["/admin/users", "/admin/organisations"]),
        (Role.AUDITOR, ["/audit", "/break-glass"]),
        (Role.ANALYST, ["/alerts", "/account/api-tokens"]),
    ):
        context = browser.new_context(base_url=site.url)
        page = context.new_page()
        sign_in_as(page, site, role)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            check_accessibility(page)
        if role == Role.ADMIN:
            page.goto("/admin/users")
            page.get_by_label("Email address").fill("rowan.hale@school.test")
            page.get_by_label("Full name").fill("Rowan Hale")
            page.get_by_label("Role").select_option("dsl")
            page.get_by_role("button", name="Create the account").click()
            assert page.locator("#one-time-password").inner_text().strip()
            check_accessibility(page)
        context.close()
