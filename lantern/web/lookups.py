"""The triage forms' choices, re-exported from `lantern.services.directory` for the routes
that still import them from here (the call sites move to the service; then this goes).

`referral_destinations` once took only the session: the actor is now needed for
the access check, so without one it uses the actor the unit of work was opened
for (`Database.transaction(actor)` records it on the session).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from lantern.services import directory
from lantern.services.context import Actor
from lantern.services.directory import Choice, action_owners

__all__ = ["Choice", "action_owners", "referral_destinations"]


def referral_destinations(session: Session, actor: Actor | None = None) -> list[Choice]:
    """`directory.referral_destinations`, for the actor of the session's unit of work
    unless one is given."""
    who = actor if actor is not None else session.info.get("actor")
    if not isinstance(who, Actor):
        raise RuntimeError("no actor for this session; open it with Database.transaction(actor)")
    return directory.referral_destinations(session, who)
