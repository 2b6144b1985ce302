"""The open pages: guidance rendered safely, whom to call, and reporting a worry."""

from __future__ import annotations

from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import select

from lantern.knowledge import load_guidance
from lantern.services.context import Actor
from lantern.services.public_reports import RATE_LIMIT_REPORTS
from lantern.store.models import PublicReport
from tests.unit.web.conftest import World, csrf_of


def _report(client: TestClient, **fields: str) -> object:
    page = client.get("/report")
    data = {
        "child": "A girl of about 13 in a blue school blazer",
        "location": "Bus station, Market Street",
        "what_seen": "She got into a car with two older men after school on Tuesday.",
        "csrf_token": csrf_of(page.text),
        **fields,
    }
    return client.post("/report", data=data, follow_redirects=False)


def _reports(world: World) -> list[PublicReport]:
    with world.db.transaction(Actor.system("test")) as session:
        return list(session.scalars(select(PublicReport)))


def test_every_guidance_page_is_linked_and_renders(client: TestClient) -> None:
    home = client.get("/")
    for page in load_guidance():
        assert f'href="/guidance/{page.slug}"' in home.text
        shown = client.get(f"/guidance/{page.slug}")
        assert shown.status_code == 200
        assert str(escape(page.title)) in shown.text
    assert client.get("/guidance/no-such-page").status_code == 404


def test_whom_to_call_is_on_every_page(client: TestClient) -> None:
    for path in ("/", "/report", "/sign-in", "/missing"):
        text = client.get(path).text
        assert (
            "call 999" in text and "101" in text and "0808 800 5000" in text and "0800 1111" in text
        )


def test_a_worry_lands_in_the_queue_with_a_reference(world: World, client: TestClient) -> None:
    response = _report(client)
    assert response.status_code == 303  # type: ignore[attr-defined]
    saved = _reports(world)
    assert len(saved) == 1
    sent = client.get(response.headers["location"])  # type: ignore[attr-defined]
    assert saved[0].reference in sent.text


def test_empty_fields_are_named_and_nothing_is_saved(world: World, client: TestClient) -> None:
    response = _report(client, child="", what_seen="")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert 'href="#child"' in response.text  # type: ignore[attr-defined]
    assert _reports(world) == []


def test_oversized_fields_are_refused(world: World, client: TestClient) -> None:
    response = _report(client, what_seen="x" * 5001)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert _reports(world) == []


def test_script_is_shown_escaped(world: World, client: TestClient) -> None:
    hostile = "<script>alert(1)</script>"
    response = _report(client, child=hostile, what_seen="")
    assert hostile not in response.text  # type: ignore[attr-defined]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text  # type: ignore[attr-defined]


def test_the_honeypot_saves_nothing_but_looks_the_same(world: World, client: TestClient) -> None:
    response = _report(client, website="http://spam.example")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert _reports(world) == []


def test_too_many_reports_from_one_address_are_refused(world: World, client: TestClient) -> None:
    for _ in range(RATE_LIMIT_REPORTS):
        assert _report(client).status_code == 303  # type: ignore[attr-defined]
    refused = _report(client)
    assert refused.status_code == 429  # type: ignore[attr-defined]
    assert "Too many" in refused.text  # type: ignore[attr-defined]
    assert len(_reports(world)) == RATE_LIMIT_REPORTS
