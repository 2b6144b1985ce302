"""Cross-site request forgery protection for every form Lantern serves.

A signed-in person's forms carry their session's own token (kept server-side).
A visitor who is not signed in (the public "report a worry" form, the sign-in
form) gets a random cookie, and their forms carry an HMAC of it under the
secret key, so a page on another site can neither read nor forge the token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = [
    "ANON_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "anonymous_token",
    "new_anonymous_id",
    "tokens_match",
]

ANON_COOKIE = "lantern_visitor"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

#: 128 bits of randomness: beyond guessing for the life of a visit.
_ANON_ID_BYTES = 16


def new_anonymous_id() -> str:
    """A fresh random visitor id for the anonymous CSRF cookie."""
    return secrets.token_urlsafe(_ANON_ID_BYTES)


def anonymous_token(secret: str, visitor_id: str) -> str:
    """The form token for a visitor: an HMAC of their cookie, so only Lantern can make it."""
    return hmac.new(secret.encode(), f"csrf:{visitor_id}".encode(), hashlib.sha256).hexdigest()


def tokens_match(expected: str | None, submitted: str | None) -> bool:
    """True when both are present and equal (compared in constant time)."""
    if not expected or not submitted:
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())
