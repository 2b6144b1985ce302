"""Error pages: every failure becomes a clear page (or JSON for the API), never a traceback.

Each status has its own words saying what happened and what to do; a 503 says
the database could not be used and that nothing from that request was saved.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from lantern.services.context import ServiceError

__all__ = ["ERROR_TEXT", "CsrfFailed", "install_error_handlers"]

log = logging.getLogger("lantern.web")

#: What each status means to the person who sees it, and what they can do next.
ERROR_TEXT: dict[int, tuple[str, str]] = {
    400: (
        "Something in the form was not right",
        "Go back, check what you entered and try again.",
    ),
    401: ("Sign in to continue", "You need to sign in to see this page."),
    403: (
        "You cannot see this page",
        "Your role or your organisation does not give you access to this. If you need it to "
        "keep a child safe, ask your designated safeguarding lead.",
    ),
    404: ("Page not found", "Check the address, or go back to the page you came from."),
    405: ("That cannot be done here", "Go back to the page you came from."),
    409: (
        "This has changed since you opened it",
        "Someone else may have changed it. Go back, reload the page and try again.",
    ),
    413: ("Too much to send", "What you sent is larger than Lantern accepts. Shorten it."),
    429: (
        "Too many attempts",
        "Wait a few minutes before you try again. If a child is in immediate danger, call 999.",
    ),
    500: (
        "Sorry, there is a problem with Lantern",
        "Try again later. If a child is in immediate danger, call 999.",
    ),
    503: (
        "Lantern cannot reach its database",
        "Nothing from your last request was saved. Anything saved before is safe. Try again in "
        "a minute. If a child is in immediate danger, call 999.",
    ),
}


class CsrfFailed(Exception):
    """A form arrived without the token Lantern gave the page (forged, or from an old page)."""


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, detail: str | None = None) -> Response:
    """The error page (or API JSON) for `status`, with `detail` when there is something to add."""
    title, advice = ERROR_TEXT.get(status, ERROR_TEXT[500 if status >= 500 else 400])
    if _wants_json(request):
        return JSONResponse({"error": title, "detail": detail or advice}, status_code=status)
    from lantern.web.pages import render  # the page renderer needs the app's templates

    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "advice": advice, "detail": detail},
        status=status,
    )


async def _page(request: Request, status: int, detail: str | None = None) -> Response:
    # Drawing the page may read who is signed in from the database: off the event loop.
    return await run_in_threadpool(error_response, request, status, detail)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into error pages."""

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> Response:
        return await _page(request, exc.status, exc.message)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed) -> Response:
        return await _page(
            request,
            403,
            "The form was not sent from a page Lantern gave you, or the page was too old. "
            "Go back, reload the page and try again.",
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else None
        response = await _page(request, exc.status_code, detail)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = exc.errors()
        first = problems[0] if problems else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
        detail = f"{where}: {first.get('msg', 'invalid')}" if where else None
        return await _page(request, 400, detail)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return await _page(request, 500)
