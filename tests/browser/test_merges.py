"""A lead checks two records of the same young person made by different spellings, merges
them with a rationale, sees the joined chronology, and undoes the merge; and a lead records
that two look-alike records are not the same young person, then takes it back. axe-core
runs on every page visited."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from typing import Any

from lantern.services import concerns, young_people
from lantern.services.concerns import ConcernDraft, FactorChoice
from lantern.services.young_people import YoungPersonDraft
from lantern.store.models import Role
from tests.browser.conftest import Site, check_accessibility, sign_in_as
from tests.browser.test_triage_journeys import _practitioner

NOTES = {
    "Katherine": "Katherine left the school site at lunchtime and did not return.",
    "Kat": "Kat was seen getting into a car with an adult not known to staff.",
}


def _two_records(site: Site, notes: dict[str, str] = NOTES, last: str = "Thackeray") -> list[int]:
    actor = _practitioner(site)
    ids = []
    with site.world.db.transaction(actor) as session:
        for first, note in notes.items():
            person = young_people.create_young_person(
                session=session,
                actor=actor,
                draft=YoungPersonDraft(
                    first_name=first,
                    last_name=last,
                    date_of_birth=date(2012, 2, 29),
                    school="Riverside Academy",
                ),
                checked_duplicates=True,
            )
            concerns.record_concern(
                session=session,
                actor=actor,
                draft=ConcernDraft(
                    young_person_id=person.id,
                    observed_on=date.today() - timedelta(days=2),
                    text=note,
                    factors=[FactorChoice(code="school_absence")],
                    idempotency_key=secrets.token_urlsafe(16),
                ),
            )
            ids.append(person.id)
    return ids


def test_a_lead_merges_duplicates_and_undoes_it(page: Any, site: Site) -> None:
    _two_records(site)
    sign_in_as(page, site, Role.DSL)
    page.get_by_role("link", name="Duplicates").first.click()
    page.wait_for_url("**/merges")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("Thackeray")).first.click()
    page.wait_for_url("**/merges/proposals/*")
    check_accessibility(page)
    assert "same date of birth" in page.content()

    page.get_by_role("button", name="Merge these records").click()
    page.wait_for_selector(".govuk-error-summary")
    check_accessibility(page)
    page.get_by_label("Why are these the same young person?").fill(
        "Same date of birth and school; Kat is the name she uses with friends."
    )
    page.get_by_role("button", name="Merge these records").click()
    page.wait_for_url(re.compile(r".*/merges/\d+\?confirmed=1"))
    check_accessibility(page)
    body = page.content()
    assert "Records merged" in body
    for note in NOTES.values():
        assert note in body  # the joined chronology

    merge_url = page.url.split("?")[0]
    page.get_by_role("link", name=re.compile("^Open .*Thackeray's record")).click()
    page.wait_for_selector("#merged-records >> text=Records merged into this one")
    check_accessibility(page)

    page.goto(merge_url)
    page.get_by_label("Undo this merge").fill("The school confirms these are two different girls.")
    page.get_by_role("button", name="Undo the merge").click()
    page.wait_for_url(re.compile(r".*/merges/\d+\?undone=1"))
    check_accessibility(page)
    assert "Merge undone" in page.content()
    assert not page.problems


LOOK_ALIKES = {
    "Maisie": "Maisie was late to registration three times this week.",
    "Masie": "Masie said an older friend collects her from the park.",
}


def test_a_lead_records_two_records_are_not_the_same_and_takes_it_back(
    page: Any, site: Site
) -> None:
    _two_records(site, LOOK_ALIKES, "Okonjo")
    sign_in_as(page, site, Role.DSL)
    page.goto("/merges")
    proposal = page.locator("#proposals").get_by_role("link", name=re.compile("Okonjo"))
    proposal.click()
    page.wait_for_url("**/merges/proposals/*")
    proposal_url = page.url
    record = "Record that these are not the same young person"
    page.get_by_role("button", name=record).click()
    page.wait_for_selector(".govuk-error-summary")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("not the same young person")).first.click()
    assert page.evaluate("() => document.activeElement.id") == "reason"  # the summary's link
    page.get_by_label("Why are these not the same young person?").fill(
        "Different home addresses and parents; the school has two girls of this name."
    )
    page.get_by_role("button", name=record).click()
    page.wait_for_url(re.compile(r".*/merges/not-the-same/\d+\?recorded=1"))
    check_accessibility(page)
    assert "Recorded as not the same young person" in page.content()
    finding_url = page.url.split("?")[0]

    page.goto("/merges")
    check_accessibility(page)
    assert page.locator("#proposals").get_by_text("Okonjo").count() == 0
    page.locator("#not-the-same").get_by_role("link", name=re.compile("Okonjo")).first.click()
    page.wait_for_url(finding_url)
    page.get_by_label("Take this back").fill("The school has found these are one girl after all.")
    page.get_by_role("button", name="Take it back").click()
    page.wait_for_url(re.compile(r".*/merges/not-the-same/\d+\?undone=1"))
    check_accessibility(page)
    assert "Taken back" in page.content()
    page.goto("/merges")
    assert page.locator("#proposals").get_by_role("link", name=re.compile("Okonjo")).count() == 1
    assert proposal_url.endswith(
        page.locator("#proposals")
        .get_by_role("link", name=re.compile("Okonjo"))
        .get_attribute("href")
    )
    assert not page.problems
