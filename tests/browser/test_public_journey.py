"""The public reads the guidance and reports a worry, with every page checked by axe-core."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from lantern.services.context import Actor
from lantern.store.models import PublicReport
from tests.browser.conftest import Site, check_accessibility


def test_the_public_reads_the_guidance_and_reports_a_worry(page: Any, site: Site) -> None:
    page.goto("/")
    check_accessibility(page)
    page.get_by_role("link", name="What to do if you are worried").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "What to do if you are worried"
    check_accessibility(page)
    page.get_by_role("link", name="Report a worry about a child").first.click()
    check_accessibility(page)
    page.get_by_role("button", name="Send report").click()
    assert page.get_by_text("There is a problem").is_visible()
    check_accessibility(page)
    page.get_by_label("Which child are you worried about?").fill("A boy of about 14, red coat")
    page.get_by_label("Where did you see this?").fill("Car park behind Market Street")
    page.get_by_label("What did you see or hear?").fill(
        "He was given a package by an older man and driven away."
    )
    page.get_by_role("button", name="Send report").click()
    assert page.get_by_role("heading", name="Your report has been sent").is_visible()
    check_accessibility(page)
    with site.world.db.transaction(Actor.system("test")) as session:
        saved = session.scalars(select(PublicReport)).all()
    assert any(r.child == "A boy of about 14, red coat" for r in saved)
    assert page.problems == [], page.problems  # no CSP violations or script errors
