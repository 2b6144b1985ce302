"""Reading form values the way GOV.UK patterns send them: dates in three boxes, ticked lists."""

from __future__ import annotations

from datetime import date

from starlette.datastructures import FormData

__all__ = ["date_from_parts", "text_of"]


def text_of(form: FormData, name: str, default: str = "") -> str:
    """One text field (a file upload or a missing field reads as `default`)."""
    value = form.get(name)
    return value if isinstance(value, str) else default


def date_from_parts(form: FormData, prefix: str) -> date | str | None:
    """A date from `<prefix>-day`, `-month`, `-year`: the date, None when all empty, or an error."""
    parts = [text_of(form, f"{prefix}-{part}").strip() for part in ("day", "month", "year")]
    if not any(parts):
        return None
    if not all(p.isdigit() for p in parts):
        return "Enter the date as numbers, for example 27 3 2026"
    day, month, year = (int(p) for p in parts)
    if year < 1900:
        return "Enter the year as 4 numbers"
    try:
        return date(year, month, day)
    except ValueError:
        return "Enter a real date"
