"""The audit hash: any change to an event's content changes its hash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from lantern.services.audit import GENESIS, event_hash

BASE: dict[str, Any] = {
    "at": datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=UTC),
    "user_id": 3,
    "user_email": "a@test.example",
    "role": "dsl",
    "action": "read",
    "record_type": "concern",
    "record_id": "7",
    "young_person_id": 2,
    "reason": None,
    "break_glass": False,
    "detail": {"channel": "web"},
    "prev_hash": GENESIS,
}


def test_same_moment_in_any_timezone_or_naive_utc_hashes_the_same() -> None:
    naive = {**BASE, "at": BASE["at"].replace(tzinfo=None)}
    shifted = {**BASE, "at": BASE["at"].astimezone(timezone(timedelta(hours=1)))}
    assert event_hash(BASE) == event_hash(naive) == event_hash(shifted)


@given(st.sampled_from(sorted(k for k in BASE if k != "at")), st.text(max_size=5))
def test_changing_any_field_changes_the_hash(field: str, value: str) -> None:
    changed = {**BASE, field: f"changed:{value}"}
    assert event_hash(changed) != event_hash(BASE)
