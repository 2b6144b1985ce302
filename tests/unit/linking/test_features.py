"""Features: how records as written become comparable fields."""

from __future__ import annotations

import datetime as dt

from lantern.linking.features import estimated_birth_year, parse_dob, prepare_records

REF = dt.date(2026, 11, 1)


def test_dates_of_birth_in_iso_and_uk_order() -> None:
    assert parse_dob("1977-03-17") == "1977-03-17"
    assert parse_dob("17/03/1977") == "1977-03-17"
    assert parse_dob("31/02/1990") is None
    assert parse_dob("about 30") is None


def test_age_gives_an_estimated_birth_year() -> None:
    assert estimated_birth_year("45", REF) == 1981
    assert estimated_birth_year("450", REF) is None
    assert estimated_birth_year("unknown", REF) is None


def test_nickname_that_is_a_forename_becomes_the_forename() -> None:
    rows = prepare_records(
        [
            {"record_id": "a", "nickname": "Michael", "dob": "1978-05-06"},
            {"record_id": "b", "full_name": "PRATT, Mike", "nickname": "Digger", "age": "48"},
            {"record_id": "c", "full_name": "Kemi Adeyemi", "phone": "0161 496 0032"},
            {"record_id": "d", "nickname": "Kemi"},
        ],
        reference=REF,
    )
    a, b, c, d = rows
    assert a["forename"] == "michael" and a["street_name"] is None and a["birth_year"] == 1978
    assert b["forename"] == "michael" and b["surname"] == "pratt"
    assert b["street_name"] == "digger" and b["birth_year"] == 1978
    assert c["phone"] == "+441614960032"
    # Not in the lexicon, but used as a forename elsewhere in the same data.
    assert d["forename"] == "kemi" and d["street_name"] is None
