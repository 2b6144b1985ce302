"""Choices for the triage forms: who can own an action, where a case can be referred.

Neither list is case content (names of colleagues and of partner agencies), but the
services do not offer them yet to the roles that triage (`admin.list_*` is for
administrators). This module is the one place in the web layer that queries them;
it goes when `triage.action_owners` and `triage.referral_destinations` exist
(requested in notes/web-requests.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.services.context import Actor
from lantern.store.models import Organisation, User

__all__ = ["Choice", "action_owners", "referral_destinations"]


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


def action_owners(session: Session, actor: Actor) -> list[Choice]:
    """Active colleagues in the actor's organisation (the actor first)."""
    rows = session.execute(
        select(User.id, User.name)
        .where(User.organisation_id == actor.organisation_id, User.active.is_(True))
        .order_by(User.name)
    ).all()
    found = [Choice(i, n) for i, n in rows]
    return sorted(found, key=lambda c: c.id != actor.user_id)


def referral_destinations(session: Session) -> list[Choice]:
    """Every partner organisation, by name, with its kind shown."""
    rows = session.execute(
        select(Organisation.id, Organisation.name, Organisation.kind).order_by(Organisation.name)
    ).all()
    return [Choice(i, f"{n} ({str(k.value).replace('_', ' ')})") for i, n, k in rows]
