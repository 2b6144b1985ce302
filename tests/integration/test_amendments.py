"""Amendments, re-screening and suggestions on both backends."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lantern.services import Forbidden, Invalid, NotFound
from lantern.services.concerns import (
    ConcernDraft,
    FactorChoice,
    record_concern,
    suggest,
)
from lantern.services.triage import queue, rescreen
from lantern.store.models import Assessment, Concern

from .conftest import World


def _save(
    world: World, who: str, yp: int, key: str, codes: tuple[str, ...], amends: int | None = None
) -> int:
    actor = world.users[who]
    with world.db.transaction(actor) as s:
        return record_concern(
            session=s,
            actor=actor,
            draft=ConcernDraft(
                young_person_id=yp,
                observed_on=date.today() - timedelta(days=3),
                text="Picked up from school by an older adult in a car.",
                factors=[FactorChoice(code=c) for c in codes],
                idempotency_key=key,
                amends_id=amends,
            ),
        ).concern.id


def test_lead_amends_a_concern_of_their_organisation(world: World) -> None:
    yp = world.young_person("prac_a")
    first = _save(world, "prac_a", yp, "amend-key-01", ("school_absence",))
    fixed = _save(
        world, "dsl_a", yp, "amend-key-02", ("school_absence", "transported_by_adults"), first
    )
    with world.db.sessions() as s:
        original = s.get(Concern, first)
        amendment = s.get(Concern, fixed)
        assert original is not None and amendment is not None
        assert amendment.amends_id == first and original.text  # the original is kept
        latest = s.scalars(select(Assessment).where(Assessment.concern_id == fixed)).one()
        assert {f["code"] for f in latest.factors} == {"school_absence", "transported_by_adults"}
    dsl = world.users["dsl_a"]
    with world.db.transaction(dsl) as s:
        ids = [i.id for i in queue(session=s, actor=dsl)]
    assert fixed in ids and first not in ids  # the amended concern leaves the queue


def test_only_the_author_or_their_lead_amends(world: World) -> None:
    yp = world.young_person("prac_a")
    first = _save(world, "prac_a", yp, "amend-key-11", ("school_absence",))
    with pytest.raises(Forbidden):
        _save(world, "prac_a2", yp, "amend-key-12", ("school_absence",), first)
    with pytest.raises((Forbidden, NotFound)):
        _save(world, "dsl_b", yp, "amend-key-13", ("school_absence",), first)
    other = world.young_person("prac_a", first="Zoe", last="Other")
    with pytest.raises(NotFound):
        _save(world, "prac_a", other, "amend-key-14", ("school_absence",), first)


def test_rescreen_adds_a_new_assessment(world: World) -> None:
    yp = world.young_person("prac_a")
    _save(world, "prac_a", yp, "rescreen-01", ("going_missing",))
    dsl = world.users["dsl_a"]
    with world.db.transaction(dsl) as s:
        again = rescreen(session=s, actor=dsl, young_person_id=yp)
        assert again.concern_id is None and {f["code"] for f in again.factors} == {"going_missing"}
    with world.db.sessions() as s:
        assert len(s.scalars(select(Assessment).where(Assessment.young_person_id == yp)).all()) == 2
    for who in ("prac_a", "dsl_b"):
        actor = world.users[who]
        with pytest.raises(Forbidden), world.db.transaction(actor) as s:
            rescreen(session=s, actor=actor, young_person_id=yp)


def test_suggest_offers_factors_with_evidence_and_refuses_empty_text() -> None:
    text = (
        "Jade was collected from school by an older man in a silver car, reg AB12 CDE. "
        "She has been missing overnight twice this month."
    )
    found = suggest(text, "Jade Smith")
    codes = {f.code for f in found.factors}
    assert "going_missing" in codes
    for f in found.factors:
        assert text[f.start : f.end] == f.evidence or f.evidence in text
    assert ("vehicle", "AB12CDE") in {(e.type, e.value) for e in found.entities}
    with pytest.raises(Invalid):
        suggest("   ")
