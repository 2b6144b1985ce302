"""Scope follows merges: the SQL filter (`scope_condition`, used by search, queues, the
network and alerts) decides every record as the Python check (`in_scope`) does, on varied
records, facts and merges, on both backends; and search no longer calls a merged-in
young person "not one of yours"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from lantern.services.access import in_scope, scope_condition
from lantern.services.merges import confirm_merge, list_proposals
from lantern.services.young_people import YoungPersonDraft, create_young_person, search
from lantern.store.models import (
    Alert,
    AlertKind,
    AlertState,
    Concern,
    Involvement,
    PublicReport,
    Referral,
    YoungPerson,
)

from .conftest import World

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
ACTORS = ("prac_a", "prac_a2", "prac_b", "dsl_a", "dsl_b", "mash", "analyst", "admin")
ORGS = ("School A", "School B", "MASH")
PEOPLE = ("prac_a", "prac_a2", "prac_b", "dsl_a", "dsl_b", "mash")
_serial = count()

#: One fact written on a record: what kind, and the organisation or user it names.
Fact = tuple[str, object, object]
Case = tuple[list[list[Fact]], list[int | None]]
fact: st.SearchStrategy[Fact] = st.one_of(
    st.tuples(st.just("involvement"), st.sampled_from(ORGS), st.sampled_from((None, *PEOPLE))),
    st.tuples(st.just("concern"), st.sampled_from(PEOPLE), st.none()),
    st.tuples(st.just("referral"), st.sampled_from(ORGS), st.none()),
    st.tuples(st.just("public_report"), st.none(), st.none()),
    st.tuples(st.just("alert"), st.sampled_from(list(AlertState)), st.none()),
)


@st.composite
def worlds(draw: st.DrawFn) -> Case:
    """Records (each with a few facts) and where each points: mostly one-step merges as the
    service makes them, sometimes chains, so agreement does not rest on that invariant."""
    n = draw(st.integers(min_value=2, max_value=7))
    facts: list[list[Fact]] = [draw(st.lists(fact, max_size=2, unique=True)) for _ in range(n)]
    leads = draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=max(1, n // 2)))
    chains = draw(st.booleans())
    into: list[int | None] = []
    for i in range(n):
        if i in leads and not chains:
            into.append(None)
            continue
        targets = [j for j in range(n) if j != i and (chains or j in leads)]
        into.append(draw(st.one_of(st.none(), st.sampled_from(targets))) if targets else None)
    return facts, into


def _insert(session: Session, world: World, facts: list[list[Fact]]) -> list[int]:
    ids = []
    for record_facts in facts:
        n = next(_serial)
        yp = session.execute(
            insert(YoungPerson)
            .values(
                reference=f"YP-S{n:06d}",
                first_name="Test",
                last_name=f"Record{n}",
                created_by_organisation_id=world.orgs["School A"],
                created_at=NOW,
            )
            .returning(YoungPerson.id)
        ).scalar_one()
        ids.append(yp)
        for kind, who, user in record_facts:
            _fact(session, world, yp, str(kind), who, user, n)
    return ids


def _fact(
    session: Session, world: World, yp: int, kind: str, who: object, user: object, n: int
) -> None:
    author = world.users["prac_a"]
    if kind == "involvement":
        session.execute(
            insert(Involvement).values(
                young_person_id=yp,
                organisation_id=world.orgs[str(who)],
                user_id=world.users[str(user)].user_id if user else None,
                since=NOW,
            )
        )
    elif kind == "concern":
        writer = world.users[str(who)]
        session.execute(
            insert(Concern).values(
                young_person_id=yp,
                author_id=writer.user_id,
                organisation_id=writer.organisation_id,
                observed_on=date(2026, 10, 30),
                recorded_at=NOW,
                text="Seen leaving school at lunchtime.",
                immediate_danger=False,
                idempotency_key=f"scope-{n}-{next(_serial)}",
            )
        )
    elif kind == "referral":
        session.execute(
            insert(Referral).values(
                young_person_id=yp,
                from_organisation_id=world.orgs["School A"],
                to_organisation_id=world.orgs[str(who)],
                reason="Concerns about older associates.",
                created_by_id=author.user_id,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    elif kind == "public_report":
        session.execute(
            insert(PublicReport).values(
                reference=f"PR-S{next(_serial):06d}",
                child="A girl in school uniform",
                location="Bus station",
                what_seen="Got into a car with an older man.",
                young_person_id=yp,
                created_at=NOW,
            )
        )
    else:
        session.execute(
            insert(Alert).values(
                kind=AlertKind.ACCUMULATION,
                rule="test",
                young_person_id=yp,
                summary="Several concerns in a month.",
                detail={},
                state=who,
                fingerprint=f"scope-{next(_serial)}",
                created_at=NOW,
            )
        )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=worlds())
def test_sql_scope_agrees_with_the_python_check(world: World, case: Case) -> None:
    facts, into = case
    with world.db.engine.connect() as connection:
        outer = connection.begin()
        try:
            session = Session(bind=connection)
            ids = _insert(session, world, facts)
            for i, target in enumerate(into):
                if target is not None:
                    session.execute(
                        update(YoungPerson)
                        .where(YoungPerson.id == ids[i])
                        .values(merged_into_id=ids[target])
                    )
            for key in ACTORS:
                actor = world.users[key]
                by_sql = set(
                    session.scalars(
                        select(YoungPerson.id).where(
                            YoungPerson.id.in_(ids), scope_condition(actor)
                        )
                    )
                )
                # As a column (search labels each match with it), the same answer.
                labelled = {
                    yp
                    for yp, scoped in session.execute(
                        select(YoungPerson.id, scope_condition(actor)).where(
                            YoungPerson.id.in_(ids)
                        )
                    )
                    if scoped
                }
                by_python = {yp for yp in ids if in_scope(session, actor, yp)}
                assert by_sql == by_python == labelled, (key, facts, into)
            session.close()
        finally:
            outer.rollback()


def _person(world: World, who: str, first: str) -> int:
    actor = world.users[who]
    with world.db.transaction(actor) as s:
        return create_young_person(
            session=s,
            actor=actor,
            draft=YoungPersonDraft(
                first_name=first,
                last_name="Okafor",
                date_of_birth=date(2011, 8, 19),
                school="Hillside School",
                gender="Female",
            ),
            checked_duplicates=True,
        ).id


def test_search_labels_a_merged_young_person_as_one_of_yours(world: World) -> None:
    """School B's practitioner made the record that is merged into school A's: the record
    kept is then theirs too, in search as on opening it (and only until undone)."""
    kept = _person(world, "prac_a", "Grace")
    theirs = _person(world, "prac_b", "Gracie")
    prac_b = world.users["prac_b"]
    with world.db.transaction(prac_b) as s:
        assert [m.in_scope for m in search(session=s, actor=prac_b, name="Okafor")] == [
            False,
            True,
        ]
    mash = world.users["mash"]
    with world.db.transaction(world.users["prac_a"]) as s:
        # MASH needs both records in scope to merge them: an involvement on each.
        for yp in (kept, theirs):
            s.add(Involvement(young_person_id=yp, organisation_id=mash.organisation_id, since=NOW))
    with world.db.transaction(mash) as s:
        proposal = list_proposals(session=s, actor=mash)[0]
        assert proposal.lead.id == kept
        confirm_merge(
            session=s,
            actor=mash,
            key=proposal.key,
            rationale="Same girl: the school confirms Gracie is her short name.",
        )
    with world.db.transaction(prac_b) as s:
        found = search(session=s, actor=prac_b, name="Okafor")
        assert [(m.id, m.in_scope) for m in found] == [(kept, True)]
    outsider = world.users["prac_a2"]
    with world.db.transaction(outsider) as s:
        assert [m.in_scope for m in search(session=s, actor=outsider, name="Okafor")] == [False]
