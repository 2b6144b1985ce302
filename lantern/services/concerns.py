"""Recording concerns: idempotent saving, screening, factors with evidence, entities, amendments.

A concern is never changed once saved: a correction is an amendment (a new
concern pointing at the one it corrects). Saving runs the screening over the
young person's concerns as they now stand, stores the assessment, and raises
any accumulation or shared-entity alerts.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from pydantic import ConfigDict, Field, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lantern.knowledge import load_vocabulary
from lantern.linking import normalise_handle, normalise_phone, normalise_plate, normalise_postcode
from lantern.screening import Observation, Situation, assess
from lantern.services import access, alerts, young_people
from lantern.services.access import Permission
from lantern.services.context import Actor, Conflict, Forbidden, Invalid, NotFound, utcnow
from lantern.services.validation import CleanModel
from lantern.store.models import (
    Alert,
    Assessment,
    Concern,
    ConcernFactor,
    Entity,
    EntityKind,
    Mention,
    Role,
    YoungPerson,
)
from lantern.text import NoteExtraction, NoteTextError, extract_note

#: Longest note accepted: a long case note is a few thousand words; beyond this
#: it is a pasted document, which belongs in an upload, not a concern.
MAX_TEXT_CHARS = 20_000

#: How far back an observation may be dated: historic disclosures are recorded,
#: but a date decades ago is a typing mistake.
MAX_OBSERVED_YEARS_AGO = 25

_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class FactorChoice(CleanModel):
    """A factor ticked by the practitioner or suggested by text analysis and confirmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(max_length=60)
    evidence: str | None = Field(default=None, max_length=2000)
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    suggested: bool = False
    confirmed: bool = True


class EntityChoice(CleanModel):
    """A phone, vehicle, postcode, handle, person or place named in the concern."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: EntityKind
    value: str = Field(min_length=1, max_length=200)
    text: str | None = Field(default=None, max_length=300)
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)


class ConcernDraft(CleanModel):
    """What the concern form (or the API) submits."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    young_person_id: int
    observed_on: date
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    location: str | None = Field(default=None, max_length=300)
    immediate_danger: bool = False
    factors: list[FactorChoice] = Field(default_factory=list, max_length=60)
    entities: list[EntityChoice] = Field(default_factory=list, max_length=100)
    idempotency_key: str
    amends_id: int | None = None

    @field_validator("idempotency_key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not _KEY.match(value):
            raise ValueError("the form key is malformed; reload the form")
        return value

    @field_validator("observed_on")
    @classmethod
    def _when(cls, value: date) -> date:
        today = utcnow().date()
        if value > today:
            raise ValueError("the date seen cannot be in the future")
        if value < today - timedelta(days=366 * MAX_OBSERVED_YEARS_AGO):
            raise ValueError(f"the date seen is more than {MAX_OBSERVED_YEARS_AGO} years ago")
        return value

    @model_validator(mode="after")
    def _codes(self) -> ConcernDraft:
        vocabulary = load_vocabulary()
        seen: set[str] = set()
        for choice in self.factors:
            if choice.code not in vocabulary.factors:
                raise ValueError(f"unknown factor {choice.code[:60]!r}")
            if choice.code in seen:
                raise ValueError(f"factor {choice.code} is given twice")
            seen.add(choice.code)
        return self


@dataclass(frozen=True)
class RecordedConcern:
    concern: Concern
    assessment: Assessment
    new_alerts: list[Alert]
    created: bool  # False when the same form was submitted before: nothing saved twice


def normalise_entity(kind: EntityKind, value: str) -> str | None:
    """The entity's value in the form factors.md fixes (None when it is not valid)."""
    if kind == EntityKind.PHONE:
        return normalise_phone(value)
    if kind == EntityKind.VEHICLE:
        return normalise_plate(value)
    if kind == EntityKind.POSTCODE:
        return normalise_postcode(value)
    if kind == EntityKind.HANDLE:
        return normalise_handle(value)
    cleaned = " ".join(value.strip().strip("\"'“”‘’").split())
    return cleaned or None


def record_concern(
    *, session: Session, actor: Actor, draft: ConcernDraft, recorded_at: datetime | None = None
) -> RecordedConcern:
    """Save a concern once (the form's key makes a retry return the first save) and screen.

    `recorded_at` is for loading historic records (the demo, imports); pages leave it
    to the clock.

    Raises `NotFound` (young person or amended concern), `Forbidden`, `Invalid`
    (an entity value that cannot be read), or `Conflict` when the form key was
    already used by someone else.
    """
    existing = _by_key(session, draft.idempotency_key)
    if existing is not None:
        return _replay(session, actor, existing)
    if actor.user_id is None or actor.organisation_id is None:
        raise Forbidden("only a signed-in member of an organisation can record a concern")
    permission = Permission.AMEND_CONCERN if draft.amends_id else Permission.RECORD_CONCERN
    person = young_people.open_record(
        session=session, actor=actor, young_person_id=draft.young_person_id, permission=permission
    )
    if draft.amends_id is not None:
        _check_amendable(session, actor, draft)
    entities = _entities(draft)
    concern = Concern(
        young_person_id=person.id,
        author_id=actor.user_id,
        organisation_id=actor.organisation_id,
        observed_on=draft.observed_on,
        recorded_at=recorded_at or utcnow(),
        location=draft.location or None,
        text=draft.text,
        immediate_danger=draft.immediate_danger,
        amends_id=draft.amends_id,
        idempotency_key=draft.idempotency_key,
    )
    try:
        with session.begin_nested():
            session.add(concern)
            session.flush()
    except IntegrityError:
        # Another request with the same key won the race: return what it saved.
        again = _by_key(session, draft.idempotency_key)
        if again is None:
            raise
        return _replay(session, actor, again)
    for choice in draft.factors:
        session.add(
            ConcernFactor(
                concern_id=concern.id,
                code=choice.code,
                evidence=choice.evidence,
                start=choice.start,
                end=choice.end,
                suggested=choice.suggested,
                confirmed=choice.confirmed,
            )
        )
    entity_ids: list[int] = []
    for kind, value, named in entities:
        entity = _entity(session, kind, value)
        entity_ids.append(entity.id)
        session.add(
            Mention(
                entity_id=entity.id,
                concern_id=concern.id,
                text=named.text,
                start=named.start,
                end=named.end,
            )
        )
    young_people.ensure_involvement(session=session, actor=actor, young_person_id=person.id)
    session.flush()
    facts = alerts.concern_facts(session, person.id)
    assessment = screen(
        session=session,
        young_person=person,
        author_id=actor.user_id,
        concern=concern,
        at=recorded_at,
        facts=facts,
    )
    new_alerts = alerts.refresh_for_young_person(
        session=session, young_person_id=person.id, facts=facts, new_entity_ids=entity_ids
    )
    return RecordedConcern(concern, assessment, new_alerts, created=True)


def _by_key(session: Session, key: str) -> Concern | None:
    return session.scalars(select(Concern).where(Concern.idempotency_key == key)).first()


def _replay(session: Session, actor: Actor, concern: Concern) -> RecordedConcern:
    if concern.author_id != actor.user_id:
        raise Conflict("this form was already used; reload it to record a new concern")
    assessment = session.scalars(
        select(Assessment).where(Assessment.concern_id == concern.id)
    ).first()
    if assessment is None:  # saved together in one transaction, so always present
        raise NotFound("the saved concern has no assessment")
    return RecordedConcern(concern, assessment, [], created=False)


def _check_amendable(session: Session, actor: Actor, draft: ConcernDraft) -> None:
    original = session.get(Concern, draft.amends_id)
    if original is None or original.young_person_id != draft.young_person_id:
        raise NotFound(f"no concern {draft.amends_id} for this young person")
    own = original.author_id == actor.user_id
    lead = actor.role in (Role.DSL, Role.MASH) and original.organisation_id == actor.organisation_id
    if not (own or lead):
        raise Forbidden("only the author or their organisation's lead can amend a concern")


def _entities(draft: ConcernDraft) -> list[tuple[EntityKind, str, EntityChoice]]:
    found: list[tuple[EntityKind, str, EntityChoice]] = []
    for i, choice in enumerate(draft.entities):
        value = normalise_entity(choice.kind, choice.value)
        if value is None:
            raise Invalid({f"entities.{i}": f"{choice.value[:40]!r} is not a valid {choice.kind}"})
        found.append((choice.kind, value, choice))
    return found


def _entity(session: Session, kind: EntityKind, value: str) -> Entity:
    entity = session.scalars(
        select(Entity).where(Entity.kind == kind, Entity.value == value)
    ).first()
    if entity is None:
        try:
            with session.begin_nested():
                entity = Entity(kind=kind, value=value)
                session.add(entity)
                session.flush()
        except IntegrityError:
            entity = session.scalars(
                select(Entity).where(Entity.kind == kind, Entity.value == value)
            ).one()
    return entity


def _age(person: YoungPerson, on: date) -> int | None:
    if person.date_of_birth is None:
        return person.estimated_age
    born = person.date_of_birth
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def screen(
    *,
    session: Session,
    young_person: YoungPerson,
    author_id: int,
    concern: Concern | None = None,
    at: datetime | None = None,
    facts: list[alerts.ConcernFact] | None = None,
) -> Assessment:
    """Screen the young person on every confirmed factor of their concerns as they stand at
    `at` (default now): later concerns are left out. `facts`, when given, are the young
    person's current concern facts, already read."""
    at = at or utcnow()
    as_of = at.date()
    if facts is None:
        facts = alerts.concern_facts(session, young_person.id)
    facts = [f for f in facts if f.observed_on <= as_of]
    observations = tuple(
        Observation(code, min(fact.observed_on, as_of))
        for fact in facts
        for code in sorted(fact.factors)
    )
    age = _age(young_person, as_of)
    situation = Situation(
        factors=observations,
        immediate_danger=bool(concern and concern.immediate_danger),
        age=age if age is not None and 0 <= age <= 25 else None,
        as_of=as_of,
    )
    result = assess(situation)
    assessment = Assessment(
        young_person_id=young_person.id,
        concern_id=concern.id if concern else None,
        organisation_id=concern.organisation_id if concern else None,
        concern_recorded_at=concern.recorded_at if concern else None,
        author_id=author_id,
        created_at=at,
        rules_version=result.rules_version,
        level=result.level,
        rank=result.rank,
        score=result.score,
        factors=[
            {"code": o.code, "observed": o.observed.isoformat() if o.observed else None}
            for o in observations
        ],
        reasons=[asdict(r) for r in result.reasons],
        floors=[asdict(f) for f in result.floors],
    )
    session.add(assessment)
    session.flush()
    return assessment


def suggest(text: str, subject: str | None = None) -> NoteExtraction:
    """Factors and entities the text analysis finds in what the practitioner wrote.

    Suggestions only: nothing is saved until the practitioner confirms them in
    the draft. Raises `Invalid` for text that cannot be analysed (empty, too long).
    """
    try:
        return extract_note(text, subject)
    except NoteTextError as e:
        raise Invalid({"text": str(e)}) from None


def get_concern(*, session: Session, actor: Actor, concern_id: int) -> Concern:
    """One concern, with its factors, if the actor may see its young person."""
    concern = session.get(Concern, concern_id)
    if concern is None:
        raise NotFound(f"no concern {concern_id}")
    young_people.open_record(
        session=session,
        actor=actor,
        young_person_id=concern.young_person_id,
        permission=Permission.VIEW_YOUNG_PERSON,
    )
    return concern


def assessment_for(*, session: Session, actor: Actor, concern_id: int) -> Assessment:
    """The assessment made when a concern was saved."""
    concern = get_concern(session=session, actor=actor, concern_id=concern_id)
    found = session.scalars(select(Assessment).where(Assessment.concern_id == concern.id)).first()
    if found is None:
        raise NotFound(f"no assessment for concern {concern_id}")
    return found


def actions_for_level(level: str) -> tuple[str, ...]:
    """What to do now at a level (from the screening rules), for the result page."""
    from lantern.screening import load_rules

    rules = load_rules()
    return rules.levels[rules.rank(level)].actions


def new_form_key() -> str:
    """A one-time key for a concern form: a double submit or a retry saves once."""
    import secrets

    return secrets.token_urlsafe(24)


def recorded_between(
    *, session: Session, actor: Actor, start: datetime, end: datetime
) -> list[Concern]:
    """Concerns the actor wrote in a period (their own list; no one else's)."""
    access.require(actor, Permission.RECORD_CONCERN)
    return list(
        session.scalars(
            select(Concern)
            .where(
                Concern.author_id == actor.user_id,
                Concern.recorded_at >= start,
                Concern.recorded_at < end,
            )
            .order_by(Concern.recorded_at.desc())
        )
    )


__all__ = [
    "MAX_TEXT_CHARS",
    "ConcernDraft",
    "EntityChoice",
    "FactorChoice",
    "RecordedConcern",
    "actions_for_level",
    "assessment_for",
    "get_concern",
    "new_form_key",
    "normalise_entity",
    "record_concern",
    "recorded_between",
    "screen",
    "suggest",
]
