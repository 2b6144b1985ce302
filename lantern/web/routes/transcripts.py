"""Chat transcripts on a young person's record: upload, the view with flagged messages and
the risk over the conversation, and "raise a concern from this".

Uploads are multipart forms under the application's CSRF check and body limit;
the service reads, analyses and stores them (or refuses them whole).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from lantern.knowledge import load_vocabulary
from lantern.services import access, concerns, transcripts
from lantern.services.access import Permission
from lantern.services.context import Invalid
from lantern.services.transcripts import TranscriptFormat
from lantern.web.deps import PostedForm, allowed, database
from lantern.web.forms import text_of
from lantern.web.pages import render
from lantern.web.visitor import SignedIn

__all__ = ["RiskChart", "risk_over_messages", "router"]

router = APIRouter()

#: Reading a transcript is case content: the roles that view young people's records.
Viewer = Annotated[SignedIn, Depends(allowed(Permission.VIEW_YOUNG_PERSON))]
#: Adding one, or raising a concern from one, is recording: the roles that record concerns.
Recorder = Annotated[SignedIn, Depends(allowed(Permission.RECORD_CONCERN))]

_FORMATS = {f.value: f for f in TranscriptFormat}
_FORMAT_TITLES = {
    "auto": "Work it out from the file",
    "text": "Chat app export: [date, time] Name: message",
    "csv": "CSV with speaker and text columns",
    "jsonl": "Lantern chat JSONL (one line)",
}

#: The risk chart's drawing area in SVG units (it scales to the page's width).
WIDTH = 640
HEIGHT = 220
LEFT = 48
RIGHT = 16
TOP = 12
BOTTOM = 30


@dataclass(frozen=True)
class RiskChart:
    width: int
    height: int
    path: str
    points: tuple[tuple[float, float, str], ...]  # x, y, label
    grid: tuple[tuple[float, str], ...]  # y and label of each grid line
    alert_x: float | None  # where the concern could first have been raised
    axis_left: int
    axis_bottom: float
    last_label: str


def risk_over_messages(risk: Sequence[float], first_alert: int | None) -> RiskChart | None:
    """Geometry for the running risk (0 to 1) after each message; None for no messages."""
    if not risk:
        return None
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    last = max(len(risk) - 1, 1)

    def x_of(index: int) -> float:
        return round(LEFT + plot_w * index / last, 1) if len(risk) > 1 else LEFT + plot_w / 2

    def y_of(value: float) -> float:
        return round(TOP + plot_h * (1 - min(max(value, 0.0), 1.0)), 1)

    points = tuple((x_of(i), y_of(r), f"Message {i + 1}: risk {r:.2f}") for i, r in enumerate(risk))
    path = " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y, _) in enumerate(points))
    return RiskChart(
        width=WIDTH,
        height=HEIGHT,
        path=path,
        points=points,
        grid=tuple((y_of(v), f"{v:.1f}") for v in (0.0, 0.5, 1.0)),
        alert_x=x_of(first_alert) if first_alert is not None else None,
        axis_left=LEFT,
        axis_bottom=TOP + plot_h,
        last_label=f"message {len(risk)}",
    )


def _list_context(request: Request, staff: SignedIn, young_person_id: int) -> dict[str, Any]:
    actor = staff.actor()
    with database(request).transaction(actor) as session:
        found = transcripts.list_transcripts(
            session=session, actor=actor, young_person_id=young_person_id
        )
    return {
        "title": f"Chat transcripts: {found.person_name}",
        "found": found,
        "formats": _FORMAT_TITLES,
        "form": {"format": "auto", "child": ""},
        "errors": {},
        "max_kb": transcripts.MAX_TRANSCRIPT_BYTES // 1000,
    }


@router.get("/young-people/{young_person_id}/transcripts", response_class=HTMLResponse)
def upload_form(request: Request, staff: Recorder, young_person_id: int) -> Response:
    return render(
        request, "transcripts/upload.html", _list_context(request, staff, young_person_id)
    )


@router.post("/young-people/{young_person_id}/transcripts", response_class=HTMLResponse)
def upload(request: Request, staff: Recorder, young_person_id: int, form: PostedForm) -> Response:
    upload_file = form.get("file")
    child = text_of(form, "child").strip()[:200]
    wanted = text_of(form, "format") or "auto"
    errors: dict[str, str] = {}
    content = b""
    filename = ""
    if not isinstance(upload_file, UploadFile) or not upload_file.filename:
        errors["file"] = "Choose a transcript file to upload"
    else:
        filename = upload_file.filename
        # One byte over the limit is enough to refuse it; the body limit bounds the rest.
        content = upload_file.file.read(transcripts.MAX_TRANSCRIPT_BYTES + 1)
    if wanted not in _FORMATS:
        errors["format"] = "Choose what kind of file this is"
    actor = staff.actor()
    try:
        if errors:
            raise Invalid(errors)
        with database(request).transaction(actor) as session:
            transcript_id = transcripts.upload_transcript(
                session=session,
                actor=actor,
                young_person_id=young_person_id,
                filename=filename,
                content=content,
                child=child or None,
                fmt=_FORMATS[wanted],
            )
    except Invalid as e:
        context = _list_context(request, staff, young_person_id)
        context["form"] = {"format": wanted if wanted in _FORMATS else "auto", "child": child}
        context["errors"] = e.errors
        return render(request, "transcripts/upload.html", context, status=400)
    return RedirectResponse(f"/transcripts/{transcript_id}", status_code=303)


@router.get("/transcripts/{transcript_id}", response_class=HTMLResponse)
def show(request: Request, staff: Viewer, transcript_id: int) -> Response:
    actor = staff.actor()
    with database(request).reading(actor) as session:
        view = transcripts.get_transcript(session=session, actor=actor, transcript_id=transcript_id)
    return render(
        request,
        "transcripts/show.html",
        {
            "title": f"Transcript: {view.summary.filename}",
            "view": view,
            "chart": risk_over_messages(view.risk, view.first_alert),
            "can_raise": access.role_allows(actor, Permission.RECORD_CONCERN),
        },
    )


@router.get("/transcripts/{transcript_id}/concern", response_class=HTMLResponse)
def raise_concern(request: Request, staff: Recorder, transcript_id: int) -> Response:
    """The concern form, opened with a note about the transcript and its suggested factors."""
    actor = staff.actor()
    with database(request).reading(actor) as session:
        start = transcripts.concern_start(session=session, actor=actor, transcript_id=transcript_id)
    vocabulary = load_vocabulary()
    text = start.text
    suggestions = [
        {
            "code": f.code,
            "title": vocabulary.factors[f.code].title,
            "before": text[max(0, f.start - 60) : f.start],
            "evidence": text[f.start : f.end],
            "after": text[f.end : f.end + 60],
            "value": f"{f.code}|{f.start}|{f.end}",
        }
        for f in start.factors
        if f.code in vocabulary.factors
    ]
    observed = start.observed_on
    return render(
        request,
        "concerns/details.html",
        {
            "title": f"What have you seen? ({start.person_name})",
            "person_name": start.person_name,
            "reference": start.reference,
            "young_person_id": start.young_person_id,
            "danger": "0",
            "signs": [vocabulary.factors[c] for c in vocabulary.sign_codes],
            "vulnerabilities": [vocabulary.factors[c] for c in vocabulary.vulnerability_codes],
            "form": {
                "key": concerns.new_form_key(),
                "text": text,
                "factors": [],
                "observed-day": str(observed.day),
                "observed-month": str(observed.month),
                "observed-year": str(observed.year),
            },
            "errors": {},
            "suggestions": {"factors": suggestions, "entities": []},
        },
    )
