"""What routes ask for: the CSRF check on every form, the database, the signed-in person.

The CSRF check is installed on the whole application, so a new form cannot
forget it; the JSON API is exempt because it authenticates with a bearer token
and never reads cookies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from lantern.services import access
from lantern.services.access import Permission
from lantern.services.context import Forbidden
from lantern.services.database import Database
from lantern.web.csrf import CSRF_FIELD, CSRF_HEADER, tokens_match
from lantern.web.errors import CsrfFailed
from lantern.web.visitor import SignedIn, Visitor, visitor_of

__all__ = [
    "API_PREFIX",
    "PostedForm",
    "Redirect",
    "Staff",
    "VisitorDep",
    "allowed",
    "database",
    "posted_form",
    "require_staff",
    "verify_csrf",
]

API_PREFIX = "/api/"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class Redirect(Exception):
    """Send the browser elsewhere (to sign in, or to finish the second factor)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


async def verify_csrf(request: Request) -> None:
    """Refuse any state-changing request whose token is not the one the page was given."""
    if request.method in _SAFE_METHODS or request.url.path.startswith(API_PREFIX):
        return
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None and request.headers.get("content-type", "").startswith(_FORM_TYPES):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    # Resolving the visitor reads the database: off the event loop, like the handlers.
    visitor = await run_in_threadpool(visitor_of, request)
    if not tokens_match(visitor.csrf_token, submitted):
        raise CsrfFailed


async def posted_form(request: Request) -> FormData:
    """The request's form, read once (the CSRF check reads the same).

    Handlers take it as a parameter (`PostedForm`) and are plain functions: FastAPI
    runs them in its thread pool, so their database work never holds up the event
    loop (an `async` handler waiting its turn to write stopped every other request
    of its process meanwhile).
    """
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def database(request: Request) -> Database:
    """The application's database (opened, and migrated, at start-up)."""
    db: Database = request.app.state.database
    return db


def current_visitor(request: Request) -> Visitor:
    return visitor_of(request)


def require_staff(request: Request) -> SignedIn:
    """The signed-in person with both factors done; otherwise off to sign in."""
    visitor = visitor_of(request)
    signed_in = visitor.signed_in
    if signed_in is None:
        raise Redirect(f"/sign-in?next={quote(request.url.path)}")
    if signed_in.needs_totp_setup:
        raise Redirect("/sign-in/set-up-code")
    if not signed_in.second_factor_done:
        raise Redirect("/sign-in/code")
    return signed_in


def allowed(permission: Permission) -> Callable[[Request], SignedIn]:
    """A dependency: the signed-in person, if their role grants `permission` (else 403).

    The role check here only decides whether the page opens at all; the service
    applies the same policy again, with scope, to every record it touches.
    """

    def check(request: Request) -> SignedIn:
        staff = require_staff(request)
        if not access.can(staff.actor(), permission):
            raise Forbidden(f"your role does not allow {permission.value}")
        return staff

    return check


VisitorDep = Annotated[Visitor, Depends(current_visitor)]
Staff = Annotated[SignedIn, Depends(require_staff)]
