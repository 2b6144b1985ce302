"""Bad input on both backends: control characters and over-long values are `Invalid`
(400), named by field, and nothing from the unit of work is saved."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lantern.services import Invalid
from lantern.services.public_reports import PublicReportDraft, RateLimiter, submit_report
from lantern.services.triage import record_decision
from lantern.services.young_people import search
from lantern.store.models import Decision, DecisionOutcome, PublicReport

from .conftest import World

CONTROL = ["\x00", "\x1b", "\x7f"]


def _count(world: World, model: type[Decision] | type[PublicReport]) -> int:
    with world.db.sessions() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("char", CONTROL)
def test_control_characters_in_a_plain_field_are_invalid(world: World, char: str) -> None:
    yp = world.young_person()
    dsl = world.users["dsl_a"]
    with pytest.raises(Invalid) as caught, world.db.transaction(dsl) as s:
        record_decision(
            session=s,
            actor=dsl,
            young_person_id=yp,
            outcome=DecisionOutcome.MONITOR,
            rationale=f"Monitor at school{char} for a month.",
        )
    assert caught.value.status == 400 and set(caught.value.errors) == {"rationale"}
    assert _count(world, Decision) == 0


def test_a_draft_that_skipped_validation_is_still_checked_at_write(world: World) -> None:
    # model_construct skips the draft's own checks, as a careless caller might.
    draft = PublicReportDraft.model_construct(
        child="A girl\x00", location="Park", what_seen="Crying.", website=None
    )
    with pytest.raises(Invalid) as caught, world.db.transaction(world.users["mash"]) as s:
        submit_report(
            session=s, actor=world.users["mash"], draft=draft, limiter=RateLimiter(10, 60)
        )
    assert set(caught.value.errors) == {"child"}
    assert _count(world, PublicReport) == 0


def test_over_long_value_for_its_column_is_invalid(world: World) -> None:
    draft = PublicReportDraft.model_construct(
        child="A girl",
        location="Park",
        what_seen="Crying.",
        reporter_name="x" * 201,
        website=None,
    )
    with pytest.raises(Invalid) as caught, world.db.transaction(world.users["mash"]) as s:
        submit_report(
            session=s, actor=world.users["mash"], draft=draft, limiter=RateLimiter(10, 60)
        )
    assert set(caught.value.errors) == {"reporter_name"}
    assert _count(world, PublicReport) == 0


@pytest.mark.parametrize("field", ["name", "school"])
def test_control_characters_in_a_search_are_invalid(world: World, field: str) -> None:
    prac = world.users["prac_a"]
    with pytest.raises(Invalid) as caught, world.db.transaction(prac) as s:
        search(session=s, actor=prac, **{field: "Amy\x00"})  # type: ignore[arg-type]
    assert set(caught.value.errors) == {field}


def test_valid_text_with_line_breaks_is_kept(world: World) -> None:
    yp = world.young_person()
    dsl = world.users["dsl_a"]
    rationale = "Monitor at school.\r\nReview in a month;\ttell the family."
    with world.db.transaction(dsl) as s:
        record_decision(
            session=s,
            actor=dsl,
            young_person_id=yp,
            outcome=DecisionOutcome.MONITOR,
            rationale=rationale,
        )
    with world.db.sessions() as s:
        assert s.scalars(select(Decision.rationale)).one() == rationale.strip()
