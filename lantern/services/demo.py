"""The demo: a fictional area with organisations, staff in every role and a cohort of young
people whose records build up over two years, loaded once (running it again changes nothing).

Everything comes from `data/demo_cohort.yaml` and a fixed random seed, so every
load gives the same people and the same chronologies. Records go through the
same services as the pages (screening, alerts, audit), so the demo is also a
check that they work together.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyotp
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.services import auth, concerns, triage
from lantern.services.concerns import ConcernDraft, EntityChoice, FactorChoice
from lantern.services.context import Actor, utcnow
from lantern.store.models import (
    DecisionOutcome,
    EntityKind,
    Organisation,
    OrganisationKind,
    PublicReport,
    PublicReportStatus,
    Role,
    User,
    YoungPerson,
)

COHORT_FILE = Path(__file__).parent / "data" / "demo_cohort.yaml"

#: The demo's email domain: `.example` is reserved (RFC 2606), so no real inbox.
DEMO_DOMAIN = "lantern.example"

#: The password of every demo account: printed by `lantern demo`; demo only.
DEMO_PASSWORD = "demo-password-lantern"  # noqa: S105 - a published demo credential

#: Cohort size and time span the issue asks for: 150+ young people, 1,000+ concerns, 2 years.
#: About six concerns each on average: 160 gave 938 concerns, 180 gives 1,052.
YOUNG_PEOPLE = 180
DAYS = 730
SEED = 20_240_601

#: Factors by how a story tends to unfold: early signs and vulnerabilities, later signs.
EARLY = [
    "school_absence",
    "emotional_change",
    "family_conflict",
    "low_self_esteem",
    "new_to_area",
    "time_poor_family",
    "bereavement_loss",
    "additional_needs",
]
LATER = [
    "out_late_overnight",
    "unexplained_gifts",
    "secretive_behaviour",
    "older_associates",
    "online_contact",
    "substance_misuse",
    "going_missing",
    "transported_by_adults",
    "parties_unknown_addresses",
    "isolation_from_family_friends",
    "threats_or_violence",
]

#: Which agencies write about what they would see.
_WRITERS: dict[OrganisationKind, list[str]] = {
    OrganisationKind.SCHOOL: [
        "school_absence",
        "emotional_change",
        "unexplained_gifts",
        "secretive_behaviour",
        "isolation_from_family_friends",
    ],
    OrganisationKind.POLICE: [
        "going_missing",
        "transported_by_adults",
        "gang_association",
        "substance_misuse",
        "older_associates",
        "criminal_exploitation",
    ],
    OrganisationKind.CHILDRENS_SOCIAL_CARE: [
        "family_conflict",
        "adverse_experiences",
        "in_care",
        "going_missing",
        "older_associates",
    ],
    OrganisationKind.HEALTH: ["substance_misuse", "emotional_change", "threats_or_violence"],
    OrganisationKind.YOUTH_SERVICE: [
        "online_contact",
        "older_associates",
        "parties_unknown_addresses",
        "low_self_esteem",
    ],
    OrganisationKind.RESIDENTIAL_CARE: [
        "out_late_overnight",
        "going_missing",
        "transported_by_adults",
        "unexplained_gifts",
    ],
    OrganisationKind.HOUSING: ["homelessness", "family_conflict", "older_associates"],
}


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    organisation: str
    totp_secret: str


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    accounts: list[DemoAccount]
    password: str
    young_people: int
    concerns: int


@lru_cache(maxsize=1)
def _cohort() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COHORT_FILE.read_text(encoding="utf-8"))
    return data


#: The accounts `lantern demo` prints: one per role, at the organisation that role works in.
SIGN_IN_ACCOUNTS: list[tuple[str, Role, str]] = [
    ("practitioner", Role.PRACTITIONER, "Riverton Academy"),
    ("dsl", Role.DSL, "Riverton Academy"),
    ("mash", Role.MASH, "Riverton MASH"),
    ("analyst", Role.ANALYST, "Riverton MASH"),
    ("admin", Role.ADMIN, "Riverton Children's Services"),
    ("auditor", Role.AUDITOR, "Riverton Children's Services"),
]


def demo_accounts(session: Session) -> list[DemoAccount]:
    """The printed demo accounts as stored (with their TOTP secrets)."""
    accounts = []
    for local, role, org in SIGN_IN_ACCOUNTS:
        user = session.scalars(select(User).where(User.email == f"{local}@{DEMO_DOMAIN}")).first()
        if user is not None and user.totp_secret:
            accounts.append(DemoAccount(user.email, role, org, user.totp_secret))
    return accounts


def load_demo(
    *, session: Session, young_people: int = YOUNG_PEOPLE, seed: int = SEED
) -> DemoSummary:
    """Load the demo unless it is there already. `session` must come from a system transaction."""
    existing = session.scalars(select(User).where(User.email == f"admin@{DEMO_DOMAIN}")).first()
    if existing is not None:
        return _summary(session, created=False)
    rng = random.Random(seed)  # noqa: S311 - repeatable fiction, not security
    data = _cohort()
    orgs = _organisations(session, data)
    staff = _staff(session, orgs)
    today = utcnow().date()
    people = _young_people(session, data, orgs, rng, young_people)
    for person in people:
        _chronology(session, data, rng, person, orgs, staff, today)
    _public_reports(session, rng, data)
    session.info["actor"] = Actor.system("demo")
    session.flush()
    return _summary(session, created=True)


def _summary(session: Session, *, created: bool) -> DemoSummary:
    from sqlalchemy import func

    from lantern.store.models import Concern

    return DemoSummary(
        created=created,
        accounts=demo_accounts(session),
        password=DEMO_PASSWORD,
        young_people=session.scalar(select(func.count(YoungPerson.id))) or 0,
        concerns=session.scalar(select(func.count(Concern.id))) or 0,
    )


def _organisations(session: Session, data: dict[str, Any]) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for spec in data["organisations"]:
        org = session.scalars(select(Organisation).where(Organisation.name == spec["name"])).first()
        if org is None:
            org = Organisation(
                name=spec["name"],
                kind=OrganisationKind(spec["kind"]),
                area=spec.get("area"),
                created_at=utcnow(),
            )
            session.add(org)
        orgs[spec["name"]] = org
    session.flush()
    return orgs


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").replace("--", "-")


def _user(
    session: Session, email: str, name: str, role: Role, org: Organisation, password_hash: str
) -> User:
    user = User(
        email=email,
        name=name,
        role=role,
        organisation_id=org.id,
        password_hash=password_hash,
        totp_secret=pyotp.random_base32(),
        totp_confirmed=True,
        is_demo=True,
        active=True,
        failed_logins=0,
        created_at=utcnow(),
    )
    session.add(user)
    return user


def _staff(session: Session, orgs: dict[str, Organisation]) -> dict[int, dict[Role, User]]:
    """A practitioner and a lead in every organisation, plus the printed accounts."""
    password_hash = auth.hash_password(DEMO_PASSWORD)
    staff: dict[int, dict[Role, User]] = {}
    for local, role, org_name in SIGN_IN_ACCOUNTS:
        org = orgs[org_name]
        user = _user(session, f"{local}@{DEMO_DOMAIN}", f"Demo {local}", role, org, password_hash)
        staff.setdefault(org.id, {})[role] = user
    for org in orgs.values():
        kinds = staff.setdefault(org.id, {})
        for role in (Role.PRACTITIONER, Role.DSL):
            lead_role = Role.MASH if org.kind == OrganisationKind.MASH else role
            if lead_role not in kinds:
                email = f"{role.value}.{_slug(org.name)}@{DEMO_DOMAIN}"
                kinds[lead_role] = _user(
                    session, email, f"{org.name} {role.value}", lead_role, org, password_hash
                )
    session.flush()
    return staff


def _young_people(
    session: Session,
    data: dict[str, Any],
    orgs: dict[str, Organisation],
    rng: random.Random,
    count: int,
) -> list[YoungPerson]:
    from lantern.services.young_people import new_reference

    today = utcnow().date()
    people = []
    first_org = next(iter(orgs.values()))
    session.info["actor"] = Actor.system("demo")
    for _ in range(count):
        age_days = rng.randint(11 * 365, 17 * 365)
        in_care = rng.random() < 0.15
        person = YoungPerson(
            reference=new_reference("YP"),
            first_name=rng.choice(data["first_names"]),
            last_name=rng.choice(data["last_names"]),
            date_of_birth=today - timedelta(days=age_days),
            gender=rng.choice(["female", "female", "male", "non-binary"]),
            area=rng.choice(data["districts"]),
            school=rng.choice(data["schools"]),
            care_status="looked after (residential)" if in_care else None,
            created_by_organisation_id=first_org.id,
            created_at=datetime.now(UTC) - timedelta(days=DAYS + 30),
        )
        session.add(person)
        people.append(person)
    session.flush()
    return people


def _note(data: dict[str, Any], rng: random.Random, code: str) -> tuple[str, list[EntityChoice]]:
    template: str = data["notes"][code]
    values = {
        "place": rng.choice(data["places"]),
        "adult": rng.choice(data["adults"]),
        "phone": rng.choice(data["phones"]),
        "vehicle": rng.choice(data["vehicles"]),
        "handle": rng.choice(data["handles"]),
    }
    entities: list[EntityChoice] = []
    kinds = {
        "adult": EntityKind.PERSON,
        "phone": EntityKind.PHONE,
        "vehicle": EntityKind.VEHICLE,
        "handle": EntityKind.HANDLE,
    }
    for key, kind in kinds.items():
        if "{" + key + "}" in template:
            entities.append(EntityChoice(kind=kind, value=values[key], text=values[key]))
    return template.format(**values), entities


def _chronology(
    session: Session,
    data: dict[str, Any],
    rng: random.Random,
    person: YoungPerson,
    orgs: dict[str, Organisation],
    staff: dict[int, dict[Role, User]],
    today: date,
) -> None:
    """A story: a few early concerns; for some, escalating signs, clustered across agencies."""
    escalating = rng.random() < 0.3
    count = rng.randint(7, 12) if escalating else rng.randint(3, 6)
    start = today - timedelta(days=rng.randint(200, DAYS))
    agencies = [o for o in orgs.values() if o.kind in _WRITERS]
    dates: list[date] = []
    day = start
    for i in range(count):
        # Escalating stories speed up: later concerns come days, not months, apart.
        gap = rng.randint(3, 20) if escalating and i >= count // 2 else rng.randint(15, 90)
        day = min(today, day + timedelta(days=gap))
        dates.append(day)
    for i, observed in enumerate(dates):
        late = escalating and i >= count // 3
        org = rng.choice(agencies)
        pool = [
            c for c in _WRITERS[org.kind] if c in (LATER if late else EARLY) or rng.random() < 0.3
        ] or _WRITERS[org.kind]
        codes = rng.sample(pool, k=min(len(pool), rng.randint(1, 3 if late else 2)))
        texts, entities = [], []
        for code in codes:
            sentence, found = _note(data, rng, code)
            texts.append(sentence)
            entities.extend(found)
        author = staff[org.id][
            Role.PRACTITIONER if Role.PRACTITIONER in staff[org.id] else next(iter(staff[org.id]))
        ]
        actor = auth.actor_for(author)
        session.info["actor"] = actor
        draft = ConcernDraft(
            young_person_id=person.id,
            observed_on=observed,
            text=" ".join(texts),
            location=rng.choice(data["places"]) if rng.random() < 0.5 else None,
            immediate_danger=late and rng.random() < 0.03,
            factors=[FactorChoice(code=c) for c in codes],
            entities=_unique(entities),
            idempotency_key=f"demo-{person.reference}-{i:02d}",
        )
        at = datetime.combine(observed, datetime.min.time(), UTC) + timedelta(
            hours=rng.randint(9, 17)
        )
        recorded = concerns.record_concern(
            session=session, actor=actor, draft=draft, recorded_at=min(at, utcnow())
        )
        if recorded.assessment.rank >= 2 and rng.random() < 0.5:
            _triage(
                session,
                rng,
                person,
                org,
                orgs,
                staff,
                recorded.concern.id,
                recorded.assessment.level,
            )


def _unique(entities: list[EntityChoice]) -> list[EntityChoice]:
    seen: set[tuple[str, str]] = set()
    out = []
    for e in entities:
        if (e.kind, e.value) not in seen:
            seen.add((e.kind, e.value))
            out.append(e)
    return out


def _triage(
    session: Session,
    rng: random.Random,
    person: YoungPerson,
    org: Organisation,
    orgs: dict[str, Organisation],
    staff: dict[int, dict[Role, User]],
    concern_id: int,
    level: str,
) -> None:
    lead = staff[org.id].get(Role.DSL) or staff[org.id].get(Role.MASH)
    if lead is None:
        return
    actor = auth.actor_for(lead)
    session.info["actor"] = actor
    refer = rng.random() < 0.6
    decision = triage.record_decision(
        session=session,
        actor=actor,
        young_person_id=person.id,
        concern_id=concern_id,
        outcome=DecisionOutcome.REFER_CSC if refer else DecisionOutcome.MONITOR,
        rationale="Reviewed the concern with the chronology; "
        + ("the pattern needs a multi-agency view." if refer else "monitor closely for a month."),
        professional_level=level,
    )
    due = utcnow().date() + timedelta(days=rng.randint(3, 28))
    triage.add_action(
        session=session,
        actor=actor,
        young_person_id=person.id,
        decision_id=decision.id,
        description="Speak with the young person and their carer; update the chronology.",
        owner_id=lead.id,
        due_on=due,
    )
    if refer:
        triage.make_referral(
            session=session,
            actor=actor,
            young_person_id=person.id,
            to_organisation_id=orgs["Riverton MASH"].id,
            reason="Escalating concerns from several agencies; referred for a MASH decision.",
            decision_id=decision.id,
        )


def _public_reports(session: Session, rng: random.Random, data: dict[str, Any]) -> None:
    from lantern.services.young_people import new_reference

    session.info["actor"] = Actor.public()
    for text in data["public_worries"]:
        session.add(
            PublicReport(
                reference=new_reference("PR"),
                child="Not known by name",
                location=rng.choice(data["places"]),
                what_seen=text,
                status=PublicReportStatus.NEW,
                created_at=utcnow() - timedelta(days=rng.randint(0, 20)),
            )
        )


__all__ = [
    "DEMO_DOMAIN",
    "DEMO_PASSWORD",
    "DemoAccount",
    "DemoSummary",
    "demo_accounts",
    "load_demo",
]
