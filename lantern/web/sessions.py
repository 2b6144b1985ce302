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
    """The live session for `token` (its idle deadline moved on), or None."""
    db: Database = request.app.state.database
    with db.transaction(Actor.public()) as session:
        found = auth.get_session(session=session, token=token, settings=request.app.state.settings)
        if found is None:
            return None
        record, user = found
        organisation = session.get(Organisation, user.organisation_id)
        return SignedIn(
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
