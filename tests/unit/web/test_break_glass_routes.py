"""Break-glass: a record outside one's scope offers access with a reason; the access is audited
as break-glass and listed for review by MASH and auditors."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from lantern.services.context import Actor
from lantern.store.models import AuditEvent, BreakGlass, Role, User, YoungPerson
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
    after = auditor.get("/break-glass").text
    assert "Nothing to review." in after
    assert f'action="/break-glass/{grant_id}/reviewed"' not in after
    assert "Recently reviewed" in after and "by Test auditor" in after


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


def test_the_review_list_names_who_for_whom_why_and_when_and_escapes_it(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    mash = signed_in(Role.MASH)
    person = _add_young_person(mash, "Priya", "Sandhu")
    practitioner_id = world.users[Role.PRACTITIONER][0]
    hostile_name = "Sam <script>alert(1)</script> O'Neil"
    hostile_reason = 'Police asked at 9pm <img src=x onerror="alert(2)"> & "urgent"'
    with world.db.transaction(Actor.system("test")) as session:
        session.execute(update(User).where(User.id == practitioner_id).values(name=hostile_name))
        reference = session.scalars(
            select(YoungPerson.reference).where(YoungPerson.id == person)
        ).one()
    practitioner = signed_in(Role.PRACTITIONER)
    refused = practitioner.get(f"/young-people/{person}")
    opened = practitioner.post(
        f"/young-people/{person}/break-glass",
        data={"csrf_token": csrf_of(refused.text), "reason": hostile_reason},
        follow_redirects=False,
    )
    assert opened.status_code == 303

    for role in (Role.AUDITOR, Role.MASH):
        listing = signed_in(role).get("/break-glass")
        assert listing.status_code == 200
        html = listing.text
        row = html[html.index('id="grants"') :]
        assert "Sam &lt;script&gt;alert(1)&lt;/script&gt; O&#39;Neil" in row
        assert "<script>alert(1)" not in html
        assert "practitioner@school.test" in row
        assert reference in row
        assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt; &amp; &#34;urgent&#34;" in row
        assert "<img src=x" not in html
        assert "Not reviewed" in row and "Access open" in row
        assert "User " + str(practitioner_id) not in row  # names, not ids
        # The reviewer sees the reference, not the young person's name.
        assert "Priya" not in html and "Sandhu" not in html
