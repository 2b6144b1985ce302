"""Reports of a worry from the public: validated, size-limited, honeypot-checked, and placed in
the MASH triage queue. The reporter needs no account and gets a reference.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from pydantic import ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.services import access
from lantern.services.access import Permission
from lantern.services.context import Actor, Invalid, NotFound, TooManyAttempts, utcnow
from lantern.services.validation import CleanModel
from lantern.services.young_people import new_reference
from lantern.store.models import PublicReport, PublicReportStatus

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

    def hit(self, key: str, now: float | None = None) -> bool:
        """Count one attempt; False when the key is over its limit (the attempt is refused)."""
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


def submit_report(
    *,
    session: Session,
    actor: Actor,
    draft: PublicReportDraft,
    client: str = "unknown",
    limiter: RateLimiter = REPORT_LIMITER,
) -> PublicReport | None:
    """Save a public report for MASH; None when the honeypot was filled (silently dropped).

    Raises `TooManyAttempts` when the client has reported too often.
    """
    if draft.website:
        return None
    if not limiter.hit(client):
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
    "close_report",
    "get_report",
    "list_reports",
    "submit_report",
]
