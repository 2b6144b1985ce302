"""The analyst's link chart: young people and the entities shared between them, filtered by
entity kind and date, scoped to the viewer, and the concerns behind any one node.

Built on `network.load_network` (the same graph as the shared-entity alerts). Only
entities linking two or more young people within the filter are drawn, ranked as
the alerts are (most young people, most organisations, most recent). A young
person outside the viewer's scope is drawn without a name or number, as "outside
your scope", unless the viewer holds break-glass access to them (which the
young person's page opens and audits). Nothing here reads a concern's text.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.linking.network import ENTITY_KINDS
from lantern.services import access, audit, network
from lantern.services.access import Permission
from lantern.services.context import Actor, Invalid, NotFound, as_utc, utcnow
from lantern.store.models import BreakGlass, Concern, Organisation, YoungPerson

__all__ = [
    "MAX_CHART_ENTITIES",
    "ChartEdge",
    "ChartFilter",
    "ChartNode",
    "LinkChart",
    "NodeConcern",
    "NodeDetail",
    "link_chart",
    "node_detail",
]

#: Most shared entities drawn at once: beyond a few hundred a force-directed chart
#: is a hairball nobody can read, and the browser slows. The table pages the rest.
MAX_CHART_ENTITIES = 300

#: Node id prefix of a young person the viewer may not see (numbered per chart).
HIDDEN_PREFIX = "hidden:"
YOUNG_PERSON = "young_person"


@dataclass(frozen=True)
class ChartFilter:
    """Which links to draw: entity kinds (empty: all) and the dates concerns were observed."""

    kinds: frozenset[str] = frozenset()
    since: dt.date | None = None
    until: dt.date | None = None

    def __post_init__(self) -> None:
        unknown = self.kinds - set(ENTITY_KINDS)
        if unknown:
            raise Invalid({"kind": f"unknown kind of entity: {', '.join(sorted(unknown))}"})
        if self.since and self.until and self.since > self.until:
            raise Invalid({"since": "the start date must be on or before the end date"})

    def admits(self, observed: dt.date) -> bool:
        return (self.since is None or observed >= self.since) and (
            self.until is None or observed <= self.until
        )


@dataclass(frozen=True)
class ChartNode:
    id: str
    kind: str  # "young_person" or an entity kind
    label: str
    young_people: int  # entities: young people linked; young people: entities drawn
    concerns: int
    organisations: int
    latest: dt.date
    visible: bool  # False: a young person outside the viewer's scope
    young_person_id: int | None = None  # only for a young person the viewer may see
    named: tuple[str, ...] = ()  # entities: the visible young people's labels
    hidden: int = 0  # entities: linked young people outside the viewer's scope


@dataclass(frozen=True)
class ChartEdge:
    source: str
    target: str
    concerns: int
    latest: dt.date


@dataclass(frozen=True)
class LinkChart:
    entities: tuple[ChartNode, ...]  # ranked, the table's rows
    young_people: tuple[ChartNode, ...]
    edges: tuple[ChartEdge, ...]
    kinds: tuple[str, ...]  # every entity kind there is to filter by
    chart_filter: ChartFilter
    more: int = 0  # shared entities left out beyond MAX_CHART_ENTITIES


@dataclass(frozen=True)
class NodeConcern:
    concern_id: int
    observed_on: dt.date
    organisation: str
    young_person: str
    young_person_id: int | None  # only when the viewer may see them
    via: str  # the entity or young person at the other end of the link


@dataclass(frozen=True)
class NodeDetail:
    id: str
    kind: str
    label: str
    concerns: tuple[NodeConcern, ...] = field(default_factory=tuple)


def _visible(session: Session, actor: Actor, ids: set[int]) -> dict[int, str]:
    """Labels of the young people the viewer may see: in scope, or opened by break-glass."""
    if not ids:
        return {}
    wanted = sorted(ids)
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
            if as_utc(grant.expires_at) > now and grant.young_person_id not in shown:
                shown.add(grant.young_person_id)
                # Named only through break-glass: the read is marked so, with its reason.
                audit.note_reason(session, grant.young_person_id, grant.reason, break_glass=True)
    if not shown:
        return {}
    # Loaded as records on purpose: each named on the chart is audited as read.
    return {
        p.id: f"{p.first_name} {p.last_name} ({p.reference})"
        for p in session.scalars(select(YoungPerson).where(YoungPerson.id.in_(sorted(shown))))
    }


def _facts(session: Session) -> dict[str, tuple[dt.date, int]]:
    # Plain columns: the date and organisation of every concern, no case text.
    return {
        str(i): (observed, org)
        for i, observed, org in session.execute(
            select(Concern.id, Concern.observed_on, Concern.organisation_id)
        )
    }


def _filtered_edges(
    graph: Any, facts: dict[str, tuple[dt.date, int]], chart_filter: ChartFilter
) -> dict[str, dict[str, set[str]]]:
    """entity node -> young person node -> concerns within the filter."""
    kept: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for a, b, data in graph.edges(data=True):
        yp, entity = (a, b) if graph.nodes[a]["kind"] == YOUNG_PERSON else (b, a)
        kind = graph.nodes[entity]["kind"]
        if chart_filter.kinds and kind not in chart_filter.kinds:
            continue
        concerns = {c for c in data["concerns"] if c in facts and chart_filter.admits(facts[c][0])}
        if concerns:
            kept[entity][yp] = concerns
    return kept


def link_chart(
    *, session: Session, actor: Actor, chart_filter: ChartFilter | None = None
) -> LinkChart:
    """The shared entities within the filter and the young people they link, ranked."""
    access.require(actor, Permission.VIEW_NETWORK)
    chart_filter = chart_filter or ChartFilter()
    graph = network.load_network(session).network.graph
    facts = _facts(session)
    edges = _filtered_edges(graph, facts, chart_filter)
    shared = []
    for entity, people in edges.items():
        if len(people) < 2:
            continue
        concerns = {c for cs in people.values() for c in cs}
        organisations = {facts[c][1] for c in concerns}
        latest = max(facts[c][0] for c in concerns)
        shared.append((entity, people, concerns, organisations, latest))
    shared.sort(key=lambda s: (-len(s[1]), -len(s[3]), -s[4].toordinal(), s[0]))
    more = max(0, len(shared) - MAX_CHART_ENTITIES)
    shared = shared[:MAX_CHART_ENTITIES]
    everyone = {int(graph.nodes[yp]["id"]) for _, people, *_ in shared for yp in people}
    labels = _visible(session, actor, everyone)
    node_id: dict[str, str] = {}
    for _, people, *_ in shared:
        for yp in sorted(people):
            if yp not in node_id:
                number = int(graph.nodes[yp]["id"])
                node_id[yp] = yp if number in labels else f"{HIDDEN_PREFIX}{len(node_id) + 1}"
    entity_nodes = []
    chart_edges = []
    per_person: dict[str, list[tuple[set[str], dt.date]]] = defaultdict(list)
    for entity, people, concerns, organisations, latest in shared:
        data = graph.nodes[entity]
        ids = [int(graph.nodes[yp]["id"]) for yp in people]
        entity_nodes.append(
            ChartNode(
                id=entity,
                kind=data["kind"],
                label=data["value"],
                young_people=len(people),
                concerns=len(concerns),
                organisations=len(organisations),
                latest=latest,
                visible=True,
                named=tuple(sorted(labels[i] for i in ids if i in labels)),
                hidden=sum(1 for i in ids if i not in labels),
            )
        )
        for yp, cs in sorted(people.items()):
            edge_latest = max(facts[c][0] for c in cs)
            chart_edges.append(ChartEdge(node_id[yp], entity, len(cs), edge_latest))
            per_person[yp].append((cs, edge_latest))
    person_nodes = []
    for yp, links in per_person.items():
        number = int(graph.nodes[yp]["id"])
        concerns = {c for cs, _ in links for c in cs}
        person_nodes.append(
            ChartNode(
                id=node_id[yp],
                kind=YOUNG_PERSON,
                label=labels.get(number, "Outside your scope"),
                young_people=len(links),
                concerns=len(concerns),
                organisations=len({facts[c][1] for c in concerns}),
                latest=max(latest for _, latest in links),
                visible=number in labels,
                young_person_id=number if number in labels else None,
            )
        )
    person_nodes.sort(key=lambda n: (not n.visible, n.label, n.id))
    kinds = tuple(k for k in ENTITY_KINDS)
    audit.record(
        session,
        action="view_network",
        record_type="network",
        detail={
            "chart_entities": len(entity_nodes),
            "young_people_named": len(labels),
            "young_people_hidden": len(everyone) - len(labels),
            "kinds": sorted(chart_filter.kinds),
            "since": chart_filter.since.isoformat() if chart_filter.since else None,
            "until": chart_filter.until.isoformat() if chart_filter.until else None,
        },
    )
    return LinkChart(
        entities=tuple(entity_nodes),
        young_people=tuple(person_nodes),
        edges=tuple(chart_edges),
        kinds=kinds,
        chart_filter=chart_filter,
        more=more,
    )


def node_detail(
    *, session: Session, actor: Actor, node_id: str, chart_filter: ChartFilter | None = None
) -> NodeDetail:
    """The concerns behind one node of the chart: for an entity, each concern naming it;
    for a young person the viewer may see, each concern linking them to an entity.

    Dates, organisations and who the link joins; never a concern's text.
    """
    access.require(actor, Permission.VIEW_NETWORK)
    chart_filter = chart_filter or ChartFilter()
    graph = network.load_network(session).network.graph
    if node_id not in graph:
        raise NotFound("nothing in the network by that name")
    data = graph.nodes[node_id]
    facts = _facts(session)
    if data["kind"] == YOUNG_PERSON and not _visible(session, actor, {int(data["id"])}):
        raise NotFound("nothing in the network by that name")  # as if absent: no probing
    neighbours = list(graph.neighbors(node_id))
    people = {
        int(graph.nodes[n]["id"])
        for n in [node_id, *neighbours]
        if graph.nodes[n]["kind"] == YOUNG_PERSON
    }
    labels = _visible(session, actor, people)
    organisations = dict(session.execute(select(Organisation.id, Organisation.name)).all())
    rows = []
    for other in neighbours:
        edge = graph.edges[node_id, other]
        if data["kind"] == YOUNG_PERSON:
            yp_node, entity_node = node_id, other
        else:
            yp_node, entity_node = other, node_id
        entity = graph.nodes[entity_node]
        if chart_filter.kinds and entity["kind"] not in chart_filter.kinds:
            continue
        number = int(graph.nodes[yp_node]["id"])
        for concern in edge["concerns"]:
            if concern not in facts or not chart_filter.admits(facts[concern][0]):
                continue
            observed, org = facts[concern]
            rows.append(
                NodeConcern(
                    concern_id=int(concern),
                    observed_on=observed,
                    organisation=organisations.get(org, ""),
                    young_person=labels.get(number, "Outside your scope"),
                    young_person_id=number if number in labels else None,
                    via=f"{entity['kind']}: {entity['value']}",
                )
            )
    rows.sort(key=lambda r: (-r.observed_on.toordinal(), r.concern_id))
    label = (
        labels.get(int(data["id"]), "")
        if data["kind"] == YOUNG_PERSON
        else str(data.get("value", ""))
    )
    audit.record(
        session,
        action="view_network",
        record_type="network",
        detail={"node_kind": data["kind"], "concerns": len(rows)},
    )
    return NodeDetail(id=node_id, kind=data["kind"], label=label, concerns=tuple(rows))
