"""Administration: organisations, users and roles. Nothing here shows case content.

A new account gets a one-time initial password, shown once on the page that
created it; its owner sets up their second factor at first sign-in.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.services import admin
from lantern.services.access import Permission
from lantern.services.admin import OrganisationDraft, UserDraft
from lantern.services.context import Conflict, Invalid
from lantern.services.young_people import parse_draft
from lantern.store.models import OrganisationKind, Role
from lantern.web.deps import PostedForm, allowed, database
from lantern.web.forms import text_of
from lantern.web.pages import render
from lantern.web.visitor import SignedIn

__all__ = ["router"]

router = APIRouter()

Organisations = Annotated[SignedIn, Depends(allowed(Permission.MANAGE_ORGANISATIONS))]
Users = Annotated[SignedIn, Depends(allowed(Permission.MANAGE_USERS))]

#: What each role is called on the pages.
ROLE_NAMES: dict[str, str] = {
    Role.PRACTITIONER.value: "Practitioner",
    Role.DSL.value: "Designated safeguarding lead",
    Role.MASH.value: "Multi-agency safeguarding hub (MASH)",
    Role.ANALYST.value: "Analyst",
    Role.ADMIN.value: "Administrator",
    Role.AUDITOR.value: "Auditor",
}


def _organisations_context(request: Request, staff: SignedIn) -> dict[str, Any]:
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        rows = [
            {"id": o.id, "name": o.name, "kind": o.kind.value, "area": o.area}
            for o in admin.list_organisations(session=session, actor=actor)
        ]
    return {
        "title": "Organisations",
        "organisations": rows,
        "kinds": [k.value for k in OrganisationKind],
        "form": {},
        "errors": {},
    }


@router.get("/admin/organisations", response_class=HTMLResponse)
def organisations(request: Request, staff: Organisations) -> Response:
    return render(request, "admin/organisations.html", _organisations_context(request, staff))


@router.post("/admin/organisations", response_class=HTMLResponse)
def create_organisation(request: Request, staff: Organisations, form: PostedForm) -> Response:
    values = {k: text_of(form, k).strip() for k in ("name", "kind", "area")}
    actor = staff.actor()
    try:
        draft = parse_draft(OrganisationDraft, {**values, "area": values["area"] or None})
        assert isinstance(draft, OrganisationDraft)
        with database(request).transaction(actor) as session:
            admin.create_organisation(session=session, actor=actor, draft=draft)
    except (Invalid, Conflict) as e:
        errors = e.errors if isinstance(e, Invalid) else {"name": e.message}
        context = _organisations_context(request, staff)
        context.update(
            form=values, errors={("name" if k == "form" else k): v for k, v in errors.items()}
        )
        return render(request, "admin/organisations.html", context, status=400)
    return RedirectResponse("/admin/organisations", status_code=303)


def _users_context(request: Request, staff: SignedIn) -> dict[str, Any]:
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        orgs = {o.id: o.name for o in admin.list_organisations(session=session, actor=actor)}
        rows = [
            {
                "id": u.id,
                "email": u.email,
                "name": u.name,
                "role": u.role.value,
                "organisation": orgs.get(u.organisation_id, ""),
                "active": u.active,
                "second_factor": u.totp_confirmed,
                "is_self": u.id == actor.user_id,
            }
            for u in admin.list_users(session=session, actor=actor)
        ]
    return {
        "title": "Users",
        "users": rows,
        "organisations": orgs,
        "roles": ROLE_NAMES,
        "form": {},
        "errors": {},
    }


@router.get("/admin/users", response_class=HTMLResponse)
def users(request: Request, staff: Users) -> Response:
    return render(request, "admin/users.html", _users_context(request, staff))


@router.post("/admin/users", response_class=HTMLResponse)
def create_user(request: Request, staff: Users, form: PostedForm) -> Response:
    values = {k: text_of(form, k).strip() for k in ("email", "name", "role", "organisation_id")}
    actor = staff.actor()
    try:
        draft = parse_draft(UserDraft, dict(values))
        assert isinstance(draft, UserDraft)
        with database(request).transaction(actor) as session:
            user, password = admin.create_user(session=session, actor=actor, draft=draft)
            email = user.email
    except (Invalid, Conflict) as e:
        errors = e.errors if isinstance(e, Invalid) else {"email": e.message}
        context = _users_context(request, staff)
        context.update(
            form=values, errors={("email" if k == "form" else k): v for k, v in errors.items()}
        )
        return render(request, "admin/users.html", context, status=400)
    return render(
        request,
        "admin/user_created.html",
        {"title": "Account created", "email": email, "password": password},
        status=201,
    )


@router.post("/admin/users/{user_id}/active", response_class=HTMLResponse)
def set_active(request: Request, staff: Users, user_id: int, form: PostedForm) -> Response:
    wanted = text_of(form, "active")
    if wanted not in ("0", "1"):
        raise Invalid({"active": "choose to activate or deactivate"})
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        admin.set_active(session=session, actor=actor, user_id=user_id, active=wanted == "1")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/reset-second-factor", response_class=HTMLResponse)
def reset_second_factor(request: Request, staff: Users, user_id: int) -> Response:
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        admin.reset_second_factor(session=session, actor=actor, user_id=user_id)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/role", response_class=HTMLResponse)
def set_role(request: Request, staff: Users, user_id: int, form: PostedForm) -> Response:
    wanted = text_of(form, "role")
    if wanted not in ROLE_NAMES:
        raise Invalid({"role": "choose a role"})
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        admin.set_role(session=session, actor=actor, user_id=user_id, role=Role(wanted))
    return RedirectResponse("/admin/users", status_code=303)
