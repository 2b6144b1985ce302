"""Triage through the pages: a lead's queue, a decision with professional judgement, actions
with owners and due dates, referrals and their status, MASH's queue with public reports."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from lantern.services import triage as triage_service
from lantern.services.context import Actor
from lantern.store.models import (
    Action,
    ActionStatus,
    Decision,
    PublicReport,
    PublicReportStatus,
    Referral,
    ReferralStatus,
    Role,
)
from tests.unit.web.conftest import World, csrf_of
from tests.unit.web.test_concern_routes import _add_young_person, _details, _form


def record_concern(client: TestClient, first: str = "Amira", last: str = "Khan") -> tuple[int, int]:
    """A practitioner's concern saved through the pages: (young person id, concern id)."""
    person = _add_young_person(client, first, last)
    html, key = _details(client, person)
    saved = client.post(
        "/concerns",
        data=_form(person, key, csrf_of(html), factors=["going_missing", "older_associates"]),
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    found = re.search(r"/concerns/(\d+)/outcome", saved.headers["location"])
    assert found
    return person, int(found.group(1))


def _post(client: TestClient, page_path: str, action: str, data: dict[str, str]) -> object:
    page = client.get(page_path)
    assert page.status_code == 200, page.text
    return client.post(
        action, data={**data, "csrf_token": csrf_of(page.text)}, follow_redirects=False
    )


def test_a_lead_sees_their_organisations_concern_decides_and_refers(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    practitioner = signed_in(Role.PRACTITIONER)
    person, concern = record_concern(practitioner)
    lead = signed_in(Role.DSL)
    queue = lead.get("/triage")
    assert queue.status_code == 200
    assert f'href="/triage/concerns/{concern}"' in queue.text
    assert "Amira Khan" in queue.text

    form = lead.get(f"/triage/concerns/{concern}")
    assert "What happens next?" in form.text
    bad = lead.post(
        f"/triage/concerns/{concern}/decision",
        data={"csrf_token": csrf_of(form.text), "rationale": "short"},
    )
    assert bad.status_code == 400
    assert "Select what happens next" in bad.text
    assert "Write the reasons for the decision" in bad.text

    decided = lead.post(
        f"/triage/concerns/{concern}/decision",
        data={
            "csrf_token": csrf_of(form.text),
            "outcome": "refer_childrens_social_care",
            "rationale": "Repeated missing episodes with an older adult; refer today.",
            "professional_level": "significant",
        },
        follow_redirects=False,
    )
    assert decided.status_code == 303, decided.text
    assert decided.headers["location"] == f"/young-people/{person}/manage?decided=1"
    manage = lead.get(decided.headers["location"])
    assert "The decision was recorded." in manage.text
    assert "Repeated missing episodes" in manage.text
    # Decided: it leaves the lead's queue.
    assert f"/triage/concerns/{concern}" not in lead.get("/triage").text

    due = date.today() + timedelta(days=7)
    lead_id = world.users[Role.DSL][0]
    added = lead.post(
        f"/young-people/{person}/actions",
        data={
            "csrf_token": csrf_of(manage.text),
            "description": "Speak to Amira's parent about the missing episodes",
            "owner_id": str(lead_id),
            "due-day": str(due.day),
            "due-month": str(due.month),
            "due-year": str(due.year),
        },
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text
    referred = lead.post(
        f"/young-people/{person}/referrals",
        data={
            "csrf_token": csrf_of(manage.text),
            "to_organisation_id": str(world.organisations["mash"]),
            "reason": "Decision to refer: missing episodes with an older adult.",
        },
        follow_redirects=False,
    )
    assert referred.status_code == 303, referred.text
    with world.db.transaction(Actor.system("test")) as session:
        decision = session.scalars(select(Decision)).one()
        action = session.scalars(select(Action)).one()
        referral = session.scalars(select(Referral)).one()
        assert decision.professional_level == "significant"
        assert decision.concern_id == concern
        assert action.owner_id == lead_id and action.due_on == due
        assert referral.status == ReferralStatus.SENT
        action_id, referral_id = action.id, referral.id

    done = lead.post(
        f"/actions/{action_id}/status",
        data={"csrf_token": csrf_of(manage.text), "status": "done"},
        follow_redirects=False,
    )
    assert done.status_code == 303

    mash = signed_in(Role.MASH)
    mash_queue = mash.get("/triage?kind=referral")
    assert f"/young-people/{person}/manage#referrals" in mash_queue.text
    mash_page = mash.get(f"/young-people/{person}/manage")
    assert mash_page.status_code == 200
    accepted = mash.post(
        f"/referrals/{referral_id}/status",
        data={"csrf_token": csrf_of(mash_page.text), "status": "accepted", "outcome": "Allocated"},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    with world.db.transaction(Actor.system("test")) as session:
        assert session.get(Action, action_id).status == ActionStatus.DONE  # type: ignore[union-attr]
        assert session.get(Referral, referral_id).status == ReferralStatus.ACCEPTED  # type: ignore[union-attr]


def test_action_errors_are_shown_on_the_form(signed_in: Callable[[Role], TestClient]) -> None:
    practitioner = signed_in(Role.PRACTITIONER)
    person, _ = record_concern(practitioner)
    lead = signed_in(Role.DSL)
    page = lead.get(f"/young-people/{person}/manage")
    past = date.today() - timedelta(days=3)
    response = lead.post(
        f"/young-people/{person}/actions",
        data={
            "csrf_token": csrf_of(page.text),
            "description": "",
            "owner_id": "x",
            "due-day": str(past.day),
            "due-month": str(past.month),
            "due-year": str(past.year),
        },
    )
    assert response.status_code == 400
    assert "Describe the action" in response.text
    assert "Choose who owns the action" in response.text
    no_date = lead.post(
        f"/young-people/{person}/actions",
        data={
            "csrf_token": csrf_of(page.text),
            "description": "Call",
            "owner_id": "1",
            "due-day": "31",
            "due-month": "2",
            "due-year": "2030",
        },
    )
    assert no_date.status_code == 400
    assert "Enter a real date" in no_date.text


def test_the_queue_filters_by_level_and_refuses_unknown_filters(
    signed_in: Callable[[Role], TestClient],
) -> None:
    practitioner = signed_in(Role.PRACTITIONER)
    _, concern = record_concern(practitioner)
    lead = signed_in(Role.DSL)
    everything = lead.get("/triage").text
    assert f"/triage/concerns/{concern}" in everything
    level = re.search(r"<td class=\"govuk-table__cell\">([^<]+)</td>", everything)
    assert level
    codes = {
        "No apparent risk": "no_apparent_risk",
        "Emerging risk": "emerging",
        "Moderate risk": "moderate",
        "Significant risk": "significant",
    }
    mine = codes[level.group(1).strip()]
    assert f"/triage/concerns/{concern}" in lead.get(f"/triage?level={mine}").text
    assert lead.get("/triage?level=no-such-level").status_code == 400
    assert lead.get("/triage?kind=nothing").status_code == 400
    # Another level than the concern's shows nothing of it.
    other = "emerging" if mine != "emerging" else "moderate"
    assert f"/triage/concerns/{concern}" not in lead.get(f"/triage?level={other}").text


def test_a_lead_cannot_decide_on_another_organisations_concern(
    signed_in: Callable[[Role], TestClient],
) -> None:
    mash = signed_in(Role.MASH)
    _, concern = record_concern(mash, "Priya", "Sandhu")
    lead = signed_in(Role.DSL)
    assert f"/triage/concerns/{concern}" not in lead.get("/triage").text
    response = lead.get(f"/triage/concerns/{concern}")
    assert response.status_code == 403
    assert "Priya" not in response.text
    assert lead.get("/triage/concerns/999999").status_code == 404


def test_mash_triages_a_public_report_to_a_young_person(
    world: World, client: TestClient, signed_in: Callable[[Role], TestClient]
) -> None:
    form = client.get("/report")
    sent = client.post(
        "/report",
        data={
            "csrf_token": csrf_of(form.text),
            "child": "Jade Morgan, about 14",
            "location": "Bus station on Mill Road",
            "what_seen": "Seen getting into a grey car with two older men late at night.",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    mash = signed_in(Role.MASH)
    person = _add_young_person(mash, "Jade", "Morgan")
    queue = mash.get("/triage")
    found = re.search(r'href="/triage/public-reports/(\d+)"', queue.text)
    assert found, queue.text
    report = int(found.group(1))
    page = mash.get(f"/triage/public-reports/{report}?name=Jade")
    assert "Bus station on Mill Road" in page.text
    assert f"/triage/public-reports/{report}/decide?young_person={person}" in page.text
    decide = mash.get(f"/triage/public-reports/{report}/decide?young_person={person}")
    assert decide.status_code == 200
    done = mash.post(
        f"/triage/public-reports/{report}/decision?young_person={person}",
        data={
            "csrf_token": csrf_of(decide.text),
            "outcome": "strategy_discussion",
            "rationale": "Report matches police intelligence about the car; strategy discussion.",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    with world.db.transaction(Actor.system("test")) as session:
        saved = session.get(PublicReport, report)
        assert saved is not None
        assert saved.status == PublicReportStatus.TRIAGED
        assert saved.young_person_id == person
    assert f'/triage/public-reports/{report}"' not in mash.get("/triage").text


def test_mash_closes_a_public_report_with_a_reason(
    world: World, client: TestClient, signed_in: Callable[[Role], TestClient]
) -> None:
    form = client.get("/report")
    client.post(
        "/report",
        data={
            "csrf_token": csrf_of(form.text),
            "child": "A girl in school uniform",
            "location": "Park",
            "what_seen": "She looked upset on the phone.",
        },
    )
    mash = signed_in(Role.MASH)
    report = int(re.findall(r'href="/triage/public-reports/(\d+)"', mash.get("/triage").text)[0])
    page = mash.get(f"/triage/public-reports/{report}")
    short = mash.post(
        f"/triage/public-reports/{report}/close",
        data={"csrf_token": csrf_of(page.text), "reason": "no"},
    )
    assert short.status_code == 400
    closed = mash.post(
        f"/triage/public-reports/{report}/close",
        data={
            "csrf_token": csrf_of(page.text),
            "reason": "Checked with the school: a known family matter.",
        },
        follow_redirects=False,
    )
    assert closed.status_code == 303
    with world.db.transaction(Actor.system("test")) as session:
        assert session.get(PublicReport, report).status == PublicReportStatus.CLOSED  # type: ignore[union-attr]


def test_a_lead_cannot_open_a_public_report(signed_in: Callable[[Role], TestClient]) -> None:
    lead = signed_in(Role.DSL)
    assert lead.get("/triage/public-reports/1").status_code == 403


def test_reviews_due_lists_young_people_screened_over_three_months_ago(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    person, _ = record_concern(signed_in(Role.PRACTITIONER), "Ruby", "Lane")
    lead = signed_in(Role.DSL)
    assert "Ruby Lane" not in lead.get("/triage/reviews").text
    with world.db.engine.begin() as connection:
        connection.execute(
            text("UPDATE assessment SET created_at = :old, rank = 2 WHERE young_person_id = :p"),
            {"old": "2020-01-01 00:00:00", "p": person},
        )
    page = lead.get("/triage/reviews")
    assert page.status_code == 200
    assert "Ruby Lane" in page.text
    assert f'href="/young-people/{person}"' in page.text


#: Five young people unlike one another (so no duplicate check stops the second).
_FIVE = [
    ("Amira", "Khan"),
    ("Bethany", "Lowe"),
    ("Callum", "Reid"),
    ("Dana", "Price"),
    ("Eli", "Moss"),
]


def _five_concerns(signed_in: Callable[[Role], TestClient]) -> set[int]:
    practitioner = signed_in(Role.PRACTITIONER)
    return {record_concern(practitioner, first, last)[1] for first, last in _FIVE}


def _walk(client: TestClient, page: Any) -> tuple[list[int], Any]:
    """Follow the queue's next-page links from `page`: every concern listed, and the last page."""
    seen: list[int] = []
    for _ in range(10):
        assert page.status_code == 200
        seen += [int(c) for c in re.findall(r"/triage/concerns/(\d+)", page.text)]
        following = re.search(r'href="(/triage\?page=\d+)"[^>]*rel="next"', page.text) or re.search(
            r'rel="next"[^>]*href="(/triage\?page=\d+)"', page.text
        )
        if following is None:
            return seen, page
        page = client.get(following.group(1))
    raise AssertionError("the queue's pages did not end")


def test_the_queue_pages_through_everything_waiting(
    signed_in: Callable[[Role], TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(triage_service, "QUEUE_PAGE_SIZE", 2)
    concerns = _five_concerns(signed_in)
    lead = signed_in(Role.DSL)
    page = lead.get("/triage")
    assert "5 waiting" in page.text and "Showing 1 to 2 of 5" in page.text
    assert "Higher in the queue" not in page.text
    seen, last = _walk(lead, page)
    assert sorted(seen) == sorted(concerns)  # each once, none missed
    assert "Showing 5 to 5 of 5" in last.text and "Higher in the queue" in last.text
    # Out-of-range or malformed pages are answered, not errors.
    assert lead.get("/triage?page=999").status_code == 200
    assert "no more items" in lead.get("/triage?page=999").text
    assert lead.get("/triage?page=-3").status_code == 200
    assert lead.get("/triage?page=%3Cscript%3E").status_code == 200


def test_a_long_queue_says_more_than_and_still_pages_to_its_end(
    signed_in: Callable[[Role], TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(triage_service, "QUEUE_PAGE_SIZE", 2)
    monkeypatch.setattr(triage_service, "COUNT_UP_TO", 3)
    concerns = _five_concerns(signed_in)
    lead = signed_in(Role.DSL)
    # One decided: it leaves the queue and the count.
    decided = min(concerns)
    page = lead.get(f"/triage/concerns/{decided}")
    answer = lead.post(
        f"/triage/concerns/{decided}/decision",
        data={
            "outcome": "monitor",
            "rationale": "Seen by the school nurse; monitor weekly.",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    page = lead.get("/triage")
    assert "More than 3 waiting" in page.text
    assert "Showing 1 to 2 of more than 3" in page.text
    seen, _ = _walk(lead, page)
    assert sorted(seen) == sorted(concerns - {decided})
