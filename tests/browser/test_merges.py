"""A lead checks two records of the same young person made by different spellings, merges
them with a rationale, sees the joined chronology, and undoes the merge. axe-core runs on
every page visited."""

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


def _two_records(site: Site) -> list[int]:
    actor = _practitioner(site)
    ids = []
    with site.world.db.transaction(actor) as session:
        for first, note in NOTES.items():
            person = young_people.create_young_person(
                session=session,
                actor=actor,
                draft=YoungPersonDraft(
                    first_name=first,
                    last_name="Thackeray",
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
