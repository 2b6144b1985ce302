"""The access policy, in one place: what each role may do, and to which young people.

Every service calls `require` before touching case content; the web layer may
call `can` to decide what to show. Scope (need to know) comes from the data:
a practitioner sees young people they are involved with; a lead, those their
organisation is involved with; MASH, those referred, reported by the public or
alerted on. Outside that, only break-glass with a recorded reason.
"""

from __future__ import annotations

import enum
from datetime import timedelta

from sqlalchemy import and_, exists, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from lantern.services import audit
from lantern.services.context import Actor, Forbidden, Invalid, NotFound, as_utc, utcnow
from lantern.store.models import (
    Alert,
    AlertState,
    BreakGlass,
    Concern,
    Involvement,
    PublicReport,
    Referral,
    Role,
    YoungPerson,
)


class Permission(enum.StrEnum):
    SEARCH_YOUNG_PEOPLE = "search_young_people"
    CREATE_YOUNG_PERSON = "create_young_person"
    VIEW_YOUNG_PERSON = "view_young_person"
    RECORD_CONCERN = "record_concern"
    AMEND_CONCERN = "amend_concern"
    VIEW_TRIAGE_QUEUE = "view_triage_queue"
    RECORD_DECISION = "record_decision"
    MANAGE_ACTIONS = "manage_actions"
    MAKE_REFERRAL = "make_referral"
    UPDATE_REFERRAL = "update_referral"
    VIEW_PUBLIC_REPORTS = "view_public_reports"
    TRIAGE_PUBLIC_REPORT = "triage_public_report"
    VIEW_ALERTS = "view_alerts"
    VIEW_NETWORK = "view_network"  # pseudonymised: references, never names
    MANAGE_ORGANISATIONS = "manage_organisations"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    BREAK_GLASS = "break_glass"
    REVIEW_BREAK_GLASS = "review_break_glass"
    USE_API = "use_api"
    MERGE_YOUNG_PEOPLE = "merge_young_people"  # confirm or undo a merge of duplicate records


P = Permission

#: What each role may do at all. Scope to particular young people is checked
#: separately (`in_scope`). Administrators and auditors get no case permission:
#: running the system or checking it must not mean reading children's records.
GRANTS: dict[Role, frozenset[Permission]] = {
    Role.PRACTITIONER: frozenset(
        {
            P.SEARCH_YOUNG_PEOPLE,
            P.CREATE_YOUNG_PERSON,
            P.VIEW_YOUNG_PERSON,
            P.RECORD_CONCERN,
            P.AMEND_CONCERN,
            P.BREAK_GLASS,
            P.USE_API,
        }
    ),
    Role.DSL: frozenset(
        {
            P.SEARCH_YOUNG_PEOPLE,
            P.CREATE_YOUNG_PERSON,
            P.VIEW_YOUNG_PERSON,
            P.RECORD_CONCERN,
            P.AMEND_CONCERN,
            P.VIEW_TRIAGE_QUEUE,
            P.RECORD_DECISION,
            P.MANAGE_ACTIONS,
            P.MAKE_REFERRAL,
            P.UPDATE_REFERRAL,
            P.VIEW_ALERTS,
            P.MERGE_YOUNG_PEOPLE,
            P.BREAK_GLASS,
            P.USE_API,
        }
    ),
    Role.MASH: frozenset(
        {
            P.SEARCH_YOUNG_PEOPLE,
            P.CREATE_YOUNG_PERSON,
            P.VIEW_YOUNG_PERSON,
            P.RECORD_CONCERN,
            P.AMEND_CONCERN,
            P.VIEW_TRIAGE_QUEUE,
            P.RECORD_DECISION,
            P.MANAGE_ACTIONS,
            P.MAKE_REFERRAL,
            P.UPDATE_REFERRAL,
            P.VIEW_PUBLIC_REPORTS,
            P.TRIAGE_PUBLIC_REPORT,
            P.VIEW_ALERTS,
            P.MERGE_YOUNG_PEOPLE,
            P.VIEW_NETWORK,
            P.BREAK_GLASS,
            P.REVIEW_BREAK_GLASS,
            P.USE_API,
        }
    ),
    Role.ANALYST: frozenset({P.VIEW_NETWORK, P.VIEW_ALERTS, P.USE_API}),
    Role.ADMIN: frozenset({P.MANAGE_ORGANISATIONS, P.MANAGE_USERS}),
    Role.AUDITOR: frozenset({P.VIEW_AUDIT, P.REVIEW_BREAK_GLASS}),
}

#: Permissions that concern one young person's record, so need them in scope.
CASE_PERMISSIONS = frozenset(
    {
        P.VIEW_YOUNG_PERSON,
        P.RECORD_CONCERN,
        P.AMEND_CONCERN,
        P.RECORD_DECISION,
        P.MANAGE_ACTIONS,
        P.MAKE_REFERRAL,
        P.UPDATE_REFERRAL,
    }
)

#: Permissions a practitioner may use on a young person they are not yet involved
#: with: recording a first concern is how involvement starts.
OPENS_INVOLVEMENT = frozenset({P.RECORD_CONCERN})

#: Shortest reason accepted for break-glass: a word or two is not a reason.
MIN_BREAK_GLASS_REASON = 10

#: Default length of break-glass access (the setting `break_glass_hours` overrides it).
BREAK_GLASS_HOURS = 4


def role_allows(actor: Actor, permission: Permission) -> bool:
    """Whether the actor's role grants the permission at all (no scope check)."""
    return actor.role is not None and permission in GRANTS[actor.role]


def _direct_scope(
    actor: Actor, yp: ColumnElement[int] | InstrumentedAttribute[int]
) -> ColumnElement[bool]:
    """The condition that the young person whose id is `yp` is the actor's own, by the
    records written on that record alone (merges aside)."""
    if actor.role == Role.PRACTITIONER and actor.user_id is not None:
        return or_(
            exists().where(Involvement.young_person_id == yp, Involvement.user_id == actor.user_id),
            exists().where(Concern.young_person_id == yp, Concern.author_id == actor.user_id),
        )
    if actor.role == Role.DSL and actor.organisation_id is not None:
        return or_(
            exists().where(
                Involvement.young_person_id == yp,
                Involvement.organisation_id == actor.organisation_id,
            ),
            exists().where(
                Concern.young_person_id == yp, Concern.organisation_id == actor.organisation_id
            ),
        )
    if actor.role == Role.MASH:
        return or_(
            exists().where(Referral.young_person_id == yp),
            exists().where(PublicReport.young_person_id == yp),
            exists().where(Alert.young_person_id == yp, Alert.state != AlertState.CLOSED),
            exists().where(
                Involvement.young_person_id == yp,
                Involvement.organisation_id == actor.organisation_id,
            ),
        )
    return false()  # no young person: a condition that is always false for rows


def scope_condition(actor: Actor) -> ColumnElement[bool]:
    """A WHERE condition on YoungPerson selecting those in the actor's normal scope.

    It decides as `in_scope` does, merges included: a record is in scope when it is
    the actor's own, or when another record of its merge family (the record it is
    merged into, or any record merged into that one) is.
    """
    direct = _direct_scope(actor, YoungPerson.id)
    if not _has_scope(actor):
        return direct
    # The surviving record of the family: the one this row points at, or itself.
    lead = func.coalesce(YoungPerson.merged_into_id, YoungPerson.id)
    surviving = aliased(YoungPerson, name="merge_lead")
    merged_in = aliased(YoungPerson, name="merge_member")
    return or_(
        direct,
        # Two narrow EXISTS rather than one with OR, so each uses an index (the primary
        # key; `merged_into_id`) and unmerged rows with nothing merged in cost one probe.
        and_(
            YoungPerson.merged_into_id.is_not(None),
            exists()
            .where(surviving.id == YoungPerson.merged_into_id)
            .where(_direct_scope(actor, surviving.id)),
        ),
        exists()
        .where(merged_in.merged_into_id == lead, merged_in.id != YoungPerson.id)
        .where(_direct_scope(actor, merged_in.id)),
    )


def _has_scope(actor: Actor) -> bool:
    # Roles with no young people of their own have no family to widen either.
    return (
        (actor.role == Role.PRACTITIONER and actor.user_id is not None)
        or (actor.role == Role.DSL and actor.organisation_id is not None)
        or actor.role == Role.MASH
    )


def in_scope(session: Session, actor: Actor, young_person_id: int) -> bool:
    """Whether the young person is within the actor's need to know (without break-glass)."""
    found = session.execute(
        select(YoungPerson.id).where(
            YoungPerson.id == young_person_id, _direct_scope(actor, YoungPerson.id)
        )
    ).first()
    if found is not None:
        return True
    # Merged records are one young person: whoever may see one record of the merge (the
    # surviving record, or one merged into it) may see the others. Merges point every
    # record straight at the surviving one, so the family is one step wide.
    lead = session.execute(
        select(YoungPerson.merged_into_id).where(YoungPerson.id == young_person_id)
    ).scalar()
    lead = lead if lead is not None else young_person_id
    family = select(YoungPerson.id).where(
        or_(YoungPerson.id == lead, YoungPerson.merged_into_id == lead),
        YoungPerson.id != young_person_id,
        _direct_scope(actor, YoungPerson.id),
    )
    return session.execute(family.limit(1)).first() is not None


def active_break_glass(session: Session, actor: Actor, young_person_id: int) -> BreakGlass | None:
    """The actor's unexpired break-glass grant for this young person, if any."""
    if actor.user_id is None:
        return None
    now = utcnow()
    grants = session.scalars(
        select(BreakGlass)
        .where(BreakGlass.user_id == actor.user_id, BreakGlass.young_person_id == young_person_id)
        .order_by(BreakGlass.id.desc())
    )
    for grant in grants:
        if as_utc(grant.expires_at) > now:
            return grant
    return None


def can(
    actor: Actor,
    permission: Permission,
    *,
    session: Session | None = None,
    young_person_id: int | None = None,
) -> bool:
    """Whether the actor may use `permission` (on `young_person_id`, when given).

    A session is needed whenever a young person is named, to check scope.
    """
    if actor.is_system:
        return True
    if not role_allows(actor, permission):
        return False
    if young_person_id is None or permission not in CASE_PERMISSIONS:
        return True
    if session is None:
        raise ValueError("checking scope for a young person needs a session")
    if in_scope(session, actor, young_person_id):
        return True
    if permission in OPENS_INVOLVEMENT and actor.role in (Role.PRACTITIONER, Role.DSL, Role.MASH):
        return True
    return active_break_glass(session, actor, young_person_id) is not None


def require(
    actor: Actor,
    permission: Permission,
    *,
    session: Session | None = None,
    young_person_id: int | None = None,
) -> None:
    """Raise `Forbidden` unless `can(...)`."""
    if not can(actor, permission, session=session, young_person_id=young_person_id):
        where = f" for young person {young_person_id}" if young_person_id is not None else ""
        raise Forbidden(f"your role does not allow {permission.value}{where}")


def open_break_glass(
    *,
    session: Session,
    actor: Actor,
    young_person_id: int,
    reason: str,
    hours: int = BREAK_GLASS_HOURS,
) -> BreakGlass:
    """Grant the actor time-limited access to one young person outside their scope.

    The reason is recorded, the grant is audited as break-glass, and it waits in
    the review list until MASH or an auditor reviews it.
    """
    if not role_allows(actor, P.BREAK_GLASS) or actor.user_id is None:
        raise Forbidden("your role cannot use break-glass access")
    reason = " ".join(reason.split())
    if len(reason) < MIN_BREAK_GLASS_REASON:
        raise Invalid({"reason": f"give a reason of at least {MIN_BREAK_GLASS_REASON} characters"})
    if session.get(YoungPerson, young_person_id) is None:
        raise NotFound(f"no young person {young_person_id}")
    now = utcnow()
    grant = BreakGlass(
        user_id=actor.user_id,
        young_person_id=young_person_id,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    session.add(grant)
    session.flush()
    audit.note_reason(session, young_person_id, reason, break_glass=True)
    return grant


def review_break_glass(*, session: Session, actor: Actor, grant_id: int) -> BreakGlass:
    """Mark a break-glass grant as reviewed by the actor."""
    require(actor, P.REVIEW_BREAK_GLASS)
    grant = session.get(BreakGlass, grant_id)
    if grant is None:
        raise NotFound(f"no break-glass grant {grant_id}")
    grant.reviewed_by_id = actor.user_id
    grant.reviewed_at = utcnow()
    session.flush()
    return grant


def break_glass_to_review(*, session: Session, actor: Actor) -> list[BreakGlass]:
    """Break-glass grants not yet reviewed, oldest first."""
    require(actor, P.REVIEW_BREAK_GLASS)
    return list(
        session.scalars(
            select(BreakGlass).where(BreakGlass.reviewed_at.is_(None)).order_by(BreakGlass.id)
        )
    )


__all__ = [
    "CASE_PERMISSIONS",
    "GRANTS",
    "Permission",
    "active_break_glass",
    "break_glass_to_review",
    "can",
    "in_scope",
    "open_break_glass",
    "require",
    "review_break_glass",
    "role_allows",
    "scope_condition",
]
