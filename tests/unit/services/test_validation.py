"""Control characters and over-long values are refused before anything is stored."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.services import Invalid
from lantern.services.concerns import ConcernDraft
from lantern.services.public_reports import PublicReportDraft
from lantern.services.validation import (
    check_record,
    check_text,
    has_forbidden_characters,
)
from lantern.services.young_people import parse_draft
from lantern.store.models import Organisation, OrganisationKind

BAD = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800"]


@pytest.mark.parametrize("char", BAD)
def test_control_characters_are_found(char: str) -> None:
    assert has_forbidden_characters(f"Seen at the park{char} on Friday.")


def test_tabs_and_line_breaks_are_text() -> None:
    assert not has_forbidden_characters("Line one.\r\nLine two.\tIndented.")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"))))
def test_printable_text_is_accepted(value: str) -> None:
    assert check_text("text", value) == value


@pytest.mark.parametrize("char", BAD)
def test_a_draft_names_the_field(char: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_draft(
            ConcernDraft,
            {
                "young_person_id": 1,
                "observed_on": date.today().isoformat(),
                "text": f"Left school{char} early.",
                "idempotency_key": "abcdefgh12",
            },
        )
    assert set(caught.value.errors) == {"text"}


def test_nested_fields_are_checked() -> None:
    with pytest.raises(Invalid) as caught:
        parse_draft(
            ConcernDraft,
            {
                "young_person_id": 1,
                "observed_on": date.today().isoformat(),
                "text": "Left school early.",
                "entities": [{"kind": "person", "value": "Dean\x00"}],
                "idempotency_key": "abcdefgh12",
            },
        )
    assert "entities.0.value" in caught.value.errors


def test_public_report_fields_are_checked() -> None:
    with pytest.raises(Invalid) as caught:
        parse_draft(
            PublicReportDraft,
            {"child": "A girl\x00", "location": "Park", "what_seen": "Crying."},
        )
    assert set(caught.value.errors) == {"child"}


def test_records_are_checked_whatever_wrote_them() -> None:
    with pytest.raises(Invalid) as caught:
        check_record(Organisation(name="School\x00", kind=OrganisationKind.SCHOOL))
    assert caught.value.errors == {"name": "contains control characters; remove them and try again"}


def test_values_longer_than_their_column_are_refused() -> None:
    with pytest.raises(Invalid) as caught:
        check_record(Organisation(name="x" * 201, kind=OrganisationKind.SCHOOL))
    assert "name" in caught.value.errors
    check_record(Organisation(name="x" * 200, kind=OrganisationKind.SCHOOL))
