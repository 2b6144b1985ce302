"""Break-glass: opening a young person's record outside one's scope, with a reason that is
recorded, audited and flagged for review; and the review list for MASH and auditors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.services import access, break_glass
from lantern.services.access import Permission
from lantern.services.context import Invalid
from lantern.web.deps import PostedForm, allowed, database
from lantern.web.forms import text_of
from lantern.web.pages import render
from lantern.web.visitor import SignedIn

__all__ = ["ask_page", "router"]

router = APIRouter()

Breaker = Annotated[SignedIn, Depends(allowed(Permission.BREAK_GLASS))]
Reviewer = Annotated[SignedIn, Depends(allowed(Permission.REVIEW_BREAK_GLASS))]


def ask_page(
    request: Request,
    young_person_id: int,
    *,
    reason: str = "",
    errors: dict[str, str] | None = None,
) -> Response:
    """The 403 page for a record outside the person's scope, offering break-glass access.

    It names nothing about the young person: not even that much is shown before
    the reason is given.
    """
    return render(
        request,
        "break_glass/ask.html",
        {
            "title": "You cannot see this page",
            "young_person_id": young_person_id,
            "reason": reason,
            "errors": errors or {},
            "hours": request.app.state.settings.break_glass_hours,
            "min_reason": access.MIN_BREAK_GLASS_REASON,
        },
        status=403 if not errors else 400,
    )


@router.post("/young-people/{young_person_id}/break-glass", response_class=HTMLResponse)
def open_record(
    request: Request, staff: Breaker, young_person_id: int, form: PostedForm
) -> Response:
    reason = text_of(form, "reason")
    actor = staff.actor()
    try:
        if len(reason) > 2000:
            raise Invalid({"reason": "Give the reason in up to 2,000 characters"})
        with database(request).transaction(actor) as session:
            access.open_break_glass(
                session=session,
                actor=actor,
                young_person_id=young_person_id,
                reason=reason,
                hours=request.app.state.settings.break_glass_hours,
            )
    except Invalid as e:
        return ask_page(request, young_person_id, reason=reason, errors=e.errors)
    return RedirectResponse(f"/young-people/{young_person_id}", status_code=303)


@router.get("/break-glass", response_class=HTMLResponse)
def review_list(request: Request, staff: Reviewer) -> Response:
    actor = staff.actor()
    with database(request).reading(actor) as session:
        listing = break_glass.review_list(session=session, actor=actor)
    return render(
        request,
        "break_glass/review.html",
        {
            "title": "Break-glass access to review",
            "waiting": listing.waiting,
            "reviewed": listing.recently_reviewed,
        },
    )


@router.post("/break-glass/{grant_id}/reviewed", response_class=HTMLResponse)
def mark_reviewed(request: Request, staff: Reviewer, grant_id: int) -> Response:
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        access.review_break_glass(session=session, actor=actor, grant_id=grant_id)
    return RedirectResponse("/break-glass", status_code=303)
