"""Signing in and out: password, then the second factor (set up on first sign-in), then home."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.services import auth
from lantern.services.context import Actor, Invalid, NotFound, TooManyAttempts
from lantern.store.models import User, WebSession
from lantern.web.deps import Redirect, Staff, database
from lantern.web.pages import render, set_cookie
from lantern.web.visitor import SESSION_COOKIE, SignedIn, visitor_of

__all__ = ["router"]

router = APIRouter()

_SIGN_IN = "Sign in"


def _safe_next(target: str) -> str:
    # Only paths on this site: an open redirect would let a phishing link borrow Lantern's name.
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/home"


def _pending(request: Request) -> SignedIn:
    """The half-signed-in session (password done, second factor not yet)."""
    signed_in = visitor_of(request).signed_in
    if signed_in is None:
        raise Redirect("/sign-in")
    if signed_in.second_factor_done:
        raise Redirect("/home")
    return signed_in


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, next: str = "/home") -> Response:
    return render(
        request,
        "auth/sign_in.html",
        {"title": _SIGN_IN, "form": {}, "errors": {}, "next": _safe_next(next)},
    )


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(
    request: Request,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=auth.MAX_PASSWORD_LENGTH)] = "",
    next: Annotated[str, Form(max_length=500)] = "/home",
) -> Response:
    settings = request.app.state.settings
    failure: Invalid | None = None
    with database(request).transaction(Actor.public()) as session:
        try:
            user = auth.authenticate(
                session=session, email=email, password=password, settings=settings
            )
        except Invalid as e:
            failure = e  # committed, so the failure counts towards lock-out
        else:
            started = auth.create_session(session=session, user=user, settings=settings)
            needs_setup = not user.totp_confirmed
    if failure is not None:
        return render(
            request,
            "auth/sign_in.html",
            {
                "title": _SIGN_IN,
                "form": {"email": email},
                "errors": failure.errors,
                "next": _safe_next(next),
            },
            status=400,
        )
    target = "/sign-in/set-up-code" if needs_setup else "/sign-in/code"
    response = RedirectResponse(f"{target}?next={_safe_next(next)}", status_code=303)
    set_cookie(request, response, SESSION_COOKIE, started.token, max_age=None)
    return response


@router.get("/sign-in/code", response_class=HTMLResponse)
def code_form(request: Request, next: str = "/home") -> Response:
    pending = _pending(request)
    if pending.needs_totp_setup:
        raise Redirect("/sign-in/set-up-code")
    return render(
        request,
        "auth/code.html",
        {"title": "Enter your code", "errors": {}, "next": _safe_next(next)},
    )


@router.post("/sign-in/code", response_class=HTMLResponse)
def code_submit(
    request: Request,
    code: Annotated[str, Form(max_length=20)] = "",
    next: Annotated[str, Form(max_length=500)] = "/home",
) -> Response:
    return _finish_second_factor(
        request, code, _safe_next(next), "auth/code.html", "Enter your code"
    )


@router.get("/sign-in/set-up-code", response_class=HTMLResponse)
def setup_form(request: Request, next: str = "/home") -> Response:
    pending = _pending(request)
    if not pending.needs_totp_setup:
        raise Redirect("/sign-in/code")
    with database(request).transaction(Actor.public()) as session:
        user = session.get(User, pending.user_id)
        if user is None:
            raise NotFound("no such user")
        uri = (
            auth.totp_uri(user)
            if user.totp_secret
            else auth.begin_totp_setup(session=session, user=user)
        )
        secret = user.totp_secret or ""
    return render(
        request,
        "auth/set_up_code.html",
        {
            "title": "Set up your second factor",
            "errors": {},
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "uri": uri,
            "next": _safe_next(next),
        },
    )


@router.post("/sign-in/set-up-code", response_class=HTMLResponse)
def setup_submit(
    request: Request,
    code: Annotated[str, Form(max_length=20)] = "",
    next: Annotated[str, Form(max_length=500)] = "/home",
) -> Response:
    return _finish_second_factor(
        request, code, _safe_next(next), "auth/code.html", "Enter the code from your app"
    )


def _finish_second_factor(
    request: Request, code: str, next_url: str, template: str, title: str
) -> Response:
    pending = _pending(request)
    settings = request.app.state.settings
    failure: Invalid | TooManyAttempts | None = None
    with database(request).transaction(Actor.public()) as session:
        record = session.get(WebSession, pending.session_id)
        if record is None:
            raise Redirect("/sign-in")
        try:
            auth.complete_second_factor(
                session=session, web_session=record, code=code, settings=settings
            )
        except (Invalid, TooManyAttempts) as e:
            failure = e  # committed, so the failure counts towards lock-out
        else:
            token = auth.rotate_session(session=session, web_session=record)
    if isinstance(failure, TooManyAttempts):
        raise failure
    if failure is not None:
        return render(
            request,
            template,
            {"title": title, "errors": failure.errors, "next": next_url},
            status=400,
        )
    response = RedirectResponse(next_url, status_code=303)
    set_cookie(request, response, SESSION_COOKIE, token, max_age=None)
    return response


@router.get("/sign-out", response_class=HTMLResponse)
def sign_out_form(request: Request) -> Response:
    if visitor_of(request).signed_in is None:
        raise Redirect("/")
    return render(request, "auth/sign_out.html", {"title": "Sign out"})


@router.post("/sign-out", response_class=HTMLResponse)
def sign_out(request: Request) -> Response:
    signed_in = visitor_of(request).signed_in
    if signed_in is not None:
        with database(request).transaction(signed_in.actor()) as session:
            record = session.get(WebSession, signed_in.session_id)
            if record is not None:
                auth.end_session(session=session, web_session=record)
    response = RedirectResponse("/signed-out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/signed-out", response_class=HTMLResponse)
def signed_out(request: Request) -> Response:
    return render(request, "auth/signed_out.html", {"title": "You have signed out"})


@router.get("/home", response_class=HTMLResponse)
def staff_home(request: Request, staff: Staff) -> Response:
    return render(request, "staff/home.html", {"title": "Home"})
