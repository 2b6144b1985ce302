"""Turning the session cookie into the signed-in person, through the auth service."""

from __future__ import annotations

from fastapi import Request

from lantern.services import auth
from lantern.services.context import Actor
from lantern.services.database import Database
from lantern.store.models import Organisation
from lantern.web.visitor import SignedIn

__all__ = ["resolve_session"]


def resolve_session(request: Request, token: str) -> SignedIn | None:
    """The live session for `token` (its idle deadline moved on when due), or None.

    Read without the write lock; the idle deadline is written at most once a
    minute (`auth.TOUCH_INTERVAL`), so most pages add no write for the session.
    """
    db: Database = request.app.state.database
    settings = request.app.state.settings
    with db.reading(Actor.public()) as session:
        found = auth.get_session(session=session, token=token, settings=settings)
        if found is None:
            return None
        record, user = found
        organisation = session.get(Organisation, user.organisation_id)
        due = auth.touch_due(record)
        signed_in = SignedIn(
            token=token,
            session_id=record.id,
            csrf_token=record.csrf_token,
            second_factor_done=record.second_factor_done,
            needs_totp_setup=not user.totp_confirmed,
            user_id=user.id,
            email=user.email,
            name=user.name,
            role=user.role,
            organisation_id=user.organisation_id,
            organisation_name=organisation.name if organisation else "",
        )
    if due:
        with db.transaction(Actor.public()) as session:
            auth.touch_session(session=session, session_id=signed_in.session_id)
    return signed_in
