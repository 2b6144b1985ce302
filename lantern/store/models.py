"""Lantern's tables: SQLAlchemy 2 declarative models for SQLite and PostgreSQL.

This module only declares the schema. Reading and writing go through the
repositories (one per aggregate) so that access control and the audit trail
are applied in one place. Case records are append-only: a concern is never
updated, a correction is a new concern that `amends` the original.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    # SQLAlchemy reads this class attribute once; it is never mutated.
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


def _enum(cls: type[enum.Enum]) -> Enum:
    # Stored as the value text (portable, readable in a database console), and
    # checked by a constraint so a bad value cannot be written behind the app's back.
    return Enum(
        cls,
        native_enum=False,
        create_constraint=True,
        length=40,
        values_callable=lambda e: [m.value for m in e],
    )


class Role(enum.StrEnum):
    PRACTITIONER = "practitioner"
    DSL = "dsl"
    MASH = "mash"
    ANALYST = "analyst"
    ADMIN = "admin"
    AUDITOR = "auditor"


class OrganisationKind(enum.StrEnum):
    SCHOOL = "school"
    POLICE = "police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care"
    HEALTH = "health"
    YOUTH_SERVICE = "youth_service"
    RESIDENTIAL_CARE = "residential_care"
    HOUSING = "housing"
    MASH = "mash"
    OTHER = "other"


class DecisionOutcome(enum.StrEnum):
    NO_FURTHER_ACTION = "no_further_action"
    MONITOR = "monitor"
    EARLY_HELP = "early_help"
    REFER_CSC = "refer_childrens_social_care"
    STRATEGY_DISCUSSION = "strategy_discussion"


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class ReferralStatus(enum.StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CLOSED = "closed"


class AlertKind(enum.StrEnum):
    ACCUMULATION = "accumulation"
    SHARED_ENTITY = "shared_entity"
    REVIEW_DUE = "review_due"


class AlertState(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


class EntityKind(enum.StrEnum):
    PERSON = "person"
    PHONE = "phone"
    VEHICLE = "vehicle"
    POSTCODE = "postcode"
    HANDLE = "handle"
    PLACE = "place"


class PublicReportStatus(enum.StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    CLOSED = "closed"


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(_enum(OrganisationKind))
    area: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    users: Mapped[list[User]] = relationship(back_populates="organisation")


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_enum(Role))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    # Set when the user sets up their second factor; confirmed once they prove
    # they can produce a code, so a half-finished set-up cannot lock them out.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)  # a code is accepted once
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    organisation: Mapped[Organisation] = relationship(back_populates="users")


class RateLimitHit(Base):
    """One counted attempt (e.g. a public report) from one client, for a rate limit that
    every server process shares. The client is kept only as a keyed hash."""

    __tablename__ = "rate_limit_hit"
    __table_args__ = (Index("ix_rate_limit_hit_scope_key_at", "scope", "key_hash", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    key_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class WebSession(Base):
    """A server-side session: the cookie holds only a random token; its hash is stored."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    second_factor_done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class YoungPerson(Base):
    __tablename__ = "young_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(
        String(20), unique=True
    )  # shown to users, e.g. YP-4F7K2Q
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    estimated_age: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[str | None] = mapped_column(String(40))
    area: Mapped[str | None] = mapped_column(String(10))  # postcode district, e.g. TF1
    school: Mapped[str | None] = mapped_column(String(200))
    care_status: Mapped[str | None] = mapped_column(String(100))
    created_by_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set when a lead merges this record into another; the row itself is kept. Indexed:
    # the access scope looks up the records merged into each one (migration 0006).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("young_person.id"), index=True)

    aliases: Mapped[list[YoungPersonAlias]] = relationship(back_populates="young_person")

    __table_args__ = (Index("ix_young_person_names", "last_name", "first_name"),)


class YoungPersonAlias(Base):
    __tablename__ = "young_person_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    young_person: Mapped[YoungPerson] = relationship(back_populates="aliases")


class Involvement(Base):
    """An organisation, and optionally a named worker, involved with a young person.

    Need-to-know access is derived from these rows: a practitioner sees the young
    people they are involved with; a lead sees those their organisation is.
    """

    __tablename__ = "involvement"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("young_person_id", "organisation_id", "user_id"),)


class Concern(Base):
    __tablename__ = "concern"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    observed_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    location: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    immediate_danger: Mapped[bool] = mapped_column(Boolean, default=False)
    # A correction is a new concern pointing at the one it amends.
    # Indexed: the triage queue leaves out concerns that have been amended.
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("concern.id"), index=True)
    # The form carries a one-time key: a double click or a retry saves once.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)

    factors: Mapped[list[ConcernFactor]] = relationship(back_populates="concern")

    # A lead's queue reads one organisation's concerns by date from the index alone.
    __table_args__ = (Index("ix_concern_organisation_recorded", "organisation_id", "recorded_at"),)


class ConcernFactor(Base):
    __tablename__ = "concern_factor"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concern.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    evidence: Mapped[str | None] = mapped_column(Text)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    suggested: Mapped[bool] = mapped_column(Boolean, default=False)  # proposed by text analysis
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)  # accepted by the practitioner

    concern: Mapped[Concern] = relationship(back_populates="factors")

    __table_args__ = (UniqueConstraint("concern_id", "code"),)


class Entity(Base):
    __tablename__ = "entity"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EntityKind] = mapped_column(_enum(EntityKind))
    value: Mapped[str] = mapped_column(String(200))  # normalised, as factors.md says
    identity_id: Mapped[int | None] = mapped_column(Integer, index=True)  # resolved adult

    __table_args__ = (UniqueConstraint("kind", "value"),)


class Mention(Base):
    __tablename__ = "mention"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concern.id"), index=True)
    text: Mapped[str | None] = mapped_column(String(300))
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)


class Assessment(Base):
    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    # Indexed: triage queues join each concern to the assessment made when it was saved.
    concern_id: Mapped[int | None] = mapped_column(ForeignKey("concern.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    rules_version: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(40))
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer)
    factors: Mapped[list[Any]] = mapped_column(JSON)  # the observations counted
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    floors: Mapped[list[Any]] = mapped_column(JSON)
    # Decision support, not decision: a professional may judge differently, with reasons.
    judgement_level: Mapped[str | None] = mapped_column(String(40))
    judgement_rationale: Mapped[str | None] = mapped_column(Text)
    # The screened concern's organisation and time, copied when the assessment is made
    # (neither ever changes): a lead's queue is then read in order from one index,
    # where joining to the concern meant sorting every undecided concern each time.
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    concern_recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        # Covers the queue's ordering by level without reading each assessment row.
        Index("ix_assessment_concern_rank", "concern_id", "rank", "level"),
        # An organisation's queue: highest level first, then oldest, as it is shown.
        Index(
            "ix_assessment_queue",
            "organisation_id",
            text("rank DESC"),
            "concern_recorded_at",
            "concern_id",
            "level",
        ),
    )


class Decision(Base):
    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    # Indexed: the queue leaves out concerns that already have a decision.
    concern_id: Mapped[int | None] = mapped_column(ForeignKey("concern.id"), index=True)
    public_report_id: Mapped[int | None] = mapped_column(ForeignKey("public_report.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    outcome: Mapped[DecisionOutcome] = mapped_column(_enum(DecisionOutcome))
    rationale: Mapped[str] = mapped_column(Text)
    professional_level: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Action(Base):
    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus), default=ActionStatus.OPEN)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Referral(Base):
    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))
    from_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    to_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    status: Mapped[ReferralStatus] = mapped_column(
        _enum(ReferralStatus), default=ReferralStatus.SENT
    )
    reason: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Alert(Base):
    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AlertKind] = mapped_column(_enum(AlertKind))
    rule: Mapped[str] = mapped_column(String(60))
    young_person_id: Mapped[int | None] = mapped_column(ForeignKey("young_person.id"), index=True)
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id"))
    summary: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[AlertState] = mapped_column(_enum(AlertState), default=AlertState.OPEN)
    # The same condition raises one alert, not one per evaluation.
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PublicReport(Base):
    """A worry reported by a member of the public, for the MASH triage queue."""

    __tablename__ = "public_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    child: Mapped[str] = mapped_column(Text)  # name or description
    location: Mapped[str] = mapped_column(Text)
    what_seen: Mapped[str] = mapped_column(Text)
    reporter_name: Mapped[str | None] = mapped_column(String(200))
    reporter_contact: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[PublicReportStatus] = mapped_column(
        _enum(PublicReportStatus), default=PublicReportStatus.NEW
    )
    young_person_id: Mapped[int | None] = mapped_column(ForeignKey("young_person.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class BreakGlass(Base):
    """Access outside a user's scope, with the reason they gave; every one is reviewed."""

    __tablename__ = "break_glass"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class YoungPersonMerge(Base):
    """A merge of duplicate young-person records a lead confirmed, and its undoing.

    `previous` maps each record id touched (as text) to the record it pointed at
    before (itself when it was not merged), so undoing restores exactly.
    """

    __tablename__ = "young_person_merge"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    duplicate_ids: Mapped[list[Any]] = mapped_column(JSON)
    previous: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    rationale: Mapped[str] = mapped_column(Text)
    confirmed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undo_reason: Mapped[str | None] = mapped_column(Text)


class YoungPersonNotDuplicate(Base):
    """A lead's finding that records proposed as one young person are not the same person.

    `record_ids` lists every record of the dismissed proposal; no two of them are
    proposed together again while the finding stands. A lead may take it back
    (`undone_*`), and the records may then be proposed again. Rows are kept.
    """

    __tablename__ = "young_person_not_duplicate"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    record_ids: Mapped[list[Any]] = mapped_column(JSON)
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    undo_reason: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Base):
    """One read or write. Each event carries the hash of the one before it, so an
    edit or deletion anywhere breaks the chain and `lantern audit verify` finds it."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    user_id: Mapped[int | None] = mapped_column(
        Integer
    )  # no FK: users may be removed, events never
    user_email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))  # read, create, amend, update, sign_in, ...
    record_type: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(40))
    young_person_id: Mapped[int | None] = mapped_column(Integer, index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    break_glass: Mapped[bool] = mapped_column(Boolean, default=False)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditEventYoungPerson(Base):
    """Which young people one audit event concerns, when it concerns several.

    A list page (a triage queue, a search) reads records of many young people in
    one unit of work; it is recorded as one event per kind of record, naming every
    young person in its hashed `detail`. This table indexes those names so "who
    looked at this young person" stays one indexed query; `lantern audit verify`
    checks it against the hashed detail, so it cannot hide an event unnoticed.
    """

    __tablename__ = "audit_event_young_person"

    event_id: Mapped[int] = mapped_column(ForeignKey("audit_event.id"), primary_key=True)
    young_person_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)


class Transcript(Base):
    """A chat transcript uploaded as evidence; its hash proves it is unchanged."""

    __tablename__ = "transcript"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    analysis: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
