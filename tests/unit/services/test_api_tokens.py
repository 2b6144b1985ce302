"""The state a person's API token is shown in: live, expired or revoked, by the same rule
the API applies when the token is used."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lantern.services.auth import token_state

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
offsets = st.timedeltas(min_value=timedelta(days=-400), max_value=timedelta(days=400))
maybe_offset = st.none() | offsets


@given(expires=maybe_offset, revoked=maybe_offset)
def test_revoked_wins_then_expiry_decides(
    expires: timedelta | None, revoked: timedelta | None
) -> None:
    expires_at = NOW + expires if expires is not None else None
    revoked_at = NOW + revoked if revoked is not None else None
    state = token_state(expires_at=expires_at, revoked_at=revoked_at, now=NOW)
    if revoked_at is not None:
        assert state == "revoked"
    elif expires_at is not None and expires_at <= NOW:
        assert state == "expired"
    else:
        assert state == "live"


@given(expires=offsets)
def test_a_naive_stored_time_reads_as_utc(expires: timedelta) -> None:
    """SQLite hands back naive datetimes; they mean UTC, as PostgreSQL's aware ones do."""
    aware = NOW + expires
    naive = aware.replace(tzinfo=None)
    assert token_state(expires_at=naive, revoked_at=None, now=NOW) == token_state(
        expires_at=aware, revoked_at=None, now=NOW
    )


def test_the_edges() -> None:
    assert token_state(expires_at=None, revoked_at=None, now=NOW) == "live"
    assert token_state(expires_at=NOW, revoked_at=None, now=NOW) == "expired"  # as the API
    assert token_state(expires_at=NOW + timedelta(seconds=1), revoked_at=None, now=NOW) == "live"
    assert token_state(expires_at=NOW - timedelta(days=1), revoked_at=NOW, now=NOW) == "revoked"
