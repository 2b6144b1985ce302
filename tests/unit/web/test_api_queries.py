"""The API's concern list reads a fixed number of statements whatever the number of concerns
(no query per concern for its factors or screening), and lists what it did before."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from lantern.store.models import Role
from tests.unit.web.conftest import BASE_URL, World
from tests.unit.web.test_api import token_for
from tests.unit.web.test_concern_routes import _add_young_person

#: Factors ticked on each concern: several, so a per-concern factor query would show.
FACTORS = ["going_missing", "older_associates", "unexplained_gifts"]

NOTES = [
    "Seen getting into a silver car outside the gates after school; driver not known to staff.",
    "Returned to the children's home at 02:30, would not say where she had been.",
    "Mother reports a second phone found in her bag; she says a friend lent it to her.",
    "Absent from period 3 and 4; later seen in town with two adults not known to school.",
]


@contextmanager
def counting(world: World) -> Iterator[list[str]]:
    """Every SQL statement the app sends to the database while the block runs."""
    statements: list[str] = []

    def note(*args: Any) -> None:
        statements.append(str(args[2]))  # (conn, cursor, statement, parameters, context, many)

    event.listen(world.db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(world.db.engine, "before_cursor_execute", note)


def _record(api: TestClient, headers: dict[str, str], person: int, count: int) -> None:
    for i in range(count):
        saved = api.post(
            "/api/v1/concerns",
            json={
                "young_person_id": person,
                "observed_on": (date.today() - timedelta(days=count - i)).isoformat(),
                "text": NOTES[i % len(NOTES)],
                "factors": [{"code": code} for code in FACTORS[: 1 + i % len(FACTORS)]],
                "idempotency_key": uuid.uuid4().hex,
            },
            headers=headers,
        )
        assert saved.status_code == 201, saved.text


def test_listing_1_or_20_concerns_issues_the_same_number_of_statements(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    practitioner = signed_in(Role.PRACTITIONER)
    one = _add_young_person(practitioner, "Leon", "Marsh")
    twenty = _add_young_person(practitioner, "Kayla", "Dunn")
    headers = {"Authorization": f"Bearer {token_for(practitioner)}"}
    api = TestClient(world.app, base_url=BASE_URL)
    _record(api, headers, one, 1)
    _record(api, headers, twenty, 20)
    api.get(f"/api/v1/young-people/{one}/concerns", headers=headers)  # warm caches and pool

    counts: dict[int, int] = {}
    bodies: dict[int, list[dict[str, Any]]] = {}
    for person, expected in ((one, 1), (twenty, 20)):
        with counting(world) as statements:
            listed = api.get(f"/api/v1/young-people/{person}/concerns", headers=headers)
        assert listed.status_code == 200
        bodies[expected] = listed.json()
        assert len(bodies[expected]) == expected
        counts[expected] = len(statements)
    assert counts[1] == counts[20], counts
    # Each concern still carries its own factors and screening.
    for concern in bodies[20]:
        assert set(concern["factors"]) <= set(FACTORS) and concern["factors"]
        assert concern["level"] and isinstance(concern["score"], int)
    assert {len(c["factors"]) for c in bodies[20]} == {1, 2, 3}
    assert [c["id"] for c in bodies[20]] == sorted((c["id"] for c in bodies[20]), reverse=True)
