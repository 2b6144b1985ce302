"""Administration on both backends: organisations, users and roles, never case content."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lantern.services import Conflict, Forbidden, Invalid, admin
from lantern.services.auth import verify_password
from lantern.services.young_people import get_page
from lantern.store.models import AuditEvent, OrganisationKind, Role, User

from .conftest import World


def test_admin_creates_organisation_and_user(world: World) -> None:
    boss = world.users["admin"]
    with world.db.transaction(boss) as s:
        org = admin.create_organisation(
            session=s,
            actor=boss,
            draft=admin.OrganisationDraft(
                name="Riverside Youth Club", kind=OrganisationKind.YOUTH_SERVICE
            ),
        )
        user, password = admin.create_user(
            session=s,
            actor=boss,
            draft=admin.UserDraft(
                email="New.Worker@Test.Example",
                name="New Worker",
                role=Role.PRACTITIONER,
                organisation_id=org.id,
            ),
        )
    assert user.email == "new.worker@test.example"
    assert not user.totp_confirmed  # second factor set up at first sign-in
    assert verify_password(user.password_hash, password)
    with world.db.transaction(boss) as s:
        assert "Riverside Youth Club" in [
            o.name for o in admin.list_organisations(session=s, actor=boss)
        ]
        assert "new.worker@test.example" in [
            u.email for u in admin.list_users(session=s, actor=boss)
        ]
    with world.db.sessions() as s:
        actions = {(a, r) for a, r in s.execute(select(AuditEvent.action, AuditEvent.record_type))}
    assert {("create", "organisation"), ("create", "user")} <= actions


def test_duplicates_are_conflicts(world: World) -> None:
    boss = world.users["admin"]
    with pytest.raises(Conflict), world.db.transaction(boss) as s:
        admin.create_organisation(
            session=s,
            actor=boss,
            draft=admin.OrganisationDraft(name="school a", kind=OrganisationKind.SCHOOL),
        )
    with pytest.raises(Conflict), world.db.transaction(boss) as s:
        admin.create_user(
            session=s,
            actor=boss,
            draft=admin.UserDraft(
                email="PRAC_A@test.example",
                name="Copy",
                role=Role.DSL,
                organisation_id=world.orgs["School A"],
            ),
        )


def test_roles_active_and_second_factor(world: World) -> None:
    boss = world.users["admin"]
    target = world.users["prac_a2"].user_id
    assert target is not None and boss.user_id is not None
    with world.db.transaction(boss) as s:
        assert admin.set_role(session=s, actor=boss, user_id=target, role=Role.DSL).role == Role.DSL
        assert not admin.set_active(session=s, actor=boss, user_id=target, active=False).active
        reset = admin.reset_second_factor(session=s, actor=boss, user_id=target)
        assert reset.totp_secret is None and not reset.totp_confirmed
    with pytest.raises(Invalid), world.db.transaction(boss) as s:
        admin.set_role(session=s, actor=boss, user_id=boss.user_id, role=Role.AUDITOR)
    with pytest.raises(Invalid), world.db.transaction(boss) as s:
        admin.set_active(session=s, actor=boss, user_id=boss.user_id, active=False)
    with world.db.sessions() as s:
        user = s.get(User, target)
        assert user is not None and user.role == Role.DSL and not user.active


@pytest.mark.parametrize("who", ["prac_a", "dsl_a", "mash", "analyst", "auditor"])
def test_only_administrators_administer(world: World, who: str) -> None:
    actor = world.users[who]
    with pytest.raises(Forbidden), world.db.transaction(actor) as s:
        admin.list_users(session=s, actor=actor)


def test_administrator_sees_no_case_content(world: World) -> None:
    yp = world.young_person()
    boss = world.users["admin"]
    with pytest.raises(Forbidden), world.db.transaction(boss) as s:
        get_page(session=s, actor=boss, young_person_id=yp)
