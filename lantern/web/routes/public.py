"""The open pages: guidance on exploitation, whom to call, and "report a worry about a child"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.knowledge import load_guidance
from lantern.services import public_reports
from lantern.services.context import Actor, Invalid, TooManyAttempts
from lantern.web.deps import database
from lantern.web.pages import render

__all__ = ["router"]

router = APIRouter()

#: The most a field of the public form may hold; the service applies the same limits.
MAX_SHORT = 200
MAX_LONG = 5000

_FORM_FIELDS = ("child", "location", "what_seen", "reporter_name", "reporter_contact")


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    return render(
        request,
        "public/index.html",
        {"title": "Child sexual exploitation", "pages": load_guidance()},
    )


@router.get("/guidance/{slug}", response_class=HTMLResponse)
def guidance(request: Request, slug: str) -> Response:
    pages = load_guidance()
    page = next((p for p in pages if p.slug == slug), None)
    if page is None:
        raise HTTPException(status_code=404)
    return render(
        request, "public/guidance.html", {"title": page.title, "page": page, "pages": pages}
    )


@router.get("/report", response_class=HTMLResponse)
def report_form(request: Request) -> Response:
    return render(
        request,
        "public/report.html",
        {"title": "Report a worry about a child", "form": {}, "errors": {}},
    )


@router.post("/report", response_class=HTMLResponse)
def report_submit(
    request: Request,
    child: Annotated[str, Form(max_length=MAX_LONG)] = "",
    location: Annotated[str, Form(max_length=MAX_LONG)] = "",
    what_seen: Annotated[str, Form(max_length=MAX_LONG)] = "",
    reporter_name: Annotated[str, Form(max_length=MAX_SHORT)] = "",
    reporter_contact: Annotated[str, Form(max_length=MAX_SHORT)] = "",
    website: Annotated[str, Form(max_length=MAX_SHORT)] = "",
) -> Response:
    form = {
        "child": child,
        "location": location,
        "what_seen": what_seen,
        "reporter_name": reporter_name,
        "reporter_contact": reporter_contact,
    }
    if website:
        # The honeypot: people never see it, form-filling robots fill it in. Answer as if
        # saved so the robot learns nothing, but save nothing.
        return RedirectResponse("/report/sent", status_code=303)
    client = request.client.host if request.client else "unknown"
    if not request.app.state.report_limiter.allow(client):
        raise TooManyAttempts("You have sent several reports in a short time.")
    try:
        with database(request).transaction(Actor.public()) as session:
            report = public_reports.submit_report(session=session, actor=Actor.public(), **form)
            reference = report.reference
    except Invalid as e:
        return render(
            request,
            "public/report.html",
            {"title": "Report a worry about a child", "form": form, "errors": e.errors},
            status=400,
        )
    return RedirectResponse(f"/report/sent?reference={reference}", status_code=303)


@router.get("/report/sent", response_class=HTMLResponse)
def report_sent(request: Request, reference: str = "") -> Response:
    shown = reference if reference.replace("-", "").isalnum() and len(reference) <= 20 else ""
    return render(
        request,
        "public/report_sent.html",
        {"title": "Your report has been sent", "reference": shown},
    )
