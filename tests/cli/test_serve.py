"""`lantern serve --workers N`: several processes on one SQLite database, sharing the
secret key (a form from one is accepted by another) and the public report limit."""

from __future__ import annotations

import os
import re
import signal
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from lantern.services.public_reports import RATE_LIMIT_REPORTS

from .conftest import LANTERN


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(server.stderr.read().decode() if server.stderr else "exited")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("lantern serve did not answer within 60 seconds")


def _workers_of(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = task / "children"
        if children.exists():
            found |= {int(c) for c in children.read_text().split()}
    # multiprocessing's resource tracker is a child too; the workers run lantern serve.
    return {c for c in found if b"resource_tracker" not in Path(f"/proc/{c}/cmdline").read_bytes()}


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LANTERN_")},
        "LANTERN_DATABASE_URL": f"sqlite:///{tmp_path / 'lantern.db'}",
        "LANTERN_VAR_DIR": str(tmp_path / "var"),
    }
    server = subprocess.Popen(
        [str(LANTERN), "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(port, server)
        deadline = time.monotonic() + 60
        while len(_workers_of(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        (tmp_path / "server.pid").write_text(str(server.pid))
        yield f"http://127.0.0.1:{port}", tmp_path
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_worker_processes_share_the_key_and_the_report_limit(two_workers: tuple[str, Path]) -> None:
    base, tmp_path = two_workers
    key = tmp_path / "var" / "secret_key"
    assert key.exists() and stat.S_IMODE(key.stat().st_mode) == 0o600
    statuses = []
    for _ in range(RATE_LIMIT_REPORTS + 1):
        # A fresh connection each time, so the requests spread over both processes.
        with httpx.Client(base_url=base, timeout=10) as client:
            form = client.get("/report")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert token, form.text[:500]
            answer = client.post(
                "/report",
                data={
                    "child": "A boy of about 14 in a red coat",
                    "location": "Outside the leisure centre",
                    "what_seen": "Collected by different adults in cars most evenings.",
                    "csrf_token": token.group(1),
                },
                follow_redirects=False,
            )
            statuses.append(answer.status_code)
    assert statuses == [303] * RATE_LIMIT_REPORTS + [429]


def test_too_many_workers_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(LANTERN), "serve", "--workers", "500"], capture_output=True, timeout=60, check=False
    )
    assert done.returncode != 0
    assert b"workers" in done.stderr and b"Traceback" not in done.stderr


def test_a_worker_that_dies_is_replaced(two_workers: tuple[str, Path]) -> None:
    base, tmp_path = two_workers
    parent = int((tmp_path / "server.pid").read_text())
    before = _workers_of(parent)
    assert len(before) == 2
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = _workers_of(parent)
        if len(now) == 2 and victim not in now:
            break
        time.sleep(0.2)
    assert len(now) == 2 and victim not in now
    for _ in range(10):  # whichever worker answers, the service answers
        assert httpx.get(f"{base}/", timeout=10).status_code == 200


def test_a_second_server_on_the_same_port_is_refused(two_workers: tuple[str, Path]) -> None:
    base, tmp_path = two_workers
    port = base.rsplit(":", 1)[1]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LANTERN_")},
        "LANTERN_DATABASE_URL": f"sqlite:///{tmp_path / 'other.db'}",
        "LANTERN_VAR_DIR": str(tmp_path / "other"),
    }
    done = subprocess.run(
        [str(LANTERN), "serve", "--port", port, "--workers", "2"],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert b"cannot listen" in done.stderr and b"Traceback" not in done.stderr
