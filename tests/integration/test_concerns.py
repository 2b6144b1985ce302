"""Recording concerns on both backends: idempotent saving, screening, append-only, hostile input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lantern.services import Forbidden, Invalid
from lantern.services.audit import AppendOnly
from lantern.services.concerns import (
    ConcernDraft,
    EntityChoice,
    FactorChoice,
    record_concern,
)
from lantern.services.young_people import (
    DuplicatesFound,
    YoungPersonDraft,
    create_young_person,
    get_page,
    search,
)
from lantern.store.models import Alert, AlertKind, Concern, Entity

from .conftest import World

HOSTILE = "<script>alert('x')</script> '; DROP TABLE concern; -- \u202e\U0001f600 \\x00"


def draft(
    yp: int,
    key: str,
    codes: tuple[str, ...] = ("school_absence",),
    days_ago: int = 1,
    text: str = "Left school at lunchtime without permission.",
    entities: list[EntityChoice] | None = None,
    amends: int | None = None,
) -> ConcernDraft:
    return ConcernDraft(
        young_person_id=yp,
        observed_on=date.today() - timedelta(days=days_ago),
        text=text,
        factors=[FactorChoice(code=c) for c in codes],
        entities=entities or [],
        idempotency_key=key,
        amends_id=amends,
    )


def test_saving_twice_saves_once(world: World) -> None:
    yp = world.young_person()
    actor = world.users["prac_a"]
    with world.db.transaction(actor) as s:
        first = record_concern(session=s, actor=actor, draft=draft(yp, "key-000001"))
    with world.db.transaction(actor) as s:
        again = record_concern(session=s, actor=actor, draft=draft(yp, "key-000001"))
        assert s.scalar(select(func.count(Concern.id))) == 1
    assert first.created and not again.created
    assert again.concern.id == first.concern.id and again.assessment.id == first.assessment.id


def test_screening_stored_with_level_and_reasons(world: World) -> None:
    yp = world.young_person()
    actor = world.users["prac_a"]
    with world.db.transaction(actor) as s:
        result = record_concern(
            session=s,
            actor=actor,
            draft=draft(yp, "key-000002", ("going_missing", "transported_by_adults")),
        )
    assert result.assessment.rank >= 1
    assert {r["code"] for r in result.assessment.reasons} == {
        "going_missing",
        "transported_by_adults",
    }


def test_concerns_are_append_only(world: World) -> None:
    yp = world.young_person()
    actor = world.users["prac_a"]
    with world.db.transaction(actor) as s:
        cid = record_concern(session=s, actor=actor, draft=draft(yp, "key-000003")).concern.id
    with pytest.raises(AppendOnly), world.db.transaction(actor) as s:
        concern = s.get(Concern, cid)
        assert concern is not None
        concern.text = "rewritten"
        s.flush()
    with world.db.transaction(actor) as s:
        amendment = record_concern(
            session=s,
            actor=actor,
            draft=draft(yp, "key-000004", text="Correction: left at 2pm.", amends=cid),
        )
        assert amendment.concern.amends_id == cid
        original = s.get(Concern, cid)
        assert original is not None and original.text.startswith("Left school")


def test_another_organisation_cannot_amend(world: World) -> None:
    yp = world.young_person()
    a, b = world.users["prac_a"], world.users["prac_b"]
    with world.db.transaction(a) as s:
        cid = record_concern(session=s, actor=a, draft=draft(yp, "key-000005")).concern.id
    with world.db.transaction(b) as s:
        # Recording a first concern is how a new organisation becomes involved...
        record_concern(session=s, actor=b, draft=draft(yp, "key-000006"))
    with pytest.raises(Forbidden), world.db.transaction(b) as s:
        # ...but it does not let them correct someone else's record.
        record_concern(session=s, actor=b, draft=draft(yp, "key-000007", amends=cid))


def test_hostile_strings_are_stored_exactly(world: World) -> None:
    actor = world.users["prac_a"]
    with world.db.transaction(actor) as s:
        yp = create_young_person(
            session=s,
            actor=actor,
            draft=YoungPersonDraft(first_name=HOSTILE[:100], last_name="O'Brien"),
        ).id
        record_concern(session=s, actor=actor, draft=draft(yp, "key-000008", text=HOSTILE))
    with world.db.transaction(actor) as s:
        page = get_page(session=s, actor=actor, young_person_id=yp)
        assert page.person.first_name == HOSTILE[:100].strip()
        assert any(e.detail == HOSTILE.strip() for e in page.chronology)


def test_bad_drafts_are_invalid_with_field_names() -> None:
    from lantern.services.young_people import parse_draft

    with pytest.raises(Invalid) as e:
        parse_draft(
            ConcernDraft,
            {
                "young_person_id": 1,
                "observed_on": "2999-01-01",
                "text": "x" * 20_001,
                "idempotency_key": "short",
            },
        )
    assert {"observed_on", "text", "idempotency_key"} <= set(e.value.errors)


def test_accumulation_alert_across_organisations(world: World) -> None:
    yp = world.young_person()
    for i, who in enumerate(["prac_a", "prac_b", "prac_a"]):
        actor = world.users[who]
        with world.db.transaction(actor) as s:
            record_concern(
                session=s,
                actor=actor,
                draft=draft(yp, f"acc-key-{i:04d}", ("emotional_change",), 10 - i),
            )
    with world.db.sessions() as s:
        alerts = s.scalars(select(Alert).where(Alert.young_person_id == yp)).all()
        assert [a.rule for a in alerts] == ["several_agencies"]


def test_shared_vehicle_links_two_young_people(world: World) -> None:
    actor = world.users["prac_a"]
    car = [EntityChoice(kind="vehicle", value="rv19 kxt")]
    for i, name in enumerate(["Ann", "Beth"]):
        yp = world.young_person(first=name, last=f"Test{i}")
        with world.db.transaction(actor) as s:
            record_concern(
                session=s, actor=actor, draft=draft(yp, f"veh-key-{i:04d}", entities=car)
            )
    with world.db.sessions() as s:
        entity = s.scalars(select(Entity).where(Entity.value == "RV19KXT")).one()
        alerts = s.scalars(select(Alert).where(Alert.kind == AlertKind.SHARED_ENTITY)).all()
        assert [a.entity_id for a in alerts] == [entity.id]


def test_duplicates_check_and_search(world: World) -> None:
    world.young_person(first="Jonathan", last="Reid")
    actor = world.users["prac_b"]
    with pytest.raises(DuplicatesFound) as found, world.db.transaction(actor) as s:
        create_young_person(
            session=s, actor=actor, draft=YoungPersonDraft(first_name="Jon", last_name="reid")
        )
    assert [m.name for m in found.value.matches] == ["Jonathan Reid"]
    assert not found.value.matches[0].in_scope  # found, but not theirs to open
    with world.db.transaction(actor) as s:
        assert [m.name for m in search(session=s, actor=actor, name="jon re")] == ["Jonathan Reid"]
        assert search(session=s, actor=actor, name="%") == []
