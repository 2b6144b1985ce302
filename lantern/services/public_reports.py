"""Reports of a worry from the public: validated, size-limited, honeypot-checked, and placed in
the MASH triage queue. The reporter needs no account and gets a reference.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import deque
from datetime import timedelta

from pydantic import ConfigDict, Field
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lantern.services import access
from lantern.services.access import Permission
from lantern.services.context import Actor, Invalid, NotFound, TooManyAttempts, utcnow
from lantern.services.validation import CleanModel
from lantern.services.young_people import new_reference
from lantern.store.models import PublicReport, PublicReportStatus, RateLimitHit

#: Reports accepted from one address in one window: enough for a worried family
#: to report twice, too few for a script to flood the MASH queue.
RATE_LIMIT_REPORTS = 5
RATE_LIMIT_WINDOW_SECONDS = 3600


class PublicReportDraft(CleanModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    child: str = Field(min_length=1, max_length=1000)
    location: str = Field(min_length=1, max_length=1000)
    what_seen: str = Field(min_length=1, max_length=5000)
    reporter_name: str | None = Field(default=None, max_length=200)
    reporter_contact: str | None = Field(default=None, max_length=200)
    # Hidden from people, filled in by form-filling robots: a report with it is not from a person.
    website: str | None = Field(default=None, max_length=200)


class RateLimiter:
    """Sliding-window counts per key (e.g. client address), in memory, thread-safe."""

    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None, *, session: Session | None = None) -> bool:
        """Count one attempt; False when the key is over its limit (the attempt is refused).
        (`session` is for the stored limiter's sake: this one counts in memory.)"""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] >= self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True


REPORT_LIMITER = RateLimiter(RATE_LIMIT_REPORTS, RATE_LIMIT_WINDOW_SECONDS)


class StoredRateLimiter:
    """Sliding-window counts per key kept in the database: one limit however many server
    processes answer. Counted in the caller's unit of work, so an attempt that fails
    (and is rolled back) does not count. Keys are stored only as keyed hashes."""

    def __init__(self, scope: str, limit: int, window_seconds: float, secret: str) -> None:
        self.scope = scope
        self.limit = limit
        self.window = timedelta(seconds=window_seconds)
        self._secret = secret.encode("utf-8")

    def _key(self, key: str) -> str:
        return hmac.new(self._secret, key.encode("utf-8"), hashlib.sha256).hexdigest()

    def hit(self, key: str, *, session: Session) -> bool:
        """Count one attempt; False when the key is over its limit (the attempt is refused)."""
        now = utcnow()
        cutoff = now - self.window
        session.execute(
            delete(RateLimitHit).where(RateLimitHit.scope == self.scope, RateLimitHit.at < cutoff)
        )
        hashed = self._key(key)
        recent = session.scalar(
            select(func.count()).where(
                RateLimitHit.scope == self.scope,
                RateLimitHit.key_hash == hashed,
                RateLimitHit.at >= cutoff,
            )
        )
        if (recent or 0) >= self.limit:
            return False
        session.add(RateLimitHit(scope=self.scope, key_hash=hashed, at=now))
        session.flush()
        return True


def submit_report(
    *,
    session: Session,
    actor: Actor,
    draft: PublicReportDraft,
    client: str = "unknown",
    limiter: RateLimiter | StoredRateLimiter = REPORT_LIMITER,
) -> PublicReport | None:
    """Save a public report for MASH; None when the honeypot was filled (silently dropped).

    Raises `TooManyAttempts` when the client has reported too often.
    """
    if draft.website:
        return None
    if not limiter.hit(client, session=session):
        raise TooManyAttempts("Too many reports from here in the last hour. Please call 101.")
    report = PublicReport(
        reference=new_reference("PR"),
        child=draft.child,
        location=draft.location,
        what_seen=draft.what_seen,
        reporter_name=draft.reporter_name or None,
        reporter_contact=draft.reporter_contact or None,
        status=PublicReportStatus.NEW,
        created_at=utcnow(),
    )
    session.add(report)
    session.flush()
    return report


def list_reports(
    *,
    session: Session,
    actor: Actor,
    status: PublicReportStatus | None = PublicReportStatus.NEW,
    limit: int = 100,
) -> list[PublicReport]:
    access.require(actor, Permission.VIEW_PUBLIC_REPORTS)
    query = select(PublicReport).order_by(PublicReport.created_at.desc()).limit(limit)
    if status is not None:
        query = query.where(PublicReport.status == status)
    return list(session.scalars(query))


def get_report(*, session: Session, actor: Actor, report_id: int) -> PublicReport:
    access.require(actor, Permission.VIEW_PUBLIC_REPORTS)
    report = session.get(PublicReport, report_id)
    if report is None:
        raise NotFound(f"no public report {report_id}")
    return report


def close_report(*, session: Session, actor: Actor, report_id: int, reason: str) -> PublicReport:
    """Close a report that needs nothing more (the reason is audited)."""
    access.require(actor, Permission.TRIAGE_PUBLIC_REPORT)
    if len(reason.strip()) < 10:
        raise Invalid({"reason": "say why the report is closed"})
    report = get_report(session=session, actor=actor, report_id=report_id)
    report.status = PublicReportStatus.CLOSED
    session.flush()
    return report


__all__ = [
    "REPORT_LIMITER",
    "PublicReportDraft",
    "RateLimiter",
    "StoredRateLimiter",
    "close_report",
    "get_report",
    "list_reports",
    "submit_report",
]
