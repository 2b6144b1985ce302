"""Scope, break-glass and the audit trail on both backends, including tampering."""

# ruff: noqa: S608 - tampering SQL is built from ids the test itself read
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

from lantern.services import Forbidden, audit
from lantern.services.access import open_break_glass
from lantern.services.concerns import ConcernDraft, FactorChoice, record_concern
from lantern.services.young_people import get_page
from lantern.store.models import AuditEvent

from .conftest import World

LANTERN = Path(sys.executable).with_name("lantern")


def _concern(world: World, yp: int, who: str, key: str) -> None:
    actor = world.users[who]
    with world.db.transaction(actor) as s:
        record_concern(
            session=s,
            actor=actor,
            draft=ConcernDraft(
                young_person_id=yp,
                observed_on=date.today(),
                text="Seen with older adults.",
                factors=[FactorChoice(code="older_associates")],
                idempotency_key=key,
            ),
        )


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("prac_a", True),
        ("prac_a2", False),
        ("prac_b", False),
        ("dsl_a", True),
        ("dsl_b", False),
        ("mash", False),
        ("analyst", False),
        ("admin", False),
        ("auditor", False),
    ],
)
def test_who_may_open_a_young_person(world: World, who: str, allowed: bool) -> None:
    yp = world.young_person("prac_a")
    _concern(world, yp, "prac_a", "scope-key-1")
    actor = world.users[who]
    if allowed:
        with world.db.transaction(actor) as s:
            assert get_page(session=s, actor=actor, young_person_id=yp).person.id == yp
    else:
        with pytest.raises(Forbidden), world.db.transaction(actor) as s:
            get_page(session=s, actor=actor, young_person_id=yp)


def test_break_glass_opens_with_a_reason_and_is_flagged(world: World) -> None:
    yp = world.young_person("prac_a")
    b = world.users["prac_b"]
    with world.db.transaction(b) as s:
        open_break_glass(
            session=s,
            actor=b,
            young_person_id=yp,
            reason="Child arrived at our school in distress today",
        )
    with world.db.transaction(b) as s:
        get_page(session=s, actor=b, young_person_id=yp)
    with world.db.sessions() as s:
        reads = s.scalars(
            select(AuditEvent).where(
                AuditEvent.user_id == b.user_id,
                AuditEvent.action == "read",
                AuditEvent.record_type == "young_person",
            )
        ).all()
        assert reads and all(e.break_glass and e.reason for e in reads)


def test_every_read_and_write_is_audited(world: World) -> None:
    yp = world.young_person("prac_a")
    _concern(world, yp, "prac_a", "audit-key-1")
    actor = world.users["dsl_a"]
    with world.db.transaction(actor) as s:
        get_page(session=s, actor=actor, young_person_id=yp)
    with world.db.sessions() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.young_person_id == yp)).all()
        writes = {
            (e.action, e.record_type) for e in events if e.user_id == world.users["prac_a"].user_id
        }
        reads = {(e.action, e.record_type) for e in events if e.user_id == actor.user_id}
    assert {
        ("create", "young_person"),
        ("create", "concern"),
        ("create", "assessment"),
        ("create", "concern_factor"),
    } <= writes
    assert {("read", "young_person"), ("read", "concern"), ("read", "assessment")} <= reads


def _tamper(world: World, sql: str) -> None:
    with world.db.engine.begin() as c:
        c.execute(text(sql))


def _verify(world: World) -> audit.VerifyResult:
    return world.db.verify_audit()


def _ids(world: World) -> list[int]:
    with world.db.sessions() as s:
        return list(s.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


@pytest.fixture
def trail(world: World) -> World:
    yp = world.young_person("prac_a")
    _concern(world, yp, "prac_a", "trail-key-1")
    assert _verify(world).ok
    return world


def test_edit_is_detected(trail: World) -> None:
    target = _ids(trail)[3]
    _tamper(trail, f"UPDATE audit_event SET user_email = 'someone@else' WHERE id = {target}")
    result = _verify(trail)
    assert not result.ok and result.first_broken_id == target


def test_deletion_is_detected(trail: World) -> None:
    ids = _ids(trail)
    _tamper(trail, f"DELETE FROM audit_event WHERE id = {ids[2]}")
    result = _verify(trail)
    assert not result.ok and result.first_broken_id == ids[3]


def test_reordering_is_detected(trail: World) -> None:
    a, b = _ids(trail)[1:3]
    # Swap two events' ids (through a spare id) so their order changes.
    _tamper(trail, f"UPDATE audit_event SET id = -1 WHERE id = {a}")
    _tamper(trail, f"UPDATE audit_event SET id = {a} WHERE id = {b}")
    _tamper(trail, f"UPDATE audit_event SET id = {b} WHERE id = -1")
    result = _verify(trail)
    assert not result.ok and result.first_broken_id == a


def test_removing_the_newest_events_is_detected_by_the_anchor(trail: World) -> None:
    ids = _ids(trail)
    _tamper(trail, f"DELETE FROM audit_event WHERE id >= {ids[-2]}")
    with trail.db.sessions() as s:
        # What is left is still a valid chain: only the anchor outside the database shows it.
        assert audit.verify(s).ok
    result = _verify(trail)
    assert not result.ok and result.first_broken_id == ids[-1]
    assert "missing" in result.message


def test_newest_events_replaced_are_detected(trail: World) -> None:
    ids = _ids(trail)
    _tamper(trail, f"DELETE FROM audit_event WHERE id >= {ids[-3]}")
    yp = trail.young_person("prac_b", first="Ben", last="Cole")
    _concern(trail, yp, "prac_b", "trail-key-2")  # new events chained onto the cut
    result = _verify(trail)
    assert not result.ok
    assert result.first_broken_id is not None and result.first_broken_id >= ids[-3]


def test_anchor_counts_every_commit(trail: World, anchor_path: Path) -> None:
    result = _verify(trail)
    assert result.ok and result.anchored >= 2
    lines = anchor_path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == result.anchored


def test_audit_verify_command(trail: World, db_url: str, anchor_path: Path) -> None:
    env = {**os.environ, "LANTERN_DATABASE_URL": db_url, "LANTERN_AUDIT_ANCHOR": str(anchor_path)}
    ok = subprocess.run(
        [str(LANTERN), "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    target = _ids(trail)[4]
    _tamper(trail, f"UPDATE audit_event SET reason = 'covered up' WHERE id = {target}")
    broken = subprocess.run(
        [str(LANTERN), "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert broken.returncode == 1
    assert f"event {target}" in broken.stderr and "Traceback" not in broken.stderr


def test_audit_verify_command_sees_newest_events_removed(
    trail: World, db_url: str, anchor_path: Path
) -> None:
    env = {**os.environ, "LANTERN_DATABASE_URL": db_url, "LANTERN_AUDIT_ANCHOR": str(anchor_path)}
    last = _ids(trail)[-1]
    _tamper(trail, f"DELETE FROM audit_event WHERE id = {last}")
    broken = subprocess.run(
        [str(LANTERN), "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert broken.returncode == 1
    assert f"event {last}" in broken.stderr and "Traceback" not in broken.stderr
