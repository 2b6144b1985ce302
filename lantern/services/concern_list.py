"""One young person's concerns as a list (the JSON API's), each with its confirmed factors and
the screening made when it was saved, read in a fixed number of queries.

Loading each concern's factors and assessment one at a time made the list cost
two queries per concern (an "N+1"): 100 concerns, over 200 round trips. Here the
concerns come in one query, all their factors in one more, all their
assessments in one more, however many concerns there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lantern.services import young_people
from lantern.services.access import Permission
from lantern.services.context import Actor
from lantern.store.models import Assessment, Concern

__all__ = ["MAX_LISTED", "ListedConcern", "concerns_of"]

#: The most concerns one list returns (newest first): a young person with more
#: has a chronology to read on the page, not a list to page through by API.
MAX_LISTED = 100


@dataclass(frozen=True)
class ListedConcern:
    """A concern as listed: what was recorded, its confirmed factors, and its screening."""

    id: int
    young_person_id: int
    observed_on: date
    recorded_at: datetime
    location: str | None
    text: str
    immediate_danger: bool
    amends_id: int | None
    factors: list[str]  # confirmed factor codes, sorted
    level: str | None  # None for a concern saved without screening (historic records)
    score: int | None


def concerns_of(
    *, session: Session, actor: Actor, young_person_id: int, limit: int = MAX_LISTED
) -> list[ListedConcern]:
    """The young person's concerns and amendments, newest first, at most `limit`.

    The record is opened once, as the young person page opens it (scope, or
    break-glass noted in the audit trail); raises `NotFound` or `Forbidden` as
    that does. Every concern, factor and assessment listed is audited as read.
    """
    young_people.open_record(
        session=session,
        actor=actor,
        young_person_id=young_person_id,
        permission=Permission.VIEW_YOUNG_PERSON,
    )
    concerns = list(
        session.scalars(
            select(Concern)
            .where(Concern.young_person_id == young_person_id)
            .order_by(Concern.recorded_at.desc(), Concern.id.desc())
            .limit(max(limit, 0))
            .options(selectinload(Concern.factors))
        )
    )
    screening = _first_assessments(session, [c.id for c in concerns])
    listed: list[ListedConcern] = []
    for c in concerns:
        found = screening.get(c.id)
        listed.append(
            ListedConcern(
                id=c.id,
                young_person_id=c.young_person_id,
                observed_on=c.observed_on,
                recorded_at=c.recorded_at,
                location=c.location,
                text=c.text,
                immediate_danger=c.immediate_danger,
                amends_id=c.amends_id,
                factors=sorted(f.code for f in c.factors if f.confirmed),
                level=found.level if found else None,
                score=found.score if found else None,
            )
        )
    return listed


def _first_assessments(session: Session, concern_ids: list[int]) -> dict[int, Assessment]:
    """The assessment made when each concern was saved (the first, should there be more)."""
    if not concern_ids:
        return {}
    found: dict[int, Assessment] = {}
    rows = session.scalars(
        select(Assessment)
        .where(Assessment.concern_id.in_(concern_ids))
        .order_by(Assessment.created_at, Assessment.id)
    )
    for a in rows:
        if a.concern_id is not None:
            found.setdefault(a.concern_id, a)
    return found
