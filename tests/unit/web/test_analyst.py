"""The analyst page through the pages: shared-entity alerts ranked, the link chart's JSON, the
filters, the concerns behind a node, scope (counts, not names, unless break-glass), roles,
and the young person page's "linked to" block."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from itertools import count

from fastapi.testclient import TestClient
from sqlalchemy import select

from lantern.services.access import open_break_glass
from lantern.services.concerns import ConcernDraft, EntityChoice, record_concern
from lantern.services.context import Actor
from lantern.services.young_people import YoungPersonDraft, create_young_person
from lantern.store.models import AuditEvent, EntityKind, Role
from tests.unit.web.conftest import World
from tests.unit.web.test_transcripts import parse

_keys = count(1)

#: Phone and plate from Ofcom's drama range and an obviously fictional registration.
PHONE = "07700 900123"
PHONE_NODE = "phone:+447700900123"
PLATE = "AB12 CDE"


def _actor(world: World, role: Role) -> Actor:
    user_id, email, _ = world.users[role]
    org = world.organisations["school" if role in (Role.PRACTITIONER, Role.DSL) else "mash"]
    return Actor(user_id=user_id, email=email, role=role, organisation_id=org, channel="web")


def _concern(
    world: World, person: int, observed: date, entities: list[tuple[EntityKind, str]]
) -> None:
    actor = _actor(world, Role.PRACTITIONER)
    with world.db.transaction(actor) as session:
        record_concern(
            session=session,
            actor=actor,
            draft=ConcernDraft(
                young_person_id=person,
                observed_on=observed,
                text="Seen getting into a car with an adult outside school at 15:30.",
                factors=[],
                entities=[EntityChoice(kind=k, value=v) for k, v in entities],
                idempotency_key=f"analyst-test-{next(_keys):06d}",
            ),
        )


def _network(world: World) -> dict[str, int]:
    """Three young people at one school: Amy and Beth share a phone (January, March);
    Beth and Cara share a car (April); Amy alone names a postcode."""
    actor = _actor(world, Role.PRACTITIONER)
    people = {}
    with world.db.transaction(actor) as session:
        for first in ("Amy", "Beth", "Cara"):
            people[first] = create_young_person(
                session=session,
                actor=actor,
                draft=YoungPersonDraft(
                    first_name=first,
                    last_name="Marsh",
                    date_of_birth=date(2011, 5, 1),
                    school="Riverside Academy",
                ),
                checked_duplicates=True,
            ).id
    _concern(
        world,
        people["Amy"],
        date(2026, 1, 10),
        [(EntityKind.PHONE, PHONE), (EntityKind.POSTCODE, "TF1 2XY")],
    )
    _concern(world, people["Beth"], date(2026, 3, 5), [(EntityKind.PHONE, PHONE)])
    _concern(world, people["Beth"], date(2026, 4, 2), [(EntityKind.VEHICLE, PLATE)])
    _concern(world, people["Cara"], date(2026, 4, 20), [(EntityKind.VEHICLE, PLATE)])
    return people


def test_analysts_see_ranked_links_with_young_people_as_counts(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    _network(world)
    analyst = signed_in(Role.ANALYST)
    page = analyst.get("/analyst")
    assert page.status_code == 200
    doc = parse(page.text)
    table = doc.one("table", id="shared-entities")
    assert table is not None
    rows = [r.text() for r in table.all("tr")[1:]]
    assert len(rows) == 2  # the postcode links only Amy: not a shared entity
    assert "Vehicle: AB12CDE" in rows[0]  # most recent first when counts tie
    assert "Phone: +447700900123" in rows[1]
    assert "2 (all outside your scope)" in rows[1]
    assert "Marsh" not in page.text  # no names for an analyst

    chart = analyst.get("/analyst/chart.json").json()
    nodes = {n["data"]["id"]: n["data"] for n in chart["elements"]["nodes"]}
    assert PHONE_NODE in nodes and "vehicle:AB12CDE" in nodes
    hidden = [n for n in nodes.values() if n["kind"] == "young_person"]
    assert len(hidden) == 3
    assert all(not n["visible"] and n["detail"] is None for n in hidden)
    assert all(n["id"].startswith("hidden:") for n in hidden)
    assert "Marsh" not in json.dumps(chart)
    assert len(chart["elements"]["edges"]) == 4
    ids = set(nodes)
    assert all(
        {e["data"]["source"], e["data"]["target"]} <= ids for e in chart["elements"]["edges"]
    )


def test_filters_by_kind_and_date(world: World, signed_in: Callable[[Role], TestClient]) -> None:
    _network(world)
    analyst = signed_in(Role.ANALYST)
    only_phones = parse(analyst.get("/analyst?kind=phone").text).one("table", id="shared-entities")
    assert only_phones is not None and "AB12CDE" not in only_phones.text()
    assert "+447700900123" in only_phones.text()
    # From March, Amy's January concern drops out: the phone links one young person only.
    since_march = analyst.get("/analyst?since=2026-03-01").text
    assert "+447700900123" not in since_march and "AB12CDE" in since_march
    until_feb = analyst.get("/analyst/chart.json?until=2026-02-28").json()
    assert until_feb["elements"]["nodes"] == []
    checked = parse(analyst.get("/analyst?kind=vehicle").text).one("input", id="kind-vehicle")
    assert checked is not None and "checked" in checked.attrs
    for bad in (
        "/analyst?since=31/12/2026",
        "/analyst?kind=spaceship",
        "/analyst?since=2026-05-01&until=2026-01-01",
    ):
        assert analyst.get(bad).status_code == 400, bad


def test_the_concerns_behind_a_node(world: World, signed_in: Callable[[Role], TestClient]) -> None:
    people = _network(world)
    analyst = signed_in(Role.ANALYST)
    page = analyst.get("/analyst/node", params={"id": PHONE_NODE})
    assert page.status_code == 200
    table = parse(page.text).one("table", id="node-concerns")
    assert table is not None
    rows = [r.text() for r in table.all("tr")[1:]]
    assert len(rows) == 2
    assert "5 March 2026" in rows[0] and "Riverside Academy" in rows[0]
    assert all("Outside your scope" in r for r in rows)
    assert "Seen getting into a car" not in page.text  # never the concern's text
    detail = analyst.get("/analyst/node.json", params={"id": PHONE_NODE, "since": "2026-03-01"})
    assert [c["observed"] for c in detail.json()["concerns"]] == ["2026-03-05"]
    # A young person the analyst may not see is as good as absent, by any name.
    for node in (f"yp:{people['Amy']}", "hidden:1", "phone:+447700900999"):
        assert analyst.get("/analyst/node", params={"id": node}).status_code == 404, node


def test_break_glass_names_a_young_person_and_is_audited(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    people = _network(world)
    mash = signed_in(Role.MASH)
    assert "Amy Marsh" not in mash.get("/analyst").text
    actor = _actor(world, Role.MASH)
    with world.db.transaction(actor) as session:
        open_break_glass(
            session=session,
            actor=actor,
            young_person_id=people["Amy"],
            reason="Strategy meeting tomorrow about the shared phone",
        )
    page = mash.get("/analyst")
    assert "Amy Marsh" in page.text and "Beth Marsh" not in page.text
    assert f'href="/young-people/{people["Amy"]}"' in page.text  # MASH may open the record
    nodes = mash.get("/analyst/chart.json").json()["elements"]["nodes"]
    amy = next(n["data"] for n in nodes if n["data"]["id"] == f"yp:{people['Amy']}")
    assert amy["visible"] and amy["detail"]
    assert mash.get(amy["detail"]).status_code == 200
    with world.db.transaction(Actor.system("test")) as session:
        marked = session.scalars(
            select(AuditEvent).where(
                AuditEvent.young_person_id == people["Amy"],
                AuditEvent.user_id == actor.user_id,
                AuditEvent.break_glass.is_(True),
                AuditEvent.action == "read",
            )
        ).all()
    assert marked


def test_who_opens_the_analyst_page(world: World, signed_in: Callable[[Role], TestClient]) -> None:
    _network(world)
    opens = {Role.ANALYST, Role.MASH}  # not leads: see the module docstring of the route
    for role in Role:
        client = signed_in(role)
        status = 200 if role in opens else 403
        for path in ("/analyst", "/analyst/chart.json", f"/analyst/node?id={PHONE_NODE}"):
            got = client.get(path.replace("+", "%2B")).status_code
            assert got == status, (role, path, got)
        nav = parse(client.get("/home").text)
        assert bool(nav.one("a", href="/analyst")) is (role in opens), role


def test_the_page_loads_its_chart_without_inline_script(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    _network(world)
    page = signed_in(Role.ANALYST).get("/analyst")
    scripts = parse(page.text).all("script")
    assert scripts and all(s.attrs.get("src") and not s.text().strip() for s in scripts)
    assert any(s.attrs["src"] == "/static/linkchart.mjs" for s in scripts)
    container = parse(page.text).one("div", id="link-chart")
    assert container is not None and container.attrs["data_src"].startswith("/analyst/chart.json")


def test_the_young_person_page_says_who_they_are_linked_to(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    people = _network(world)
    practitioner = signed_in(Role.PRACTITIONER)
    record = practitioner.get(f"/young-people/{people['Beth']}")
    assert f'hx-get="/young-people/{people["Beth"]}/linked"' in record.text
    assert f'href="/young-people/{people["Beth"]}/transcripts"' in record.text
    fragment = practitioner.get(
        f"/young-people/{people['Beth']}/linked", headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    text = " ".join(parse(fragment.text).text().split())
    assert "Linked to 2 other young people through a phone (1) and a vehicle (1)" in text
    assert "Amy Marsh" in text and "Cara Marsh" in text
    whole = practitioner.get(f"/young-people/{people['Amy']}/linked")
    assert "<html" in whole.text and "Beth Marsh" in whole.text
    assert signed_in(Role.ANALYST).get(f"/young-people/{people['Amy']}/linked").status_code == 403
