"""Duplicate young-person records: the proposals a lead weighs, a proposal side by side with
its reasons, confirming a merge with a rationale or recording that the records are not the
same young person, a merge and its joined chronology, undoing either; and the merge facts
shown on the young person page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.services import merges
from lantern.services.access import Permission
from lantern.services.context import Invalid
from lantern.web.deps import PostedForm, allowed, database
from lantern.web.forms import text_of
from lantern.web.pages import render
from lantern.web.visitor import SignedIn

__all__ = ["router"]

router = APIRouter()

Lead = Annotated[SignedIn, Depends(allowed(Permission.MERGE_YOUNG_PEOPLE))]
CaseViewer = Annotated[SignedIn, Depends(allowed(Permission.VIEW_YOUNG_PERSON))]


@router.get("/merges", response_class=HTMLResponse)
def proposals(request: Request, staff: Lead) -> Response:
    actor = staff.actor()
    with database(request).reading(actor) as session:
        found = merges.list_proposals(session=session, actor=actor)
        done = merges.recent_merges(session=session, actor=actor, limit=20)
        apart = merges.recent_dismissals(session=session, actor=actor, limit=20)
    return render(
        request,
        "merges/list.html",
        {
            "title": "Possible duplicate records",
            "proposals": found,
            "merges": done,
            "dismissals": apart,
        },
    )


def _proposal_context(request: Request, staff: SignedIn, key: str) -> dict[str, Any]:
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        proposal = merges.get_proposal(session=session, actor=actor, key=key)
    return {
        "title": f"Are these the same young person? {proposal.lead.name}",
        "proposal": proposal,
        "min_rationale": merges.MIN_RATIONALE,
        "form": {},
        "errors": {},
    }


@router.get("/merges/proposals/{key}", response_class=HTMLResponse)
def proposal(request: Request, staff: Lead, key: str) -> Response:
    return render(request, "merges/proposal.html", _proposal_context(request, staff, key))


@router.post("/merges/proposals/{key}/confirm", response_class=HTMLResponse)
def confirm(request: Request, staff: Lead, key: str, form: PostedForm) -> Response:
    rationale = text_of(form, "rationale")
    actor = staff.actor()
    try:
        with database(request).transaction(actor) as session:
            merge = merges.confirm_merge(session=session, actor=actor, key=key, rationale=rationale)
            merge_id = merge.id
    except Invalid as e:
        context = _proposal_context(request, staff, key)
        context.update(form={"rationale": rationale}, errors=e.errors)
        return render(request, "merges/proposal.html", context, status=400)
    return RedirectResponse(f"/merges/{merge_id}?confirmed=1", status_code=303)


@router.post("/merges/proposals/{key}/dismiss", response_class=HTMLResponse)
def dismiss(request: Request, staff: Lead, key: str, form: PostedForm) -> Response:
    reason = text_of(form, "reason")
    actor = staff.actor()
    try:
        with database(request).transaction(actor) as session:
            finding = merges.dismiss(session=session, actor=actor, key=key, reason=reason)
            finding_id = finding.id
    except Invalid as e:
        context = _proposal_context(request, staff, key)
        context.update(form={"reason": reason}, errors=e.errors)
        return render(request, "merges/proposal.html", context, status=400)
    return RedirectResponse(f"/merges/not-the-same/{finding_id}?recorded=1", status_code=303)


def _dismissal_context(request: Request, staff: SignedIn, finding_id: int) -> dict[str, Any]:
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        view = merges.get_dismissal(session=session, actor=actor, dismissal_id=finding_id)
    return {
        "title": f"Not the same young person: {view.records[0].name}",
        "view": view,
        "recorded": request.query_params.get("recorded") == "1",
        "undone": request.query_params.get("undone") == "1",
        "min_rationale": merges.MIN_RATIONALE,
        "form": {},
        "errors": {},
    }


@router.get("/merges/not-the-same/{finding_id}", response_class=HTMLResponse)
def dismissal_page(request: Request, staff: Lead, finding_id: int) -> Response:
    return render(request, "merges/dismissal.html", _dismissal_context(request, staff, finding_id))


@router.post("/merges/not-the-same/{finding_id}/undo", response_class=HTMLResponse)
def undo_dismissal(request: Request, staff: Lead, finding_id: int, form: PostedForm) -> Response:
    reason = text_of(form, "reason")
    actor = staff.actor()
    try:
        with database(request).transaction(actor) as session:
            merges.undo_dismissal(
                session=session, actor=actor, dismissal_id=finding_id, reason=reason
            )
    except Invalid as e:
        context = _dismissal_context(request, staff, finding_id)
        context.update(form={"reason": reason}, errors=e.errors)
        return render(request, "merges/dismissal.html", context, status=400)
    return RedirectResponse(f"/merges/not-the-same/{finding_id}?undone=1", status_code=303)


def _merge_context(request: Request, staff: SignedIn, merge_id: int) -> dict[str, Any]:
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        view = merges.get_merge(session=session, actor=actor, merge_id=merge_id)
    return {
        "title": f"Merge of records for {view.lead.name}",
        "view": view,
        "confirmed": request.query_params.get("confirmed") == "1",
        "undone": request.query_params.get("undone") == "1",
        "form": {},
        "errors": {},
    }


@router.get("/merges/{merge_id}", response_class=HTMLResponse)
def merge_page(request: Request, staff: Lead, merge_id: int) -> Response:
    return render(request, "merges/merge.html", _merge_context(request, staff, merge_id))


@router.post("/merges/{merge_id}/undo", response_class=HTMLResponse)
def undo(request: Request, staff: Lead, merge_id: int, form: PostedForm) -> Response:
    reason = text_of(form, "reason")
    actor = staff.actor()
    try:
        with database(request).transaction(actor) as session:
            merges.undo(session=session, actor=actor, merge_id=merge_id, reason=reason)
    except Invalid as e:
        context = _merge_context(request, staff, merge_id)
        context.update(form={"reason": reason}, errors=e.errors)
        return render(request, "merges/merge.html", context, status=400)
    return RedirectResponse(f"/merges/{merge_id}?undone=1", status_code=303)


@router.get("/young-people/{young_person_id}/merges", response_class=HTMLResponse)
def merges_of(request: Request, staff: CaseViewer, young_person_id: int) -> Response:
    """Merged records and possible duplicates: a fragment for the young person page (fetched
    by HTMX), or a page of its own when asked for without JavaScript."""
    actor = staff.actor()
    with database(request).reading(actor) as session:
        facts = merges.merges_of(session=session, actor=actor, young_person_id=young_person_id)
    fragment = request.headers.get("HX-Request") == "true"
    return render(
        request,
        "merges/of_fragment.html" if fragment else "merges/of.html",
        {
            "title": "Merged and possible duplicate records",
            "facts": facts,
            "young_person_id": young_person_id,
        },
    )
