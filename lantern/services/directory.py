"""Who and where, for the triage forms: colleagues who can own an action, partner agencies
a case can be referred to.

Neither list is case content (they name staff and organisations, not young
people), but they are still only for the roles that triage: a practitioner or
an auditor has no use for the staff list. The permission checked is the one the
form itself needs (`MANAGE_ACTIONS` for owners, `MAKE_REFERRAL` for destinations).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.services import access
from lantern.services.access import Permission
from lantern.services.context import Actor
from lantern.store.models import Organisation, User

__all__ = ["Choice", "action_owners", "referral_destinations"]


@dataclass(frozen=True)
class Choice:
    """One option of a form's list: the record's id and the text shown for it."""

    id: int
    name: str


def action_owners(session: Session, actor: Actor) -> list[Choice]:
    """Active colleagues in the actor's organisation, by name, with the actor first.

    Raises `Forbidden` unless the actor may manage actions.
    """
    access.require(actor, Permission.MANAGE_ACTIONS)
    rows = session.execute(
        select(User.id, User.name)
        .where(User.organisation_id == actor.organisation_id, User.active.is_(True))
        .order_by(User.name, User.id)
    ).all()
    found = [Choice(i, n) for i, n in rows]
    # Most actions are owned by whoever records them: their own name is the first choice.
    return sorted(found, key=lambda c: c.id != actor.user_id)


def referral_destinations(session: Session, actor: Actor) -> list[Choice]:
    """Every partner organisation, by name, with its kind shown.

    Raises `Forbidden` unless the actor may make referrals.
    """
    access.require(actor, Permission.MAKE_REFERRAL)
    rows = session.execute(
        select(Organisation.id, Organisation.name, Organisation.kind).order_by(
            Organisation.name, Organisation.id
        )
    ).all()
    return [Choice(i, f"{n} ({_kind_label(k.value)})") for i, n, k in rows]


def _kind_label(kind: str) -> str:
    return kind.replace("_", " ")
