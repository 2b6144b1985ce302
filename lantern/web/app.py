"""The application factory: settings, database, templates, middleware, routes and error pages.

`create_app()` is what `lantern serve` runs; tests call it with their own
settings and database.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from lantern import __version__
from lantern.services import public_reports
from lantern.services.database import Database
from lantern.services.public_reports import StoredRateLimiter
from lantern.settings import Settings, get_settings, secret_key
from lantern.web import api
from lantern.web.deps import Redirect, verify_csrf
from lantern.web.errors import install_error_handlers
from lantern.web.routes import (
    account,
    admin,
    alerts,
    analyst,
    audit,
    auth,
    break_glass,
    concerns,
    merges,
    public,
    transcripts,
    triage,
    young_people,
)
from lantern.web.security import BodySizeLimit, SecurityHeaders
from lantern.web.templating import make_templates

__all__ = ["STATIC_DIR", "create_app"]

STATIC_DIR = Path(__file__).resolve().parent / "static"

#: A colour the stylesheet can take as it is: #rgb or #rrggbb, nothing that could break out of CSS.
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_DEFAULT_COLOUR = "#1d70b8"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Handling a page is mostly Python, which runs one thread at a time, so more threads
    # add no speed, only more switching between them, and a thread holding the
    # database's write turn can wait behind the others for the interpreter. Starlette's
    # default is forty; `settings.pages_at_once` (4), and more processes for more cores.
    settings: Settings = app.state.settings
    anyio.to_thread.current_default_thread_limiter().total_tokens = settings.pages_at_once
    yield


def create_app(settings: Settings | None = None, *, database: Database | None = None) -> FastAPI:
    """The Lantern web application, on `database` (opened from the settings when not given)."""
    settings = settings or get_settings()
    if database is None:
        database = Database.open(settings.database_url)
    app = FastAPI(
        lifespan=_lifespan,
        title="Lantern",
        version=__version__,
        description="Lantern's JSON API for concerns and young people (bearer-token auth).",
        docs_url=None,  # FastAPI's docs pages load script from a CDN: not under this CSP
        redoc_url=None,
        openapi_url="/api/openapi.json",
        dependencies=[Depends(verify_csrf)],
    )
    app.state.settings = settings
    app.state.database = database
    app.state.secret_key = secret_key(settings)
    app.state.templates = make_templates()
    # Counted in the database: every process serving this database shares one limit.
    app.state.report_limiter = StoredRateLimiter(
        "public_report",
        public_reports.RATE_LIMIT_REPORTS,
        public_reports.RATE_LIMIT_WINDOW_SECONDS,
        app.state.secret_key,
    )
    colour = settings.organisation_colour
    if not _HEX_COLOUR.match(colour):
        colour = _DEFAULT_COLOUR
    app.state.theme_css = f":root{{--govuk-brand-colour:{colour}}}\n"

    install_error_handlers(app)

    @app.exception_handler(Redirect)
    async def _redirect(request: Request, exc: Redirect) -> Response:
        return RedirectResponse(exc.location, status_code=303)

    @app.get("/theme.css", include_in_schema=False)
    def theme(request: Request) -> Response:
        return Response(request.app.state.theme_css, media_type="text/css")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        # No icon: Lantern shows no crown or GOV.UK mark; an empty answer stops 404 noise.
        return Response(status_code=204)

    app.include_router(public.router)
    app.include_router(auth.router)
    app.include_router(concerns.router)
    app.include_router(young_people.router)
    app.include_router(triage.router)
    app.include_router(alerts.router)
    app.include_router(break_glass.router)
    app.include_router(admin.router)
    app.include_router(audit.router)
    app.include_router(account.router)
    app.include_router(analyst.router)
    app.include_router(transcripts.router)
    app.include_router(merges.router)
    app.include_router(api.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodySizeLimit)
    return app
