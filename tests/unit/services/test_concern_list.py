"""A young person's concerns as a list: newest first, capped, confirmed factors only, the
screening made at saving (or none for an unscreened record), and the same access policy."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from lantern.services.concern_list import concerns_of
from lantern.services.concerns import ConcernDraft, FactorChoice, record_concern
from lantern.services.context import Actor, Forbidden, NotFound, utcnow
from lantern.services.young_people import YoungPersonDraft, create_young_person
from lantern.store.models import Concern, Role
from tests.unit.services.conftest import actor_of
from tests.unit.web.conftest import World

NOTE = "Seen leaving the park with two older males in a dark car; would not say who they were."


def _person(world: World, actor: Actor) -> int:
    with world.db.transaction(actor) as session:
        return create_young_person(
            session=session,
            actor=actor,
            draft=YoungPersonDraft(
                first_name="Kayla", last_name="Dunn", date_of_birth=date(2010, 6, 1)
            ),
            checked_duplicates=True,
        ).id


def _save(
    world: World, actor: Actor, person: int, days_ago: int, factors: list[FactorChoice]
) -> int:
    with world.db.transaction(actor) as session:
        saved = record_concern(
            session=session,
            actor=actor,
            draft=ConcernDraft(
                young_person_id=person,
                observed_on=date.today() - timedelta(days=days_ago),
                text=NOTE,
                factors=factors,
                idempotency_key=uuid.uuid4().hex,
            ),
        )
        return saved.concern.id


def test_newest_first_with_confirmed_factors_and_screening(world: World) -> None:
    actor = actor_of(world, Role.PRACTITIONER)
    person = _person(world, actor)
    older = _save(world, actor, person, 5, [FactorChoice(code="going_missing")])
    newer = _save(
        world,
        actor,
        person,
        1,
        [
            FactorChoice(code="older_associates"),
            FactorChoice(code="transported_by_adults"),
            FactorChoice(code="unexplained_gifts", suggested=True, confirmed=False),
        ],
    )
    with world.db.transaction(actor) as session:
        listed = concerns_of(session=session, actor=actor, young_person_id=person)
    assert [c.id for c in listed] == [newer, older]
    assert listed[0].factors == ["older_associates", "transported_by_adults"]
    assert listed[1].factors == ["going_missing"]
    assert all(c.level and isinstance(c.score, int) for c in listed)
    assert all(c.young_person_id == person and c.text == NOTE for c in listed)


def test_the_limit_keeps_the_newest(world: World) -> None:
    actor = actor_of(world, Role.PRACTITIONER)
    person = _person(world, actor)
    saved = [_save(world, actor, person, 10 - i, []) for i in range(4)]
    with world.db.transaction(actor) as session:
        assert [
            c.id for c in concerns_of(session=session, actor=actor, young_person_id=person, limit=2)
        ] == [
            saved[3],
            saved[2],
        ]
        assert concerns_of(session=session, actor=actor, young_person_id=person, limit=0) == []


def test_an_unscreened_historic_concern_is_listed_without_a_level(world: World) -> None:
    actor = actor_of(world, Role.PRACTITIONER)
    person = _person(world, actor)
    with world.db.transaction(Actor.system("test")) as session:
        historic = Concern(
            young_person_id=person,
            author_id=actor.user_id,
            organisation_id=actor.organisation_id,
            observed_on=date(2020, 1, 6),
            recorded_at=utcnow() - timedelta(days=30),
            text="Imported from the previous system.",
            idempotency_key=uuid.uuid4().hex,
        )
        session.add(historic)
        session.flush()
        historic_id = historic.id
    with world.db.transaction(actor) as session:
        [listed] = concerns_of(session=session, actor=actor, young_person_id=person)
    assert listed.id == historic_id
    assert listed.level is None and listed.score is None and listed.factors == []


def test_the_same_access_policy_as_the_page(world: World) -> None:
    mash = actor_of(world, Role.MASH)
    person = _person(world, mash)
    _save(world, mash, person, 2, [])
    for role in (Role.PRACTITIONER, Role.AUDITOR, Role.ADMIN):
        outsider = actor_of(world, role)
        with pytest.raises(Forbidden), world.db.transaction(outsider) as session:
            concerns_of(session=session, actor=outsider, young_person_id=person)
    with pytest.raises(NotFound), world.db.transaction(mash) as session:
        concerns_of(session=session, actor=mash, young_person_id=person + 999)
