"""An auditor reviews a break-glass use: the list names who and for which reference, and is
reviewed by keyboard; axe-core on the list before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from lantern.services import access, young_people
from lantern.services.context import Actor
from lantern.services.young_people import YoungPersonDraft
from lantern.store.models import Role, User
from tests.browser.conftest import Site, check_accessibility, sign_in_as, tab_to

REASON = "Police called at 21:40: reported missing from her foster placement tonight."


def _actor(site: Site, role: Role) -> Actor:
    with site.world.db.transaction(Actor.system("test")) as session:
        user = session.scalars(select(User).where(User.id == site.world.users[role][0])).one()
        return Actor(user.id, user.email, user.role, user.organisation_id)


def _break_glass(site: Site) -> tuple[int, str]:
    """MASH records a young person; a school practitioner opens the record by break-glass."""
    mash = _actor(site, Role.MASH)
    with site.world.db.transaction(mash) as session:
        person = young_people.create_young_person(
            session=session,
            actor=mash,
            draft=YoungPersonDraft(first_name="Tilly", last_name="Marsden"),
            checked_duplicates=True,
        )
        person_id, reference = person.id, person.reference
    practitioner = _actor(site, Role.PRACTITIONER)
    with site.world.db.transaction(practitioner) as session:
        grant = access.open_break_glass(
            session=session, actor=practitioner, young_person_id=person_id, reason=REASON
        )
        return grant.id, reference


def test_an_auditor_reviews_a_break_glass_use(page: Any, site: Site) -> None:
    grant, reference = _break_glass(site)
    sign_in_as(page, site, Role.AUDITOR)
    page.goto("/break-glass")
    row = page.locator("#grants tbody tr", has_text=reference)
    assert row.is_visible()
    for shown in ("Test practitioner", "practitioner@school.test", REASON, "Not reviewed"):
        assert shown in row.inner_text(), shown
    assert "Tilly" not in page.content()
    check_accessibility(page)

    tab_to(page, f'form[action="/break-glass/{grant}/reviewed"] button')
    # Already at /break-glass: wait for the form's own navigation (the post and its redirect).
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("#grants tbody tr", has_text=reference).count() == 0
    done = page.locator("#reviewed tbody tr", has_text=reference)
    assert "by Test auditor" in done.inner_text()
    check_accessibility(page)
    assert page.problems == [], page.problems
