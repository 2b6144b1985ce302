"""The audit trail, for auditors: search events by young person or user, and see whether the
hash chain is intact (any edited or removed event is named)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from lantern.services import audit
from lantern.services.access import Permission
from lantern.web.deps import allowed, database
from lantern.web.pages import render
from lantern.web.visitor import SignedIn

__all__ = ["router"]

router = APIRouter()

Auditor = Annotated[SignedIn, Depends(allowed(Permission.VIEW_AUDIT))]

#: Events on one page: enough to follow a morning's work, small enough to read.
PAGE_SIZE = 100


def _number(value: str) -> int | str | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        return "Enter a number"
    return int(value)


@router.get("/audit", response_class=HTMLResponse)
def events(
    request: Request, staff: Auditor, young_person: str = "", user: str = "", before: str = ""
) -> Response:
    wanted = {
        "young_person": _number(young_person),
        "user": _number(user),
        "before": _number(before),
    }
    errors = {k: v for k, v in wanted.items() if isinstance(v, str)}
    found = []
    actor = staff.actor()
    db = database(request)
    # The chain and its anchor outside the database, as `lantern audit verify` checks them.
    check = db.verify_audit()
    with db.reading(actor) as session:
        if not errors:
            yp, who, older = (v if isinstance(v, int) else None for v in wanted.values())
            found = [
                {
                    "id": e.id,
                    "at": e.at,
                    "user": e.user_email or "",
                    "role": e.role or "",
                    "action": e.action,
                    "record": f"{e.record_type or ''} {e.record_id or ''}".strip(),
                    "young_person_id": e.young_person_id,
                    "young_people": e.detail.get(audit.YOUNG_PEOPLE, []),
                    "reason": e.reason or "",
                    "break_glass": e.break_glass,
                }
                for e in audit.list_events(
                    session, young_person_id=yp, user_id=who, limit=PAGE_SIZE, before_id=older
                )
            ]
    query = {k: v for k, v in (("young_person", young_person), ("user", user)) if v.strip()}
    return render(
        request,
        "audit/events.html",
        {
            "title": "Audit trail",
            "check": check,
            "events": found,
            "query": query,
            "young_person": young_person,
            "user": user,
            "errors": errors,
            "older": found[-1]["id"] if len(found) == PAGE_SIZE else None,
        },
        status=400 if errors else 200,
    )
