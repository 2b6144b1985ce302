"""The young person pages: finding a record, and one young person's chronology, risk over time,
open alerts and actions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from lantern.screening import load_rules
from lantern.services import access, young_people
from lantern.services.access import Permission
from lantern.services.context import Forbidden
from lantern.web.chart import risk_chart
from lantern.web.deps import allowed, database
from lantern.web.pages import render
from lantern.web.routes.break_glass import ask_page
from lantern.web.visitor import SignedIn

__all__ = ["router"]

router = APIRouter()

#: Case pages: only roles that may view young people's records open them at all.
Staff = Annotated[SignedIn, Depends(allowed(Permission.VIEW_YOUNG_PERSON))]


@router.get("/young-people", response_class=HTMLResponse)
def find(request: Request, staff: Staff, name: str = "") -> Response:
    matches = None
    if name.strip():
        with database(request).reading(staff.actor()) as session:
            matches = young_people.search(session=session, actor=staff.actor(), name=name[:200])
    return render(
        request,
        "young_people/find.html",
        {"title": "Young people", "name": name, "matches": matches},
    )


@router.get("/young-people/{young_person_id}", response_class=HTMLResponse)
def young_person(request: Request, staff: Staff, young_person_id: int) -> Response:
    actor = staff.actor()
    try:
        with database(request).reading(actor) as session:
            page = young_people.get_page(
                session=session, actor=actor, young_person_id=young_person_id
            )
    except Forbidden:
        # Outside their scope (the record exists: a missing one is NotFound, a 404).
        if access.role_allows(actor, Permission.BREAK_GLASS):
            return ask_page(request, young_person_id)
        raise
    rules = load_rules()
    titles = [level.title for level in rules.levels]
    by_code = {level.code: level.title for level in rules.levels}
    chart = risk_chart([(p.when, p.rank) for p in page.risk], titles)
    person = page.person
    return render(
        request,
        "young_people/show.html",
        {
            "title": f"{person.first_name} {person.last_name}",
            "page": page,
            "person": person,
            "chart": chart,
            "level_titles": by_code,
        },
    )
