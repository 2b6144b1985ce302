"""Break-glass on both backends: a reason, time-limited access, audited, then reviewed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lantern.services import Forbidden, Invalid, NotFound
from lantern.services.access import break_glass_to_review, open_break_glass, review_break_glass
from lantern.services.young_people import get_page
from lantern.store.models import AuditEvent

from .conftest import World

REASON = "Police call about a missing episode tonight."


def test_break_glass_opens_is_audited_and_reviewed(world: World) -> None:
    yp = world.young_person("prac_a")
    outsider = world.users["prac_b"]
    with pytest.raises(Forbidden), world.db.transaction(outsider) as s:
        get_page(session=s, actor=outsider, young_person_id=yp)
    with world.db.transaction(outsider) as s:
        grant = open_break_glass(session=s, actor=outsider, young_person_id=yp, reason=REASON)
    with world.db.transaction(outsider) as s:
        assert get_page(session=s, actor=outsider, young_person_id=yp).person.id == yp
    with world.db.sessions() as s:
        flagged = s.scalars(
            select(AuditEvent).where(
                AuditEvent.user_id == outsider.user_id, AuditEvent.break_glass.is_(True)
            )
        ).all()
    assert flagged and all(e.reason == REASON for e in flagged)
    for reviewer in ("mash", "auditor"):
        actor = world.users[reviewer]
        with world.db.transaction(actor) as s:
            assert grant.id in [g.id for g in break_glass_to_review(session=s, actor=actor)]
    auditor = world.users["auditor"]
    with world.db.transaction(auditor) as s:
        reviewed = review_break_glass(session=s, actor=auditor, grant_id=grant.id)
        assert reviewed.reviewed_by_id == auditor.user_id and reviewed.reviewed_at is not None
    with world.db.transaction(auditor) as s:
        assert break_glass_to_review(session=s, actor=auditor) == []
    with pytest.raises(NotFound), world.db.transaction(auditor) as s:
        review_break_glass(session=s, actor=auditor, grant_id=grant.id + 999)


def test_break_glass_needs_a_reason_and_a_role(world: World) -> None:
    yp = world.young_person("prac_a")
    outsider = world.users["prac_b"]
    with pytest.raises(Invalid), world.db.transaction(outsider) as s:
        open_break_glass(session=s, actor=outsider, young_person_id=yp, reason="because")
    for who in ("admin", "auditor", "analyst"):
        actor = world.users[who]
        with pytest.raises(Forbidden), world.db.transaction(actor) as s:
            open_break_glass(session=s, actor=actor, young_person_id=yp, reason=REASON)
    prac = world.users["prac_a"]
    with pytest.raises(Forbidden), world.db.transaction(prac) as s:
        break_glass_to_review(session=s, actor=prac)
