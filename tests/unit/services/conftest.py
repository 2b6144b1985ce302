"""A web-app world (organisations, a user in every role) for service tests that need one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lantern.services.context import Actor
from lantern.settings import Settings
from lantern.store.models import Role, User
from tests.unit.web.conftest import World, build_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = build_world(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'lantern.db'}",
            var_dir=tmp_path,
            secret_key="test-secret-key-" + "x" * 32,
        )
    )
    yield built
    built.db.dispose()


def actor_of(world: World, role: Role) -> Actor:
    """The acting person for the world's account in `role`."""
    with world.db.transaction(Actor.system("test")) as session:
        user = session.get(User, world.users[role][0])
        assert user is not None
        return Actor(user.id, user.email, user.role, user.organisation_id)
