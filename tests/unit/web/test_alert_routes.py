"""The alerts page: an accumulation alert raised by two missing episodes, seen by MASH and
the lead, acknowledged and closed; analysts see it pseudonymised; practitioners not at all."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from lantern.services.context import Actor
from lantern.store.models import Alert, AlertState, Role
from tests.unit.web.conftest import World, csrf_of
from tests.unit.web.test_concern_routes import _add_young_person, _details, _form


def two_missing_episodes(client: TestClient) -> int:
    """Two concerns about one young person, each with a missing episode (an alert rule)."""
    person = _add_young_person(client, "Tia", "Roberts")
    for _ in range(2):
        html, key = _details(client, person)
        saved = client.post(
            "/concerns",
            data=_form(person, key, csrf_of(html), factors=["going_missing"]),
            follow_redirects=False,
        )
        assert saved.status_code == 303, saved.text
    return person


def test_mash_sees_acknowledges_and_closes_an_accumulation_alert(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    person = two_missing_episodes(signed_in(Role.PRACTITIONER))
    mash = signed_in(Role.MASH)
    page = mash.get("/alerts")
    assert page.status_code == 200
    assert "Repeated missing episodes" in page.text
    assert f'href="/young-people/{person}"' in page.text
    found = re.search(r'action="/alerts/(\d+)/state"', page.text)
    assert found
    alert = int(found.group(1))
    ack = mash.post(
        f"/alerts/{alert}/state",
        data={"csrf_token": csrf_of(page.text), "state": "acknowledged"},
        follow_redirects=False,
    )
    assert ack.status_code == 303
    assert "Repeated missing episodes" not in mash.get("/alerts").text
    assert "Repeated missing episodes" in mash.get("/alerts?state=acknowledged").text
    closed = mash.post(
        f"/alerts/{alert}/state", data={"csrf_token": csrf_of(page.text), "state": "closed"}
    )
    assert closed.status_code == 200
    with world.db.transaction(Actor.system("test")) as session:
        saved = session.get(Alert, alert)
        assert saved is not None and saved.state == AlertState.CLOSED
    bad = mash.post(
        f"/alerts/{alert}/state", data={"csrf_token": csrf_of(page.text), "state": "deleted"}
    )
    assert bad.status_code == 400
    assert mash.get("/alerts?state=everything").status_code == 400


def test_the_lead_sees_their_organisations_alert(signed_in: Callable[[Role], TestClient]) -> None:
    two_missing_episodes(signed_in(Role.PRACTITIONER))
    lead = signed_in(Role.DSL)
    page = lead.get("/alerts")
    assert "Repeated missing episodes" in page.text
    assert "Acknowledge" in page.text


def test_an_analyst_sees_alerts_without_names_or_links(
    signed_in: Callable[[Role], TestClient],
) -> None:
    person = two_missing_episodes(signed_in(Role.PRACTITIONER))
    analyst = signed_in(Role.ANALYST)
    page = analyst.get("/alerts")
    assert page.status_code == 200
    assert "Repeated missing episodes" in page.text
    assert f"Young person number {person}" in page.text
    assert "Tia" not in page.text and "Roberts" not in page.text
    assert 'href="/young-people/' not in page.text
    assert '/state"' not in page.text  # no acknowledge or close forms


def test_unknown_alert_is_not_found(signed_in: Callable[[Role], TestClient]) -> None:
    mash = signed_in(Role.MASH)
    page = mash.get("/alerts")
    response = mash.post(
        "/alerts/999999/state", data={"csrf_token": csrf_of(page.text), "state": "closed"}
    )
    assert response.status_code == 404
