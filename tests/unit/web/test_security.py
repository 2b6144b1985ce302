"""Security headers, the Content Security Policy, CSRF on every form, cookie flags, size limits."""

from __future__ import annotations

from fastapi.testclient import TestClient

from lantern.web.security import CONTENT_SECURITY_POLICY, MAX_BODY_BYTES
from tests.unit.web.conftest import World, all_routes, csrf_of


def test_every_page_and_error_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/report", "/sign-in", "/no-such-page"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"


def test_policy_allows_no_inline_script_and_no_other_site() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert directives["frame-ancestors"] == "'none'"


def test_pages_contain_no_inline_script(client: TestClient) -> None:
    for path in ("/", "/report", "/sign-in", "/guidance/what-to-do"):
        html = client.get(path).text
        for tag in html.split("<script")[1:]:
            assert "src=" in tag.split(">", 1)[0], f"inline script on {path}"


def test_every_form_route_refuses_a_post_without_the_token(world: World) -> None:
    client = TestClient(world.app, base_url="http://127.0.0.1")
    client.get("/")  # the visitor cookie, so only the token is missing
    posts = [p for p, methods in all_routes(world.app.routes) if "POST" in methods]
    posts = [p for p in posts if not p.startswith("/api/")]
    assert "/report" in posts and "/sign-in" in posts
    for path in posts:
        concrete = path.replace("{", "").replace("}", "")  # any id: the check comes first
        response = client.post(concrete, data={"csrf_token": "forged"})
        assert response.status_code == 403, path
        assert "not sent from a page Lantern gave you" in response.text


def test_a_token_from_another_visitor_is_refused(world: World) -> None:
    mine = TestClient(world.app, base_url="http://127.0.0.1")
    theirs = TestClient(world.app, base_url="http://127.0.0.1")
    token = csrf_of(theirs.get("/report").text)
    mine.get("/report")
    response = mine.post("/report", data={"child": "A", "csrf_token": token})
    assert response.status_code == 403


def test_cookies_are_httponly_strict_and_secure_off_loopback(world: World) -> None:
    local = TestClient(world.app, base_url="http://127.0.0.1").get("/report")
    cookie = local.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    remote = TestClient(world.app, base_url="https://lantern.example.org").get("/report")
    assert "secure" in remote.headers["set-cookie"].lower()


def test_a_body_over_the_limit_is_refused_with_413(client: TestClient) -> None:
    response = client.post("/report", content=b"x" * (MAX_BODY_BYTES + 1))
    assert response.status_code == 413
    assert "Too much to send" in response.text
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_theme_colour_comes_from_the_settings(client: TestClient) -> None:
    assert client.get("/theme.css").text.strip() == ":root{--govuk-brand-colour:#00703c}"
    assert "Northshire Safeguarding Partnership" in client.get("/").text
