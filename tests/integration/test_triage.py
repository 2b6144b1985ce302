"""Triage on both backends: the lead's queue, decisions, referrals to MASH, public reports."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lantern.services import Forbidden, Invalid
from lantern.services.concerns import ConcernDraft, FactorChoice, record_concern
from lantern.services.context import Actor
from lantern.services.public_reports import PublicReportDraft, RateLimiter, submit_report
from lantern.services.triage import (
    QueueFilter,
    add_action,
    make_referral,
    queue,
    record_decision,
    reviews_due,
)
from lantern.store.models import DecisionOutcome

from .conftest import World


def _concern(world: World, yp: int, key: str, codes: tuple[str, ...]) -> int:
    actor = world.users["prac_a"]
    with world.db.transaction(actor) as s:
        return record_concern(
            session=s,
            actor=actor,
            draft=ConcernDraft(
                young_person_id=yp,
                observed_on=date.today(),
                text="Recorded for triage.",
                factors=[FactorChoice(code=c) for c in codes],
                idempotency_key=key,
            ),
        ).concern.id


def test_lead_triages_and_refers_to_mash(world: World) -> None:
    low = world.young_person(first="Low", last="One")
    high = world.young_person(first="High", last="Two")
    _concern(world, low, "tri-key-01", ("new_to_area",))
    high_concern = _concern(
        world, high, "tri-key-02", ("going_missing", "transported_by_adults", "unexplained_gifts")
    )
    dsl = world.users["dsl_a"]
    with world.db.transaction(dsl) as s:
        items = queue(session=s, actor=dsl)
        assert [i.young_person_id for i in items] == [high, low]  # highest level first
        with pytest.raises(Invalid):
            record_decision(
                session=s,
                actor=dsl,
                young_person_id=high,
                concern_id=high_concern,
                outcome=DecisionOutcome.REFER_CSC,
                rationale="short",
            )
        decision = record_decision(
            session=s,
            actor=dsl,
            young_person_id=high,
            concern_id=high_concern,
            outcome=DecisionOutcome.REFER_CSC,
            professional_level="significant",
            rationale="Pattern of missing episodes with an unknown adult driver.",
        )
        add_action(
            session=s,
            actor=dsl,
            young_person_id=high,
            decision_id=decision.id,
            description="Call the family today.",
            owner_id=dsl.user_id or 0,
            due_on=date.today() + timedelta(days=1),
        )
        make_referral(
            session=s,
            actor=dsl,
            young_person_id=high,
            to_organisation_id=world.orgs["MASH"],
            decision_id=decision.id,
            reason="Escalating concerns; needs a multi-agency decision.",
        )
    with world.db.transaction(dsl) as s:
        assert [i.young_person_id for i in queue(session=s, actor=dsl)] == [low]
    mash = world.users["mash"]
    with world.db.transaction(mash) as s:
        referrals = queue(session=s, actor=mash, filters=QueueFilter(kind="referral"))
        assert [i.young_person_id for i in referrals] == [high]
    other = world.users["dsl_b"]
    with world.db.transaction(other) as s:
        assert queue(session=s, actor=other) == []


def test_practitioners_have_no_queue(world: World) -> None:
    with pytest.raises(Forbidden), world.db.transaction(world.users["prac_a"]) as s:
        queue(session=s, actor=world.users["prac_a"])


def test_public_report_reaches_mash_honeypot_and_rate_limit(world: World) -> None:
    public = Actor.public()
    limiter = RateLimiter(2, 3600)
    report = PublicReportDraft(
        child="A girl of about 13",
        location="Bus station",
        what_seen="Seen getting into cars with adults.",
    )
    with world.db.transaction(public) as s:
        saved = submit_report(
            session=s, actor=public, draft=report, client="1.2.3.4", limiter=limiter
        )
        assert saved is not None and saved.reference.startswith("PR-")
        robot = report.model_copy(update={"website": "http://spam.example"})
        assert (
            submit_report(session=s, actor=public, draft=robot, client="5.6.7.8", limiter=limiter)
            is None
        )
    mash = world.users["mash"]
    with world.db.transaction(mash) as s:
        items = queue(session=s, actor=mash, filters=QueueFilter(kind="public_report"))
        assert [i.summary for i in items] == ["Seen getting into cars with adults."]
    from lantern.services import TooManyAttempts

    with world.db.transaction(public) as s:
        submit_report(session=s, actor=public, draft=report, client="1.2.3.4", limiter=limiter)
        with pytest.raises(TooManyAttempts):
            submit_report(session=s, actor=public, draft=report, client="1.2.3.4", limiter=limiter)


def test_reviews_due_after_three_months(world: World) -> None:
    yp = world.young_person()
    _concern(world, yp, "rev-key-01", ("going_missing", "older_associates"))
    dsl = world.users["dsl_a"]
    with world.db.transaction(dsl) as s:
        assert reviews_due(session=s, actor=dsl) == []
        due = reviews_due(session=s, actor=dsl, as_of=date.today() + timedelta(days=100))
        assert [r.young_person_id for r in due] == [yp]
