"""The open pages: guidance on exploitation, whom to call, and "report a worry about a child"."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.knowledge import load_guidance
from lantern.services import public_reports
from lantern.services.context import Actor, Invalid
from lantern.services.young_people import parse_draft
from lantern.web.deps import PostedForm, database
from lantern.web.forms import text_of
from lantern.web.pages import render

__all__ = ["router"]

router = APIRouter()

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
def report_submit(request: Request, form: PostedForm) -> Response:
    values = {name: text_of(form, name) for name in (*_FORM_FIELDS, "website")}
    client = request.client.host if request.client else "unknown"
    try:
        draft = parse_draft(
            public_reports.PublicReportDraft, {k: v or None for k, v in values.items()}
        )
        assert isinstance(draft, public_reports.PublicReportDraft)
        with database(request).transaction(Actor.public()) as session:
            report = public_reports.submit_report(
                session=session,
                actor=Actor.public(),
                draft=draft,
                client=client,
                limiter=request.app.state.report_limiter,
            )
            # None: the honeypot was filled. Answer as if saved so the robot learns nothing.
            reference = report.reference if report is not None else ""
    except Invalid as e:
        return render(
            request,
            "public/report.html",
            {"title": "Report a worry about a child", "form": values, "errors": e.errors},
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
