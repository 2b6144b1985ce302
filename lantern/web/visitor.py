"""Who is looking at a page: the signed-in person (from the session cookie) or a visitor.

Resolved once per request and kept on `request.state`; everything that needs
to know who is acting (the form token, the navigation, the services' `Actor`)
reads it from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from lantern.services.context import Actor, ServiceError
from lantern.store.models import Role
from lantern.web.csrf import ANON_COOKIE, anonymous_token, new_anonymous_id

__all__ = ["SESSION_COOKIE", "NavItem", "SignedIn", "Visitor", "navigation", "visitor_of"]

SESSION_COOKIE = "lantern_session"


@dataclass(frozen=True)
class SignedIn:
    """A valid server-side session and the person it belongs to."""

    token: str
    session_id: int
    csrf_token: str
    second_factor_done: bool
    needs_totp_setup: bool
    user_id: int
    email: str
    name: str
    role: Role
    organisation_id: int
    organisation_name: str

    def actor(self, channel: str = "web") -> Actor:
        return Actor(
            user_id=self.user_id,
            email=self.email,
            role=self.role,
            organisation_id=self.organisation_id,
            channel="api" if channel == "api" else "web",
        )


@dataclass(frozen=True)
class Visitor:
    """The person behind a request, and the token their forms must carry."""

    signed_in: SignedIn | None
    csrf_token: str
    new_visitor_id: str | None  # set when the anonymous cookie must be sent

    @property
    def is_staff(self) -> bool:
        """Signed in with both factors: may use the staff pages their role allows."""
        return self.signed_in is not None and self.signed_in.second_factor_done

    @property
    def role(self) -> Role | None:
        return self.signed_in.role if self.is_staff and self.signed_in else None

    @property
    def actor(self) -> Actor:
        if self.is_staff and self.signed_in is not None:
            return self.signed_in.actor()
        return Actor.public()


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    active: bool


#: The service navigation for each role: only the pages that role can use.
_ROLE_NAV: dict[Role, tuple[tuple[str, str], ...]] = {
    Role.PRACTITIONER: (
        ("Record a concern", "/concerns/new"),
        ("Young people", "/young-people"),
        ("API tokens", "/account/api-tokens"),
    ),
    Role.DSL: (
        ("Triage", "/triage"),
        ("Alerts", "/alerts"),
        ("Record a concern", "/concerns/new"),
        ("Young people", "/young-people"),
        ("Duplicates", "/merges"),
        ("API tokens", "/account/api-tokens"),
    ),
    Role.MASH: (
        ("Triage", "/triage"),
        ("Alerts", "/alerts"),
        ("Record a concern", "/concerns/new"),
        ("Young people", "/young-people"),
        ("Duplicates", "/merges"),
        ("Break-glass reviews", "/break-glass"),
        ("Network", "/analyst"),
        ("API tokens", "/account/api-tokens"),
    ),
    Role.ANALYST: (
        ("Network", "/analyst"),
        ("Alerts", "/alerts"),
        ("API tokens", "/account/api-tokens"),
    ),
    Role.ADMIN: (("Organisations", "/admin/organisations"), ("Users", "/admin/users")),
    Role.AUDITOR: (("Audit trail", "/audit"), ("Break-glass reviews", "/break-glass")),
}

_PUBLIC_NAV: tuple[tuple[str, str], ...] = (
    ("About exploitation", "/"),
    ("Report a worry", "/report"),
)


def navigation(visitor: Visitor, path: str) -> list[NavItem]:
    """The navigation links for this visitor, marking the one for the current page."""
    links = _ROLE_NAV.get(visitor.role, ()) if visitor.role is not None else _PUBLIC_NAV
    items = [
        NavItem(text, href, path == href or (href != "/" and path.startswith(href + "/")))
        for text, href in links
    ]
    if visitor.signed_in is not None:
        items.append(NavItem("Sign out", "/sign-out", False))
    else:
        items.append(NavItem("Staff sign in", "/sign-in", path == "/sign-in"))
    return items


def visitor_of(request: Request) -> Visitor:
    """The visitor for this request, resolved once."""
    found = getattr(request.state, "visitor", None)
    if isinstance(found, Visitor):
        return found
    try:
        signed_in = _signed_in(request)
    except ServiceError:
        # The database is unavailable: this request fails (503), and its error page is
        # drawn for an anonymous visitor rather than failing again on the session.
        request.state.visitor = Visitor(signed_in=None, csrf_token="", new_visitor_id=None)
        raise
    if signed_in is not None:
        visitor = Visitor(signed_in=signed_in, csrf_token=signed_in.csrf_token, new_visitor_id=None)
    else:
        secret: str = request.app.state.secret_key
        existing = request.cookies.get(ANON_COOKIE)
        visitor_id = existing or new_anonymous_id()
        visitor = Visitor(
            signed_in=None,
            csrf_token=anonymous_token(secret, visitor_id),
            new_visitor_id=None if existing else visitor_id,
        )
    request.state.visitor = visitor
    return visitor


def _signed_in(request: Request) -> SignedIn | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    from lantern.web.sessions import resolve_session  # needs the database; only when signed in

    return resolve_session(request, token)
