"""Run the installed `lantern` command as a user or another tool would."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

LANTERN = Path(sys.executable).with_name("lantern")

Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def lantern() -> Runner:
    """lantern(*args, input=...) -> CompletedProcess with text stdout and stderr."""

    def run(*args: str, input: str | bytes | None = None) -> subprocess.CompletedProcess[str]:
        data = input.encode("utf-8") if isinstance(input, str) else input
        proc = subprocess.run(
            [str(LANTERN), *args], input=data, capture_output=True, timeout=120, check=False
        )
        return subprocess.CompletedProcess(
            proc.args,
            proc.returncode,
            proc.stdout.decode("utf-8"),
            proc.stderr.decode("utf-8", errors="replace"),
        )

    return run
