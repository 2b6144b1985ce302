"""Lantern's services: business rules, the access policy and the audit trail, over the store.

Web routes, API endpoints and CLI commands each call one service function with
an `Actor` and a session from `Database.transaction(actor)`.
"""

from lantern.services.context import (
    Actor,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    ServiceError,
    TooManyAttempts,
    Unavailable,
)
from lantern.services.database import Database

__all__ = [
    "Actor",
    "Conflict",
    "Database",
    "Forbidden",
    "Invalid",
    "NotFound",
    "ServiceError",
    "TooManyAttempts",
    "Unavailable",
]
