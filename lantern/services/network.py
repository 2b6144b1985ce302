"""The network from the database: young people linked through the adults, phones, vehicles,
handles and places named in concerns about them, for alerts and the analyst view.

The graph itself is `lantern.linking.network`; this module feeds it the current
concerns (an amended concern by its amendment, a merged young person by the
record kept), resolves the adults named with `lantern.linking.link_people` (the
batch job, `lantern db link`), raises one alert per entity linking two or more
young people in the library's order, and applies the access policy: a young
person outside the viewer's scope appears only as a count, unless the viewer
has opened break-glass access to them (which is itself audited).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.linking import (
    link_people,
    normalise_handle,
    normalise_phone,
    normalise_plate,
    normalise_postcode,
)
from lantern.linking.names import name_key
from lantern.linking.network import Concern as LinkConcern
from lantern.linking.network import EntityMention, Network, build_network, entity_node
from lantern.services import access, alerts, audit, young_people
from lantern.services.access import Permission
from lantern.services.context import Actor, Forbidden, as_utc, utcnow
from lantern.services.database import Database
from lantern.store.models import (
    Alert,
    BreakGlass,
    Concern,
    Entity,
    EntityKind,
    Mention,
    YoungPerson,
)

#: How a stored entity value becomes a graph node value; the same normalisers the
#: text analysis and `build_network` use, so a node can be traced back to entities.
_NODE_VALUE: dict[str, Callable[[str | None], str | None]] = {
    "phone": normalise_phone,
    "vehicle": normalise_plate,
    "postcode": normalise_postcode,
    "handle": normalise_handle,
    "person": name_key,
    "place": name_key,
}

#: Most shared-entity views returned at once: an analyst pages through the rest.
MAX_SHARED_ENTITIES = 500


@dataclass(frozen=True)
class PersonRef:
    """A young person the viewer may see: enough to recognise and open the record."""

    id: int
    reference: str
    name: str


@dataclass(frozen=True)
class SharedEntityView:
    """One entity linking young people, as the viewer may see it."""

    kind: str
    value: str
    entity_ids: tuple[int, ...]
    young_people: tuple[PersonRef, ...]  # those within the viewer's scope (or break-glass)
    hidden: int  # linked young people outside the viewer's scope: a count, never names
    organisations: int
    concerns: int
    latest: dt.date


@dataclass(frozen=True)
class LinkedSummary:
    """ "Linked to N other young people through ..." for one young person's page."""

    total: int
    visible: tuple[tuple[PersonRef, tuple[str, ...]], ...]  # (young person, linking nodes)
    hidden: int
    through: dict[str, int] = field(default_factory=dict)  # entity kind -> other young people


@dataclass(frozen=True)
class LinkSummary:
    """What the batch linking job did."""

    person_entities: int
    identities: int
    entities_joined: int  # person entities now sharing an identity with another
    new_alerts: int


@dataclass
class DatabaseNetwork:
    """The graph and the way back from its nodes to stored entities."""

    network: Network
    entities_of_node: dict[str, set[int]]


def _node(kind: str, value: str) -> str | None:
    normalise = _NODE_VALUE.get(kind)
    folded = normalise(value) if normalise else None
    return entity_node(kind, folded) if folded else None


def _current_rows(session: Session, entity_ids: set[int] | None = None) -> list[Any]:
    amended = select(Concern.amends_id).where(Concern.amends_id.is_not(None))
    # Plain columns, not records: building the graph reads no case text, and the
    # views audit what they show.
    query = (
        select(
            Concern.id,
            Concern.young_person_id,
            Concern.organisation_id,
            Concern.observed_on,
            Entity.id,
            Entity.kind,
            Entity.value,
            Entity.identity_id,
        )
        .join(Mention, Mention.concern_id == Concern.id)
        .join(Entity, Entity.id == Mention.entity_id)
        .where(Concern.id.not_in(amended))
        .order_by(Concern.id, Entity.id)
    )
    if entity_ids is not None:
        query = query.where(Entity.id.in_(sorted(entity_ids)))
    return list(session.execute(query))


#: Kinds whose stored values are folded further (case, spacing) to make a node.
_FOLDED_KINDS = (EntityKind.PERSON, EntityKind.PLACE)


def _entities_around(session: Session, young_person_id: int) -> set[int]:
    """The entities that can link this young person to another: their own, every record
    of the same resolved adult, and names that fold to the same node."""
    own_people = select(YoungPerson.id).where(
        (YoungPerson.id == young_person_id) | (YoungPerson.merged_into_id == young_person_id)
    )
    own = session.execute(
        select(Entity.id, Entity.kind, Entity.value, Entity.identity_id)
        .join(Mention, Mention.entity_id == Entity.id)
        .join(Concern, Concern.id == Mention.concern_id)
        .where(Concern.young_person_id.in_(own_people))
        .distinct()
    ).all()
    found = {entity_id for entity_id, *_ in own}
    folded = {(kind, name_key(value)) for _, kind, value, _ in own if kind in _FOLDED_KINDS}
    identities = {identity for *_, identity in own if identity is not None}
    if folded or identities:
        for entity_id, kind, value, identity in session.execute(
            select(Entity.id, Entity.kind, Entity.value, Entity.identity_id).where(
                Entity.kind.in_(_FOLDED_KINDS)
            )
        ):
            if identity in identities or (kind, name_key(value)) in folded:
                found.add(entity_id)
                if identity is not None:
                    identities.add(identity)
    if identities:
        # Every record of each adult reached, so each adult stays one node.
        found.update(
            session.scalars(select(Entity.id).where(Entity.identity_id.in_(sorted(identities))))
        )
    return found


def _merged(session: Session) -> dict[int, int]:
    merged: dict[int, int] = {
        yp: into
        for yp, into in session.execute(
            select(YoungPerson.id, YoungPerson.merged_into_id).where(
                YoungPerson.merged_into_id.is_not(None)
            )
        )
        if into is not None
    }
    resolved: dict[int, int] = {}
    for start in merged:
        target = start
        seen = {start}
        while target in merged and merged[target] not in seen:  # follow chains, never loop
            target = merged[target]
            seen.add(target)
        resolved[start] = target
    return resolved


def load_network(session: Session, around: int | None = None) -> DatabaseNetwork:
    """The network of every current concern's entities (adults by resolved identity).

    With `around` (a young person's id), only the part that can link that young
    person to others: what a young person's page needs, without reading every
    concern's entities.
    """
    rows = _current_rows(session, _entities_around(session, around) if around is not None else None)
    merged = _merged(session)
    canonical: dict[int, str] = {}  # identity -> the name its first record was given
    for _, _, _, _, entity_id, kind, value, identity in rows:
        # One name per identity, so its records become one node: the name of the
        # record the identity is numbered by, else the first seen.
        if (
            kind == EntityKind.PERSON
            and identity is not None
            and (entity_id == identity or identity not in canonical)
        ):
            canonical[identity] = value
    by_concern: dict[int, list[EntityMention]] = defaultdict(list)
    facts: dict[int, tuple[int, int, dt.date]] = {}
    entities_of_node: dict[str, set[int]] = defaultdict(set)
    for concern_id, yp, org, observed, entity_id, kind, value, identity in rows:
        shown = canonical.get(identity, value) if kind == EntityKind.PERSON else value
        node = _node(kind.value, shown)
        if node is None:
            continue
        entities_of_node[node].add(entity_id)
        by_concern[concern_id].append(EntityMention(kind.value, shown))
        facts[concern_id] = (merged.get(yp, yp), org, observed)
    concerns = [
        LinkConcern(
            concern_id=str(concern_id),
            young_person_id=str(facts[concern_id][0]),
            organisation=str(facts[concern_id][1]),
            observed=facts[concern_id][2],
            entities=tuple(mentions),
        )
        for concern_id, mentions in by_concern.items()
    ]
    return DatabaseNetwork(build_network(concerns), dict(entities_of_node))


def _visible(session: Session, actor: Actor, ids: Iterable[int]) -> set[int]:
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    shown = set(
        session.scalars(
            select(YoungPerson.id).where(YoungPerson.id.in_(wanted), access.scope_condition(actor))
        )
    )
    if actor.user_id is not None:
        now = utcnow()
        for grant in session.scalars(
            select(BreakGlass).where(
                BreakGlass.user_id == actor.user_id, BreakGlass.young_person_id.in_(wanted)
            )
        ):
            if as_utc(grant.expires_at) > now:
                shown.add(grant.young_person_id)
    return shown


def _refs(session: Session, ids: Iterable[int]) -> dict[int, PersonRef]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    # Loaded as records on purpose: each one shown is audited as read by the viewer.
    return {
        p.id: PersonRef(p.id, p.reference, f"{p.first_name} {p.last_name}")
        for p in session.scalars(select(YoungPerson).where(YoungPerson.id.in_(wanted)))
    }


def shared_entities(
    *, session: Session, actor: Actor, limit: int = MAX_SHARED_ENTITIES
) -> list[SharedEntityView]:
    """Entities linking two or more young people, most young people first, then most
    organisations, then most recent (the library's ranking), scoped to the viewer."""
    access.require(actor, Permission.VIEW_NETWORK)
    graph = load_network(session)
    ranked = graph.network.shared_entity_alerts()[: max(1, min(limit, MAX_SHARED_ENTITIES))]
    everyone = {int(i) for a in ranked for i in a.young_people}
    visible = _visible(session, actor, everyone)
    refs = _refs(session, visible)
    views = [
        SharedEntityView(
            kind=a.kind,
            value=a.value,
            entity_ids=tuple(sorted(graph.entities_of_node.get(a.entity, ()))),
            young_people=tuple(refs[int(i)] for i in a.young_people if int(i) in refs),
            hidden=sum(1 for i in a.young_people if int(i) not in refs),
            organisations=len(a.organisations),
            concerns=len(a.concerns),
            latest=a.latest,
        )
        for a in ranked
    ]
    audit.record(
        session,
        action="view_network",
        record_type="network",
        detail={"shared_entities": len(views), "young_people_hidden": len(everyone - visible)},
    )
    return views


def linked_young_people(*, session: Session, actor: Actor, young_person_id: int) -> LinkedSummary:
    """Other young people linked to this one, for those entitled to see this one's page.

    The others are named only when they too are within the viewer's scope (or
    opened by break-glass); the rest are counted.
    """
    young_people.open_record(
        session=session,
        actor=actor,
        young_person_id=young_person_id,
        permission=Permission.VIEW_YOUNG_PERSON,
    )
    graph = load_network(session, around=young_person_id)
    linked = graph.network.linked_young_people(str(young_person_id))
    others = {int(i): tuple(via) for i, via in linked.items()}
    visible = _visible(session, actor, others)
    refs = _refs(session, visible)
    through: dict[str, set[int]] = defaultdict(set)
    for other, via in others.items():
        for node in via:
            through[node.split(":", 1)[0]].add(other)
    return LinkedSummary(
        total=len(others),
        visible=tuple((refs[i], others[i]) for i in sorted(refs)),
        hidden=len(others) - len(refs),
        through={kind: len(people) for kind, people in sorted(through.items())},
    )


def _may_run_batch(actor: Actor) -> None:
    if not (actor.is_system or access.role_allows(actor, Permission.VIEW_NETWORK)):
        raise Forbidden("only MASH, analysts or the system can run linking")


def refresh_network_alerts(*, session: Session, actor: Actor) -> list[Alert]:
    """One open alert per entity linking two or more young people (the batch path: adults
    by resolved identity, places too). Returns the alerts that are new."""
    _may_run_batch(actor)
    rules = alerts.load_alert_rules()
    kinds = {k.value for k in rules.shared_entity.kinds}
    graph = load_network(session)
    created: list[Alert] = []
    for rank, shared in enumerate(graph.network.shared_entity_alerts(), start=1):
        if (
            shared.kind not in kinds
            or len(shared.young_people) < rules.shared_entity.min_young_people
        ):
            continue
        entity_ids = sorted(graph.entities_of_node.get(shared.entity, ()))
        if not entity_ids:
            continue
        alert = alerts.upsert_shared_entity_alert(
            session,
            entity_id=entity_ids[0],
            young_person_ids=[int(i) for i in shared.young_people],
            rules=rules,
            detail={
                "entity_ids": entity_ids,
                "organisations": len(shared.organisations),
                "latest": shared.latest.isoformat(),
                "rank": rank,
            },
        )
        if alert is not None:
            created.append(alert)
    session.flush()
    return created


def person_records(*, session: Session, actor: Actor) -> list[dict[str, str]]:
    """One `lantern link` record per adult named in concerns (by stored entity), with the
    phone, vehicle, postcode and handle of concerns that name only that adult."""
    _may_run_batch(actor)
    rows = session.execute(
        select(Mention.concern_id, Entity.id, Entity.kind, Entity.value, Concern.organisation_id)
        .join(Entity, Entity.id == Mention.entity_id)
        .join(Concern, Concern.id == Mention.concern_id)
        .order_by(Entity.id)
    ).all()
    per_concern: dict[int, list[tuple[int, EntityKind, str]]] = defaultdict(list)
    source: dict[int, str] = {}
    for concern_id, entity_id, kind, value, org in rows:
        per_concern[concern_id].append((entity_id, kind, value))
        if kind == EntityKind.PERSON:
            source.setdefault(entity_id, str(org))
    records: dict[int, dict[str, str]] = {}
    for mentions in per_concern.values():
        people = [(i, v) for i, k, v in mentions if k == EntityKind.PERSON]
        for entity_id, value in people:
            record = records.setdefault(
                entity_id,
                {
                    "record_id": str(entity_id),
                    "source": source.get(entity_id, ""),
                    "full_name": value if len(value.split()) > 1 else "",
                    "nickname": value if len(value.split()) == 1 else "",
                },
            )
            if len(people) != 1:
                continue  # with two adults named, whose phone is it? Leave it out.
            for _, kind, other in mentions:
                column = kind.value if kind != EntityKind.PLACE else None
                if column in ("phone", "vehicle", "postcode", "handle") and not record.get(column):
                    record[column] = other
    return [records[i] for i in sorted(records)]


def resolve_identities(records: list[dict[str, str]], backend: str = "duckdb") -> dict[str, str]:
    """Cluster the records into identities with the Splink model (`link_people`). Pure:
    run it outside any transaction, so a long job never holds the database."""
    result = link_people(records, backend="spark" if backend == "spark" else "duckdb")
    return result.clusters


def store_identities(
    *, session: Session, actor: Actor, clusters: dict[str, str], records: int
) -> LinkSummary:
    """Give each person entity its identity and raise the network's shared-entity alerts.

    An identity is numbered by its lowest entity id, so re-running gives the same ids.
    """
    _may_run_batch(actor)
    members: dict[str, list[int]] = defaultdict(list)
    for record_id, cluster in clusters.items():
        members[cluster].append(int(record_id))
    identity_of = {i: min(ids) for ids in members.values() for i in ids}
    for entity in session.scalars(select(Entity).where(Entity.kind == EntityKind.PERSON)):
        identity = identity_of.get(entity.id, entity.id)
        if entity.identity_id != identity:
            entity.identity_id = identity
    session.flush()
    new_alerts = refresh_network_alerts(session=session, actor=actor)
    joined = sum(len(ids) for ids in members.values() if len(ids) > 1)
    audit.record(
        session,
        action="link_people",
        record_type="entity",
        detail={"records": records, "identities": len(members), "joined": joined},
    )
    return LinkSummary(records, len(members), joined, len(new_alerts))


def link_people_in_database(
    *, database: Database, actor: Actor, backend: str = "duckdb"
) -> LinkSummary:
    """The batch job: read the adults named, resolve them (no transaction open while
    Splink runs), then store identities and alerts in one short unit of work."""
    with database.transaction(actor) as session:
        records = person_records(session=session, actor=actor)
    clusters = resolve_identities(records, backend)
    with database.transaction(actor) as session:
        return store_identities(
            session=session, actor=actor, clusters=clusters, records=len(records)
        )


__all__ = [
    "MAX_SHARED_ENTITIES",
    "DatabaseNetwork",
    "LinkSummary",
    "LinkedSummary",
    "PersonRef",
    "SharedEntityView",
    "link_people_in_database",
    "linked_young_people",
    "load_network",
    "person_records",
    "refresh_network_alerts",
    "resolve_identities",
    "shared_entities",
    "store_identities",
]
