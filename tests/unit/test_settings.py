"""Every setting is described, and the README's table says what the settings class says."""

from __future__ import annotations

import re
from pathlib import Path

from lantern.settings import Settings, settings_table

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = re.compile(r"<!-- settings:start -->\n(.*?)\n<!-- settings:end -->", re.DOTALL)


def test_every_setting_has_a_description() -> None:
    for name, info in Settings.model_fields.items():
        assert info.description and len(info.description) > 10, name


def test_readme_table_matches_the_settings_class() -> None:
    found = SECTION.search(README.read_text(encoding="utf-8"))
    assert found, "README.md has no settings table between the markers"
    assert found.group(1).strip() == settings_table().strip(), (
        "README settings table is out of date: paste lantern.settings.settings_table() in"
    )


def test_table_names_each_variable_once() -> None:
    rows = settings_table().splitlines()[2:]
    names = [row.split("|")[1].strip(" `") for row in rows]
    assert names == [f"LANTERN_{n.upper()}" for n in Settings.model_fields]
