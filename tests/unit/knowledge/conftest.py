"""Shared fixtures for the knowledge tests: the shipped data and the shared specification."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from lantern.knowledge import GuidancePage, Vocabulary, load_guidance, load_vocabulary
from tests.paths import SHARED


@dataclass(frozen=True)
class SpecRow:
    """One row of a table in factors.md: the code and its cells after the code."""

    code: str
    cells: tuple[str, ...]


def _table_rows(text: str, heading: str) -> list[SpecRow]:
    """Rows of the first table under `## heading`, keyed by the back-quoted code."""
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`([a-z_]+)`", cells[0]) if cells else None
        if match:
            rows.append(SpecRow(match.group(1), tuple(cells[1:])))
    return rows


@dataclass(frozen=True)
class Spec:
    signs: list[SpecRow]
    vulnerabilities: list[SpecRow]
    tactics: list[SpecRow]
    entities: list[SpecRow]


@pytest.fixture(scope="session")
def spec() -> Spec:
    path = SHARED / "spec" / "factors.md"
    if not path.exists():
        pytest.skip(f"shared specification not found at {path} (set LANTERN_SHARED)")
    text = path.read_text(encoding="utf-8")
    parsed = Spec(
        signs=_table_rows(text, "Signs"),
        vulnerabilities=_table_rows(text, "Vulnerabilities"),
        tactics=_table_rows(text, "Online grooming tactics"),
        entities=_table_rows(text, "Entities"),
    )
    # Guard the parser itself: an empty table would make every comparison vacuous.
    assert all([parsed.signs, parsed.vulnerabilities, parsed.tactics, parsed.entities])
    return parsed


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip(f"seed pages not found at {path} (set LANTERN_SHARED)")
    return path


@pytest.fixture(scope="session")
def vocab() -> Vocabulary:
    return load_vocabulary()


@pytest.fixture(scope="session")
def pages() -> tuple[GuidancePage, ...]:
    return load_guidance()
