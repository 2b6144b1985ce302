"""The audit anchor file: one line per commit, per database, damage reported by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.services.anchor import Anchor, database_key, default_anchor_path


def test_lines_are_read_back_per_database(tmp_path: Path) -> None:
    path = tmp_path / "anchor.jsonl"
    one = Anchor(path, "sqlite:///one.db")
    two = Anchor(path, "sqlite:///two.db")
    assert one.read() == {}
    assert one.append(3, "a" * 64)
    assert two.append(9, "b" * 64)
    assert one.append(7, "c" * 64)
    assert one.read() == {3: "a" * 64, 7: "c" * 64}
    assert two.read() == {9: "b" * 64}


def test_damaged_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "anchor.jsonl"
    anchor = Anchor(path, "db")
    anchor.append(1, "a" * 64)
    with path.open("a", encoding="utf-8") as f:
        f.write("not json\n")
    with pytest.raises(ValueError, match=r"anchor.jsonl:2"):
        anchor.read()


def test_unwritable_anchor_does_not_raise(tmp_path: Path) -> None:
    folder = tmp_path / "is-a-folder"
    folder.mkdir()
    assert Anchor(folder, "db").append(1, "a" * 64) is False


def test_default_places(tmp_path: Path) -> None:
    db = tmp_path / "lantern.db"
    assert (
        default_anchor_path(f"sqlite:///{db}", Path("var")) == tmp_path / "lantern.db.audit-anchor"
    )
    pg = "postgresql+psycopg://u:secret@host/name"
    assert default_anchor_path(pg, Path("var")) == Path("var/audit-anchor.jsonl")
    assert "secret" not in database_key(pg)
    assert database_key("sqlite:///var/x.db") == database_key(
        f"sqlite:///{Path('var/x.db').resolve()}"
    )
