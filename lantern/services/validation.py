"""Text that may be stored: no control characters, no value longer than its column.

Two guards, so that no entry point can forget: drafts built on `CleanModel`
reject bad text field by field as they are parsed, and `install` checks every
record about to be written, whichever service wrote it. PostgreSQL refuses a
NUL character outright and SQLite would store it silently; both now answer
`Invalid` (400) naming the field, and nothing is saved.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationInfo, field_validator
from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from lantern.services.context import Invalid

#: Characters no record may hold: C0 controls except tab, line feed and carriage
#: return (which notes legitimately contain), DEL, C1 controls, and lone
#: surrogates (not encodable as UTF-8). None appears in text a person types;
#: they arrive from binary pastes or attacks and break storage, display and export.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

CONTROL_MESSAGE = "contains control characters; remove them and try again"


def has_forbidden_characters(value: str) -> bool:
    """Whether `value` holds any character a record may not store."""
    return FORBIDDEN_CHARACTERS.search(value) is not None


def check_text(field: str, value: str | None) -> str | None:
    """`value` unchanged, or `Invalid` naming `field` when it holds forbidden characters."""
    if value is not None and has_forbidden_characters(value):
        raise Invalid({field: CONTROL_MESSAGE})
    return value


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)] + [
            s for k in value for s in _strings(k)
        ]
    if isinstance(value, list | tuple | set | frozenset):
        return [s for v in value for s in _strings(v)]
    return []


class CleanModel(BaseModel):
    """Base of the drafts services accept: every text field is checked for control characters."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        if any(has_forbidden_characters(s) for s in _strings(value)):
            raise ValueError(CONTROL_MESSAGE)
        return value


def check_record(obj: Any) -> None:
    """Raise `Invalid` when a record about to be written holds forbidden characters or a
    value longer than its column allows (PostgreSQL would refuse it; SQLite would not)."""
    mapper = inspect(type(obj), raiseerr=False)
    if mapper is None:
        return
    for column_attr in mapper.column_attrs:
        value = getattr(obj, column_attr.key, None)
        # Text columns only: people's words are stored there. JSON columns hold what
        # Lantern itself computed (assessments, alert details) from checked input.
        if not isinstance(value, str):
            continue
        name = column_attr.key
        if has_forbidden_characters(value):
            raise Invalid({name: CONTROL_MESSAGE})
        column = column_attr.columns[0]
        length = getattr(column.type, "length", None) if isinstance(column.type, String) else None
        if length is not None and len(value) > length:
            raise Invalid({name: f"at most {length} characters"})


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.new) + list(session.dirty):
        check_record(obj)


def install(factory: sessionmaker[Session]) -> None:
    """Check every record written through sessions from `factory`."""
    event.listen(factory, "before_flush", _before_flush)


__all__ = [
    "CONTROL_MESSAGE",
    "FORBIDDEN_CHARACTERS",
    "CleanModel",
    "check_record",
    "check_text",
    "has_forbidden_characters",
    "install",
]
