"""Alert states on both backends: who may acknowledge or close which alert."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lantern.services import Forbidden, Invalid, NotFound, alerts
from lantern.services.concerns import ConcernDraft, EntityChoice, FactorChoice, record_concern
from lantern.store.models import Alert, AlertKind, AlertState, EntityKind

from .conftest import World


def _concern(world: World, who: str, yp: int, key: str, **extra: object) -> None:
    actor = world.users[who]
    with world.db.transaction(actor) as s:
        record_concern(
            session=s,
            actor=actor,
            draft=ConcernDraft(
                young_person_id=yp,
                observed_on=date.today() - timedelta(days=2),
                text="Seen with older adults after school.",
                factors=[FactorChoice(code="older_associates")],
                idempotency_key=key,
                **extra,  # type: ignore[arg-type]
            ),
        )


def _accumulation(world: World) -> tuple[int, int]:
    yp = world.young_person("prac_a")
    for i, who in enumerate(["prac_a", "prac_b", "prac_a"]):
        _concern(world, who, yp, f"state-acc-{i:03d}")
    with world.db.sessions() as s:
        alert = s.scalars(select(Alert).where(Alert.young_person_id == yp)).one()
    return yp, alert.id


def test_lead_acknowledges_then_closes_an_alert_in_scope(world: World) -> None:
    _, alert_id = _accumulation(world)
    dsl = world.users["dsl_a"]
    with world.db.transaction(dsl) as s:
        alerts.set_state(session=s, actor=dsl, alert_id=alert_id, state=AlertState.ACKNOWLEDGED)
    with world.db.transaction(dsl) as s:
        closed = alerts.set_state(session=s, actor=dsl, alert_id=alert_id, state=AlertState.CLOSED)
        assert closed.state == AlertState.CLOSED
    with world.db.transaction(dsl) as s:
        assert alert_id not in [a.id for a in alerts.list_alerts(session=s, actor=dsl)]


@pytest.mark.parametrize("who", ["prac_a", "analyst", "admin", "auditor"])
def test_others_cannot_change_alerts(world: World, who: str) -> None:
    _, alert_id = _accumulation(world)
    actor = world.users[who]
    with pytest.raises(Forbidden), world.db.transaction(actor) as s:
        alerts.set_state(session=s, actor=actor, alert_id=alert_id, state=AlertState.CLOSED)


def test_shared_entity_alert_is_for_mash(world: World) -> None:
    phone = [EntityChoice(kind=EntityKind.PHONE, value="07700 900123")]
    for i, name in enumerate(["Ann", "Beth"]):
        yp = world.young_person("prac_a", first=name, last=f"Phone{i}")
        _concern(world, "prac_a", yp, f"state-phone-{i:03d}", entities=phone)
    with world.db.sessions() as s:
        alert = s.scalars(select(Alert).where(Alert.kind == AlertKind.SHARED_ENTITY)).one()
    dsl, mash = world.users["dsl_a"], world.users["mash"]
    with pytest.raises(Invalid), world.db.transaction(dsl) as s:
        alerts.set_state(session=s, actor=dsl, alert_id=alert.id, state=AlertState.CLOSED)
    with world.db.transaction(mash) as s:
        alerts.set_state(session=s, actor=mash, alert_id=alert.id, state=AlertState.CLOSED)
    with pytest.raises(NotFound), world.db.transaction(mash) as s:
        alerts.set_state(session=s, actor=mash, alert_id=alert.id + 999, state=AlertState.CLOSED)
