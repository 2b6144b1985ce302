"""Young people: find (by name, date of birth, school), check for duplicates, create, and
the young person page (details, organisations, chronology, risk over time, alerts, actions).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from lantern.services import access, audit
from lantern.services.access import Permission
from lantern.services.context import Actor, Conflict, Forbidden, Invalid, NotFound, as_utc, utcnow
from lantern.services.validation import CleanModel, check_text
from lantern.store.models import (
    Action,
    ActionStatus,
    Alert,
    AlertState,
    Assessment,
    Concern,
    Decision,
    Involvement,
    Organisation,
    Referral,
    YoungPerson,
    YoungPersonAlias,
)

#: Oldest a young person on Lantern can be: care leavers are supported to 25.
MAX_AGE_YEARS = 25

#: Most search results shown: a search that finds more needs narrowing.
MAX_SEARCH_RESULTS = 25

#: Letters for references: no 0/O or 1/I, which are misread over the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_reference(prefix: str) -> str:
    return prefix + "-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


class YoungPersonDraft(CleanModel):
    """What is entered to create a young person's record."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    date_of_birth: date | None = None
    estimated_age: int | None = Field(default=None, ge=0, le=MAX_AGE_YEARS)
    gender: str | None = Field(default=None, max_length=40)
    area: str | None = Field(default=None, max_length=10)
    school: str | None = Field(default=None, max_length=200)
    care_status: str | None = Field(default=None, max_length=100)
    aliases: list[str] = Field(default_factory=list, max_length=10)

    @field_validator("date_of_birth")
    @classmethod
    def _plausible_birth(cls, value: date | None) -> date | None:
        if value is None:
            return value
        today = utcnow().date()
        if value > today:
            raise ValueError("the date of birth cannot be in the future")
        if today.year - value.year > MAX_AGE_YEARS + 1:
            raise ValueError(f"Lantern is for young people up to {MAX_AGE_YEARS}")
        return value

    @field_validator("aliases")
    @classmethod
    def _short_aliases(cls, value: list[str]) -> list[str]:
        cleaned = [" ".join(a.split()) for a in value if a.strip()]
        if any(len(a) > 200 for a in cleaned):
            raise ValueError("each alias is at most 200 characters")
        return cleaned


def parse_draft(model: type[BaseModel], data: dict[str, object]) -> BaseModel:
    """Validate form or API data into a draft, as `Invalid` with one message per field."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        errors: dict[str, str] = {}
        for problem in e.errors():
            name = ".".join(str(p) for p in problem["loc"]) or "form"
            message = str(problem["msg"]).removeprefix("Value error, ")
            errors.setdefault(name, message)
        raise Invalid(errors) from None


@dataclass(frozen=True)
class Match:
    """A search result: only what is needed to recognise the right person."""

    id: int
    reference: str
    name: str
    date_of_birth: date | None
    school: str | None
    area: str | None
    in_scope: bool


class DuplicatesFound(Conflict):
    """Records that may be the same young person; create anyway only once they are checked."""

    def __init__(self, matches: list[Match]) -> None:
        super().__init__(f"{len(matches)} existing record(s) may be the same young person")
        self.matches = matches


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.lower() + "%"


def search(
    *,
    session: Session,
    actor: Actor,
    name: str | None = None,
    date_of_birth: date | None = None,
    school: str | None = None,
    limit: int = MAX_SEARCH_RESULTS,
) -> list[Match]:
    """Young people matching every criterion given (names match from the start of any part)."""
    access.require(actor, Permission.SEARCH_YOUNG_PEOPLE)
    check_text("name", name)
    check_text("school", school)
    conditions: list[ColumnElement[bool]] = []
    if name and name.strip():
        for word in name.split()[:4]:
            pattern = _like(word[:100])
            alias = select(YoungPersonAlias.young_person_id).where(
                func.lower(YoungPersonAlias.name).like(pattern, escape="\\")
                | func.lower(YoungPersonAlias.name).like("% " + pattern, escape="\\")
            )
            conditions.append(
                or_(
                    func.lower(YoungPerson.first_name).like(pattern, escape="\\"),
                    func.lower(YoungPerson.last_name).like(pattern, escape="\\"),
                    YoungPerson.id.in_(alias),
                )
            )
    if date_of_birth is not None:
        conditions.append(YoungPerson.date_of_birth == date_of_birth)
    if school and school.strip():
        conditions.append(
            func.lower(YoungPerson.school).like("%" + _like(school.strip()[:200]), escape="\\")
        )
    if not conditions:
        raise Invalid({"name": "enter a name, date of birth or school to search"})
    audit.record(
        session,
        action="search",
        record_type="young_person",
        detail={
            "name": bool(name),
            "date_of_birth": date_of_birth is not None,
            "school": bool(school),
        },
    )
    return _matches(session, actor, and_(*conditions), limit)


def _matches(
    session: Session, actor: Actor, condition: ColumnElement[bool], limit: int
) -> list[Match]:
    in_scope = access.scope_condition(actor)
    rows = session.execute(
        select(YoungPerson, in_scope)
        .where(condition, YoungPerson.merged_into_id.is_(None))
        .order_by(YoungPerson.last_name, YoungPerson.first_name, YoungPerson.id)
        .limit(min(limit, MAX_SEARCH_RESULTS))
    ).all()
    return [
        Match(
            id=yp.id,
            reference=yp.reference,
            name=f"{yp.first_name} {yp.last_name}",
            date_of_birth=yp.date_of_birth,
            school=yp.school,
            area=yp.area,
            in_scope=bool(scoped) or actor.is_system,
        )
        for yp, scoped in rows
    ]


def possible_duplicates(*, session: Session, actor: Actor, draft: YoungPersonDraft) -> list[Match]:
    """Existing records that may be the same young person as `draft`.

    Same date of birth with the same first initial, or the same surname with a
    first name sharing its first three letters (Jon/Jonathan), or an alias equal
    to the name given.
    """
    access.require(actor, Permission.SEARCH_YOUNG_PEOPLE)
    first = draft.first_name.lower()
    last = draft.last_name.lower()
    conditions: list[ColumnElement[bool]] = [
        and_(
            func.lower(YoungPerson.last_name) == last,
            func.lower(YoungPerson.first_name).like(_like(first[:3]), escape="\\"),
        ),
        YoungPerson.id.in_(
            select(YoungPersonAlias.young_person_id).where(
                func.lower(YoungPersonAlias.name) == f"{first} {last}"
            )
        ),
    ]
    if draft.date_of_birth is not None:
        conditions.append(
            and_(
                YoungPerson.date_of_birth == draft.date_of_birth,
                func.lower(YoungPerson.first_name).like(_like(first[:1]), escape="\\"),
            )
        )
    return _matches(session, actor, or_(*conditions), MAX_SEARCH_RESULTS)


def create_young_person(
    *,
    session: Session,
    actor: Actor,
    draft: YoungPersonDraft,
    checked_duplicates: bool = False,
) -> YoungPerson:
    """Create a record, after the duplicates check; the actor becomes involved with them.

    Raises `DuplicatesFound` when similar records exist and `checked_duplicates`
    is False, so the person can pick an existing record instead.
    """
    access.require(actor, Permission.CREATE_YOUNG_PERSON)
    if actor.organisation_id is None:
        raise Forbidden("only a member of an organisation can create records")
    if not checked_duplicates:
        matches = possible_duplicates(session=session, actor=actor, draft=draft)
        if matches:
            raise DuplicatesFound(matches)
    now = utcnow()
    person = YoungPerson(
        reference=new_reference("YP"),
        first_name=draft.first_name,
        last_name=draft.last_name,
        date_of_birth=draft.date_of_birth,
        estimated_age=draft.estimated_age,
        gender=draft.gender or None,
        area=(draft.area or "").upper() or None,
        school=draft.school or None,
        care_status=draft.care_status or None,
        created_by_organisation_id=actor.organisation_id,
        created_at=now,
    )
    session.add(person)
    session.flush()
    for alias in draft.aliases:
        session.add(YoungPersonAlias(young_person_id=person.id, name=alias))
    ensure_involvement(session=session, actor=actor, young_person_id=person.id)
    session.flush()
    return person


def ensure_involvement(*, session: Session, actor: Actor, young_person_id: int) -> None:
    """Record that the actor (and their organisation) is involved with the young person."""
    if actor.organisation_id is None:
        return
    existing = session.scalars(
        select(Involvement.id).where(
            Involvement.young_person_id == young_person_id,
            Involvement.organisation_id == actor.organisation_id,
            Involvement.user_id == actor.user_id
            if actor.user_id is not None
            else Involvement.user_id.is_(None),
        )
    ).first()
    if existing is None:
        session.add(
            Involvement(
                young_person_id=young_person_id,
                organisation_id=actor.organisation_id,
                user_id=actor.user_id,
                since=utcnow(),
            )
        )
        session.flush()


def open_record(
    *, session: Session, actor: Actor, young_person_id: int, permission: Permission
) -> YoungPerson:
    """Load a young person the actor may use with `permission`, noting break-glass use."""
    person = session.get(YoungPerson, young_person_id)
    if person is None:
        raise NotFound(f"no young person {young_person_id}")
    if actor.is_system:
        return person
    # Scope is checked once: within it, the role decides; outside it, `require` weighs
    # first-concern and break-glass access.
    scoped = access.in_scope(session, actor, young_person_id)
    if not (scoped and access.role_allows(actor, permission)):
        access.require(actor, permission, session=session, young_person_id=young_person_id)
    if not scoped:
        grant = access.active_break_glass(session, actor, young_person_id)
        if grant is not None:
            audit.note_reason(session, young_person_id, grant.reason, break_glass=True)
    return person


@dataclass(frozen=True)
class ChronologyEntry:
    when: datetime
    kind: str  # concern, amendment, assessment, decision, action, referral
    title: str
    detail: str
    organisation: str | None
    record_id: int
    level: str | None = None


@dataclass(frozen=True)
class RiskPoint:
    when: datetime
    level: str
    rank: int
    score: int


@dataclass(frozen=True)
class YoungPersonPage:
    person: YoungPerson
    aliases: list[str]
    organisations: list[str]
    chronology: list[ChronologyEntry]
    risk: list[RiskPoint]
    open_alerts: list[Alert]
    open_actions: list[Action]
    latest: Assessment | None


def get_page(*, session: Session, actor: Actor, young_person_id: int) -> YoungPersonPage:
    """Everything on the young person page, newest first; each record read is audited."""
    person = open_record(
        session=session,
        actor=actor,
        young_person_id=young_person_id,
        permission=Permission.VIEW_YOUNG_PERSON,
    )
    # Names only, not whole records: a partnership may have hundreds of organisations.
    orgs: dict[int, str] = dict(session.execute(select(Organisation.id, Organisation.name)).all())
    aliases = [a.name for a in person.aliases]
    involved = sorted(
        {
            orgs[i]
            for i in session.scalars(
                select(Involvement.organisation_id).where(
                    Involvement.young_person_id == young_person_id
                )
            )
        }
    )
    entries: list[ChronologyEntry] = []
    concerns = list(
        session.scalars(select(Concern).where(Concern.young_person_id == young_person_id))
    )
    for c in concerns:
        entries.append(
            ChronologyEntry(
                when=c.recorded_at,
                kind="amendment" if c.amends_id else "concern",
                title=("Amendment to a concern" if c.amends_id else "Concern")
                + f" observed {c.observed_on.isoformat()}",
                detail=c.text,
                organisation=orgs.get(c.organisation_id),
                record_id=c.id,
            )
        )
    assessments = list(
        session.scalars(
            select(Assessment)
            .where(Assessment.young_person_id == young_person_id)
            .order_by(Assessment.created_at, Assessment.id)
        )
    )
    for a in assessments:
        entries.append(
            ChronologyEntry(
                when=a.created_at,
                kind="assessment",
                title=f"Screening: {a.level}",
                detail=f"score {a.score}, rules {a.rules_version}",
                organisation=None,
                record_id=a.id,
                level=a.level,
            )
        )
    for d in session.scalars(select(Decision).where(Decision.young_person_id == young_person_id)):
        entries.append(
            ChronologyEntry(
                when=d.created_at,
                kind="decision",
                title=f"Decision: {d.outcome.value.replace('_', ' ')}",
                detail=d.rationale,
                organisation=orgs.get(d.organisation_id),
                record_id=d.id,
                level=d.professional_level,
            )
        )
    actions = list(session.scalars(select(Action).where(Action.young_person_id == young_person_id)))
    for act in actions:
        entries.append(
            ChronologyEntry(
                when=act.created_at,
                kind="action",
                title=f"Action due {act.due_on.isoformat()} ({act.status.value})",
                detail=act.description,
                organisation=None,
                record_id=act.id,
            )
        )
    for r in session.scalars(select(Referral).where(Referral.young_person_id == young_person_id)):
        entries.append(
            ChronologyEntry(
                when=r.created_at,
                kind="referral",
                title=f"Referral to {orgs.get(r.to_organisation_id, '?')} ({r.status.value})",
                detail=r.reason,
                organisation=orgs.get(r.from_organisation_id),
                record_id=r.id,
            )
        )
    entries.sort(key=lambda e: (as_utc(e.when), e.record_id), reverse=True)
    alerts = list(
        session.scalars(
            select(Alert)
            .where(Alert.young_person_id == young_person_id, Alert.state != AlertState.CLOSED)
            .order_by(Alert.created_at.desc())
        )
    )
    return YoungPersonPage(
        person=person,
        aliases=aliases,
        organisations=involved,
        chronology=entries,
        risk=[RiskPoint(a.created_at, a.level, a.rank, a.score) for a in assessments],
        open_alerts=alerts,
        open_actions=[a for a in actions if a.status == ActionStatus.OPEN],
        latest=assessments[-1] if assessments else None,
    )


__all__ = [
    "ChronologyEntry",
    "DuplicatesFound",
    "Match",
    "RiskPoint",
    "YoungPersonDraft",
    "YoungPersonPage",
    "create_young_person",
    "ensure_involvement",
    "get_page",
    "new_reference",
    "open_record",
    "parse_draft",
    "possible_duplicates",
    "search",
]
