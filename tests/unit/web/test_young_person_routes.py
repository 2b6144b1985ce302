"""The young person page: chronology, the risk chart with its table, and need-to-know."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from lantern.store.models import Role
from tests.unit.web.conftest import csrf_of
from tests.unit.web.test_concern_routes import _add_young_person, _details, _form


def test_the_page_shows_the_concern_in_the_chronology_and_the_chart(
    signed_in: Callable[[Role], TestClient],
) -> None:
    client = signed_in(Role.PRACTITIONER)
    person = _add_young_person(client, "Leon", "Marsh")
    html, key = _details(client, person)
    client.post("/concerns", data=_form(person, key, csrf_of(html), factors=["going_missing"]))
    page = client.get(f"/young-people/{person}")
    assert page.status_code == 200
    assert "Leon Marsh" in page.text
    assert "Concern observed" in page.text
    assert '<svg class="lantern-chart"' in page.text
    assert "Screening results, newest first" in page.text


def test_another_organisations_young_person_is_forbidden(
    signed_in: Callable[[Role], TestClient],
) -> None:
    mash = signed_in(Role.MASH)
    person = _add_young_person(mash, "Priya", "Sandhu")
    practitioner = signed_in(Role.PRACTITIONER)
    response = practitioner.get(f"/young-people/{person}")
    assert response.status_code == 403
    assert "You cannot see this page" in response.text
    assert "Priya" not in response.text


def test_an_unknown_young_person_is_not_found(signed_in: Callable[[Role], TestClient]) -> None:
    client = signed_in(Role.DSL)
    assert client.get("/young-people/999999").status_code == 404
    assert client.get("/young-people/not-a-number").status_code == 400
