"""The public report limit kept in the database: shared by every process, keyed by hash."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lantern.services import TooManyAttempts
from lantern.services.context import Actor, utcnow
from lantern.services.database import Database
from lantern.services.public_reports import PublicReportDraft, StoredRateLimiter, submit_report
from lantern.store.models import PublicReport, RateLimitHit

from .conftest import World


def _draft() -> PublicReportDraft:
    return PublicReportDraft(
        child="A girl of about 13 in a blue school coat",
        location="Bus station, Northshire",
        what_seen="Waiting with an older man most evenings; seemed frightened.",
    )


def _report(db: Database, limiter: StoredRateLimiter, client: str) -> None:
    with db.transaction(Actor.public()) as s:
        submit_report(
            session=s, actor=Actor.public(), draft=_draft(), client=client, limiter=limiter
        )


def _reports(db: Database) -> int:
    with db.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(PublicReport)) or 0)


def test_the_limit_holds_across_processes_and_keys_are_separate(world: World, db_url: str) -> None:
    # A second Database on the same database stands for a second server process.
    other = Database.open(db_url)
    try:
        first = StoredRateLimiter("public_report", 2, 3600, "secret-" + "k" * 40)
        second = StoredRateLimiter("public_report", 2, 3600, "secret-" + "k" * 40)
        _report(world.db, first, "203.0.113.7")
        _report(other, second, "203.0.113.7")
        with pytest.raises(TooManyAttempts):
            _report(world.db, first, "203.0.113.7")
        with pytest.raises(TooManyAttempts):
            _report(other, second, "203.0.113.7")
        _report(other, second, "198.51.100.4")  # another client has its own count
        assert _reports(world.db) == 3
    finally:
        other.dispose()


def test_only_a_keyed_hash_of_the_client_is_kept(world: World) -> None:
    limiter = StoredRateLimiter("public_report", 5, 3600, "secret-" + "k" * 40)
    _report(world.db, limiter, "203.0.113.7")
    with world.db.sessions() as s:
        kept = s.scalars(select(RateLimitHit.key_hash)).all()
    assert len(kept) == 1 and "203.0.113.7" not in kept[0] and len(kept[0]) == 64
    elsewhere = StoredRateLimiter("public_report", 5, 3600, "another-" + "k" * 40)
    assert elsewhere._key("203.0.113.7") != kept[0]


def test_old_attempts_fall_out_of_the_window(world: World) -> None:
    limiter = StoredRateLimiter("public_report", 1, 3600, "secret-" + "k" * 40)
    _report(world.db, limiter, "203.0.113.7")
    with world.db.transaction(Actor.public()) as s:
        for hit in s.scalars(select(RateLimitHit)):
            hit.at = utcnow() - timedelta(hours=2)
    _report(world.db, limiter, "203.0.113.7")
    with world.db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(RateLimitHit)) == 1  # the old one gone


def test_a_refused_or_failed_attempt_saves_nothing(world: World) -> None:
    limiter = StoredRateLimiter("public_report", 1, 3600, "secret-" + "k" * 40)
    _report(world.db, limiter, "203.0.113.7")
    with pytest.raises(TooManyAttempts):
        _report(world.db, limiter, "203.0.113.7")
    with pytest.raises(RuntimeError), world.db.transaction(Actor.public()) as s:
        submit_report(
            session=s, actor=Actor.public(), draft=_draft(), client="198.51.100.9", limiter=limiter
        )
        raise RuntimeError("the unit failed after counting")
    assert _reports(world.db) == 1
    _report(world.db, limiter, "198.51.100.9")  # the failed attempt did not count
