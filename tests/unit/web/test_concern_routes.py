"""Recording a concern through the pages: danger first, find or add the young person, the
note with suggestions to confirm, the outcome; a double submit saves once; bad input gets
clear errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from lantern.services.context import Actor
from lantern.store.models import Concern, ConcernFactor, Role
from tests.unit.web.conftest import World, csrf_of

NOTE = (
    "Amira arrived at school in a taxi with an older man who gave his name as Dean. "
    "She had a new phone and said he buys her things. She has been missing from home twice "
    "this month. Dean's number is 07700 900123."
)


def _add_young_person(client: TestClient, first: str = "Amira", last: str = "Khan") -> int:
    page = client.get("/young-people/new")
    response = client.post(
        "/young-people/new",
        data={
            "first_name": first,
            "last_name": last,
            "dob-day": "3",
            "dob-month": "4",
            "dob-year": "2011",
            "school": "Riverside Academy",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    found = re.search(r"young_person=(\d+)", response.headers["location"])
    assert found
    return int(found.group(1))


def _details(client: TestClient, person: int) -> tuple[str, str]:
    page = client.get(f"/concerns/new/details?young_person={person}&danger=0")
    assert page.status_code == 200
    key = re.search(r'name="key" value="([^"]+)"', page.text)
    assert key
    return page.text, key.group(1)


def _form(person: int, key: str, csrf: str, **extra: object) -> dict[str, object]:
    seen = date.today() - timedelta(days=2)
    return {
        "csrf_token": csrf,
        "key": key,
        "young_person_id": str(person),
        "danger": "0",
        "observed-day": str(seen.day),
        "observed-month": str(seen.month),
        "observed-year": str(seen.year),
        "location": "School gate",
        "text": NOTE,
        **extra,
    }


def test_the_danger_question_comes_first(signed_in: Callable[[Role], TestClient]) -> None:
    client = signed_in(Role.PRACTITIONER)
    page = client.get("/concerns/new")
    assert "Is a child in immediate danger right now?" in page.text
    answer = client.post(
        "/concerns/new", data={"immediate_danger": "yes", "csrf_token": csrf_of(page.text)}
    )
    assert "Call 999 now" in answer.text
    none = client.post("/concerns/new", data={"csrf_token": csrf_of(page.text)})
    assert none.status_code == 400
    assert "Select yes if a child is in immediate danger now" in none.text


def test_a_practitioner_records_a_concern_and_sees_its_level(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    client = signed_in(Role.PRACTITIONER)
    person = _add_young_person(client)
    html, key = _details(client, person)
    suggestions = client.post(
        "/concerns/suggest", data={"text": NOTE}, headers={"X-CSRF-Token": csrf_of(html)}
    )
    assert suggestions.status_code == 200
    assert 'class="lantern-evidence"' in suggestions.text
    offered = re.findall(r'name="offered" value="([^"]+)"', suggestions.text)
    assert offered, suggestions.text
    form = _form(
        person,
        key,
        csrf_of(html),
        factors=["going_missing"],
        offered=offered,
        suggested=offered[:1],
    )
    saved = client.post("/concerns", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    outcome = client.get(saved.headers["location"])
    assert outcome.status_code == 200
    assert "Concern recorded" in outcome.text
    assert "What to do now" in outcome.text
    with world.db.transaction(Actor.system("test")) as session:
        factors = {f.code: f for f in session.scalars(select(ConcernFactor))}
    assert factors["going_missing"].confirmed
    assert any(f.suggested for f in factors.values())
    rejected = [o.split("|")[0] for o in offered[1:] if o.split("|")[0] != "going_missing"]
    for code in rejected:
        assert not factors[code].confirmed


def test_saving_twice_saves_once(world: World, signed_in: Callable[[Role], TestClient]) -> None:
    client = signed_in(Role.PRACTITIONER)
    person = _add_young_person(client)
    html, key = _details(client, person)
    form = _form(person, key, csrf_of(html), factors=["going_missing"])
    first = client.post("/concerns", data=form, follow_redirects=False)
    second = client.post("/concerns", data=form, follow_redirects=False)
    assert first.headers["location"] == second.headers["location"]
    with world.db.transaction(Actor.system("test")) as session:
        assert session.scalar(select(func.count()).select_from(Concern)) == 1


def test_bad_dates_and_script_are_answered_clearly_and_escaped(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    client = signed_in(Role.PRACTITIONER)
    person = _add_young_person(client)
    html, key = _details(client, person)
    hostile = '<script>alert("x")</script>'
    form = _form(person, key, csrf_of(html), text=hostile, location=hostile)
    form["observed-month"] = "13"
    response = client.post("/concerns", data=form)
    assert response.status_code == 400
    assert "Enter a real date" in response.text
    assert hostile not in response.text
    assert "&lt;script&gt;" in response.text
    future = date.today() + timedelta(days=3)
    form.update(
        {
            "observed-day": str(future.day),
            "observed-month": str(future.month),
            "observed-year": str(future.year),
        }
    )
    response = client.post("/concerns", data=form)
    assert response.status_code == 400
    assert "cannot be in the future" in response.text
    with world.db.transaction(Actor.system("test")) as session:
        assert session.scalar(select(func.count()).select_from(Concern)) == 0


def test_the_duplicates_check_comes_before_a_new_record(
    signed_in: Callable[[Role], TestClient],
) -> None:
    client = signed_in(Role.PRACTITIONER)
    _add_young_person(client, "Kayden", "Moss")
    page = client.get("/young-people/new")
    again = client.post(
        "/young-people/new",
        data={
            "first_name": "Kayden",
            "last_name": "Moss",
            "dob-day": "3",
            "dob-month": "4",
            "dob-year": "2011",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert again.status_code == 409
    assert "These records may be the same young person" in again.text
    forced = client.post(
        "/young-people/new",
        data={
            "first_name": "Kayden",
            "last_name": "Moss",
            "checked_duplicates": "1",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert forced.status_code == 303


def test_search_finds_a_young_person_by_name(signed_in: Callable[[Role], TestClient]) -> None:
    client = signed_in(Role.PRACTITIONER)
    _add_young_person(client, "Tiegan", "Oduya")
    page = client.get("/concerns/new/young-person?danger=0&name=Tiegan")
    assert "Record a concern about Tiegan Oduya" in page.text
