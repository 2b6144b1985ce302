"""Service-level timings on a large SQLite database: triage queue, young person page, saving.

The cohort (default 10,000 young people, 100,000 concerns, each with its
assessment) is bulk-inserted directly, not through the services, so that
building it takes seconds; the timed calls then go through the services as
pages do (access policy and audit trail included). Sizes can be lowered with
LANTERN_BENCH_PEOPLE and LANTERN_BENCH_CONCERNS for a quick run.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

PEOPLE = int(os.environ.get("LANTERN_BENCH_PEOPLE", "10000"))
CONCERNS = int(os.environ.get("LANTERN_BENCH_CONCERNS", "100000"))
SAMPLES = 50
#: Distinct phones and adults (each) named in the bench concerns: with about a
#: third of concerns naming one, each is linked to a handful of young people.
ENTITIES = 1000
MENTION_SHARE = 0.3
CLIENTS = 20
CODES = [
    "school_absence",
    "going_missing",
    "older_associates",
    "unexplained_gifts",
    "emotional_change",
    "transported_by_adults",
    "family_conflict",
]


def _p95(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=20)[18] * 1000, 1)


def _p50(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 1)


def _name(number: int) -> str:
    # Letters only: names are folded without digits, so "Adult 5" and "Adult 6" would be one.
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[digit] + letters
        if number == 0:
            break
    return f"Adult {letters.capitalize()}son"


def _build(url: str) -> dict[str, Any]:
    from sqlalchemy import insert

    from lantern.services import Database
    from lantern.services.auth import hash_password
    from lantern.store.models import (
        Assessment,
        Concern,
        ConcernFactor,
        Entity,
        EntityKind,
        Involvement,
        Mention,
        Organisation,
        OrganisationKind,
        Role,
        User,
        YoungPerson,
    )

    rng = random.Random(7)  # noqa: S311 - repeatable bench data
    db = Database.open(url)
    now = datetime.now(UTC)
    kinds = list(OrganisationKind)
    with db.engine.begin() as c:
        c.execute(
            insert(Organisation),
            [
                {"id": i + 1, "name": f"Org {i}", "kind": kinds[i % len(kinds)], "created_at": now}
                for i in range(9)
            ],
        )
        pw = hash_password("bench password long")
        c.execute(
            insert(User),
            [
                {
                    "id": i + 1,
                    "email": f"u{i}@bench.example",
                    "name": f"U{i}",
                    "role": role,
                    "organisation_id": (i % 9) + 1,
                    "password_hash": pw,
                    "created_at": now,
                    "totp_confirmed": True,
                    "is_demo": False,
                    "active": True,
                    "failed_logins": 0,
                }
                for i, role in enumerate([Role.PRACTITIONER] * 9 + [Role.DSL] * 9 + [Role.ANALYST])
            ],
        )
        c.execute(
            insert(YoungPerson),
            [
                {
                    "id": i + 1,
                    "reference": f"YP-B{i:06d}",
                    "first_name": f"F{i % 97}",
                    "last_name": f"L{i % 389}",
                    "date_of_birth": date(2010, 1, 1) + timedelta(days=i % 2000),
                    "created_by_organisation_id": (i % 9) + 1,
                    "created_at": now,
                }
                for i in range(PEOPLE)
            ],
        )
        c.execute(
            insert(Involvement),
            [
                {
                    "young_person_id": i + 1,
                    "organisation_id": (i % 9) + 1,
                    "user_id": (i % 9) + 1,
                    "since": now,
                }
                for i in range(PEOPLE)
            ],
        )
        concerns, factors, assessments = [], [], []
        for j in range(CONCERNS):
            yp = rng.randrange(PEOPLE) + 1
            org = (yp - 1) % 9 + 1
            day = date.today() - timedelta(days=rng.randrange(730))
            concerns.append(
                {
                    "id": j + 1,
                    "young_person_id": yp,
                    "author_id": org,
                    "organisation_id": org,
                    "observed_on": day,
                    "recorded_at": datetime.combine(day, datetime.min.time(), UTC),
                    "text": "Bench concern text.",
                    "immediate_danger": False,
                    "idempotency_key": f"bench-{j:08d}",
                }
            )
            factors.append(
                {
                    "concern_id": j + 1,
                    "code": rng.choice(CODES),
                    "suggested": False,
                    "confirmed": True,
                }
            )
            rank = rng.randrange(4)
            assessments.append(
                {
                    "young_person_id": yp,
                    "concern_id": j + 1,
                    "organisation_id": org,
                    "concern_recorded_at": datetime.combine(day, datetime.min.time(), UTC),
                    "author_id": org,
                    "created_at": now,
                    "rules_version": "bench",
                    "level": ["emerging", "moderate", "significant", "immediate"][rank],
                    "rank": rank,
                    "score": rank * 5,
                    "factors": [],
                    "reasons": [],
                    "floors": [],
                }
            )
        c.execute(insert(Concern), concerns)
        c.execute(insert(ConcernFactor), factors)
        c.execute(insert(Assessment), assessments)
        # Phones and adults named in some concerns, a few shared between young people,
        # so the network views have something to link.
        c.execute(
            insert(Entity),
            [
                {"id": e + 1, "kind": EntityKind.PHONE, "value": f"+447700{900000 + e:06d}"}
                for e in range(ENTITIES)
            ]
            + [
                {"id": ENTITIES + e + 1, "kind": EntityKind.PERSON, "value": _name(e)}
                for e in range(ENTITIES)
            ],
        )
        c.execute(
            insert(Mention),
            [
                {"entity_id": rng.randrange(2 * ENTITIES) + 1, "concern_id": j + 1}
                for j in range(CONCERNS)
                if rng.random() < MENTION_SHARE
            ],
        )
    return {"db": db}


def _timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


#: Records a lead may see in the duplicate-proposal figure, and the share of them that
#: are a second record (another agency's spelling) of a young person already recorded.
MERGE_VISIBLE = 2000
MERGE_DUPLICATE_SHARE = 0.05


def _merge_proposals() -> dict[str, Any]:
    """The duplicate-records list and one record's proposals for a lead who can see
    MERGE_VISIBLE records (and as many more they cannot), on a database of its own."""
    from sqlalchemy import insert

    from lantern.services import Database, merges
    from lantern.services.auth import hash_password
    from lantern.services.context import Actor
    from lantern.store.models import (
        Involvement,
        Organisation,
        OrganisationKind,
        Role,
        User,
        YoungPerson,
    )

    rng = random.Random(11)  # noqa: S311 - repeatable bench data
    forenames = (  # noqa: SIM905 - a list of names reads best as one string
        "Jessica Amelia Olivia Isla Ava Mia Grace Lily Sophie Ella Chloe Ruby Evie Freya "
        "Holly Jack Oliver Harry George Charlie Jacob Thomas Oscar William James Leo Alfie "
        "Joshua Kieran Connor Ryan Tyler Callum Liam Aaron Amira Zara Aisha Maya Nadia Priya "
        "Kacper Jakub Zofia Tomasz Ewan Fraser Rhys Owen Cerys Megan Bethan Niamh Aoife Sean"
    ).split()
    short = {
        "Jessica": "Jess",
        "Thomas": "Tom",
        "William": "Will",
        "Joshua": "Josh",
        "Amelia": "Millie",
        "James": "Jim",
        "Charlie": "Charles",
        "Olivia": "Liv",
    }
    surnames = (  # noqa: SIM905 - a list of names reads best as one string
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson "
        "Evans Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James "
        "Phillips Mason Mitchell Rose Davis Rodriguez Cox Alexander Okafor Nowak Kowalski "
        "Murphy Kelly Begum Ali Hussain Singh Kaur Ahmed Osei Mensah Campbell Stewart Morgan "
        "Hughes Price"
    ).split()
    schools = [f"{n} Academy" for n in ("Oak", "Elm", "Hilltop", "Riverside", "Meadow", "Castle")]
    schools += [f"St {n}'s School" for n in ("Mary", "John", "Anne", "Peter", "Luke", "Paul")]
    folder = Path(tempfile.mkdtemp(prefix="lantern-bench-merges-"))
    db = Database.open(f"sqlite:///{folder / 'merges.db'}")
    now = datetime.now(UTC)
    people: list[dict[str, Any]] = []
    for i in range(2 * MERGE_VISIBLE):
        if people and rng.random() < MERGE_DUPLICATE_SHARE:
            twin = dict(rng.choice(people))
            first = twin["first_name"]
            twin["first_name"] = short.get(first, first[:-1] if len(first) > 4 else first)
            twin["school"] = twin["school"] if rng.random() < 0.7 else None
        else:
            twin = {
                "first_name": rng.choice(forenames),
                "last_name": rng.choice(surnames),
                "date_of_birth": date(2008, 9, 1) + timedelta(days=rng.randrange(7 * 365)),
                "school": rng.choice(schools),
                "area": f"TF{rng.randrange(1, 12)}",
            }
        twin |= {"id": i + 1, "reference": f"YP-M{i:06d}", "created_at": now}
        twin["created_by_organisation_id"] = 1 + i % 3
        people.append(twin)
    with db.engine.begin() as c:
        c.execute(
            insert(Organisation),
            [
                {
                    "id": k + 1,
                    "name": f"Org {k}",
                    "kind": OrganisationKind.SCHOOL,
                    "created_at": now,
                }
                for k in range(3)
            ],
        )
        c.execute(
            insert(User),
            [
                {
                    "id": 1,
                    "email": "lead@bench.example",
                    "name": "Lead",
                    "role": Role.DSL,
                    "organisation_id": 1,
                    "password_hash": hash_password("bench password long"),
                    "created_at": now,
                    "totp_confirmed": True,
                    "is_demo": False,
                    "active": True,
                    "failed_logins": 0,
                }
            ],
        )
        c.execute(insert(YoungPerson), people)
        # Every other record is in the lead's organisation's scope.
        c.execute(
            insert(Involvement),
            [
                {"young_person_id": p["id"], "organisation_id": 1 + p["id"] % 2, "since": now}
                for p in people
            ],
        )
    lead = Actor(user_id=1, email="lead@bench.example", role=Role.DSL, organisation_id=1)
    found: list[Any] = []

    def listing() -> None:
        with db.transaction(lead) as s:
            found[:] = merges.list_proposals(session=s, actor=lead)

    def around() -> None:
        yp = rng.randrange(MERGE_VISIBLE) * 2 + 2  # even ids: the lead organisation's
        with db.transaction(lead) as s:
            merges.merges_of(session=s, actor=lead, young_person_id=yp)

    list_times = [_timed(listing) for _ in range(5)]
    around_times = [_timed(around) for _ in range(20)]
    db.dispose()
    return {
        "visible_records": MERGE_VISIBLE,
        "records": len(people),
        "proposals": len(found),
        "list_p50_ms": _p50(list_times),
        "list_max_ms": round(max(list_times) * 1000, 1),
        "one_record_p50_ms": _p50(around_times),
        "one_record_p95_ms": _p95(around_times),
    }


def run() -> dict[str, Any]:
    from lantern.services import concerns, network, triage, young_people
    from lantern.services.auth import actor_for
    from lantern.store.models import User

    folder = Path(tempfile.mkdtemp(prefix="lantern-bench-"))
    started = time.perf_counter()
    db = _build(f"sqlite:///{folder / 'bench.db'}")["db"]
    build_seconds = time.perf_counter() - started
    with db.sessions() as s:
        practitioner = actor_for(s.get(User, 1))  # type: ignore[arg-type]
        lead = actor_for(s.get(User, 10))  # type: ignore[arg-type]
    rng = random.Random(3)  # noqa: S311 - repeatable sample

    def queue() -> None:
        with db.transaction(lead) as s:
            triage.queue(session=s, actor=lead)

    def page() -> None:
        yp = rng.randrange(PEOPLE // 9) * 9 + 1  # involved with organisation 1
        with db.transaction(lead) as s:
            young_people.get_page(session=s, actor=lead, young_person_id=yp)

    counter = iter(range(10**9))

    def save() -> None:
        yp = rng.randrange(PEOPLE // 9) * 9 + 1
        draft = concerns.ConcernDraft(
            young_person_id=yp,
            observed_on=date.today(),
            text="Left school at lunchtime.",
            factors=[concerns.FactorChoice(code="school_absence")],
            idempotency_key=f"save-{next(counter):010d}",
        )
        with db.transaction(practitioner) as s:
            concerns.record_concern(session=s, actor=practitioner, draft=draft)

    with db.sessions() as s:
        analyst = actor_for(s.get(User, 19))  # type: ignore[arg-type]

    def linked() -> None:
        yp = rng.randrange(PEOPLE // 9) * 9 + 1
        with db.transaction(lead) as s:
            network.linked_young_people(session=s, actor=lead, young_person_id=yp)

    def whole_network() -> None:
        with db.transaction(analyst) as s:
            network.shared_entities(session=s, actor=analyst)

    queue_times = [_timed(queue) for _ in range(SAMPLES)]
    linked_times = [_timed(linked) for _ in range(SAMPLES)]
    network_seconds = _timed(whole_network)
    page_times = [_timed(page) for _ in range(SAMPLES)]
    save_times = [_timed(save) for _ in range(SAMPLES)]
    with ThreadPoolExecutor(CLIENTS) as pool:
        started = time.perf_counter()
        concurrent = list(pool.map(lambda _: _timed(save), range(CLIENTS * 5)))
        concurrent_seconds = time.perf_counter() - started
    db.dispose()
    return {
        "young_people": PEOPLE,
        "concerns": CONCERNS,
        "build_seconds": round(build_seconds, 1),
        "triage_queue_p50_ms": _p50(queue_times),
        "triage_queue_p95_ms": _p95(queue_times),
        "young_person_page_p50_ms": _p50(page_times),
        "young_person_page_p95_ms": _p95(page_times),
        "save_concern_p50_ms": _p50(save_times),
        "save_concern_p95_ms": _p95(save_times),
        "linked_young_people_p50_ms": _p50(linked_times),
        "linked_young_people_p95_ms": _p95(linked_times),
        "analyst_shared_entities_seconds": round(network_seconds, 2),
        f"save_concern_{CLIENTS}_threads_p50_ms": _p50(concurrent),
        f"save_concern_{CLIENTS}_threads_p95_ms": _p95(concurrent),
        f"save_concern_{CLIENTS}_threads_per_second": round(
            len(concurrent) / concurrent_seconds, 1
        ),
        "merge_proposals": _merge_proposals(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "note": "in-process service calls on SQLite (no HTTP; one process, so the "
        "20 clients share one interpreter lock); see bench_web for the server",
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
