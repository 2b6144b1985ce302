"""`lantern db link` on both backends: adults resolved, alerts raised, bad options refused."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from lantern.services.concerns import ConcernDraft, EntityChoice, record_concern
from lantern.store.models import Alert, AlertKind, Entity, EntityKind

from .conftest import World

LANTERN = Path(sys.executable).with_name("lantern")


def _lantern(db_url: str, anchor: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANTERN_DATABASE_URL": db_url, "LANTERN_AUDIT_ANCHOR": str(anchor)}
    return subprocess.run(
        [str(LANTERN), *args], env=env, capture_output=True, text=True, check=False, timeout=180
    )


# The command is the same code on both backends (test_network runs the job on both);
# one backend keeps the slow start of a Splink subprocess to one run.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_db_link_names_the_same_adult_once(world: World, db_url: str, anchor_path: Path) -> None:
    actor = world.users["prac_a"]
    for i, (first, person) in enumerate([("Ann", "Deano"), ("Beth", "Deano"), ("Cara", "Mo")]):
        yp = world.young_person(first=first, last=f"Link{i}")
        with world.db.transaction(actor) as s:
            record_concern(
                session=s,
                actor=actor,
                draft=ConcernDraft(
                    young_person_id=yp,
                    observed_on=date.today() - timedelta(days=i + 1),
                    text=f"Seen getting into a car driven by an older male known as {person}.",
                    entities=[EntityChoice(kind=EntityKind.PERSON, value=person)],
                    idempotency_key=f"link-cmd-{i:04d}",
                ),
            )
    with world.db.sessions() as s:
        assert not s.scalars(select(Alert).where(Alert.kind == AlertKind.SHARED_ENTITY)).all()
    done = _lantern(db_url, anchor_path, "db", "link")
    assert done.returncode == 0, done.stderr
    assert "2 adults named" in done.stdout
    with world.db.sessions() as s:
        alerts = s.scalars(select(Alert).where(Alert.kind == AlertKind.SHARED_ENTITY)).all()
        assert len(alerts) == 1 and len(alerts[0].detail["young_person_ids"]) == 2
        people = s.scalars(select(Entity).where(Entity.kind == EntityKind.PERSON)).all()
        assert all(p.identity_id is not None for p in people)
    assert world.db.verify_audit().ok
    assert _lantern(db_url, anchor_path, "audit", "verify").returncode == 0


def test_db_link_refuses_an_unknown_backend(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'never-opened.db'}"
    done = _lantern(url, tmp_path / "anchor", "db", "link", "--backend", "nope")
    assert done.returncode == 1
    assert "duckdb or spark" in done.stderr and "Traceback" not in done.stderr
