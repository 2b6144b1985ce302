"""The network of young people and the adults, phones, vehicles, handles and places linking them.

Built from concerns as plain records: each concern is about one young person,
from one organisation, on one date, and names entities. Two young people are
linked when the same normalised entity appears in concerns about both. Adults
named in concerns are linked by resolved identity when one is given (from
`link_people`), otherwise by their name folded for case and spacing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from lantern.linking.names import name_key
from lantern.linking.normalise import (
    normalise_handle,
    normalise_phone,
    normalise_plate,
    normalise_postcode,
)

__all__ = [
    "ENTITY_KINDS",
    "Concern",
    "EntityMention",
    "Network",
    "SharedEntityAlert",
    "build_network",
    "entity_node",
    "young_person_node",
]

#: Kinds of entity that can link young people (`factors.md` plus places).
ENTITY_KINDS: tuple[str, ...] = ("person", "phone", "vehicle", "postcode", "handle", "place")

_NORMALISERS: dict[str, Callable[[str | None], str | None]] = {
    "phone": normalise_phone,
    "vehicle": normalise_plate,
    "postcode": normalise_postcode,
    "handle": normalise_handle,
    "person": name_key,
    "place": name_key,
}

#: Communities are found with a fixed seed so the same data gives the same groups.
COMMUNITY_SEED = 7


@dataclass(frozen=True)
class EntityMention:
    """An entity named in a concern, as written or already normalised."""

    kind: str
    value: str


@dataclass(frozen=True)
class Concern:
    """The linking facts of one concern."""

    concern_id: str
    young_person_id: str
    organisation: str
    observed: dt.date
    entities: tuple[EntityMention, ...]


@dataclass(frozen=True)
class SharedEntityAlert:
    """One entity linked to two or more young people."""

    entity: str
    kind: str
    value: str
    young_people: tuple[str, ...]
    organisations: tuple[str, ...]
    concerns: tuple[str, ...]
    latest: dt.date


def young_person_node(young_person_id: str) -> str:
    """The graph node of a young person."""
    return f"yp:{young_person_id}"


def entity_node(kind: str, value: str) -> str:
    """The graph node of a normalised entity."""
    return f"{kind}:{value}"


def _normalised(
    mention: EntityMention, person_identities: Mapping[str, str] | None
) -> tuple[str, str] | None:
    if mention.kind not in _NORMALISERS:
        return None
    value = _NORMALISERS[mention.kind](mention.value)
    if not value:
        return None
    if mention.kind == "person" and person_identities is not None:
        return "person", person_identities.get(value, value)
    return mention.kind, value


class Network:
    """A bipartite graph: young people on one side, entities on the other.

    Each edge keeps the concerns, organisations and dates behind it, so every
    link can be traced back to what was recorded.
    """

    def __init__(self, graph: nx.Graph) -> None:
        self.graph = graph

    def young_people(self) -> list[str]:
        """Ids of the young people in the network."""
        return sorted(
            d["id"] for _, d in self.graph.nodes(data=True) if d["kind"] == "young_person"
        )

    def _yp_of(self, entity: str) -> list[str]:
        return sorted(self.graph.nodes[n]["id"] for n in self.graph.neighbors(entity))

    def shared_entity_alerts(self) -> list[SharedEntityAlert]:
        """Entities linking two or more young people: most young people, then most
        organisations, then most recent first."""
        alerts = []
        for node, data in self.graph.nodes(data=True):
            if data["kind"] == "young_person" or self.graph.degree(node) < 2:
                continue
            edges = [self.graph.edges[node, n] for n in self.graph.neighbors(node)]
            alerts.append(
                SharedEntityAlert(
                    entity=node,
                    kind=data["kind"],
                    value=data["value"],
                    young_people=tuple(self._yp_of(node)),
                    organisations=tuple(sorted({o for e in edges for o in e["organisations"]})),
                    concerns=tuple(sorted({c for e in edges for c in e["concerns"]})),
                    latest=max(e["latest"] for e in edges),
                )
            )
        return sorted(
            alerts,
            key=lambda a: (
                -len(a.young_people),
                -len(a.organisations),
                -a.latest.toordinal(),
                a.entity,
            ),
        )

    def linked_young_people(self, young_person_id: str) -> dict[str, list[str]]:
        """Other young people linked to this one, each with the entities that link them."""
        start = young_person_node(young_person_id)
        if start not in self.graph:
            return {}
        linked: dict[str, list[str]] = defaultdict(list)
        for entity in self.graph.neighbors(start):
            for other in self.graph.neighbors(entity):
                if other != start:
                    linked[self.graph.nodes[other]["id"]].append(entity)
        return {k: sorted(v) for k, v in sorted(linked.items())}

    def connected_groups(self) -> list[list[str]]:
        """Groups of young people connected through any chain of entities (two or more)."""
        groups = []
        for component in nx.connected_components(self.graph):
            people = sorted(
                self.graph.nodes[n]["id"]
                for n in component
                if self.graph.nodes[n]["kind"] == "young_person"
            )
            if len(people) >= 2:
                groups.append(people)
        return sorted(groups, key=lambda g: (-len(g), g))

    def communities(self) -> list[list[str]]:
        """Tighter groups within the connected ones (Louvain modularity), as node ids."""
        found = nx.community.louvain_communities(self.graph, seed=COMMUNITY_SEED)
        return sorted((sorted(c) for c in found if len(c) > 1), key=lambda c: (-len(c), c))

    def key_individuals(self, top: int = 10) -> list[tuple[str, int, float]]:
        """Entities that hold the network together: (node, young people linked, betweenness)."""
        betweenness = nx.betweenness_centrality(self.graph, normalized=True)
        ranked = [
            (node, self.graph.degree(node), round(betweenness[node], 4))
            for node, data in self.graph.nodes(data=True)
            if data["kind"] != "young_person" and self.graph.degree(node) >= 2
        ]
        return sorted(ranked, key=lambda r: (-r[1], -r[2], r[0]))[:top]

    def path(self, source: str, target: str) -> list[str] | None:
        """The shortest chain of nodes from one node to another ("how is this young
        person connected to that adult?"), or None when they are not connected."""
        if source not in self.graph or target not in self.graph:
            return None
        try:
            nodes: list[str] = nx.shortest_path(self.graph, source, target)
        except nx.NetworkXNoPath:
            return None
        return nodes


def build_network(
    concerns: Iterable[Concern], person_identities: Mapping[str, str] | None = None
) -> Network:
    """The network of young people and entities from concerns.

    `person_identities` maps a person's folded name to a resolved identity, so
    that different records of one adult become one node.
    """
    graph = nx.Graph()
    for concern in concerns:
        yp = young_person_node(concern.young_person_id)
        graph.add_node(yp, kind="young_person", id=concern.young_person_id)
        for mention in concern.entities:
            normalised = _normalised(mention, person_identities)
            if normalised is None:
                continue
            kind, value = normalised
            node = entity_node(kind, value)
            graph.add_node(node, kind=kind, value=value)
            if graph.has_edge(yp, node):
                edge = graph.edges[yp, node]
            else:
                graph.add_edge(
                    yp, node, concerns=set(), organisations=set(), latest=concern.observed
                )
                edge = graph.edges[yp, node]
            edge["concerns"].add(concern.concern_id)
            edge["organisations"].add(concern.organisation)
            edge["latest"] = max(edge["latest"], concern.observed)
    return Network(graph)
