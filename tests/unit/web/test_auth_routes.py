"""Signing in through the pages: password, second factor, set-up on first sign-in, sign out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from lantern.services.context import Actor, as_utc, utcnow
from lantern.store.models import Role, User, WebSession
from tests.unit.web.conftest import PASSWORD, World, csrf_of, next_code, sign_in


def test_staff_pages_send_a_visitor_to_sign_in(client: TestClient) -> None:
    response = client.get("/home", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/home"


def test_password_and_code_sign_in_and_sign_out(world: World, client: TestClient) -> None:
    _, email, secret = world.users[Role.PRACTITIONER]
    sign_in(client, email, secret)
    home = client.get("/home")
    assert home.status_code == 200
    assert "Signed in as Test practitioner" in home.text
    assert "Record a concern" in home.text
    page = client.get("/sign-out")
    client.post("/sign-out", data={"csrf_token": csrf_of(page.text)})
    assert client.get("/home", follow_redirects=False).status_code == 303


def test_the_session_cookie_changes_after_the_second_factor(
    world: World, client: TestClient
) -> None:
    _, email, secret = world.users[Role.DSL]
    page = client.get("/sign-in")
    client.post(
        "/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(page.text)}
    )
    before = client.cookies.get("lantern_session")
    page = client.get("/sign-in/code")
    client.post("/sign-in/code", data={"code": next_code(secret), "csrf_token": csrf_of(page.text)})
    after = client.cookies.get("lantern_session")
    assert before and after and before != after


def test_a_password_alone_does_not_open_staff_pages(world: World, client: TestClient) -> None:
    _, email, _ = world.users[Role.DSL]
    page = client.get("/sign-in")
    client.post(
        "/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(page.text)}
    )
    response = client.get("/home", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in/code"


def test_a_wrong_password_says_so_without_saying_which(world: World, client: TestClient) -> None:
    _, email, _ = world.users[Role.DSL]
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": email, "password": "not the password", "csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 400
    assert "The email address or password is not right." in response.text
    assert "There is a problem" in response.text


def test_a_wrong_code_is_refused_and_a_code_works_once(world: World, client: TestClient) -> None:
    _, email, secret = world.users[Role.MASH]
    page = client.get("/sign-in")
    client.post(
        "/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(page.text)}
    )
    page = client.get("/sign-in/code")
    wrong = client.post("/sign-in/code", data={"code": "000000", "csrf_token": csrf_of(page.text)})
    assert wrong.status_code == 400
    assert "The code is not right" in wrong.text
    code = next_code(secret)
    client.post("/sign-in/code", data={"code": code, "csrf_token": csrf_of(page.text)})
    again = TestClient(world.app, base_url="http://127.0.0.1")
    page = again.get("/sign-in")
    again.post(
        "/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(page.text)}
    )
    page = again.get("/sign-in/code")
    reused = again.post("/sign-in/code", data={"code": code, "csrf_token": csrf_of(page.text)})
    assert reused.status_code == 400


def test_first_sign_in_sets_up_the_second_factor(world: World, client: TestClient) -> None:
    user_id, email, _ = world.users[Role.ANALYST]
    with world.db.transaction(Actor.system("test")) as session:
        user = session.get(User, user_id)
        assert user is not None
        user.totp_secret = None
        user.totp_confirmed = False
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.headers["location"].startswith("/sign-in/set-up-code")
    page = client.get("/sign-in/set-up-code")
    assert page.status_code == 200
    with world.db.transaction(Actor.system("test")) as session:
        user = session.get(User, user_id)
        assert user is not None and user.totp_secret
        secret = user.totp_secret
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page.text
    done = client.post(
        "/sign-in/set-up-code",
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert client.get("/home").status_code == 200


def test_an_expired_session_must_sign_in_again(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    client = signed_in(Role.PRACTITIONER)
    assert client.get("/home").status_code == 200
    with world.db.transaction(Actor.system("test")) as session:
        for record in session.query(WebSession).all():
            record.last_seen_at = record.last_seen_at - timedelta(hours=2)
    response = client.get("/home", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in")


def test_next_cannot_send_anyone_off_site(world: World, client: TestClient) -> None:
    _, email, _ = world.users[Role.DSL]
    page = client.get("/sign-in?next=//evil.example")
    response = client.post(
        "/sign-in",
        data={
            "email": email,
            "password": PASSWORD,
            "next": "https://evil.example",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/sign-in/code?next=/home"


def test_pages_move_the_idle_deadline_on_at_most_once_a_minute(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    lead = signed_in(Role.DSL)
    user_id = world.users[Role.DSL][0]

    def last_seen() -> object:
        with world.db.sessions() as s:
            return s.scalar(select(WebSession.last_seen_at).where(WebSession.user_id == user_id))

    def set_last_seen(moment: object) -> None:
        with world.db.engine.begin() as c:
            c.execute(
                update(WebSession).where(WebSession.user_id == user_id).values(last_seen_at=moment)
            )

    recently = utcnow() - timedelta(seconds=20)
    set_last_seen(recently)
    assert lead.get("/triage").status_code == 200
    assert as_utc(last_seen()) == recently  # type: ignore[arg-type]  # not written again
    set_last_seen(utcnow() - timedelta(minutes=5))
    assert lead.get("/triage").status_code == 200
    assert utcnow() - as_utc(last_seen()) < timedelta(seconds=30)  # type: ignore[arg-type]
