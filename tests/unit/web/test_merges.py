"""The duplicate-records pages: who may open them, the form token, escaping, and a lead's
merge, double submission and undo through the forms."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient

from lantern.services.context import Actor
from lantern.services.young_people import YoungPersonDraft, create_young_person
from lantern.store.models import Role
from tests.unit.web.conftest import World, csrf_of

RATIONALE = "Checked with the school office: same pupil, short name used."
HOSTILE = '<script>alert("x")</script>'


def _duplicates(world: World, *, school: str = "Riverside Academy") -> tuple[int, int]:
    """Jessica Hall and Jess Hall, same date of birth and school, in the school's scope."""
    user_id, email, _ = world.users[Role.DSL]
    actor = Actor(
        user_id=user_id, email=email, role=Role.DSL, organisation_id=world.organisations["school"]
    )
    ids = []
    with world.db.transaction(actor) as s:
        for first in ("Jessica", "Jess"):
            ids.append(
                create_young_person(
                    session=s,
                    actor=actor,
                    draft=YoungPersonDraft(
                        first_name=first,
                        last_name="Hall",
                        date_of_birth=date(2011, 3, 14),
                        school=school,
                    ),
                    checked_duplicates=True,
                ).id
            )
    return ids[0], ids[1]


def _proposal_path(client: TestClient) -> str:
    page = client.get("/merges")
    assert page.status_code == 200
    found = re.search(r'href="(/merges/proposals/[0-9-]+)"', page.text)
    assert found, page.text
    return found.group(1)


def test_a_lead_merges_and_undoes_through_the_forms(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    first, second = _duplicates(world)
    lead = signed_in(Role.DSL)
    path = _proposal_path(lead)
    page = lead.get(path)
    assert page.status_code == 200
    assert "Jessica Hall" in page.text and "Jess Hall" in page.text
    assert "same date of birth" in page.text and "same school" in page.text

    short = lead.post(
        path + "/confirm",
        data={"rationale": "same", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert short.status_code == 400
    assert "There is a problem" in short.text and 'href="#rationale"' in short.text

    done = lead.post(
        path + "/confirm",
        data={"rationale": RATIONALE, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    merge_path = done.headers["location"].split("?")[0]
    shown = lead.get(done.headers["location"])
    assert "Records merged" in shown.text and RATIONALE in shown.text
    # Pressing the button twice merges once.
    again = lead.post(
        path + "/confirm",
        data={"rationale": RATIONALE, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert again.status_code == 409
    assert "No possible duplicates" in lead.get("/merges").text

    kept = int(path.rsplit("/", 1)[1].split("-")[0])
    gone = second if kept == first else first
    fragment = lead.get(f"/young-people/{gone}/merges", headers={"HX-Request": "true"})
    assert "This record was merged into" in fragment.text

    undone = lead.post(
        merge_path + "/undo",
        data={
            "reason": "Two different girls, confirmed by the school.",
            "csrf_token": csrf_of(shown.text),
        },
        follow_redirects=False,
    )
    assert undone.status_code == 303
    after = lead.get(undone.headers["location"])
    assert "Merge undone" in after.text and "Undo the merge" not in after.text
    assert path in lead.get("/merges").text


def test_forms_need_the_token(world: World, signed_in: Callable[[Role], TestClient]) -> None:
    _duplicates(world)
    lead = signed_in(Role.DSL)
    path = _proposal_path(lead)
    response = lead.post(path + "/confirm", data={"rationale": RATIONALE}, follow_redirects=False)
    assert response.status_code in (400, 403)
    assert "No possible duplicates" not in lead.get("/merges").text
    response = lead.post(
        "/merges/1/undo", data={"reason": RATIONALE, "csrf_token": "wrong"}, follow_redirects=False
    )
    assert response.status_code in (400, 403)


def test_roles_without_the_permission_are_refused(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    _duplicates(world)
    path = _proposal_path(signed_in(Role.DSL))
    for role in (Role.PRACTITIONER, Role.ANALYST, Role.ADMIN, Role.AUDITOR):
        client = signed_in(role)
        assert client.get("/merges").status_code == 403
        assert client.get(path).status_code == 403
        page = client.get("/home")
        response = client.post(
            path + "/confirm",
            data={"rationale": RATIONALE, "csrf_token": csrf_of(page.text)},
            follow_redirects=False,
        )
        assert response.status_code == 403, role
    # MASH cannot see the school's records, so there is no such proposal for them.
    assert signed_in(Role.MASH).get(path).status_code == 404


def test_a_practitioner_sees_no_duplicate_notice(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    first, _ = _duplicates(world)
    lead = signed_in(Role.DSL)
    assert (
        "Possible duplicate records"
        in lead.get(f"/young-people/{first}/merges", headers={"HX-Request": "true"}).text
    )
    assert "and possible duplicates" in lead.get(f"/young-people/{first}").text


def test_record_text_is_escaped(world: World, signed_in: Callable[[Role], TestClient]) -> None:
    _duplicates(world, school=HOSTILE)
    lead = signed_in(Role.DSL)
    listing = lead.get("/merges")
    path = _proposal_path(lead)
    page = lead.get(path)
    for html in (listing.text, page.text):
        assert HOSTILE not in html
    assert "&lt;script&gt;" in page.text
    assert lead.get("/merges/proposals/not-a-key").status_code == 404
    assert lead.get("/merges/999999").status_code == 404


NOT_SAME = "Different parents and addresses on each record, checked with the school."


def test_a_lead_records_not_the_same_person_and_takes_it_back(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    _duplicates(world)
    lead = signed_in(Role.DSL)
    path = _proposal_path(lead)
    page = lead.get(path)
    assert "Not the same young person?" in page.text

    short = lead.post(
        path + "/dismiss",
        data={"reason": "no", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert short.status_code == 400
    assert 'href="#reason"' in short.text and 'id="reason-error"' in short.text

    done = lead.post(
        path + "/dismiss",
        data={"reason": NOT_SAME, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    finding_path = done.headers["location"].split("?")[0]
    assert re.fullmatch(r"/merges/not-the-same/\d+", finding_path)
    shown = lead.get(done.headers["location"])
    assert "Recorded as not the same young person" in shown.text and NOT_SAME in shown.text
    listing = lead.get("/merges").text
    assert "No possible duplicates" in listing and finding_path in listing
    assert lead.get(path).status_code == 404  # no longer a current proposal
    # Pressing the button twice records once.
    again = lead.post(
        path + "/dismiss",
        data={"reason": NOT_SAME, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert again.status_code == 409

    short_undo = lead.post(
        finding_path + "/undo",
        data={"reason": "oops", "csrf_token": csrf_of(shown.text)},
        follow_redirects=False,
    )
    assert short_undo.status_code == 400 and 'href="#reason"' in short_undo.text
    undone = lead.post(
        finding_path + "/undo",
        data={"reason": "The school now says it is one pupil.", "csrf_token": csrf_of(shown.text)},
        follow_redirects=False,
    )
    assert undone.status_code == 303
    after = lead.get(undone.headers["location"])
    assert "Taken back" in after.text and f'action="{finding_path}/undo"' not in after.text
    assert path in lead.get("/merges").text


def test_not_the_same_forms_need_the_token(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    _duplicates(world)
    lead = signed_in(Role.DSL)
    path = _proposal_path(lead)
    response = lead.post(path + "/dismiss", data={"reason": NOT_SAME}, follow_redirects=False)
    assert response.status_code in (400, 403)
    assert path in lead.get("/merges").text
    page = lead.get(path)
    done = lead.post(
        path + "/dismiss",
        data={"reason": NOT_SAME, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    finding_path = done.headers["location"].split("?")[0]
    response = lead.post(
        finding_path + "/undo",
        data={"reason": NOT_SAME, "csrf_token": "wrong"},
        follow_redirects=False,
    )
    assert response.status_code in (400, 403)
    assert "Take it back" in lead.get(finding_path).text


def test_not_the_same_pages_need_the_permission_and_the_records(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    _duplicates(world, school=HOSTILE)
    lead = signed_in(Role.DSL)
    path = _proposal_path(lead)
    page = lead.get(path)
    done = lead.post(
        path + "/dismiss",
        data={"reason": HOSTILE + " is not her school", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    finding_path = done.headers["location"].split("?")[0]
    shown = lead.get(finding_path)
    assert HOSTILE not in shown.text and "&lt;script&gt;" in shown.text
    assert HOSTILE not in lead.get("/merges").text
    for role in (Role.PRACTITIONER, Role.ANALYST, Role.ADMIN, Role.AUDITOR):
        client = signed_in(role)
        assert client.get(finding_path).status_code == 403, role
        home = client.get("/home")
        response = client.post(
            finding_path + "/undo",
            data={"reason": NOT_SAME, "csrf_token": csrf_of(home.text)},
            follow_redirects=False,
        )
        assert response.status_code == 403, role
    # MASH cannot see the school's records, so there is no such finding for them.
    assert signed_in(Role.MASH).get(finding_path).status_code == 404
    assert lead.get("/merges/not-the-same/999999").status_code == 404
