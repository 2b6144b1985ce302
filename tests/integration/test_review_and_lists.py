"""On both backends: the break-glass review list's joins (user, reference, reviewer), the
concern list's fixed number of statements, and the triage forms' lists."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from lantern.services import Forbidden
from lantern.services.access import open_break_glass, review_break_glass
from lantern.services.break_glass import review_list
from lantern.services.concern_list import concerns_of
from lantern.services.concerns import ConcernDraft, FactorChoice, record_concern
from lantern.services.directory import action_owners, referral_destinations
from lantern.store.models import YoungPerson

from .conftest import World

REASON = "Police ask whether she is known: missing since this afternoon."
NOTE = "Picked up from school by an adult not known to staff; she would not say who he was."


def test_the_review_list_joins_user_reference_and_reviewer(world: World) -> None:
    yp = world.young_person("prac_a")
    outsider, auditor = world.users["prac_b"], world.users["auditor"]
    with world.db.transaction(outsider) as s:
        first = open_break_glass(session=s, actor=outsider, young_person_id=yp, reason=REASON).id
        second = open_break_glass(session=s, actor=outsider, young_person_id=yp, reason=REASON).id
    with world.db.transaction(auditor) as s:
        review_break_glass(session=s, actor=auditor, grant_id=first)
    with world.db.transaction(auditor) as s:
        listing = review_list(session=s, actor=auditor)
        reference = s.get(YoungPerson, yp)
        assert reference is not None
        ref = reference.reference
    [waiting] = listing.waiting
    [done] = listing.recently_reviewed
    assert (waiting.id, done.id) == (second, first)
    assert waiting.user_name == "prac_b" and waiting.user_email == "prac_b@test.example"
    assert waiting.young_person_reference == ref == done.young_person_reference
    assert waiting.reviewed_by is None and done.reviewed_by == "auditor"
    assert waiting.open_now and done.reviewed_at is not None


def _save(world: World, yp: int, count: int) -> None:
    actor = world.users["prac_a"]
    with world.db.transaction(actor) as s:
        for i in range(count):
            record_concern(
                session=s,
                actor=actor,
                draft=ConcernDraft(
                    young_person_id=yp,
                    observed_on=date.today() - timedelta(days=count - i),
                    text=NOTE,
                    factors=[FactorChoice(code="older_associates")],
                    idempotency_key=uuid.uuid4().hex,
                ),
            )


def test_the_concern_list_costs_the_same_for_1_or_12_concerns(world: World) -> None:
    one = world.young_person("prac_a", "Amy", "Stone")
    many = world.young_person("prac_a", "Bea", "Stone")
    _save(world, one, 1)
    _save(world, many, 12)
    actor = world.users["prac_a"]
    counts: list[int] = []
    for yp, expected in ((one, 1), (one, 1), (many, 12)):  # the first run warms caches
        statements: list[Any] = []

        def note(*args: Any, into: list[Any] = statements) -> None:
            into.append(args[2])

        event.listen(world.db.engine, "before_cursor_execute", note)
        try:
            with world.db.transaction(actor) as s:
                listed = concerns_of(session=s, actor=actor, young_person_id=yp)
        finally:
            event.remove(world.db.engine, "before_cursor_execute", note)
        assert len(listed) == expected
        assert all(c.factors == ["older_associates"] and c.level for c in listed)
        counts.append(len(statements))
    assert counts[1] == counts[2], counts


def test_the_triage_lists_for_a_lead_and_not_a_practitioner(world: World) -> None:
    lead = world.users["dsl_a"]
    with world.db.transaction(lead) as s:
        owners = action_owners(s, lead)
        places = referral_destinations(s, lead)
    assert owners[0].id == lead.user_id
    assert {o.name for o in owners} == {"dsl_a", "prac_a", "prac_a2"}
    assert [p.name for p in places] == ["MASH (mash)", "School A (school)", "School B (school)"]
    practitioner = world.users["prac_a"]
    with pytest.raises(Forbidden), world.db.transaction(practitioner) as s:
        action_owners(s, practitioner)
