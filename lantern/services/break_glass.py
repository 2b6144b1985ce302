"""The break-glass review list: who opened which record outside their scope, why, when, and
whether someone has checked it yet.

Opening and marking reviewed live in `lantern.services.access` (the policy); this
module gathers what a reviewer needs to judge each use, and no more: the user's
name and email, the young person's reference (not their name or any case
content: auditors review too, and they see no case content), the reason and
the times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from lantern.services import access
from lantern.services.access import Permission
from lantern.services.context import Actor, as_utc, utcnow
from lantern.store.models import BreakGlass, User, YoungPerson

__all__ = ["RECENTLY_REVIEWED", "GrantForReview", "ReviewList", "review_list"]

#: How many already-reviewed uses the list also shows (newest first), so that
#: reviewers taking turns can see what a colleague has just checked; the whole
#: history stays in the audit trail.
RECENTLY_REVIEWED = 25


@dataclass(frozen=True)
class GrantForReview:
    """One use of break-glass, as the review list shows it."""

    id: int
    user_name: str
    user_email: str
    young_person_reference: str
    reason: str
    granted_at: datetime
    expires_at: datetime
    open_now: bool  # whether the access it gave has not yet run out
    reviewed_at: datetime | None
    reviewed_by: str | None  # the reviewer's name

    @property
    def reviewed(self) -> bool:
        return self.reviewed_at is not None


@dataclass(frozen=True)
class ReviewList:
    waiting: list[GrantForReview]  # not yet reviewed, oldest first
    recently_reviewed: list[GrantForReview]  # newest review first


def review_list(
    *, session: Session, actor: Actor, reviewed_limit: int = RECENTLY_REVIEWED
) -> ReviewList:
    """Break-glass uses waiting for review, and the latest reviewed ones.

    Raises `Forbidden` unless the actor may review break-glass access. The grants
    themselves are loaded as records, so the audit trail notes that they were read.
    """
    access.require(actor, Permission.REVIEW_BREAK_GLASS)
    now = utcnow()
    waiting = session.execute(
        _listing().where(BreakGlass.reviewed_at.is_(None)).order_by(BreakGlass.id)
    ).all()
    reviewed = session.execute(
        _listing()
        .where(BreakGlass.reviewed_at.is_not(None))
        .order_by(BreakGlass.reviewed_at.desc(), BreakGlass.id.desc())
        .limit(max(reviewed_limit, 0))
    ).all()
    return ReviewList(
        waiting=[_grant(g, n, e, ref, by, now=now) for g, n, e, ref, by in waiting],
        recently_reviewed=[_grant(g, n, e, ref, by, now=now) for g, n, e, ref, by in reviewed],
    )


_Reviewer = aliased(User, name="reviewer")


def _listing() -> Select[BreakGlass, str, str, str, str]:
    # The reviewer's name is None until someone reviews (an outer join), whatever the type says.
    return (
        select(BreakGlass, User.name, User.email, YoungPerson.reference, _Reviewer.name)
        .join(User, User.id == BreakGlass.user_id)
        .join(YoungPerson, YoungPerson.id == BreakGlass.young_person_id)
        .outerjoin(_Reviewer, _Reviewer.id == BreakGlass.reviewed_by_id)
    )


def _grant(
    grant: BreakGlass,
    user_name: str,
    user_email: str,
    reference: str,
    reviewer: str | None,
    *,
    now: datetime,
) -> GrantForReview:
    return GrantForReview(
        id=grant.id,
        user_name=user_name,
        user_email=user_email,
        young_person_reference=reference,
        reason=grant.reason,
        granted_at=grant.granted_at,
        expires_at=grant.expires_at,
        open_now=as_utc(grant.expires_at) > now,
        reviewed_at=grant.reviewed_at,
        reviewed_by=reviewer,
    )
