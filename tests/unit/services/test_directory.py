"""The triage forms' lists (colleagues to own an action, agencies to refer to): what they
hold, in what order, and that only the roles that triage may have them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lantern.services.context import Actor, Forbidden, utcnow
from lantern.services.database import Database
from lantern.services.directory import Choice, action_owners, referral_destinations
from lantern.store.models import Organisation, OrganisationKind, Role, User

#: Written out here, not read from the policy: the roles that triage cases.
TRIAGING = {Role.DSL, Role.MASH}


@dataclass
class Directory:
    db: Database
    orgs: dict[str, int]
    users: dict[str, tuple[int, Role, str]]  # key -> id, role, organisation key

    def actor(self, key: str) -> Actor:
        user_id, role, org = self.users[key]
        return Actor(
            user_id=user_id,
            email=f"{key}@test.example",
            role=role,
            organisation_id=self.orgs[org],
        )


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Directory]:
    folder: Path = tmp_path_factory.mktemp("directory")
    db = Database.open(f"sqlite:///{folder / 'lantern.db'}", anchor_path=folder / "anchor.jsonl")
    orgs: dict[str, int] = {}
    users: dict[str, tuple[int, Role, str]] = {}
    with db.transaction(Actor.system("test")) as session:
        for key, name, kind in (
            ("school", "Riverside Academy", OrganisationKind.SCHOOL),
            ("police", "Northshire Police", OrganisationKind.POLICE),
            ("care", "Northshire Children's Social Care", OrganisationKind.CHILDRENS_SOCIAL_CARE),
            ("mash", "Northshire MASH", OrganisationKind.MASH),
        ):
            org = Organisation(name=name, kind=kind, created_at=utcnow())
            session.add(org)
            session.flush()
            orgs[key] = org.id
        for key, name, role, org_key, active in (
            ("dsl", "Nadia Okafor", Role.DSL, "school", True),
            ("teacher", "Aaron Bell", Role.PRACTITIONER, "school", True),
            ("nurse", "Zoe Whitfield", Role.PRACTITIONER, "school", True),
            ("left", "Brian Left", Role.PRACTITIONER, "school", False),
            ("mash", "Carys Evans", Role.MASH, "mash", True),
            ("mash2", "Dev Patel", Role.MASH, "mash", True),
            ("officer", "Ellen Hart", Role.PRACTITIONER, "police", True),
            ("analyst", "Farah Khan", Role.ANALYST, "mash", True),
            ("admin", "Gareth Jones", Role.ADMIN, "mash", True),
            ("auditor", "Helen Moss", Role.AUDITOR, "mash", True),
        ):
            user = User(
                email=f"{key}@test.example",
                name=name,
                role=role,
                organisation_id=orgs[org_key],
                password_hash="not-used",  # noqa: S106 - no one signs in here
                active=active,
                created_at=utcnow(),
            )
            session.add(user)
            session.flush()
            users[key] = (user.id, role, org_key)
    yield Directory(db=db, orgs=orgs, users=users)
    db.dispose()


def test_owners_are_active_colleagues_of_the_same_organisation_the_actor_first(
    directory: Directory,
) -> None:
    actor = directory.actor("dsl")
    with directory.db.transaction(actor) as session:
        owners = action_owners(session, actor)
    assert [c.name for c in owners] == ["Nadia Okafor", "Aaron Bell", "Zoe Whitfield"]
    assert owners[0].id == actor.user_id
    assert all(isinstance(c, Choice) for c in owners)


def test_owners_for_mash_are_mash_colleagues(directory: Directory) -> None:
    actor = directory.actor("mash2")
    with directory.db.transaction(actor) as session:
        names = [c.name for c in action_owners(session, actor)]
    # The actor first, then the rest by name; other agencies' staff are not offered.
    assert names == ["Dev Patel", "Carys Evans", "Farah Khan", "Gareth Jones", "Helen Moss"]


def test_destinations_are_every_organisation_by_name_with_its_kind(directory: Directory) -> None:
    actor = directory.actor("mash")
    with directory.db.transaction(actor) as session:
        destinations = referral_destinations(session, actor)
    assert [c.name for c in destinations] == [
        "Northshire Children's Social Care (childrens social care)",
        "Northshire MASH (mash)",
        "Northshire Police (police)",
        "Riverside Academy (school)",
    ]
    assert {c.id for c in destinations} == set(directory.orgs.values())


@pytest.mark.parametrize("key", ["dsl", "teacher", "mash", "analyst", "admin", "auditor"])
def test_only_roles_that_triage_may_list_them(directory: Directory, key: str) -> None:
    actor = directory.actor(key)
    allowed = actor.role in TRIAGING
    with directory.db.transaction(actor) as session:
        for listing in (action_owners, referral_destinations):
            if allowed:
                assert listing(session, actor)
            else:
                with pytest.raises(Forbidden):
                    listing(session, actor)


def test_the_public_is_refused(directory: Directory) -> None:
    with directory.db.transaction(Actor.public()) as session:
        with pytest.raises(Forbidden):
            action_owners(session, Actor.public())
        with pytest.raises(Forbidden):
            referral_destinations(session, Actor.public())
