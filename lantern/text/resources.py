"""Loading the text layer's versioned YAML data files (lexicons, scope rules, entity vocabulary)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_PACKAGE = "lantern.text"
_MACRO = re.compile(r"\{([A-Z][A-Z_]*)\}")
# libyaml's safe loader when PyYAML was built with it: a tenth of the start-up time.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataFileError(Exception):
    """A packaged data file is missing or malformed (a defect in Lantern, not in the input)."""


def load_yaml(*parts: str) -> dict[str, Any]:
    """Read one YAML mapping from `lantern/text/data/<parts...>`."""
    node = resources.files(_PACKAGE).joinpath("data", *parts)
    try:
        value = yaml.load(node.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError) as e:
        raise DataFileError(f"cannot read data file {'/'.join(parts)}: {e}") from e
    if not isinstance(value, dict):
        raise DataFileError(f"data file {'/'.join(parts)} is not a mapping")
    return value


def factor_files() -> list[str]:
    """Names of the per-factor lexicon files, sorted."""
    folder = resources.files(_PACKAGE).joinpath("data", "factors")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))


@lru_cache(maxsize=1)
def macros() -> dict[str, str]:
    """The shared regex fragments that lexicon patterns refer to as {NAME}."""
    data = load_yaml("macros.yaml")
    return {str(k): str(v) for k, v in data["macros"].items()}


def expand(pattern: str) -> str:
    """Replace each {NAME} in a pattern by its macro, failing loudly on an unknown name."""
    table = macros()

    def _sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in table:
            raise DataFileError(f"unknown macro {{{name}}} in pattern {pattern!r}")
        return table[name]

    return _MACRO.sub(_sub, pattern)


#: Data-file patterns are English words: ASCII case folding and ASCII \w, \b, \s
#: halve the regex engine's work per character, and notes' non-ASCII letters
#: (an accent in a name) never begin or end a lexicon phrase.
_FLAGS = re.IGNORECASE | re.ASCII


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a data-file regex (macros expanded, case-insensitive, ASCII classes)."""
    try:
        return re.compile(expand(pattern), _FLAGS)
    except re.error as e:
        raise DataFileError(f"bad pattern {pattern!r}: {e}") from e
