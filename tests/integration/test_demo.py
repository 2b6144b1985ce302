"""The demo loader on both backends (a small cohort), and `lantern users totp`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from lantern.services import audit
from lantern.services.context import Actor
from lantern.services.demo import DEMO_DOMAIN, YOUNG_PEOPLE, load_demo
from lantern.store.models import Concern, Entity, EntityKind, Organisation, Role

from .conftest import World

LANTERN = Path(sys.executable).with_name("lantern")
#: Ofcom's drama range used by the demo: 07700 900000 to 900999.
DRAMA_MOBILE = re.compile(r"^\+447700900\d{3}$")


def test_demo_loads_once_with_every_role(world: World, db_url: str) -> None:
    system = Actor.system("demo")
    with world.db.transaction(system) as s:
        first = load_demo(session=s, young_people=6)
    with world.db.transaction(system) as s:
        second = load_demo(session=s, young_people=6)
        kinds = set(s.scalars(select(Organisation.kind)))
        phones = list(s.scalars(select(Entity.value).where(Entity.kind == EntityKind.PHONE)))
        per_person = s.scalar(select(func.count(Concern.id))) or 0
    assert first.created and not second.created
    assert second.concerns == first.concerns and first.young_people == 6
    assert {a.role for a in first.accounts} == set(Role)
    assert len(kinds) >= 7
    assert phones and all(DRAMA_MOBILE.match(p) for p in phones)
    # At this rate the default cohort is well over the 1,000 concerns asked for.
    assert per_person / 6 * YOUNG_PEOPLE >= 1000 * 0.9
    with world.db.sessions() as s:
        assert audit.verify(s).ok

    env = {**os.environ, "LANTERN_DATABASE_URL": db_url}
    demo_code = subprocess.run(
        [str(LANTERN), "users", "totp", f"mash@{DEMO_DOMAIN}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert demo_code.returncode == 0 and re.fullmatch(r"\d{6}\n", demo_code.stdout)
    real = subprocess.run(
        [str(LANTERN), "users", "totp", "prac_a@test.example"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert real.returncode == 1 and "demo accounts" in real.stderr
