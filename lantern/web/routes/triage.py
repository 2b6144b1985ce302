"""Triage: the queue for a lead (their organisation) or MASH (referrals, public reports,
alerts), decisions with professional judgement, and a case's actions and referrals."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.screening import load_rules
from lantern.services import concerns, directory, public_reports, triage, young_people
from lantern.services.access import Permission
from lantern.services.context import Invalid
from lantern.services.triage import QueueFilter
from lantern.store.models import ActionStatus, DecisionOutcome, ReferralStatus
from lantern.web.deps import PostedForm, allowed, database
from lantern.web.forms import date_from_parts, text_of
from lantern.web.pages import render
from lantern.web.visitor import SignedIn

__all__ = ["router"]

router = APIRouter()

Queue = Annotated[SignedIn, Depends(allowed(Permission.VIEW_TRIAGE_QUEUE))]
Decides = Annotated[SignedIn, Depends(allowed(Permission.RECORD_DECISION))]
Manages = Annotated[SignedIn, Depends(allowed(Permission.MANAGE_ACTIONS))]
Reports = Annotated[SignedIn, Depends(allowed(Permission.TRIAGE_PUBLIC_REPORT))]

#: What each kind of queue item is called on the page, and the filter's choices.
KINDS: dict[str, str] = {
    "concern": "Concern",
    "referral": "Referral",
    "public_report": "Public report",
    "alert": "Alert",
}

#: The decision outcomes in the order a lead weighs them, with plain words.
OUTCOMES: dict[str, str] = {
    DecisionOutcome.NO_FURTHER_ACTION.value: "No further action",
    DecisionOutcome.MONITOR.value: "Monitor",
    DecisionOutcome.EARLY_HELP.value: "Early help",
    DecisionOutcome.REFER_CSC.value: "Refer to children's social care",
    DecisionOutcome.STRATEGY_DISCUSSION.value: "Strategy discussion",
}

#: Referral statuses a receiving team can set (a referral starts as sent).
REFERRAL_UPDATES = (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.CLOSED)

#: How far a name search on a public report looks (a shortlist, not a listing).
_MATCHES_SHOWN = 20


def _levels() -> dict[str, str]:
    return {level.code: level.title for level in load_rules().levels}


#: The furthest page of a queue that can be asked for (a bound on the offset).
_LAST_PAGE = 10_000


@router.get("/triage", response_class=HTMLResponse)
def queue_page(
    request: Request, staff: Queue, level: str = "", kind: str = "", page: str = "1"
) -> Response:
    levels = _levels()
    errors: dict[str, str] = {}
    if level and level not in levels:
        errors["level"] = "Choose a level from the list"
    if kind and kind not in KINDS:
        errors["kind"] = "Choose a kind from the list"
    number = int(page) if page.isdigit() and 0 < int(page) <= _LAST_PAGE else 1
    size = triage.QUEUE_PAGE_SIZE
    items: list[triage.QueueItem] = []
    total = 0
    if not errors:
        actor = staff.actor()
        # One row more than the page shows: whether there is a next page.
        filters = QueueFilter(
            level=level or None, kind=kind or None, limit=size + 1, offset=(number - 1) * size
        )
        with database(request).reading(actor) as session:
            items = triage.queue(session=session, actor=actor, filters=filters)
            total = triage.count_waiting(session=session, actor=actor, filters=filters)
    more = len(items) > size
    items = items[:size]
    query = {k: v for k, v in (("level", level), ("kind", kind)) if v}
    first = (number - 1) * size + 1
    return render(
        request,
        "triage/queue.html",
        {
            "title": "Triage",
            "items": items,
            "total": total,
            "more_than": triage.COUNT_UP_TO if total > triage.COUNT_UP_TO else None,
            "shown_from": first if items else 0,
            "shown_to": first + len(items) - 1 if items else 0,
            "previous_page": _page_link(query, number - 1) if number > 1 else None,
            "next_page": _page_link(query, number + 1) if more else None,
            "levels": levels,
            "kinds": KINDS,
            "level": level,
            "kind": kind,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _page_link(query: dict[str, str], number: int) -> str:
    return "/triage?" + urlencode({**query, "page": str(number)})


@router.get("/triage/reviews", response_class=HTMLResponse)
def reviews(request: Request, staff: Queue) -> Response:
    """Young people due a re-screen: its own page, as finding them scans every screening."""
    actor = staff.actor()
    with database(request).reading(actor) as session:
        due = triage.reviews_due(session=session, actor=actor, limit=100)
    return render(
        request, "triage/reviews.html", {"title": "Reviews due", "due": due, "levels": _levels()}
    )


def _decision_form(form: Any) -> dict[str, str]:
    return {k: text_of(form, k) for k in ("outcome", "rationale", "professional_level")}


def _decide(
    request: Request,
    staff: SignedIn,
    form: Any,
    *,
    young_person_id: int,
    concern_id: int | None = None,
    public_report_id: int | None = None,
) -> int:
    """Record the decision; returns the young person's id (raises Invalid with field errors)."""
    values = _decision_form(form)
    errors: dict[str, str] = {}
    if values["outcome"] not in OUTCOMES:
        errors["outcome"] = "Select what happens next"
    if len(values["rationale"].strip()) < triage.MIN_RATIONALE:
        errors["rationale"] = "Write the reasons for the decision"
    if errors:
        raise Invalid(errors)
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        triage.record_decision(
            session=session,
            actor=actor,
            young_person_id=young_person_id,
            outcome=DecisionOutcome(values["outcome"]),
            rationale=values["rationale"],
            professional_level=values["professional_level"] or None,
            concern_id=concern_id,
            public_report_id=public_report_id,
        )
    return young_person_id


def _concern_context(request: Request, staff: SignedIn, concern_id: int) -> dict[str, Any]:
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        concern = concerns.get_concern(session=session, actor=actor, concern_id=concern_id)
        assessment = concerns.assessment_for(session=session, actor=actor, concern_id=concern_id)
        person = young_people.open_record(
            session=session,
            actor=actor,
            young_person_id=concern.young_person_id,
            permission=Permission.RECORD_DECISION,
        )
        name = f"{person.first_name} {person.last_name}"
        reference = person.reference
    return {
        "title": f"Decide on a concern about {name}",
        "concern": concern,
        "assessment": assessment,
        "person_name": name,
        "reference": reference,
        "young_person_id": concern.young_person_id,
        "action": f"/triage/concerns/{concern_id}/decision",
        "levels": _levels(),
        "outcomes": OUTCOMES,
        "form": {},
        "errors": {},
    }


@router.get("/triage/concerns/{concern_id}", response_class=HTMLResponse)
def concern_decision_form(request: Request, staff: Decides, concern_id: int) -> Response:
    return render(request, "triage/decide.html", _concern_context(request, staff, concern_id))


@router.post("/triage/concerns/{concern_id}/decision", response_class=HTMLResponse)
def concern_decision(
    request: Request, staff: Decides, concern_id: int, form: PostedForm
) -> Response:
    context = _concern_context(request, staff, concern_id)
    try:
        person = _decide(
            request,
            staff,
            form,
            young_person_id=context["young_person_id"],
            concern_id=concern_id,
        )
    except Invalid as e:
        context.update(form=_decision_form(form), errors=e.errors)
        return render(request, "triage/decide.html", context, status=400)
    return RedirectResponse(f"/young-people/{person}/manage?decided=1", status_code=303)


def _report_context(request: Request, staff: SignedIn, report_id: int, name: str) -> dict[str, Any]:
    actor = staff.actor()
    matches = None
    with database(request).transaction(actor) as session:
        report = public_reports.get_report(session=session, actor=actor, report_id=report_id)
        if name.strip():
            matches = young_people.search(
                session=session, actor=actor, name=name[:200], limit=_MATCHES_SHOWN
            )
    return {
        "title": f"Public report {report.reference}",
        "report": report,
        "name": name,
        "matches": matches,
        "form": {},
        "errors": {},
    }


@router.get("/triage/public-reports/{report_id}", response_class=HTMLResponse)
def public_report(request: Request, staff: Reports, report_id: int, name: str = "") -> Response:
    return render(
        request, "triage/public_report.html", _report_context(request, staff, report_id, name)
    )


@router.post("/triage/public-reports/{report_id}/close", response_class=HTMLResponse)
def close_public_report(
    request: Request, staff: Reports, report_id: int, form: PostedForm
) -> Response:
    reason = text_of(form, "reason")
    actor = staff.actor()
    try:
        with database(request).transaction(actor) as session:
            public_reports.close_report(
                session=session, actor=actor, report_id=report_id, reason=reason
            )
    except Invalid as e:
        context = _report_context(request, staff, report_id, "")
        context.update(form={"reason": reason}, errors=e.errors)
        return render(request, "triage/public_report.html", context, status=400)
    return RedirectResponse("/triage?closed=1", status_code=303)


def _report_decision_context(
    request: Request, staff: SignedIn, report_id: int, young_person_id: int
) -> dict[str, Any]:
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        report = public_reports.get_report(session=session, actor=actor, report_id=report_id)
        person = young_people.open_record(
            session=session,
            actor=actor,
            young_person_id=young_person_id,
            permission=Permission.RECORD_DECISION,
        )
        name = f"{person.first_name} {person.last_name}"
        reference = person.reference
    return {
        "title": f"Decide on public report {report.reference} about {name}",
        "report": report,
        "person_name": name,
        "reference": reference,
        "young_person_id": young_person_id,
        "action": f"/triage/public-reports/{report_id}/decision?young_person={young_person_id}",
        "levels": _levels(),
        "outcomes": OUTCOMES,
        "form": {},
        "errors": {},
    }


@router.get("/triage/public-reports/{report_id}/decide", response_class=HTMLResponse)
def public_report_decision_form(
    request: Request, staff: Reports, report_id: int, young_person: int
) -> Response:
    context = _report_decision_context(request, staff, report_id, young_person)
    return render(request, "triage/decide.html", context)


@router.post("/triage/public-reports/{report_id}/decision", response_class=HTMLResponse)
def public_report_decision(
    request: Request, staff: Reports, report_id: int, young_person: int, form: PostedForm
) -> Response:
    context = _report_decision_context(request, staff, report_id, young_person)
    try:
        _decide(request, staff, form, young_person_id=young_person, public_report_id=report_id)
    except Invalid as e:
        context.update(form=_decision_form(form), errors=e.errors)
        return render(request, "triage/decide.html", context, status=400)
    return RedirectResponse(f"/young-people/{young_person}/manage?decided=1", status_code=303)


def _manage_context(request: Request, staff: SignedIn, young_person_id: int) -> dict[str, Any]:
    actor = staff.actor()
    with database(request).reading(actor) as session:
        young_people.open_record(
            session=session,
            actor=actor,
            young_person_id=young_person_id,
            permission=Permission.MANAGE_ACTIONS,
        )
        page = young_people.get_page(session=session, actor=actor, young_person_id=young_person_id)
        owners = directory.action_owners(session, actor)
        destinations = directory.referral_destinations(session, actor)
    person = page.person
    return {
        "title": f"Decisions, actions and referrals for {person.first_name} {person.last_name}",
        "person": person,
        "page": page,
        "decisions": [e for e in page.chronology if e.kind == "decision"],
        "referrals": [e for e in page.chronology if e.kind == "referral"],
        "owners": owners,
        "destinations": destinations,
        "referral_updates": [s.value for s in REFERRAL_UPDATES],
        "levels": _levels(),
        "form": {},
        "errors": {},
        "decided": request.query_params.get("decided") == "1",
    }


@router.get("/young-people/{young_person_id}/manage", response_class=HTMLResponse)
def manage(request: Request, staff: Manages, young_person_id: int) -> Response:
    return render(request, "triage/manage.html", _manage_context(request, staff, young_person_id))


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None


@router.post("/young-people/{young_person_id}/actions", response_class=HTMLResponse)
def add_action(
    request: Request, staff: Manages, young_person_id: int, form: PostedForm
) -> Response:
    description = text_of(form, "description")
    owner = _int(text_of(form, "owner_id"))
    due = date_from_parts(form, "due")
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Describe the action"
    if owner is None:
        errors["owner_id"] = "Choose who owns the action"
    if due is None:
        errors["due-day"] = "Enter the date the action is due"
    elif isinstance(due, str):
        errors["due-day"] = due
    actor = staff.actor()
    try:
        if errors or owner is None or not isinstance(due, date):
            raise Invalid(errors)
        with database(request).transaction(actor) as session:
            triage.add_action(
                session=session,
                actor=actor,
                young_person_id=young_person_id,
                description=description,
                owner_id=owner,
                due_on=due,
            )
    except Invalid as e:
        context = _manage_context(request, staff, young_person_id)
        kept = {k: text_of(form, k) for k in ("description", "owner_id", "due-day", "due-month")}
        kept["due-year"] = text_of(form, "due-year")
        names = {"due_on": "due-day"}
        context.update(form=kept, errors={names.get(k, k): v for k, v in e.errors.items()})
        return render(request, "triage/manage.html", context, status=400)
    return RedirectResponse(f"/young-people/{young_person_id}/manage#actions", status_code=303)


@router.post("/actions/{action_id}/status", response_class=HTMLResponse)
def action_status(request: Request, staff: Manages, action_id: int, form: PostedForm) -> Response:
    wanted = text_of(form, "status")
    if wanted not in (ActionStatus.DONE.value, ActionStatus.CANCELLED.value):
        raise Invalid({"status": "Choose done or cancelled"})
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        action = triage.set_action_status(
            session=session, actor=actor, action_id=action_id, status=ActionStatus(wanted)
        )
        person = action.young_person_id
    return RedirectResponse(f"/young-people/{person}/manage#actions", status_code=303)


@router.post("/young-people/{young_person_id}/referrals", response_class=HTMLResponse)
def make_referral(
    request: Request, staff: Manages, young_person_id: int, form: PostedForm
) -> Response:
    reason = text_of(form, "reason")
    destination = _int(text_of(form, "to_organisation_id"))
    actor = staff.actor()
    try:
        if destination is None:
            raise Invalid({"to_organisation_id": "Choose where to refer"})
        with database(request).transaction(actor) as session:
            triage.make_referral(
                session=session,
                actor=actor,
                young_person_id=young_person_id,
                to_organisation_id=destination,
                reason=reason,
            )
    except Invalid as e:
        context = _manage_context(request, staff, young_person_id)
        context.update(
            form={"reason": reason, "to_organisation_id": text_of(form, "to_organisation_id")},
            errors={("referral_reason" if k == "reason" else k): v for k, v in e.errors.items()},
        )
        return render(request, "triage/manage.html", context, status=400)
    return RedirectResponse(f"/young-people/{young_person_id}/manage#referrals", status_code=303)


@router.post("/referrals/{referral_id}/status", response_class=HTMLResponse)
def referral_status(
    request: Request, staff: Manages, referral_id: int, form: PostedForm
) -> Response:
    wanted = text_of(form, "status")
    if wanted not in {s.value for s in REFERRAL_UPDATES}:
        raise Invalid({"status": "Choose accepted, declined or closed"})
    outcome = text_of(form, "outcome").strip() or None
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        referral = triage.update_referral(
            session=session,
            actor=actor,
            referral_id=referral_id,
            status=ReferralStatus(wanted),
            outcome=outcome,
        )
        person = referral.young_person_id
    return RedirectResponse(f"/young-people/{person}/manage#referrals", status_code=303)


@router.post("/young-people/{young_person_id}/rescreen", response_class=HTMLResponse)
def rescreen(request: Request, staff: Decides, young_person_id: int) -> Response:
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        triage.rescreen(session=session, actor=actor, young_person_id=young_person_id)
    return RedirectResponse(f"/young-people/{young_person_id}", status_code=303)
