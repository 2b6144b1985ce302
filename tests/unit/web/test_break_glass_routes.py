"""Break-glass: a record outside one's scope offers access with a reason; the access is audited
as break-glass and listed for review by MASH and auditors."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from lantern.services.context import Actor
from lantern.store.models import AuditEvent, BreakGlass, Role
from tests.unit.web.conftest import World, csrf_of
from tests.unit.web.test_concern_routes import _add_young_person

REASON = "Police report she is missing tonight and ask who else knows her."


def test_break_glass_needs_a_reason_is_audited_and_reviewed(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    mash = signed_in(Role.MASH)
    person = _add_young_person(mash, "Priya", "Sandhu")
    practitioner = signed_in(Role.PRACTITIONER)
    refused = practitioner.get(f"/young-people/{person}")
    assert refused.status_code == 403
    assert "You cannot see this page" in refused.text
    assert "Priya" not in refused.text
    assert f'action="/young-people/{person}/break-glass"' in refused.text

    short = practitioner.post(
        f"/young-people/{person}/break-glass",
        data={"csrf_token": csrf_of(refused.text), "reason": "need it"},
    )
    assert short.status_code == 400
    assert "at least" in short.text
    assert "Priya" not in short.text

    opened = practitioner.post(
        f"/young-people/{person}/break-glass",
        data={"csrf_token": csrf_of(refused.text), "reason": REASON},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    page = practitioner.get(f"/young-people/{person}")
    assert page.status_code == 200
    assert "Priya Sandhu" in page.text

    practitioner_id = world.users[Role.PRACTITIONER][0]
    with world.db.transaction(Actor.system("test")) as session:
        flagged = list(
            session.scalars(
                select(AuditEvent).where(
                    AuditEvent.young_person_id == person,
                    AuditEvent.user_id == practitioner_id,
                    AuditEvent.break_glass.is_(True),
                )
            )
        )
        assert flagged and all(e.reason == REASON for e in flagged)

    for reviewer_role in (Role.MASH, Role.AUDITOR):
        listing = signed_in(reviewer_role).get("/break-glass")
        assert listing.status_code == 200
        assert REASON in listing.text
    auditor = signed_in(Role.AUDITOR)
    listing = auditor.get("/break-glass")
    with world.db.transaction(Actor.system("test")) as session:
        grant = session.scalars(select(BreakGlass)).one()
        grant_id = grant.id
    reviewed = auditor.post(
        f"/break-glass/{grant_id}/reviewed",
        data={"csrf_token": csrf_of(listing.text)},
        follow_redirects=False,
    )
    assert reviewed.status_code == 303
    assert REASON not in auditor.get("/break-glass").text


def test_roles_without_case_access_get_no_break_glass_offer(
    signed_in: Callable[[Role], TestClient],
) -> None:
    mash = signed_in(Role.MASH)
    person = _add_young_person(mash, "Priya", "Sandhu")
    for role in (Role.ADMIN, Role.AUDITOR, Role.ANALYST):
        client = signed_in(role)
        response = client.get(f"/young-people/{person}")
        assert response.status_code == 403
        assert f"/young-people/{person}/break-glass" not in response.text  # no form offered
        page = client.get("/home")
        posted = client.post(
            f"/young-people/{person}/break-glass",
            data={"csrf_token": csrf_of(page.text), "reason": REASON},
        )
        assert posted.status_code == 403


def test_break_glass_on_an_unknown_young_person_is_not_found(
    signed_in: Callable[[Role], TestClient],
) -> None:
    practitioner = signed_in(Role.PRACTITIONER)
    page = practitioner.get("/home")
    response = practitioner.post(
        "/young-people/999999/break-glass",
        data={"csrf_token": csrf_of(page.text), "reason": REASON},
    )
    assert response.status_code == 404
