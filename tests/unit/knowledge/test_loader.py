"""Loading knowledge files: the shipped data loads; broken files fail with clear messages."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from lantern.knowledge import KnowledgeError, load_guidance, load_vocabulary
from lantern.knowledge.loader import GUIDANCE_DIR, VOCABULARY_FILE

_SHIPPED: dict[str, Any] = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))


def _write_vocab(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = copy.deepcopy(_SHIPPED)
    change(data)
    path = tmp_path / "vocabulary.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _error(load: Callable[[Path], object], path: Path) -> str:
    with pytest.raises(KnowledgeError) as caught:
        load(path)
    message = str(caught.value)
    assert "\n" not in message, "errors are one line"
    return message


# ---------------------------------------------------------------- vocabulary


def test_shipped_vocabulary_loads_and_is_cached() -> None:
    assert load_vocabulary() is load_vocabulary()
    assert load_vocabulary().factors


def test_a_copy_of_the_shipped_data_loads_the_same(tmp_path: Path) -> None:
    path = _write_vocab(tmp_path, lambda d: None)
    assert load_vocabulary(path) == load_vocabulary()


def test_signs_come_before_vulnerabilities_whatever_the_file_order(tmp_path: Path) -> None:
    path = _write_vocab(tmp_path, lambda d: d["factors"].reverse())
    vocab = load_vocabulary(path)
    categories = [f.category for f in vocab.factors.values()]
    assert categories == sorted(categories, key=lambda c: c != "sign")
    # Within a category the file's order is kept.
    assert vocab.sign_codes == tuple(reversed(load_vocabulary().sign_codes))


def _duplicate_first_factor(d: dict[str, Any]) -> None:
    d["factors"].append(copy.deepcopy(d["factors"][0]))


def _set(section: str, index: int, key: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(d: dict[str, Any]) -> None:
        d[section][index][key] = value

    return change


def _drop(section: str, index: int, key: str) -> Callable[[dict[str, Any]], None]:
    def change(d: dict[str, Any]) -> None:
        del d[section][index][key]

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_duplicate_first_factor, "duplicate code 'school_absence' in factors[0] and factors[27]"),
        (
            _set("factors", 1, "category", "risk"),
            "factors[1] (out_late_overnight): field 'category'",
        ),
        (_drop("factors", 2, "title"), "factors[2] (unexplained_gifts): missing field 'title'"),
        (_set("factors", 0, "colour", "red"), "unknown field 'colour'"),
        (_set("factors", 0, "in_practice", ["only one"]), "field 'in_practice'"),
        (_set("factors", 0, "in_practice", ["a", "b", "c", "d", "e", "f", "g"]), "in_practice"),
        (_set("factors", 0, "description", "   "), "field 'description'"),
        (_set("factors", 0, "code", "School Absence"), "field 'code'"),
        (_set("tactics", 0, "examples", []), "tactics[0] (secrecy): field 'examples'"),
        (_drop("entity_types", 0, "normal_form"), "entity_types[0] (phone): missing field"),
        (lambda d: d.update(version=2026.1), "field 'version'"),
        (lambda d: d.update(factors=[]), "'factors' must be a non-empty list"),
        (lambda d: d["factors"].append("school_absence"), "expected a mapping, got str"),
        (lambda d: d.pop("tactics"), "missing top-level key 'tactics'"),
        (lambda d: d.update(weights={}), "unknown top-level key 'weights'"),
        (
            lambda d: d["tactics"].append(copy.deepcopy(d["tactics"][3])),
            "duplicate code 'gifts_offers'",
        ),
    ],
)
def test_broken_vocabulary_gives_a_clear_error(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    message = _error(load_vocabulary, _write_vocab(tmp_path, change))
    assert message.startswith("vocabulary.yaml: ")
    assert expected in message


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.yaml"
    path.write_text('version: "2026.1"\nfactors:\n  - code: [unclosed\n', encoding="utf-8")
    message = _error(load_vocabulary, path)
    assert "bad YAML at line" in message


def test_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    assert "expected a mapping" in _error(load_vocabulary, path)


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in _error(load_vocabulary, tmp_path / "nope.yaml")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.yaml"
    path.write_bytes(b'version: "caf\xe9"\n')
    assert "not valid UTF-8" in _error(load_vocabulary, path)


# ------------------------------------------------------------------ guidance


def _page(slug: str, order: int = 1, body: str = "Some guidance.\n", **extra: object) -> str:
    meta = {"slug": slug, "title": "A title", "summary": "A summary.", "order": order, **extra}
    return f"---\n{yaml.safe_dump(meta)}---\n{body}"


def test_shipped_guidance_loads_sorted_and_cached() -> None:
    pages = load_guidance()
    assert pages is load_guidance()
    assert [p.order for p in pages] == sorted(p.order for p in pages)
    assert {p.slug for p in pages} == {f.stem for f in GUIDANCE_DIR.glob("*.md")}


def test_guidance_sorted_by_order_not_file_name(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(_page("a", order=20), encoding="utf-8")
    (tmp_path / "b.md").write_text(_page("b", order=10), encoding="utf-8")
    pages = load_guidance(tmp_path)
    assert [p.slug for p in pages] == ["b", "a"]
    # Surrounding blank lines are trimmed from the body.
    assert pages[0].body == "Some guidance."


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.md", "# No front matter\n", "a.md: must start with '---'"),
        ("a.md", "---\nslug: a\ntitle: x\n", "a.md: front matter has no closing '---'"),
        ("a.md", "---\nslug: [a\n---\nbody\n", "a.md front matter: bad YAML at line"),
        ("a.md", "---\n- a\n---\nbody\n", "a.md: front matter must be a mapping"),
        ("a.md", _page("a").replace("summary: A summary.\n", ""), "missing field 'summary'"),
        ("a.md", _page("a", order=-1), "field 'order'"),
        ("a.md", _page("a", body="   \n"), "field 'body'"),
        ("a.md", _page("a", author="me"), "unknown field 'author'"),
        ("a.md", "---\nslug: a\nbody: y\n---\nx\n", "must not set 'body'"),
        ("a.md", _page("b"), "a.md: slug 'b' does not match the file name"),
        ("Bad Name.md", _page("Bad Name"), "field 'slug'"),
    ],
)
def test_broken_guidance_page_gives_a_clear_error(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert expected in _error(load_guidance, tmp_path)


def test_duplicate_order_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(_page("a", order=5), encoding="utf-8")
    (tmp_path / "b.md").write_text(_page("b", order=5), encoding="utf-8")
    assert "order 5 is also used by a.md" in _error(load_guidance, tmp_path)


def test_empty_or_missing_guidance_folder(tmp_path: Path) -> None:
    assert "no guidance pages" in _error(load_guidance, tmp_path)
    assert "not found" in _error(load_guidance, tmp_path / "missing")
