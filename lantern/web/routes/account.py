"""The signed-in person's own API tokens: create one (shown once) for another system to use
Lantern's JSON API on their behalf, with their role and scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from lantern.services import auth
from lantern.services.access import Permission
from lantern.services.context import Invalid
from lantern.web.deps import allowed, database
from lantern.web.forms import text_of
from lantern.web.pages import render
from lantern.web.visitor import SignedIn

__all__ = ["router"]

router = APIRouter()

ApiUser = Annotated[SignedIn, Depends(allowed(Permission.USE_API))]

#: Token lifetimes offered, in days: short by default, a year at most.
LIFETIMES = (30, 90, 365)


@router.get("/account/api-tokens", response_class=HTMLResponse)
def token_form(request: Request, staff: ApiUser) -> Response:
    return render(
        request,
        "account/api_tokens.html",
        {"title": "API tokens", "lifetimes": LIFETIMES, "form": {}, "errors": {}, "token": None},
    )


@router.post("/account/api-tokens", response_class=HTMLResponse)
async def create_token(request: Request, staff: ApiUser) -> Response:
    form = await request.form()
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
        return render(
            request,
            "account/api_tokens.html",
            {
                "title": "API tokens",
                "lifetimes": LIFETIMES,
                "form": {"name": name, "days": days_text},
                "errors": e.errors,
                "token": None,
            },
            status=400,
        )
    return render(
        request,
        "account/api_tokens.html",
        {
            "title": "API token created",
            "lifetimes": LIFETIMES,
            "form": {},
            "errors": {},
            "token": token,
            "days": days,
        },
        status=201,
    )
