"""Browser tests: Lantern served on loopback, driven by Debian's Chromium through Playwright,
with axe-core (from npm) run on every page a journey visits.

Skipped, with the reason, only when Chromium or the built assets are missing
(`scripts/ensure-test-deps.sh` installs and builds both).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from lantern.settings import Settings
from lantern.web.app import STATIC_DIR
from tests.unit.web.conftest import World, build_world

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: axe-core impacts that fail a page; minor and moderate findings are reported, not failed.
FAILING_IMPACTS = frozenset({"serious", "critical"})
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = pytest.mark.browser


def _assets_ready() -> str | None:
    if not CHROMIUM.exists():
        return "Debian chromium is not installed (scripts/ensure-test-deps.sh installs it)"
    if not (STATIC_DIR / "lantern.css").exists() or not AXE.exists():
        if shutil.which("npm") is None:
            return "web assets are not built and npm is missing"
        subprocess.run([str(ROOT / "scripts" / "build-assets.sh")], check=True, cwd=ROOT)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Site:
    url: str
    world: World


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    reason = _assets_ready()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("browser")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'lantern.db'}",
        var_dir=folder,
        secret_key="browser-test-secret-" + "y" * 32,
        organisation_name="Northshire Safeguarding Partnership",
    )
    world = build_world(settings)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(world.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield Site(url=f"http://127.0.0.1:{port}", world=world)
    server.should_exit = True
    thread.join(timeout=10)
    world.db.dispose()


@pytest.fixture(scope="session")
def browser(site: Site) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, site: Site) -> Iterator[Any]:
    context = browser.new_context(base_url=site.url)
    opened = context.new_page()
    problems: list[str] = []
    # Script errors and CSP refusals; an error page's own status (a 400 for a form
    # with mistakes) also logs an error line, which is expected and not kept.
    opened.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    opened.on("pageerror", lambda e: problems.append(str(e)))
    opened.problems = problems
    yield opened
    context.close()


def check_accessibility(page: Any) -> None:
    """Run axe-core on the page as it stands; fail on any serious or critical violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's CSP does not govern.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    bad = [v for v in result["violations"] if v.get("impact") in FAILING_IMPACTS]
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in bad
    ]
    assert not bad, f"axe on {page.url}:\n" + "\n".join(summary)


def sign_in_as(page: Any, site: Site, role: Any) -> None:
    """Sign in through the pages with the account for `role`: password, then the current code.

    A code is accepted once (replay protection), and journeys sign the same account in
    several times within one 30-second step; so the test first clears the account's record
    of the last code used, as if the step had passed, rather than waiting for it.
    """
    import pyotp

    from lantern.services.context import Actor
    from lantern.store.models import User
    from tests.unit.web.conftest import PASSWORD

    user_id, email, secret = site.world.users[role]
    with site.world.db.transaction(Actor.system("test")) as session:
        user = session.get(User, user_id)
        assert user is not None
        user.totp_last_step = None
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Enter your code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/home")


def tab_to(page: Any, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {selector} with the Tab key")
