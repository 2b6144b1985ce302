"""Rendering a page: the template plus what every page needs (who is signed in, the form token).

Also sets the anonymous visitor cookie the first time a visitor is given a form,
with the cookie flags Lantern always uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates

from lantern.web.csrf import ANON_COOKIE
from lantern.web.visitor import Visitor, navigation, visitor_of

__all__ = ["is_loopback", "render", "set_cookie"]

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}

#: The anonymous visitor cookie lasts a day: long enough to fill in any form.
_ANON_COOKIE_SECONDS = 24 * 60 * 60


def is_loopback(host: str | None) -> bool:
    """Whether the address is this machine, where plain HTTP is acceptable."""
    return (host or "") in _LOOPBACK or (host or "").startswith("127.")


def set_cookie(
    request: Request, response: Response, name: str, value: str, *, max_age: int | None
) -> None:
    """Set a cookie with Lantern's flags: HttpOnly, SameSite=Strict, Secure off loopback."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=not is_loopback(request.url.hostname),
    )


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> HTMLResponse:
    """Render `template` with the page context and the visitor's cookie when it is new."""
    templates: Jinja2Templates = request.app.state.templates
    visitor: Visitor = visitor_of(request)
    settings = request.app.state.settings
    full = {
        "request": request,
        "visitor": visitor,
        "csrf_token": visitor.csrf_token,
        "navigation": navigation(visitor, request.url.path),
        "organisation_name": settings.organisation_name,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, full, status_code=status)
    if visitor.new_visitor_id is not None:
        set_cookie(
            request, response, ANON_COOKIE, visitor.new_visitor_id, max_age=_ANON_COOKIE_SECONDS
        )
    return response
