"""The JSON API (`/api/v1/`), for other systems: young people (search, get) and concerns
(create, list for a young person).

Bearer tokens only (no cookies, so no CSRF); each request acts as the token's
owner, through the same services, access policy and audit as the pages. Errors
are JSON: `{"error": ..., "detail": ...}` with the HTTP status.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from lantern.services import access, auth, concern_list, concerns, young_people
from lantern.services.access import Permission
from lantern.services.concerns import ConcernDraft
from lantern.services.context import Actor, Forbidden, Invalid
from lantern.web.deps import database

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["api"])

#: The most concerns one list returns (newest first).
MAX_CONCERNS = concern_list.MAX_LISTED
_BEARER = "bearer "
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="lantern"'}


def token_actor(request: Request) -> Actor:
    """The actor for the request's bearer token; 401 without a valid one, 403 if the role
    may not use the API."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith(_BEARER):
        raise HTTPException(401, "send an API token as 'Authorization: Bearer <token>'", _CHALLENGE)
    token = header[len(_BEARER) :].strip()
    try:
        with database(request).reading(Actor.public()) as session:
            actor = auth.actor_for_api_token(session=session, token=token)
    except Forbidden:
        raise HTTPException(
            401, "the API token is unknown, revoked or expired", _CHALLENGE
        ) from None
    if not access.role_allows(actor, Permission.USE_API):
        raise Forbidden("your role cannot use the API")
    return actor


ApiActor = Annotated[Actor, Depends(token_actor)]


class YoungPersonSummary(BaseModel):
    id: int
    reference: str
    name: str
    date_of_birth: date | None
    school: str | None
    area: str | None
    in_scope: bool


class YoungPersonOut(BaseModel):
    id: int
    reference: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    school: str | None
    area: str | None
    aliases: list[str]
    organisations: list[str]
    latest_level: str | None
    open_alerts: list[str]
    open_actions: list[str]


class ConcernOut(BaseModel):
    id: int
    young_person_id: int
    observed_on: date
    recorded_at: datetime
    location: str | None
    text: str
    immediate_danger: bool
    amends_id: int | None
    factors: list[str]
    level: str | None
    score: int | None


class ConcernSaved(BaseModel):
    id: int
    created: bool
    level: str
    score: int
    reasons: list[str]
    new_alerts: list[str]


class ApiError(BaseModel):
    error: str
    detail: str


_ERRORS: dict[int | str, dict[str, object]] = {
    s: {"model": ApiError} for s in (400, 401, 403, 404, 409, 413, 429, 503)
}


@router.get("/young-people", response_model=list[YoungPersonSummary], responses=_ERRORS)
def search_young_people(
    request: Request,
    actor: ApiActor,
    name: Annotated[str | None, Query(max_length=200)] = None,
    date_of_birth: date | None = None,
    school: Annotated[str | None, Query(max_length=200)] = None,
) -> list[YoungPersonSummary]:
    """Young people matching every criterion given (at least one is needed)."""
    with database(request).reading(actor) as session:
        found = young_people.search(
            session=session, actor=actor, name=name, date_of_birth=date_of_birth, school=school
        )
    return [
        YoungPersonSummary(
            id=m.id,
            reference=m.reference,
            name=m.name,
            date_of_birth=m.date_of_birth,
            school=m.school,
            area=m.area,
            in_scope=m.in_scope,
        )
        for m in found
    ]


@router.get("/young-people/{young_person_id}", response_model=YoungPersonOut, responses=_ERRORS)
def get_young_person(request: Request, actor: ApiActor, young_person_id: int) -> YoungPersonOut:
    """One young person in the caller's scope (or under the caller's break-glass access)."""
    with database(request).reading(actor) as session:
        page = young_people.get_page(session=session, actor=actor, young_person_id=young_person_id)
        p = page.person
        return YoungPersonOut(
            id=p.id,
            reference=p.reference,
            first_name=p.first_name,
            last_name=p.last_name,
            date_of_birth=p.date_of_birth,
            school=p.school,
            area=p.area,
            aliases=page.aliases,
            organisations=page.organisations,
            latest_level=page.latest.level if page.latest else None,
            open_alerts=[a.summary for a in page.open_alerts],
            open_actions=[a.description for a in page.open_actions],
        )


@router.get(
    "/young-people/{young_person_id}/concerns",
    response_model=list[ConcernOut],
    responses=_ERRORS,
)
def list_concerns(request: Request, actor: ApiActor, young_person_id: int) -> list[ConcernOut]:
    """The young person's concerns, newest first, each with the screening made when saved."""
    with database(request).reading(actor) as session:
        listed = concern_list.concerns_of(
            session=session, actor=actor, young_person_id=young_person_id, limit=MAX_CONCERNS
        )
    return [
        ConcernOut(
            id=c.id,
            young_person_id=c.young_person_id,
            observed_on=c.observed_on,
            recorded_at=c.recorded_at,
            location=c.location,
            text=c.text,
            immediate_danger=c.immediate_danger,
            amends_id=c.amends_id,
            factors=c.factors,
            level=c.level,
            score=c.score,
        )
        for c in listed
    ]


@router.post(
    "/concerns",
    response_model=ConcernSaved,
    status_code=201,
    responses={**_ERRORS, 200: {"model": ConcernSaved, "description": "Already saved"}},
)
def create_concern(request: Request, actor: ApiActor, draft: ConcernDraft) -> JSONResponse:
    """Record a concern and screen it. The `idempotency_key` makes a retry return the first
    save (200) instead of saving twice (201)."""
    if len(draft.text) > concerns.MAX_TEXT_CHARS:
        raise Invalid({"text": "too long"})
    with database(request).transaction(actor) as session:
        saved = concerns.record_concern(session=session, actor=actor, draft=draft)
        body = ConcernSaved(
            id=saved.concern.id,
            created=saved.created,
            level=saved.assessment.level,
            score=saved.assessment.score,
            reasons=[str(r.get("why", "")) for r in saved.assessment.reasons],
            new_alerts=[a.summary for a in saved.new_alerts],
        )
    return JSONResponse(body.model_dump(mode="json"), status_code=201 if saved.created else 200)
