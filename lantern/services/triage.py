"""Triage: queues for leads (their organisation) and MASH (referrals, public reports, alerts),
decisions with professional judgement, actions with owners, referrals, and reviews due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, aliased, load_only
from sqlalchemy.sql import Subquery

from lantern.screening import load_rules
from lantern.services import access, concerns, young_people
from lantern.services.access import Permission
from lantern.services.context import Actor, Forbidden, Invalid, NotFound, utcnow
from lantern.store.models import (
    Action,
    ActionStatus,
    Alert,
    AlertState,
    Assessment,
    Concern,
    Decision,
    DecisionOutcome,
    Organisation,
    PublicReport,
    PublicReportStatus,
    Referral,
    ReferralStatus,
    Role,
    User,
    YoungPerson,
)

#: Shortest rationale accepted for a decision: the reasons must be written down.
MIN_RATIONALE = 10

#: Re-screen a young person at least this often while concerns remain open
#: (about three months, the usual review cycle for exploitation plans).
REVIEW_INTERVAL_DAYS = 91

#: A query selecting any columns.
AnySelect = Select[*tuple[Any, ...]]

#: Most rows in one page of a queue.
MAX_QUEUE_ROWS = 100

#: Characters of a concern's text a queue row shows (the page shortens it further).
SUMMARY_CHARACTERS = 200

#: The queue counts its items up to this many; beyond it, "more than" this.
COUNT_UP_TO = 1000

#: Rows on one page of the queue as the web shows it: a screenful to work down,
#: with the total and the next page a link away.
QUEUE_PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueItem:
    kind: str  # concern, referral, public_report, alert
    id: int
    young_person_id: int | None
    young_person_reference: str | None
    young_person_name: str | None
    level: str | None
    rank: int
    when: datetime
    summary: str
    organisation: str | None


@dataclass(frozen=True)
class QueueFilter:
    level: str | None = None
    kind: str | None = None
    limit: int = 50
    offset: int = 0


def queue(*, session: Session, actor: Actor, filters: QueueFilter | None = None) -> list[QueueItem]:
    """The actor's triage queue, highest level first, then oldest first.

    A lead sees their organisation's concerns with no decision yet; MASH sees
    referrals awaiting a response, new public reports and open alerts.
    """
    access.require(actor, Permission.VIEW_TRIAGE_QUEUE)
    filters = filters or QueueFilter()
    limit = max(1, min(filters.limit, MAX_QUEUE_ROWS))
    items: list[QueueItem] = []
    if actor.role == Role.DSL and filters.kind in (None, "concern"):
        items.extend(_concern_items(session, actor, filters, limit))
    if actor.role == Role.MASH:
        if filters.kind in (None, "referral"):
            items.extend(_referral_items(session, filters, limit))
        if filters.kind in (None, "public_report") and filters.level is None:
            items.extend(_public_report_items(session, limit))
        if filters.kind in (None, "alert") and filters.level is None:
            items.extend(_alert_items(session, limit))
    items.sort(key=lambda i: (-i.rank, i.when.replace(tzinfo=None), i.id))
    return items[filters.offset : filters.offset + limit]


def count_waiting(
    *,
    session: Session,
    actor: Actor,
    filters: QueueFilter | None = None,
    at_most: int = COUNT_UP_TO,
) -> int:
    """How many items the actor's queue holds in all (its pages show `limit` at a time),
    counted up to `at_most`: a larger answer (`at_most + 1`) means "more than that"."""
    access.require(actor, Permission.VIEW_TRIAGE_QUEUE)
    filters = filters or QueueFilter()
    sources: list[AnySelect] = []
    if actor.role == Role.DSL and filters.kind in (None, "concern"):
        sources.append(_waiting_concerns(actor, filters))
    if actor.role == Role.MASH:
        if filters.kind in (None, "referral"):
            sources.append(_waiting_referrals(filters))
        if filters.kind in (None, "public_report") and filters.level is None:
            sources.append(
                select(PublicReport.id).where(PublicReport.status == PublicReportStatus.NEW)
            )
        if filters.kind in (None, "alert") and filters.level is None:
            sources.append(select(Alert.id).where(Alert.state == AlertState.OPEN))
    total = 0
    for query in sources:
        total += _count(session, query, at_most + 1 - total)
        if total > at_most:
            break
    return total


def _count(session: Session, query: AnySelect, limit: int) -> int:
    # Counting stops at `limit`: past a thousand the exact number tells a lead nothing
    # more, and counting every waiting item cost more than drawing the page.
    counted = select(func.count()).select_from(query.limit(limit).subquery())
    return int(session.scalar(counted) or 0)


def _waiting_concerns(actor: Actor, filters: QueueFilter) -> AnySelect:
    """The lead's organisation's concerns with no decision yet (and not amended), ranked.

    Read from the assessments alone (each carries its concern's organisation and time),
    in the order of the queue index, so a page is the first rows of one index scan.
    """
    # Correlated NOT EXISTS, one index probe per row: NOT IN built the list of every
    # decision ever made on each call, which grew with the years of history.
    decided = select(Decision.id).where(Decision.concern_id == Assessment.concern_id)
    amendment = aliased(Concern)
    amended = select(amendment.id).where(amendment.amends_id == Assessment.concern_id)
    query = select(
        Assessment.concern_id.label("concern_id"),
        Assessment.concern_recorded_at.label("recorded_at"),
        Assessment.level.label("level"),
        Assessment.rank.label("rank"),
    ).where(
        Assessment.organisation_id == actor.organisation_id,
        Assessment.concern_id.is_not(None),
        ~decided.exists(),
        ~amended.exists(),
    )
    if filters.level:
        query = query.where(Assessment.level == filters.level)
    return query


def _concern_items(
    session: Session, actor: Actor, filters: QueueFilter, limit: int
) -> list[QueueItem]:
    # Rank and page on the queue index alone, then load only the rows shown: an
    # organisation may have tens of thousands of concerns, and reading each in full
    # made the queue slow.
    ranked = (
        _waiting_concerns(actor, filters)
        .order_by(Assessment.rank.desc(), Assessment.concern_recorded_at, Assessment.concern_id)
        .limit(limit + filters.offset)
        .subquery()
    )
    # Only what the row shows: the start of each note (read as a column) and the young
    # person's name and reference. The records still load as records, so the audit trail
    # notes each one read.
    query = (
        select(
            Concern,
            func.substr(Concern.text, 1, SUMMARY_CHARACTERS),
            ranked.c.level,
            ranked.c.rank,
            YoungPerson,
            Organisation.name,
        )
        .join(ranked, ranked.c.concern_id == Concern.id)
        .join(YoungPerson, YoungPerson.id == Concern.young_person_id)
        .join(Organisation, Organisation.id == Concern.organisation_id)
        .options(
            load_only(Concern.id, Concern.young_person_id, Concern.recorded_at, raiseload=True),
            load_only(
                YoungPerson.id,
                YoungPerson.reference,
                YoungPerson.first_name,
                YoungPerson.last_name,
                raiseload=True,
            ),
        )
        .order_by(ranked.c.rank.desc(), ranked.c.recorded_at, Concern.id)
    )
    return [
        QueueItem(
            kind="concern",
            id=c.id,
            young_person_id=yp.id,
            young_person_reference=yp.reference,
            young_person_name=f"{yp.first_name} {yp.last_name}",
            level=level,
            rank=rank,
            when=c.recorded_at,
            summary=summary or "",
            organisation=org,
        )
        for c, summary, level, rank, yp, org in session.execute(query)
    ]


def _latest_assessment_subquery() -> Subquery:
    return (
        select(Assessment.young_person_id, func.max(Assessment.id).label("aid"))
        .group_by(Assessment.young_person_id)
        .subquery()
    )


def _waiting_referrals(filters: QueueFilter, *, columns: tuple[Any, ...] = ()) -> AnySelect:
    """Referrals awaiting a response, with the young person's latest level."""
    latest = _latest_assessment_subquery()
    latest_a = aliased(Assessment)
    query = (
        select(*(columns or (Referral.id,)), latest_a.level, latest_a.rank)
        .select_from(Referral)
        .join(YoungPerson, YoungPerson.id == Referral.young_person_id)
        .join(Organisation, Organisation.id == Referral.from_organisation_id)
        .outerjoin(latest, latest.c.young_person_id == Referral.young_person_id)
        .outerjoin(latest_a, latest_a.id == latest.c.aid)
        .where(Referral.status == ReferralStatus.SENT)
        .order_by(latest_a.rank.desc(), Referral.created_at)
    )
    if filters.level:
        query = query.where(latest_a.level == filters.level)
    return query


def _referral_items(session: Session, filters: QueueFilter, limit: int) -> list[QueueItem]:
    query = _waiting_referrals(filters, columns=(Referral, YoungPerson, Organisation.name)).limit(
        limit + filters.offset
    )
    return [
        QueueItem(
            kind="referral",
            id=r.id,
            young_person_id=yp.id,
            young_person_reference=yp.reference,
            young_person_name=f"{yp.first_name} {yp.last_name}",
            level=level,
            rank=rank or 0,
            when=r.created_at,
            summary=r.reason[:200],
            organisation=org,
        )
        for r, yp, org, level, rank in session.execute(query)
    ]


def _public_report_items(session: Session, limit: int) -> list[QueueItem]:
    reports = session.scalars(
        select(PublicReport)
        .where(PublicReport.status == PublicReportStatus.NEW)
        .order_by(PublicReport.created_at)
        .limit(limit)
    )
    return [
        QueueItem(
            kind="public_report",
            id=p.id,
            young_person_id=p.young_person_id,
            young_person_reference=None,
            young_person_name=None,
            level=None,
            # Unassessed: shown with the middle levels, so a report is never buried.
            rank=1,
            when=p.created_at,
            summary=p.what_seen[:200],
            organisation="Public report",
        )
        for p in reports
    ]


def _alert_items(session: Session, limit: int) -> list[QueueItem]:
    rows = session.execute(
        select(Alert, YoungPerson)
        .outerjoin(YoungPerson, YoungPerson.id == Alert.young_person_id)
        .where(Alert.state == AlertState.OPEN)
        .order_by(Alert.created_at)
        .limit(limit)
    )
    return [
        QueueItem(
            kind="alert",
            id=a.id,
            young_person_id=a.young_person_id,
            young_person_reference=yp.reference if yp else None,
            young_person_name=f"{yp.first_name} {yp.last_name}" if yp else None,
            level=None,
            rank=2,  # an accumulation alert exists because single assessments understate
            when=a.created_at,
            summary=a.summary,
            organisation=None,
        )
        for a, yp in rows
    ]


def _check_level(level: str | None) -> None:
    if level is None:
        return
    codes = [lv.code for lv in load_rules().levels]
    if level not in codes:
        raise Invalid({"professional_level": f"choose one of: {', '.join(codes)}"})


def record_decision(
    *,
    session: Session,
    actor: Actor,
    young_person_id: int,
    outcome: DecisionOutcome,
    rationale: str,
    professional_level: str | None = None,
    concern_id: int | None = None,
    public_report_id: int | None = None,
) -> Decision:
    """Record a triage decision; the professional's level may differ from the computed one."""
    young_people.open_record(
        session=session,
        actor=actor,
        young_person_id=young_person_id,
        permission=Permission.RECORD_DECISION,
    )
    rationale = rationale.strip()
    if len(rationale) < MIN_RATIONALE:
        raise Invalid({"rationale": f"give the reasons (at least {MIN_RATIONALE} characters)"})
    if len(rationale) > concerns.MAX_TEXT_CHARS:
        raise Invalid({"rationale": f"at most {concerns.MAX_TEXT_CHARS} characters"})
    _check_level(professional_level)
    if concern_id is not None:
        concern = session.get(Concern, concern_id)
        if concern is None or concern.young_person_id != young_person_id:
            raise NotFound(f"no concern {concern_id} for this young person")
    if public_report_id is not None:
        report = session.get(PublicReport, public_report_id)
        if report is None:
            raise NotFound(f"no public report {public_report_id}")
        report.young_person_id = young_person_id
        report.status = PublicReportStatus.TRIAGED
    if actor.user_id is None or actor.organisation_id is None:
        raise Forbidden("only a member of an organisation can record decisions")
    decision = Decision(
        young_person_id=young_person_id,
        concern_id=concern_id,
        public_report_id=public_report_id,
        author_id=actor.user_id,
        organisation_id=actor.organisation_id,
        outcome=outcome,
        rationale=rationale,
        professional_level=professional_level,
        created_at=utcnow(),
    )
    session.add(decision)
    young_people.ensure_involvement(session=session, actor=actor, young_person_id=young_person_id)
    session.flush()
    return decision


def add_action(
    *,
    session: Session,
    actor: Actor,
    young_person_id: int,
    description: str,
    owner_id: int,
    due_on: date,
    decision_id: int | None = None,
) -> Action:
    """Set an action with an owner and a due date."""
    young_people.open_record(
        session=session,
        actor=actor,
        young_person_id=young_person_id,
        permission=Permission.MANAGE_ACTIONS,
    )
    description = description.strip()
    if not description or len(description) > 2000:
        raise Invalid({"description": "describe the action in up to 2,000 characters"})
    if session.get(User, owner_id) is None:
        raise Invalid({"owner_id": "choose who owns the action"})
    if due_on < utcnow().date():
        raise Invalid({"due_on": "the due date cannot be in the past"})
    if actor.user_id is None:
        raise Forbidden("only a signed-in user can set actions")
    action = Action(
        young_person_id=young_person_id,
        decision_id=decision_id,
        description=description,
        owner_id=owner_id,
        due_on=due_on,
        status=ActionStatus.OPEN,
        created_by_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(action)
    session.flush()
    return action


def set_action_status(
    *, session: Session, actor: Actor, action_id: int, status: ActionStatus
) -> Action:
    action = session.get(Action, action_id)
    if action is None:
        raise NotFound(f"no action {action_id}")
    young_people.open_record(
        session=session,
        actor=actor,
        young_person_id=action.young_person_id,
        permission=Permission.MANAGE_ACTIONS,
    )
    action.status = status
    action.completed_at = utcnow() if status != ActionStatus.OPEN else None
    session.flush()
    return action


def make_referral(
    *,
    session: Session,
    actor: Actor,
    young_person_id: int,
    to_organisation_id: int,
    reason: str,
    decision_id: int | None = None,
) -> Referral:
    """Refer a young person to another organisation (usually MASH or children's social care)."""
    young_people.open_record(
        session=session,
        actor=actor,
        young_person_id=young_person_id,
        permission=Permission.MAKE_REFERRAL,
    )
    reason = reason.strip()
    if len(reason) < MIN_RATIONALE or len(reason) > concerns.MAX_TEXT_CHARS:
        raise Invalid({"reason": "give the reason for the referral"})
    if session.get(Organisation, to_organisation_id) is None:
        raise Invalid({"to_organisation_id": "choose an organisation to refer to"})
    if actor.user_id is None or actor.organisation_id is None:
        raise Forbidden("only a member of an organisation can refer")
    now = utcnow()
    referral = Referral(
        young_person_id=young_person_id,
        decision_id=decision_id,
        from_organisation_id=actor.organisation_id,
        to_organisation_id=to_organisation_id,
        status=ReferralStatus.SENT,
        reason=reason,
        created_by_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(referral)
    session.flush()
    return referral


def update_referral(
    *,
    session: Session,
    actor: Actor,
    referral_id: int,
    status: ReferralStatus,
    outcome: str | None = None,
) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise NotFound(f"no referral {referral_id}")
    young_people.open_record(
        session=session,
        actor=actor,
        young_person_id=referral.young_person_id,
        permission=Permission.UPDATE_REFERRAL,
    )
    if outcome is not None and len(outcome) > concerns.MAX_TEXT_CHARS:
        raise Invalid({"outcome": f"at most {concerns.MAX_TEXT_CHARS} characters"})
    referral.status = status
    referral.outcome = outcome.strip() if outcome else referral.outcome
    referral.updated_at = utcnow()
    session.flush()
    return referral


@dataclass(frozen=True)
class ReviewDue:
    young_person_id: int
    reference: str
    name: str
    last_screened: datetime
    level: str
    due_on: date


def reviews_due(
    *, session: Session, actor: Actor, as_of: date | None = None, limit: int = 100
) -> list[ReviewDue]:
    """Young people in scope whose latest screening (above the lowest level) is over three
    months old: they are due a re-screen."""
    access.require(actor, Permission.VIEW_TRIAGE_QUEUE)
    as_of = as_of or utcnow().date()
    cutoff = datetime.combine(as_of - timedelta(days=REVIEW_INTERVAL_DAYS), datetime.min.time())
    latest = _latest_assessment_subquery()
    rows = session.execute(
        select(YoungPerson, Assessment)
        .join(latest, latest.c.young_person_id == YoungPerson.id)
        .join(Assessment, Assessment.id == latest.c.aid)
        .where(
            and_(Assessment.rank > 0, Assessment.created_at < cutoff),
            access.scope_condition(actor),
        )
        .order_by(Assessment.created_at)
        .limit(limit)
    )
    return [
        ReviewDue(
            young_person_id=yp.id,
            reference=yp.reference,
            name=f"{yp.first_name} {yp.last_name}",
            last_screened=a.created_at,
            level=a.level,
            due_on=a.created_at.date() + timedelta(days=REVIEW_INTERVAL_DAYS),
        )
        for yp, a in rows
    ]


def rescreen(*, session: Session, actor: Actor, young_person_id: int) -> Assessment:
    """Screen again on everything recorded so far (a review)."""
    person = young_people.open_record(
        session=session,
        actor=actor,
        young_person_id=young_person_id,
        permission=Permission.RECORD_DECISION,
    )
    if actor.user_id is None:
        raise Forbidden("only a signed-in user can re-screen")
    return concerns.screen(session=session, young_person=person, author_id=actor.user_id)


__all__ = [
    "COUNT_UP_TO",
    "MIN_RATIONALE",
    "QUEUE_PAGE_SIZE",
    "REVIEW_INTERVAL_DAYS",
    "QueueFilter",
    "QueueItem",
    "ReviewDue",
    "add_action",
    "count_waiting",
    "make_referral",
    "queue",
    "record_decision",
    "rescreen",
    "reviews_due",
    "set_action_status",
    "update_referral",
]
