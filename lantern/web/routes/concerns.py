"""Recording a concern: immediate danger first, find the young person, the note and factors
(with the text analysis' suggestions to confirm or reject), then the outcome."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.knowledge import load_vocabulary
from lantern.services import concerns, young_people
from lantern.services.access import Permission
from lantern.services.concerns import ConcernDraft
from lantern.services.context import Invalid
from lantern.services.young_people import DuplicatesFound, YoungPersonDraft
from lantern.store.models import YoungPerson
from lantern.web.deps import PostedForm, allowed, database
from lantern.web.forms import date_from_parts, text_of
from lantern.web.pages import render
from lantern.web.visitor import SignedIn

__all__ = ["router"]

router = APIRouter()

#: Every page here is for people whose role records concerns.
Staff = Annotated[SignedIn, Depends(allowed(Permission.RECORD_CONCERN))]

_TITLE = "Record a concern"


def _danger(value: str | None) -> str:
    return "1" if value == "1" else "0"


@router.get("/concerns/new", response_class=HTMLResponse)
def danger_question(request: Request, staff: Staff) -> Response:
    return render(request, "concerns/danger.html", {"title": _TITLE, "errors": {}})


@router.post("/concerns/new", response_class=HTMLResponse)
def danger_answer(request: Request, staff: Staff, form: PostedForm) -> Response:
    answer = text_of(form, "immediate_danger")
    if answer not in ("yes", "no"):
        errors = {"immediate_danger": "Select yes if a child is in immediate danger now"}
        return render(
            request, "concerns/danger.html", {"title": _TITLE, "errors": errors}, status=400
        )
    if answer == "yes":
        return render(request, "concerns/call_999.html", {"title": "Call 999 now"})
    return RedirectResponse("/concerns/new/young-person?danger=0", status_code=303)


@router.get("/concerns/new/young-person", response_class=HTMLResponse)
def find_young_person(
    request: Request,
    staff: Staff,
    danger: str = "0",
    name: str = "",
    school: str = "",
    dob_day: str = "",
    dob_month: str = "",
    dob_year: str = "",
) -> Response:
    query = request.query_params
    dob = date_from_parts(_as_form(query), "dob")
    errors: dict[str, str] = {}
    matches: list[young_people.Match] | None = None
    searched = bool(name.strip() or school.strip() or isinstance(dob, date))
    if isinstance(dob, str):
        errors["dob-day"] = dob
    elif searched:
        with database(request).reading(staff.actor()) as session:
            matches = young_people.search(
                session=session,
                actor=staff.actor(),
                name=name[:200] or None,
                school=school[:200] or None,
                date_of_birth=dob,
            )
    return render(
        request,
        "concerns/find.html",
        {
            "title": "Which young person is this about?",
            "danger": _danger(danger),
            "query": dict(query),
            "matches": matches,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _as_form(query: Any) -> Any:
    return query  # QueryParams reads like FormData for the date helper


@router.get("/young-people/new", response_class=HTMLResponse)
def new_young_person(request: Request, staff: Staff, danger: str = "0") -> Response:
    return render(
        request,
        "young_people/new.html",
        {
            "title": "Add a young person",
            "danger": _danger(danger),
            "form": {},
            "errors": {},
            "matches": None,
        },
    )


@router.post("/young-people/new", response_class=HTMLResponse)
def create_young_person(request: Request, staff: Staff, form: PostedForm) -> Response:
    values = {
        k: text_of(form, k).strip() for k in ("first_name", "last_name", "school", "area", "gender")
    }
    danger = _danger(text_of(form, "danger"))
    context = {
        "title": "Add a young person",
        "danger": danger,
        "form": {**values, **_dob(form)},
        "matches": None,
    }
    dob = date_from_parts(form, "dob")
    if isinstance(dob, str):
        return render(
            request, "young_people/new.html", {**context, "errors": {"dob-day": dob}}, status=400
        )
    try:
        draft = young_people.parse_draft(
            YoungPersonDraft, {**{k: v or None for k, v in values.items()}, "date_of_birth": dob}
        )
        assert isinstance(draft, YoungPersonDraft)
        with database(request).transaction(staff.actor()) as session:
            person = young_people.create_young_person(
                session=session,
                actor=staff.actor(),
                draft=draft,
                checked_duplicates=text_of(form, "checked_duplicates") == "1",
            )
            person_id = person.id
    except DuplicatesFound as e:
        return render(
            request,
            "young_people/new.html",
            {**context, "errors": {}, "matches": e.matches},
            status=409,
        )
    except Invalid as e:
        errors = {("first_name" if k == "form" else k): v for k, v in e.errors.items()}
        return render(request, "young_people/new.html", {**context, "errors": errors}, status=400)
    return RedirectResponse(
        f"/concerns/new/details?{urlencode({'young_person': person_id, 'danger': danger})}",
        status_code=303,
    )


def _dob(form: Any) -> dict[str, str]:
    return {f"dob-{p}": text_of(form, f"dob-{p}") for p in ("day", "month", "year")}


def _details_context(
    request: Request, staff: Staff, young_person_id: int, danger: str, form: dict[str, Any]
) -> dict[str, Any]:
    with database(request).transaction(staff.actor()) as session:
        person = young_people.open_record(
            session=session,
            actor=staff.actor(),
            young_person_id=young_person_id,
            permission=Permission.RECORD_CONCERN,
        )
        name = f"{person.first_name} {person.last_name}"
        reference = person.reference
    vocabulary = load_vocabulary()
    return {
        "title": f"What have you seen? ({name})",
        "person_name": name,
        "reference": reference,
        "young_person_id": young_person_id,
        "danger": danger,
        "signs": [vocabulary.factors[c] for c in vocabulary.sign_codes],
        "vulnerabilities": [vocabulary.factors[c] for c in vocabulary.vulnerability_codes],
        "form": form,
        "errors": {},
        "suggestions": None,
    }


@router.get("/concerns/new/details", response_class=HTMLResponse)
def details_form(request: Request, staff: Staff, young_person: int, danger: str = "0") -> Response:
    form = {"key": concerns.new_form_key(), "factors": []}
    return render(
        request,
        "concerns/details.html",
        _details_context(request, staff, young_person, _danger(danger), form),
    )


@router.post("/concerns/suggest", response_class=HTMLResponse)
def suggest(request: Request, staff: Staff, form: PostedForm) -> Response:
    """The text analysis' suggestions for the note so far (an HTMX partial)."""
    text = text_of(form, "text")
    try:
        found = concerns.suggest(text) if text.strip() else None
    except Invalid:
        found = None
    return render(
        request,
        "components/suggestions.html",
        {"suggestions": _suggestions(text, found), "form": {"text": text}},
    )


def _suggestions(text: str, found: Any) -> dict[str, Any] | None:
    if found is None:
        return None
    vocabulary = load_vocabulary()
    factors = []
    for s in found.factors:
        factor = vocabulary.factors.get(s.code)
        if factor is None:
            continue
        start, end = max(0, s.start), min(len(text), s.end)
        factors.append(
            {
                "code": s.code,
                "title": factor.title,
                "before": text[max(0, start - 60) : start],
                "evidence": text[start:end],
                "after": text[end : end + 60],
                "value": f"{s.code}|{start}|{end}",
            }
        )
    entities = [
        {
            "type": e.type,
            "value": e.value,
            "text": text[e.start : e.end],
            "key": f"{e.type}|{e.value}|{e.start}|{e.end}",
        }
        for e in found.entities
    ]
    return {"factors": factors, "entities": entities}


@router.post("/concerns", response_class=HTMLResponse)
def save_concern(request: Request, staff: Staff, form: PostedForm) -> Response:
    young_person_id = int(text_of(form, "young_person_id") or 0)
    danger = _danger(text_of(form, "danger"))
    text = text_of(form, "text")
    observed = date_from_parts(form, "observed")
    kept = {
        "key": text_of(form, "key"),
        "text": text,
        "location": text_of(form, "location"),
        "factors": form.getlist("factors"),
        **{f"observed-{p}": text_of(form, f"observed-{p}") for p in ("day", "month", "year")},
    }
    if text_of(form, "action") == "suggest":
        # Without JavaScript, "Check my notes for signs" reloads the form with the suggestions.
        context = _details_context(request, staff, young_person_id, danger, kept)
        try:
            found = concerns.suggest(text) if text.strip() else None
        except Invalid:
            found = None
        context["suggestions"] = _suggestions(text, found)
        return render(request, "concerns/details.html", context)
    errors: dict[str, str] = {}
    if observed is None:
        errors["observed-day"] = "Enter the date you saw or heard this"
    elif isinstance(observed, str):
        errors["observed-day"] = observed
    data: dict[str, object] = {
        "young_person_id": young_person_id,
        "observed_on": observed if isinstance(observed, date) else None,
        "text": text,
        "location": kept["location"] or None,
        "immediate_danger": danger == "1",
        "factors": _factor_choices(form, text),
        "entities": _entity_choices(form),
        "idempotency_key": kept["key"],
    }
    try:
        if errors:
            raise Invalid(errors)
        draft = young_people.parse_draft(ConcernDraft, data)
        assert isinstance(draft, ConcernDraft)
        with database(request).transaction(staff.actor()) as session:
            saved = concerns.record_concern(session=session, actor=staff.actor(), draft=draft)
            concern_id = saved.concern.id
    except Invalid as e:
        context = _details_context(request, staff, young_person_id, danger, kept)
        context["errors"] = {_field_for(k): v for k, v in {**errors, **e.errors}.items()}
        return render(request, "concerns/details.html", context, status=400)
    return RedirectResponse(f"/concerns/{concern_id}/outcome", status_code=303)


def _field_for(name: str) -> str:
    # Service field names to the form's ids, so the error summary links to the right box.
    return {"observed_on": "observed-day", "form": "text", "factors": "factors"}.get(
        name.split(".")[0], name.split(".")[0]
    )


def _factor_choices(form: Any, text: str) -> list[dict[str, Any]]:
    ticked = {str(c) for c in form.getlist("factors")}
    choices: dict[str, dict[str, Any]] = {}
    confirmed = {str(v) for v in form.getlist("suggested")}
    for offered in form.getlist("offered"):
        code, _, span = str(offered).partition("|")
        start_text, _, end_text = span.partition("|")
        if not (start_text.isdigit() and end_text.isdigit()):
            continue
        start, end = int(start_text), int(end_text)
        choices[code] = {
            "code": code,
            "evidence": text[start:end] or None,
            "start": start,
            "end": end,
            "suggested": True,
            "confirmed": str(offered) in confirmed or code in ticked,
        }
    for code in ticked:
        choices.setdefault(code, {"code": code, "suggested": False, "confirmed": True})
    return list(choices.values())


def _entity_choices(form: Any) -> list[dict[str, Any]]:
    chosen = []
    for key in form.getlist("entities"):
        kind, value, start, end = ([*str(key).split("|"), "", "", ""])[:4]
        chosen.append(
            {
                "kind": kind,
                "value": value,
                "start": int(start) if start.isdigit() else None,
                "end": int(end) if end.isdigit() else None,
            }
        )
    return chosen


@router.get("/concerns/{concern_id}/outcome", response_class=HTMLResponse)
def outcome(request: Request, staff: Staff, concern_id: int) -> Response:
    with database(request).reading(staff.actor()) as session:
        assessment = concerns.assessment_for(
            session=session, actor=staff.actor(), concern_id=concern_id
        )
        concern = concerns.get_concern(session=session, actor=staff.actor(), concern_id=concern_id)
        person = session.get(YoungPerson, concern.young_person_id)
        name = f"{person.first_name} {person.last_name}" if person else ""
        person_id = concern.young_person_id
    vocabulary = load_vocabulary()
    return render(
        request,
        "concerns/outcome.html",
        {
            "title": "Concern recorded",
            "assessment": assessment,
            "actions": concerns.actions_for_level(assessment.level),
            "person_name": name,
            "young_person_id": person_id,
            "immediate_danger": concern.immediate_danger,
            "factor_titles": {c: f.title for c, f in vocabulary.factors.items()},
        },
    )
