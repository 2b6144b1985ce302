"""Read and validate the vocabulary (YAML) and the guidance pages (Markdown with front matter).

Both loaders take an optional path so that tests and administrators can check a
draft file; with no argument they read the copies shipped inside the package.
Any problem becomes a one-line `KnowledgeError` naming the file and the entry.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from lantern.knowledge.errors import KnowledgeError
from lantern.knowledge.models import EntityType, Factor, GuidancePage, Tactic, Vocabulary

__all__ = ["DATA_DIR", "GUIDANCE_DIR", "VOCABULARY_FILE", "load_guidance", "load_vocabulary"]

DATA_DIR = Path(__file__).resolve().parent / "data"
VOCABULARY_FILE = DATA_DIR / "vocabulary.yaml"
GUIDANCE_DIR = DATA_DIR / "guidance"

_TOP_LEVEL = ("version", "factors", "tactics", "entity_types")
_FRONT_MATTER_FENCE = "---"

_M = TypeVar("_M", bound=BaseModel)


@functools.cache
def load_vocabulary(path: Path | str | None = None) -> Vocabulary:
    """Load, validate and cache the vocabulary; factors come signs first, then vulnerabilities."""
    file = Path(path) if path is not None else VOCABULARY_FILE
    raw = _read_yaml(file, _read_text(file), file.name)
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{file.name}: expected a mapping with keys {', '.join(_TOP_LEVEL)}")
    unknown = sorted(str(k) for k in raw if k not in _TOP_LEVEL)
    if unknown:
        raise KnowledgeError(f"{file.name}: unknown top-level key {unknown[0]!r}")
    missing = [k for k in _TOP_LEVEL if k not in raw]
    if missing:
        raise KnowledgeError(f"{file.name}: missing top-level key {missing[0]!r}")
    factors = _parse_section(file.name, "factors", raw["factors"], Factor, "code")
    tactics = _parse_section(file.name, "tactics", raw["tactics"], Tactic, "code")
    entities = _parse_section(file.name, "entity_types", raw["entity_types"], EntityType, "type")
    # Signs first, then vulnerabilities; the file's order is kept within each (stable sort).
    ordered = sorted(factors.values(), key=lambda f: f.category != "sign")
    try:
        return Vocabulary(
            version=raw["version"],
            factors={f.code: f for f in ordered},
            tactics=tactics,
            entity_types=entities,
        )
    except ValidationError as e:
        raise KnowledgeError(f"{file.name}: {_first_problem(e)}") from None


@functools.cache
def load_guidance(directory: Path | str | None = None) -> tuple[GuidancePage, ...]:
    """Load, validate and cache every guidance page (`<slug>.md`), sorted by `order`."""
    folder = Path(directory) if directory is not None else GUIDANCE_DIR
    if not folder.is_dir():
        raise KnowledgeError(f"guidance folder not found: {folder}")
    pages = [_parse_page(file) for file in sorted(folder.glob("*.md"))]
    if not pages:
        raise KnowledgeError(f"no guidance pages (*.md) in {folder}")
    seen: dict[int, str] = {}
    for page in pages:
        if page.order in seen:
            raise KnowledgeError(
                f"{page.slug}.md: order {page.order} is also used by {seen[page.order]}.md"
            )
        seen[page.order] = page.slug
    return tuple(sorted(pages, key=lambda p: p.order))


def _read_text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(f"knowledge file not found: {file}") from None
    except UnicodeDecodeError as e:
        raise KnowledgeError(f"{file.name}: not valid UTF-8 (byte {e.start})") from None
    except OSError as e:
        raise KnowledgeError(f"cannot read {file}: {e.strerror or e}") from None


def _read_yaml(file: Path, text: str, where: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or "invalid YAML"
        raise KnowledgeError(f"{where}: bad YAML{at}: {problem}") from None


def _parse_section(
    file: str, section: str, entries: Any, model: type[_M], key: str
) -> dict[str, _M]:
    if not isinstance(entries, list) or not entries:
        raise KnowledgeError(f"{file}: {section!r} must be a non-empty list")
    parsed: dict[str, _M] = {}
    first_seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        where = f"{file}: {section}[{index}]"
        if not isinstance(entry, Mapping):
            raise KnowledgeError(f"{where}: expected a mapping, got {type(entry).__name__}")
        name = entry.get(key)
        if isinstance(name, str):
            where += f" ({name})"
        try:
            item = model.model_validate(entry)
        except ValidationError as e:
            raise KnowledgeError(f"{where}: {_first_problem(e)}") from None
        ident = str(getattr(item, key))
        if ident in parsed:
            raise KnowledgeError(
                f"{file}: duplicate {key} {ident!r} in {section}[{first_seen[ident]}] "
                f"and {section}[{index}]"
            )
        parsed[ident] = item
        first_seen[ident] = index
    return parsed


def _parse_page(file: Path) -> GuidancePage:
    text = _read_text(file)
    lines = text.splitlines()
    if not lines or lines[0].strip() != _FRONT_MATTER_FENCE:
        raise KnowledgeError(f"{file.name}: must start with '---' and YAML front matter")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == _FRONT_MATTER_FENCE)
    except StopIteration:
        raise KnowledgeError(f"{file.name}: front matter has no closing '---'") from None
    meta = _read_yaml(file, "\n".join(lines[1:end]), f"{file.name} front matter")
    if not isinstance(meta, dict):
        raise KnowledgeError(f"{file.name}: front matter must be a mapping")
    if "body" in meta:
        raise KnowledgeError(f"{file.name}: front matter must not set 'body'")
    body = "\n".join(lines[end + 1 :])
    try:
        page = GuidancePage.model_validate({**meta, "body": body})
    except ValidationError as e:
        raise KnowledgeError(f"{file.name}: {_first_problem(e)}") from None
    if page.slug != file.stem:
        raise KnowledgeError(f"{file.name}: slug {page.slug!r} does not match the file name")
    return page


def _first_problem(error: ValidationError) -> str:
    """Say what is wrong in words an editor of the YAML understands, for the first error."""
    problem = error.errors()[0]
    loc = ".".join(str(part) for part in problem["loc"])
    more = error.error_count() - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    kind = problem["type"]
    if kind == "missing":
        return f"missing field {loc!r}{tail}"
    if kind == "extra_forbidden":
        return f"unknown field {loc!r}{tail}"
    shown = _short(problem.get("input"))
    return f"field {loc!r}: {problem['msg']} (got {shown}){tail}"


def _short(value: object) -> str:
    text = repr(value) if not isinstance(value, Sequence) or isinstance(value, str) else "a list"
    # Long descriptions would make the one-line message unreadable.
    return text if len(text) <= 60 else text[:57] + "..."
