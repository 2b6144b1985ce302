"""The role matrix: every role against every permission, written out here independently."""

from __future__ import annotations

import pytest

from lantern.services.access import GRANTS, Permission, can, role_allows
from lantern.services.context import Actor
from lantern.store.models import Role

P = Permission
CASE_WORK = {
    P.SEARCH_YOUNG_PEOPLE,
    P.CREATE_YOUNG_PERSON,
    P.VIEW_YOUNG_PERSON,
    P.RECORD_CONCERN,
    P.AMEND_CONCERN,
    P.BREAK_GLASS,
    P.USE_API,
}
TRIAGE = {
    P.VIEW_TRIAGE_QUEUE,
    P.RECORD_DECISION,
    P.MANAGE_ACTIONS,
    P.MAKE_REFERRAL,
    P.UPDATE_REFERRAL,
    P.VIEW_ALERTS,
}
EXPECTED: dict[Role, set[Permission]] = {
    Role.PRACTITIONER: CASE_WORK,
    Role.DSL: CASE_WORK | TRIAGE | {P.MERGE_YOUNG_PEOPLE},
    Role.MASH: CASE_WORK
    | TRIAGE
    | {P.VIEW_PUBLIC_REPORTS, P.TRIAGE_PUBLIC_REPORT, P.VIEW_NETWORK, P.REVIEW_BREAK_GLASS}
    | {P.MERGE_YOUNG_PEOPLE},
    Role.ANALYST: {P.VIEW_NETWORK, P.VIEW_ALERTS, P.USE_API},
    Role.ADMIN: {P.MANAGE_ORGANISATIONS, P.MANAGE_USERS},
    Role.AUDITOR: {P.VIEW_AUDIT, P.REVIEW_BREAK_GLASS},
}


def actor(role: Role | None) -> Actor:
    return Actor(user_id=1, email="x@test.example", role=role, organisation_id=1)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_matrix(role: Role, permission: Permission) -> None:
    assert role_allows(actor(role), permission) == (permission in EXPECTED[role])
    assert can(actor(role), permission) == (permission in EXPECTED[role])


def test_every_role_has_a_row() -> None:
    assert set(GRANTS) == set(Role)


@pytest.mark.parametrize("permission", list(Permission))
def test_the_public_has_no_permission(permission: Permission) -> None:
    assert not can(Actor.public(), permission)


def test_administrators_and_auditors_never_see_case_content() -> None:
    content = {P.VIEW_YOUNG_PERSON, P.SEARCH_YOUNG_PEOPLE, P.RECORD_CONCERN, P.VIEW_TRIAGE_QUEUE}
    for role in (Role.ADMIN, Role.AUDITOR, Role.ANALYST):
        assert not content & GRANTS[role]


def test_scope_needs_a_session() -> None:
    with pytest.raises(ValueError, match="session"):
        can(actor(Role.PRACTITIONER), P.VIEW_YOUNG_PERSON, young_person_id=5)
