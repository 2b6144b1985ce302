"""The signed-in person's own API tokens: create one (shown once) for another system to use
Lantern's JSON API on their behalf, with their role and scope; see them and revoke one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.services import auth
from lantern.services.access import Permission
from lantern.services.context import Invalid
from lantern.web.deps import PostedForm, allowed, database
from lantern.web.forms import text_of
from lantern.web.pages import render
from lantern.web.visitor import SignedIn

__all__ = ["router"]

router = APIRouter()

ApiUser = Annotated[SignedIn, Depends(allowed(Permission.USE_API))]

#: Token lifetimes offered, in days: short by default, a year at most.
LIFETIMES = (30, 90, 365)

#: The one page for a person's tokens: created, listed and revoked from it.
_PAGE = "/account/api-tokens"


def _page(
    request: Request,
    staff: SignedIn,
    *,
    status: int = 200,
    revoked_id: int | None = None,
    **context: Any,
) -> Response:
    """The tokens page: the person's own tokens, then the form to create one.

    After a revocation the banner names the token only if it is the person's own and
    revoked, so an id typed into the address shows nothing about anyone else's.
    """
    actor = staff.actor()
    with database(request).reading(actor) as session:
        tokens = auth.list_api_tokens(session=session, actor=actor)
    revoked = next((t for t in tokens if t.id == revoked_id and t.state == "revoked"), None)
    values: dict[str, Any] = {
        "title": "API token revoked" if revoked else "API tokens",
        "lifetimes": LIFETIMES,
        "form": {},
        "errors": {},
        "token": None,
        "tokens": tokens,
        "revoked": revoked,
    }
    values.update(context)
    return render(request, "account/api_tokens.html", values, status=status)


@router.get(_PAGE, response_class=HTMLResponse)
def token_form(request: Request, staff: ApiUser, revoked: int | None = None) -> Response:
    return _page(request, staff, revoked_id=revoked)


@router.post(_PAGE, response_class=HTMLResponse)
def create_token(request: Request, staff: ApiUser, form: PostedForm) -> Response:
    name = text_of(form, "name")
    days_text = text_of(form, "days")
    days = int(days_text) if days_text.isdigit() and int(days_text) in LIFETIMES else None
    actor = staff.actor()
    try:
        if days is None:
            raise Invalid({"days": "Choose how long the token lasts"})
        with database(request).transaction(actor) as session:
            token = auth.create_api_token(session=session, actor=actor, name=name, days=days)
    except Invalid as e:
        return _page(
            request,
            staff,
            status=400,
            form={"name": name, "days": days_text},
            errors=e.errors,
        )
    return _page(request, staff, status=201, title="API token created", token=token, days=days)


@router.post(f"{_PAGE}/{{token_id}}/revoke", response_class=HTMLResponse)
def revoke_token(request: Request, staff: ApiUser, token_id: int) -> Response:
    """Revoke one of the person's own tokens, then show the list (post, redirect, get: a
    reload does not send the form again, and sending it twice changes nothing)."""
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        auth.revoke_own_api_token(session=session, actor=actor, token_id=token_id)
    return RedirectResponse(f"{_PAGE}?revoked={token_id}#revoked", status_code=303)
