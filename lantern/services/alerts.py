"""Accumulation and shared-entity alerts: rules as data (`data/alert_rules.yaml`).

`evaluate_accumulation` is a pure function over a young person's concerns;
`refresh_for_young_person` runs it against the database and stores each new
alert once (its fingerprint is unique), and `list_alerts` shows them by scope.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lantern.knowledge import load_vocabulary
from lantern.services import access
from lantern.services.access import Permission
from lantern.services.context import Actor, Invalid, NotFound, utcnow
from lantern.store.models import (
    Alert,
    AlertKind,
    AlertState,
    Concern,
    ConcernFactor,
    Entity,
    EntityKind,
    Mention,
    Role,
)

RULES_FILE = Path(__file__).parent / "data" / "alert_rules.yaml"


class AccumulationRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z_]+$")
    title: str
    window_days: int = Field(ge=1, le=366)
    min_concerns: int = Field(ge=1)
    min_organisations: int = Field(ge=1)
    factor: str | None = None
    why: str


class SharedEntityRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    min_young_people: int = Field(ge=2)
    kinds: tuple[EntityKind, ...]  # linked by the batch job (names resolved first)
    fast_kinds: tuple[EntityKind, ...]  # linked at once, on an exact match, when saving


class AlertRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    rules: tuple[AccumulationRule, ...]
    shared_entity: SharedEntityRule


@lru_cache(maxsize=4)
def load_alert_rules(path: Path = RULES_FILE) -> AlertRules:
    """Read and check the rules; every factor named must be in the vocabulary."""
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = AlertRules.model_validate(data)
    codes = set(load_vocabulary().factors)
    for rule in rules.rules:
        if rule.factor is not None and rule.factor not in codes:
            raise ValueError(f"alert rule {rule.code}: unknown factor {rule.factor}")
    return rules


@dataclass(frozen=True)
class ConcernFact:
    """What accumulation looks at in one concern."""

    concern_id: int
    observed_on: date
    organisation_id: int
    factors: frozenset[str]


@dataclass(frozen=True)
class Firing:
    rule: AccumulationRule
    concern_ids: tuple[int, ...]
    organisations: int
    start: date
    end: date


def evaluate_accumulation(facts: list[ConcernFact], rules: AlertRules) -> list[Firing]:
    """Each rule's first window (earliest start) that meets it, per rule. Pure."""
    firings: list[Firing] = []
    ordered = sorted(facts, key=lambda f: (f.observed_on, f.concern_id))
    for rule in rules.rules:
        relevant = [f for f in ordered if rule.factor is None or rule.factor in f.factors]
        window = timedelta(days=rule.window_days - 1)
        for i, first in enumerate(relevant):
            inside = [f for f in relevant[i:] if f.observed_on - first.observed_on <= window]
            orgs = {f.organisation_id for f in inside}
            if len(inside) >= rule.min_concerns and len(orgs) >= rule.min_organisations:
                firings.append(
                    Firing(
                        rule=rule,
                        concern_ids=tuple(f.concern_id for f in inside),
                        organisations=len(orgs),
                        start=first.observed_on,
                        end=inside[-1].observed_on,
                    )
                )
                break
    return firings


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def concern_facts(session: Session, young_person_id: int) -> list[ConcernFact]:
    """The young person's concerns as they now stand (an amended concern by its amendment)."""
    # Columns, not records: screening needs dates, organisations and codes, and a
    # young person with a long history made loading every concern in full the
    # slowest part of saving one.
    concerns = [
        (concern_id, observed, organisation_id, amends_id)
        for concern_id, observed, organisation_id, amends_id in session.execute(
            select(
                Concern.id, Concern.observed_on, Concern.organisation_id, Concern.amends_id
            ).where(Concern.young_person_id == young_person_id)
        )
    ]
    amended = {amends_id for *_, amends_id in concerns if amends_id is not None}
    current = [c for c in concerns if c[0] not in amended]
    codes: dict[int, set[str]] = {c[0]: set() for c in current}
    if current:
        for concern_id, code in session.execute(
            select(ConcernFactor.concern_id, ConcernFactor.code).where(
                ConcernFactor.concern_id.in_(list(codes)), ConcernFactor.confirmed.is_(True)
            )
        ):
            codes[concern_id].add(code)
    return [
        ConcernFact(concern_id, observed, organisation_id, frozenset(codes[concern_id]))
        for concern_id, observed, organisation_id, _ in current
    ]


def refresh_for_young_person(
    *,
    session: Session,
    young_person_id: int,
    rules: AlertRules | None = None,
    facts: list[ConcernFact] | None = None,
    new_entity_ids: list[int] | None = None,
) -> list[Alert]:
    """Raise any accumulation and shared-entity alerts now met; returns the new ones.

    `facts` are the young person's current concern facts when the caller has just
    read them (saving a concern screens them first), to save reading them twice.
    `new_entity_ids` are the entities the new concern names: only their links can
    have changed, so only they are checked (default: all the young person's).
    """
    rules = rules or load_alert_rules()
    created: list[Alert] = []
    if facts is None:
        facts = concern_facts(session, young_person_id)
    firings = evaluate_accumulation(facts, rules)
    open_rules = (
        set(
            session.scalars(
                select(Alert.rule).where(
                    Alert.young_person_id == young_person_id,
                    Alert.kind == AlertKind.ACCUMULATION,
                    Alert.state != AlertState.CLOSED,
                )
            )
        )
        if firings
        else set()
    )
    for firing in firings:
        if firing.rule.code in open_rules:
            continue  # one open alert per rule and young person, not one per new concern
        fingerprint = _fingerprint("acc", firing.rule.code, young_person_id, firing.concern_ids[0])
        if session.scalars(select(Alert.id).where(Alert.fingerprint == fingerprint)).first():
            continue
        alert = Alert(
            kind=AlertKind.ACCUMULATION,
            rule=firing.rule.code,
            young_person_id=young_person_id,
            summary=f"{firing.rule.title}: {len(firing.concern_ids)} concerns from "
            f"{firing.organisations} organisation(s) between {firing.start.isoformat()} "
            f"and {firing.end.isoformat()}.",
            detail={
                "concern_ids": list(firing.concern_ids),
                "why": firing.rule.why,
                "rules_version": rules.version,
            },
            fingerprint=fingerprint,
            created_at=utcnow(),
        )
        session.add(alert)
        created.append(alert)
    if new_entity_ids is None or new_entity_ids:
        created.extend(_shared_entities(session, young_person_id, rules, new_entity_ids))
    session.flush()
    return created


def _shared_entities(
    session: Session, young_person_id: int, rules: AlertRules, only: list[int] | None = None
) -> list[Alert]:
    """The fast path after a save: exact normalised identifiers shared with others."""
    kinds = list(rules.shared_entity.fast_kinds)
    query = (
        select(Mention.entity_id)
        .join(Concern, Concern.id == Mention.concern_id)
        .join(Entity, Entity.id == Mention.entity_id)
        .where(Concern.young_person_id == young_person_id, Entity.kind.in_(kinds))
        .distinct()
    )
    if only is not None:
        query = query.where(Mention.entity_id.in_(sorted(set(only))))
    entity_ids = list(session.scalars(query))
    created: list[Alert] = []
    for entity_id in entity_ids:
        people = sorted(
            session.scalars(
                select(Concern.young_person_id)
                .join(Mention, Mention.concern_id == Concern.id)
                .where(Mention.entity_id == entity_id)
                .distinct()
            )
        )
        if len(people) < rules.shared_entity.min_young_people:
            continue
        alert = upsert_shared_entity_alert(
            session, entity_id=entity_id, young_person_ids=people, rules=rules
        )
        if alert is not None:
            created.append(alert)
    return created


def upsert_shared_entity_alert(
    session: Session,
    *,
    entity_id: int,
    young_person_ids: list[int],
    rules: AlertRules,
    detail: dict[str, Any] | None = None,
) -> Alert | None:
    """Keep one open alert per entity linking young people; returns it when new.

    An open alert is brought up to date as more young people are linked; a closed
    one is raised again only when the number linked has changed since.
    """
    people = sorted(set(young_person_ids))
    entity = session.get(Entity, entity_id)
    if entity is None:
        raise NotFound(f"no entity {entity_id}")
    summary = f"One {entity.kind.value} is linked to {len(people)} young people."
    extra = dict(detail or {})
    open_alert = session.scalars(
        select(Alert).where(
            Alert.entity_id == entity_id,
            Alert.kind == AlertKind.SHARED_ENTITY,
            Alert.state != AlertState.CLOSED,
        )
    ).first()
    if open_alert is not None:
        updated = {**open_alert.detail, **extra, "young_person_ids": people}
        if updated != open_alert.detail:
            open_alert.detail = updated
            open_alert.summary = summary
        return None
    fingerprint = _fingerprint("entity", entity_id, len(people))
    if session.scalars(select(Alert.id).where(Alert.fingerprint == fingerprint)).first():
        return None
    alert = Alert(
        kind=AlertKind.SHARED_ENTITY,
        rule="shared_entity",
        young_person_id=None,
        entity_id=entity_id,
        summary=summary,
        detail={**extra, "young_person_ids": people, "rules_version": rules.version},
        fingerprint=fingerprint,
        created_at=utcnow(),
    )
    session.add(alert)
    return alert


def list_alerts(
    *, session: Session, actor: Actor, state: AlertState | None = AlertState.OPEN, limit: int = 200
) -> list[Alert]:
    """Alerts the actor may see, newest first: MASH and analysts all; a lead, their scope."""
    access.require(actor, Permission.VIEW_ALERTS)
    query = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit)
    if state is not None:
        query = query.where(Alert.state == state)
    if actor.role == Role.DSL:
        from lantern.store.models import YoungPerson

        scoped = select(YoungPerson.id).where(access.scope_condition(actor))
        query = query.where(Alert.young_person_id.in_(scoped))
    return list(session.scalars(query))


def set_state(*, session: Session, actor: Actor, alert_id: int, state: AlertState) -> Alert:
    """Acknowledge or close an alert (MASH and leads within scope)."""
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    if actor.role not in (Role.MASH, Role.DSL):
        access.require(actor, Permission.RECORD_DECISION)
    if alert.young_person_id is not None:
        access.require(
            actor,
            Permission.RECORD_DECISION,
            session=session,
            young_person_id=alert.young_person_id,
        )
    elif actor.role != Role.MASH:
        raise Invalid({"state": "only MASH can close alerts about shared entities"})
    alert.state = state
    session.flush()
    return alert


def count_open(session: Session) -> int:
    return session.scalar(select(func.count(Alert.id)).where(Alert.state == AlertState.OPEN)) or 0


__all__ = [
    "AccumulationRule",
    "AlertRules",
    "ConcernFact",
    "Firing",
    "concern_facts",
    "count_open",
    "evaluate_accumulation",
    "list_alerts",
    "load_alert_rules",
    "refresh_for_young_person",
    "set_state",
    "upsert_shared_entity_alert",
]
