"""The network of young people and linking entities, including the dev-notes end-to-end test."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from lantern.linking.network import Concern, EntityMention, build_network, young_person_node
from lantern.linking.young_people import (
    YoungPersonRecord,
    apply_merge,
    plan_merge,
    propose_young_person_merges,
)

D = dt.date


def _c(cid: str, yp: str, org: str, day: D, *ents: tuple[str, str]) -> Concern:
    return Concern(cid, yp, org, day, tuple(EntityMention(k, v) for k, v in ents))


CONCERNS = [
    _c("c1", "yp1", "school", D(2026, 1, 5), ("phone", "07700 900101"), ("person", "Deano")),
    _c("c2", "yp2", "police", D(2026, 2, 1), ("phone", "+447700900101"), ("vehicle", "ab12 cde")),
    _c("c3", "yp3", "health", D(2026, 3, 9), ("vehicle", "AB12CDE"), ("person", "DEANO")),
    _c("c4", "yp4", "housing", D(2025, 6, 1), ("postcode", "tf1 2xy")),
    _c("c5", "yp5", "school", D(2025, 7, 1), ("postcode", "TF1 2XY")),
    _c("c6", "yp6", "school", D(2026, 1, 1), ("handle", "@nobody_else")),
]


def test_alerts_rank_by_young_people_then_agencies_then_recency() -> None:
    extra = [
        _c("c7", "yp7", "police", D(2025, 1, 1), ("vehicle", "AB12 CDE")),
        _c("c8", "yp8", "school", D(2026, 6, 1), ("handle", "@same_school")),
        _c("c9", "yp9", "school", D(2026, 6, 2), ("handle", "same_school")),
    ]
    alerts = build_network(CONCERNS + extra).shared_entity_alerts()
    assert [a.entity for a in alerts] == [
        "vehicle:AB12CDE",  # three young people
        "person:deano",  # two young people, two agencies, latest 9 March 2026
        "phone:+447700900101",  # two, two, latest 1 February 2026
        "postcode:TF1 2XY",  # two, two, 2025
        "handle:same_school",  # two young people but one agency, though most recent
    ]
    top = alerts[0]
    assert top.young_people == ("yp2", "yp3", "yp7")
    assert top.organisations == ("health", "police")
    assert top.concerns == ("c2", "c3", "c7") and top.latest == D(2026, 3, 9)


def test_groups_paths_and_links() -> None:
    net = build_network(CONCERNS)
    assert net.connected_groups() == [["yp1", "yp2", "yp3"], ["yp4", "yp5"]]
    path = net.path(young_person_node("yp1"), "vehicle:AB12CDE")
    assert path is not None and path[0] == "yp:yp1" and path[-1] == "vehicle:AB12CDE"
    assert net.path(young_person_node("yp1"), young_person_node("yp6")) is None
    assert net.linked_young_people("yp1") == {
        "yp2": ["phone:+447700900101"],
        "yp3": ["person:deano"],
    }
    key = net.key_individuals()
    assert {k for k, _, _ in key} >= {"vehicle:AB12CDE", "phone:+447700900101"}
    assert all(len(c) > 1 for c in net.communities())


def test_resolved_identities_join_different_names_of_one_adult() -> None:
    concerns = [
        _c("c1", "a", "school", D(2026, 1, 1), ("person", "Dean Bolton")),
        _c("c2", "b", "police", D(2026, 1, 2), ("person", "BOLTON, Deano")),
    ]
    assert build_network(concerns).connected_groups() == []
    identities = {"dean bolton": "adult-17", "bolton deano": "adult-17"}
    assert build_network(concerns, identities).connected_groups() == [["a", "b"]]


NOTES = Path("/work/shared/data/notes_dev.jsonl")


@pytest.mark.skipif(not NOTES.exists(), reason="shared dev notes not present")
def test_dev_notes_connect_each_hidden_network_and_keep_them_apart() -> None:
    notes = [json.loads(line) for line in NOTES.read_text().splitlines() if line.strip()]
    # Each note's subject is a young person record held by the note's agency;
    # duplicates are proposed and (as a practitioner would) confirmed.
    records = [
        YoungPersonRecord(
            record_id=n["id"],
            organisation=n["agency"],
            name=n["subject"]["name"],
            dob=n["subject"].get("dob"),
            gender=n["subject"].get("gender"),
            area=n["subject"].get("area"),
        )
        for n in notes
    ]
    identities = {r.record_id: r.record_id for r in records}
    for proposal in propose_young_person_merges(records):
        plan = plan_merge(proposal, identities, confirmed_by="test", rationale="confirmed")
        identities = apply_merge(identities, plan)
    concerns = [
        Concern(
            concern_id=n["id"],
            young_person_id=identities[n["id"]],
            organisation=n["agency"],
            observed=D.fromisoformat(n["date"]),
            entities=tuple(
                EntityMention(kind, value)
                for kind, values in n["entities"].items()
                for value in values
            ),
        )
        for n in notes
    ]
    net = build_network(concerns)
    members: dict[str, set[str]] = {}
    for n in notes:
        if n["network"]:
            members.setdefault(n["network"], set()).add(identities[n["id"]])
    assert set(members) == {"N1", "N2"}
    for people in members.values():
        first, *rest = sorted(people)
        for other in rest:
            assert net.path(young_person_node(first), young_person_node(other)) is not None
    for a in members["N1"]:
        for b in members["N2"]:
            assert net.path(young_person_node(a), young_person_node(b)) is None
