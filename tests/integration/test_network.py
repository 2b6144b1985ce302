"""Issue 5 end to end, on both backends: the development case notes imported as concerns
through the services the web app uses (text analysis included), adults resolved by the
batch job, and the network connects each hidden network and never the two."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from itertools import count
from typing import Any

import pytest
from sqlalchemy import select

from lantern.services import Forbidden, network
from lantern.services.access import open_break_glass
from lantern.services.auth import actor_for
from lantern.services.concerns import (
    ConcernDraft,
    EntityChoice,
    FactorChoice,
    record_concern,
    suggest,
)
from lantern.services.context import Actor, utcnow
from lantern.services.young_people import YoungPersonDraft, create_young_person
from lantern.store.models import (
    Alert,
    AlertKind,
    Concern,
    Entity,
    EntityKind,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from tests.paths import DATA

from .conftest import World, _password_hash

NOTES = DATA / "notes_dev.jsonl"

#: Agencies in the notes that are not organisation kinds of their own.
_KIND = {k.value: k for k in OrganisationKind}


def _notes() -> list[dict[str, Any]]:
    return [json.loads(line) for line in NOTES.read_text(encoding="utf-8").splitlines() if line]


def _practitioner(world: World, agency: str) -> Actor:
    key = f"notes_{agency}"
    if key in world.users:
        return world.users[key]
    with world.db.transaction(Actor.system("test")) as s:
        org = Organisation(
            name=f"Notes {agency}",
            kind=_KIND.get(agency, OrganisationKind.OTHER),
            created_at=utcnow(),
        )
        s.add(org)
        s.flush()
        user = User(
            email=f"{key}@test.example",
            name=key,
            role=Role.PRACTITIONER,
            organisation_id=org.id,
            password_hash=_password_hash(),
            created_at=utcnow(),
        )
        s.add(user)
        s.flush()
        world.users[key] = actor_for(user)
    return world.users[key]


def _import(world: World) -> dict[int, str | None]:
    """Each note a concern about its subject, by its agency; returns young person -> network."""
    people: dict[tuple[str, str], int] = {}
    network_of: dict[int, str | None] = {}
    keys = count()
    for note in _notes():
        actor = _practitioner(world, note["agency"])
        subject = note["subject"]
        first, _, last = subject["name"].partition(" ")
        key = (subject["name"], subject.get("dob") or "")
        with world.db.transaction(actor) as s:
            if key not in people:
                people[key] = create_young_person(
                    session=s,
                    actor=actor,
                    draft=YoungPersonDraft(
                        first_name=first,
                        last_name=last or first,
                        date_of_birth=subject.get("dob"),
                    ),
                    checked_duplicates=True,
                ).id
            yp = people[key]
            found = suggest(note["text"], subject["name"])  # what the concern form shows
            observed = date.fromisoformat(note["date"])
            record_concern(
                session=s,
                actor=actor,
                draft=ConcernDraft(
                    young_person_id=yp,
                    observed_on=observed,
                    text=note["text"],
                    factors=[
                        FactorChoice(
                            code=f.code,
                            evidence=f.evidence[:2000],
                            start=f.start,
                            end=f.end,
                            suggested=True,
                        )
                        for f in found.factors
                    ],
                    entities=[
                        EntityChoice(kind=e.type, value=e.value, start=e.start, end=e.end)
                        for e in found.entities
                        if e.type in {k.value for k in EntityKind}
                    ],
                    idempotency_key=f"note-import-{next(keys):05d}",
                ),
                recorded_at=datetime.combine(observed, datetime.min.time()),
            )
        network_of[yp] = note["network"]
    return network_of


def test_notes_end_to_end(world: World) -> None:
    """One import per backend (it is the slow part), then each check in turn."""
    network_of = _import(world)
    summary = network.link_people_in_database(database=world.db, actor=Actor.system("test"))
    assert summary.person_entities > 0 and summary.identities <= summary.person_entities
    _each_hidden_network_is_connected_and_not_the_two(world, network_of)
    _focused_network_agrees_with_the_whole(world, network_of)
    _batch_alerts_follow_the_library_ranking(world, network_of)
    _analyst_sees_counts_not_names(world)
    _linked_young_people_named_only_in_scope(world, network_of)
    prac = world.users["prac_a"]
    with pytest.raises(Forbidden), world.db.transaction(prac) as s:
        network.shared_entities(session=s, actor=prac)
    # Running the batch again changes nothing: identities and alerts are stable.
    again = network.link_people_in_database(database=world.db, actor=Actor.system("test"))
    assert again.new_alerts == 0 and again.identities == summary.identities
    assert world.db.verify_audit().ok


def _each_hidden_network_is_connected_and_not_the_two(
    world: World, network_of: dict[int, str | None]
) -> None:
    with world.db.sessions() as s:
        graph = network.load_network(s).network
    groups = [[int(i) for i in g] for g in graph.connected_groups()]
    component = {yp: n for n, group in enumerate(groups) for yp in group}
    for hidden in ("N1", "N2"):
        members = [yp for yp, n in network_of.items() if n == hidden]
        assert len(members) >= 2
        assert None not in {component.get(yp) for yp in members}, f"{hidden}: someone unlinked"
        assert len({component[yp] for yp in members}) == 1, f"{hidden} is not connected"
    n1 = {component[yp] for yp, n in network_of.items() if n == "N1"}
    n2 = {component[yp] for yp, n in network_of.items() if n == "N2"}
    assert n1.isdisjoint(n2), "the two networks were linked to each other"


def _focused_network_agrees_with_the_whole(world: World, network_of: dict[int, str | None]) -> None:
    with world.db.sessions() as s:
        whole = network.load_network(s).network
        for yp in network_of:
            around = network.load_network(s, around=yp).network
            assert around.linked_young_people(str(yp)) == whole.linked_young_people(str(yp))


def _batch_alerts_follow_the_library_ranking(
    world: World, network_of: dict[int, str | None]
) -> None:
    with world.db.sessions() as s:
        shared = s.scalars(select(Alert).where(Alert.kind == AlertKind.SHARED_ENTITY)).all()
    ranked = sorted((a for a in shared if "rank" in a.detail), key=lambda a: a.detail["rank"])
    assert ranked, "the batch job raised no shared-entity alerts"
    sizes = [len(a.detail["young_person_ids"]) for a in ranked]
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] >= 2
    for alert in ranked:
        # An alert never spans the two hidden networks.
        assert len({network_of[p] for p in alert.detail["young_person_ids"]} - {None}) <= 1
    assert len({a.entity_id for a in shared}) == len(shared)  # one per entity


def _analyst_sees_counts_not_names(world: World) -> None:
    analyst = world.users["analyst"]
    with world.db.transaction(analyst) as s:
        views = network.shared_entities(session=s, actor=analyst)
    assert views and all(v.young_people == () and v.hidden >= 2 for v in views)
    sizes = [v.hidden for v in views]
    assert sizes == sorted(sizes, reverse=True)  # most young people first


def _viewer_for(world: World, young_person_id: int) -> Actor:
    with world.db.sessions() as s:
        author = s.scalars(
            select(Concern.author_id).where(Concern.young_person_id == young_person_id)
        ).first()
    return next(a for a in world.users.values() if a.user_id == author)


def _linked_young_people_named_only_in_scope(
    world: World, network_of: dict[int, str | None]
) -> None:
    members = sorted(yp for yp, n in network_of.items() if n == "N2")
    target = members[0]
    viewer = _viewer_for(world, target)  # the practitioner who recorded the concern
    with world.db.transaction(viewer) as s:
        summary = network.linked_young_people(session=s, actor=viewer, young_person_id=target)
    assert summary.total >= 1 and sum(summary.through.values()) >= summary.total
    assert summary.hidden + len(summary.visible) == summary.total
    shown = {ref.id for ref, _ in summary.visible}
    others = [yp for yp in members if yp != target and yp not in shown]
    if not summary.hidden or not others:
        return
    with world.db.transaction(viewer) as s:
        open_break_glass(
            session=s, actor=viewer, young_person_id=others[0], reason="Strategy meeting today."
        )
    with world.db.transaction(viewer) as s:
        after = network.linked_young_people(session=s, actor=viewer, young_person_id=target)
    with world.db.sessions() as s:
        directly = network.load_network(s).network.linked_young_people(str(target))
    if str(others[0]) in directly:
        assert others[0] in {ref.id for ref, _ in after.visible}
        assert after.hidden == summary.hidden - 1


def test_fast_path_links_exact_identifiers_but_not_names(world: World) -> None:
    actor = world.users["prac_a"]
    ids = []
    for i, name in enumerate(["Ann", "Beth"]):
        yp = world.young_person(first=name, last=f"Fast{i}")
        ids.append(yp)
        with world.db.transaction(actor) as s:
            record_concern(
                session=s,
                actor=actor,
                draft=ConcernDraft(
                    young_person_id=yp,
                    observed_on=date.today() - timedelta(days=1),
                    text="Seen getting into a car with an adult called Dev.",
                    entities=[
                        EntityChoice(kind=EntityKind.HANDLE, value="@Dev.Cars_99"),
                        EntityChoice(kind=EntityKind.PERSON, value="Dev"),
                    ],
                    idempotency_key=f"fast-path-{i:04d}",
                ),
            )
    with world.db.sessions() as s:
        alerts = s.scalars(select(Alert).where(Alert.kind == AlertKind.SHARED_ENTITY)).all()
        kinds = {s.get(Entity, a.entity_id).kind for a in alerts if a.entity_id}  # type: ignore[union-attr]
    assert kinds == {EntityKind.HANDLE}  # the name waits for the batch job to resolve it
    assert all(a.detail["young_person_ids"] == sorted(ids) for a in alerts)
