"""A practitioner uploads a chat transcript in Chromium, reads the flagged messages and the risk
chart, raises a concern from it, and meets a clear error for a bad file; axe-core on each page."""

from __future__ import annotations

from typing import Any

from lantern.services import young_people
from lantern.services.context import Actor
from lantern.services.young_people import YoungPersonDraft
from lantern.store.models import Role
from tests.browser.conftest import Site, check_accessibility, sign_in_as

#: A fictional chat app export (non-graphic): flattery, secrecy, probing, an offer.
EXPORT = """\
[12/09/2026, 20:14] Jordan: u looked well good at the match today, ur so mature for ur age
[12/09/2026, 20:15] Poppy: aw thanks
[12/09/2026, 20:17] Jordan: dont tell ur mum we talk ok, shed just ruin it
[12/09/2026, 20:18] Jordan: are u home alone tonight?
[12/09/2026, 20:20] Poppy: my dads in
[12/09/2026, 20:21] Jordan: ill put £20 credit on ur phone if u want
"""


def _young_person(site: Site) -> int:
    user_id, email, _ = site.world.users[Role.PRACTITIONER]
    actor = Actor(
        user_id=user_id,
        email=email,
        role=Role.PRACTITIONER,
        organisation_id=site.world.organisations["school"],
    )
    with site.world.db.transaction(actor) as session:
        person = young_people.create_young_person(
            session=session,
            actor=actor,
            draft=YoungPersonDraft(first_name="Poppy", last_name="Ainsworth", school="Riverside"),
            checked_duplicates=True,
        )
        return person.id


def _choose(page: Any, name: str, content: bytes) -> None:
    page.get_by_label("Transcript file").set_input_files(
        {"name": name, "mimeType": "text/plain", "buffer": content}
    )


def test_a_practitioner_uploads_a_transcript_and_raises_a_concern(page: Any, site: Site) -> None:
    person = _young_person(site)
    sign_in_as(page, site, Role.PRACTITIONER)
    page.goto(f"/young-people/{person}")
    page.get_by_role("link", name="Upload a chat transcript").click()
    page.wait_for_url(f"**/young-people/{person}/transcripts")
    check_accessibility(page)

    # A file that is not text: refused with a message on the form, nothing kept.
    _choose(page, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    page.get_by_label("The young person's name in the chat").fill("Poppy")
    page.get_by_role("button", name="Upload transcript").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "line 1" in summary.inner_text()
    assert page.get_by_text("None yet.").is_visible()
    check_accessibility(page)

    _choose(page, "poppy-chat.txt", EXPORT.encode())
    page.get_by_label("The young person's name in the chat").fill("Poppy")
    page.get_by_role("button", name="Upload transcript").click()
    page.wait_for_url("**/transcripts/*")
    assert page.get_by_role("heading", name="Transcript: poppy-chat.txt").is_visible()
    secrecy = page.locator("#message-3")
    assert secrecy.locator("mark").inner_text() == "dont tell ur mum"
    assert "Asking for secrecy" in secrecy.inner_text()
    assert page.locator("svg.lantern-chart").is_visible()
    check_accessibility(page)

    page.get_by_role("button", name="Raise a concern from this").click()
    page.wait_for_url("**/transcripts/*/concern")
    assert "poppy-chat.txt" in page.get_by_label("What happened, in your own words").input_value()
    suggested = page.locator('input[name="suggested"]')
    assert suggested.count() >= 2 and all(
        suggested.nth(i).is_checked() for i in range(suggested.count())
    )
    check_accessibility(page)
    page.get_by_role("button", name="Record concern").click()
    page.wait_for_url("**/concerns/*/outcome")
    assert page.get_by_text("Contact with unknown people online").first.is_visible()
    check_accessibility(page)
    assert page.problems == [], page.problems
