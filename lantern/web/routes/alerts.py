"""Alerts: accumulation, shared entity and review due, with acknowledge and close.

Analysts see alerts pseudonymised (young people by number, never by name); case
roles get a link to the record, where their scope is checked again.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.services import alerts
from lantern.services.access import Permission
from lantern.services.context import Invalid
from lantern.store.models import AlertState, Role
from lantern.web.deps import PostedForm, allowed, database
from lantern.web.forms import text_of
from lantern.web.pages import render
from lantern.web.visitor import SignedIn

__all__ = ["router"]

router = APIRouter()

Viewer = Annotated[SignedIn, Depends(allowed(Permission.VIEW_ALERTS))]

#: The states a list can show, and what the person can move an alert to.
_SHOWN = {
    "open": AlertState.OPEN,
    "acknowledged": AlertState.ACKNOWLEDGED,
    "closed": AlertState.CLOSED,
}
_MOVES = {"acknowledged": AlertState.ACKNOWLEDGED, "closed": AlertState.CLOSED}

#: Roles whose work includes acting on an alert (analysts look, they do not triage).
_ACTS = frozenset({Role.MASH, Role.DSL})


@router.get("/alerts", response_class=HTMLResponse)
def list_page(request: Request, staff: Viewer, state: str = "open") -> Response:
    if state not in _SHOWN:
        raise Invalid({"state": "choose open, acknowledged or closed"})
    actor = staff.actor()
    with database(request).reading(actor) as session:
        found = alerts.list_alerts(session=session, actor=actor, state=_SHOWN[state])
        rows = [
            {
                "id": a.id,
                "kind": a.kind.value,
                "summary": a.summary,
                "why": str(a.detail.get("why", "")),
                "created_at": a.created_at,
                "state": a.state.value,
                "young_person_id": a.young_person_id,
                "young_people": [int(i) for i in a.detail.get("young_person_ids", [])],
            }
            for a in found
        ]
    return render(
        request,
        "alerts/list.html",
        {
            "title": "Alerts",
            "alerts": rows,
            "state": state,
            "states": list(_SHOWN),
            "can_act": staff.role in _ACTS,
            "links": staff.role != Role.ANALYST,
        },
    )


@router.post("/alerts/{alert_id}/state", response_class=HTMLResponse)
def move(request: Request, staff: Viewer, alert_id: int, form: PostedForm) -> Response:
    wanted = text_of(form, "state")
    if wanted not in _MOVES:
        raise Invalid({"state": "choose acknowledged or closed"})
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        alerts.set_state(session=session, actor=actor, alert_id=alert_id, state=_MOVES[wanted])
    return RedirectResponse(f"/alerts?state={wanted}", status_code=303)
