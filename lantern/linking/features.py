"""Turning people records as written into the comparable features the linkage model reads.

Pure and engine-free: the same features go to DuckDB and to Spark, so both
backends score the same pairs the same way. Everything that needs judgement
about how records are written (names, nicknames, ages, identifier formats) is
settled here, in Python, once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lantern.linking.names import canonical_forename, is_known_forename, name_key, parse_name
from lantern.linking.normalise import (
    normalise_handle,
    normalise_phone,
    normalise_plate,
    normalise_postcode,
    postcode_district,
)

__all__ = [
    "FEATURE_COLUMNS",
    "INPUT_COLUMNS",
    "estimated_birth_year",
    "parse_dob",
    "prepare_columns",
    "prepare_records",
]

#: The columns of `lantern link` input (interfaces.md); any but record_id may be empty.
INPUT_COLUMNS: tuple[str, ...] = (
    "record_id",
    "source",
    "full_name",
    "nickname",
    "dob",
    "age",
    "gender",
    "phone",
    "vehicle",
    "postcode",
    "handle",
)

#: The columns the model compares (plus `unique_id` and `source`, kept for context).
FEATURE_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "source",
    "forename",
    "forenames",
    "initial",
    "surname",
    "street_name",
    "dob",
    "birth_year",
    "gender",
    "phone",
    "vehicle",
    "postcode",
    "postcode_district",
    "handle",
)

#: Ages outside this range are slips (a year typed as an age, a missing digit).
PLAUSIBLE_AGE = range(5, 111)

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$")
_GENDERS = {"m": "male", "male": "male", "man": "male", "f": "female", "female": "female"}
_GENDERS |= {"woman": "female", "boy": "male", "girl": "female"}


def parse_dob(raw: str | None) -> str | None:
    """A date of birth as ISO 'YYYY-MM-DD' from ISO or UK day-first writing, else None."""
    if not raw or not raw.strip():
        return None
    text = raw.strip()
    match = _YMD.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY.match(text)
        if not match:
            return None
        day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def estimated_birth_year(age: str | None, reference: dt.date) -> int | None:
    """The year someone of this age (in completed years) was most likely born."""
    if not age or not age.strip():
        return None
    try:
        years = int(float(age.strip()))
    except ValueError:
        return None
    if years not in PLAUSIBLE_AGE:
        return None
    return (
        reference.year - years - 1
        if reference.timetuple().tm_yday < 183
        else reference.year - years
    )


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _dataset_forenames(records: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    # A nickname field often holds a forename ("Michael", "Tom"). A word used
    # as the first name of a full name anywhere in the same data is read as a
    # forename even if the lexicon lacks it, so unusual names still line up.
    seen: set[str] = set()
    for record in records:
        parsed = parse_name(_clean(record.get("full_name")))
        if parsed.forename and parsed.surname:
            seen.add(parsed.forename)
    return frozenset(seen)


def _features(
    record: Mapping[str, Any], reference: dt.date, known_forenames: frozenset[str]
) -> dict[str, Any]:
    parsed = parse_name(_clean(record.get("full_name")))
    nickname = name_key(_clean(record.get("nickname")))
    forename = parsed.forename
    initial = parsed.initial
    forenames: set[str] = set()
    street_name = None
    if forename:
        forenames.add(canonical_forename(forename) or forename)
    if nickname:
        if " " not in nickname and (is_known_forename(nickname) or nickname in known_forenames):
            forenames.add(canonical_forename(nickname) or nickname)
            if forename is None:
                forename = nickname
                initial = initial or nickname[0]
        else:
            street_name = nickname
    dob = parse_dob(_clean(record.get("dob")))
    birth_year = int(dob[:4]) if dob else estimated_birth_year(_clean(record.get("age")), reference)
    gender_raw = (_clean(record.get("gender")) or "").lower()
    postcode = normalise_postcode(_clean(record.get("postcode")))
    return {
        "unique_id": str(record["record_id"]),
        "source": _clean(record.get("source")),
        "forename": canonical_forename(forename),
        "forenames": sorted(forenames) or None,
        "initial": initial,
        "surname": parsed.surname,
        "street_name": street_name,
        "dob": dob,
        "birth_year": birth_year,
        "gender": _GENDERS.get(gender_raw),
        "phone": normalise_phone(_clean(record.get("phone"))),
        "vehicle": normalise_plate(_clean(record.get("vehicle"))),
        "postcode": postcode,
        "postcode_district": postcode_district(postcode),
        "handle": normalise_handle(_clean(record.get("handle"))),
    }


def prepare_records(
    records: Iterable[Mapping[str, Any]], reference: dt.date | None = None
) -> list[dict[str, Any]]:
    """Features for each record, in input order.

    `reference` is the date ages are counted back from (today by default):
    an age recorded without a date is read as an age now.
    """
    rows = list(records)
    when = reference or dt.date.today()
    known = _dataset_forenames(rows)
    return [_features(row, when, known) for row in rows]


def prepare_columns(
    records: Sequence[Mapping[str, Any]], reference: dt.date | None = None
) -> dict[str, list[Any]]:
    """The same features as `prepare_records`, held column by column.

    A million records as a million dictionaries take gigabytes; as columns they
    go straight into an Arrow table for the engine.
    """
    when = reference or dt.date.today()
    known = _dataset_forenames(records)
    columns: dict[str, list[Any]] = {name: [] for name in FEATURE_COLUMNS}
    appenders = [(name, columns[name].append) for name in FEATURE_COLUMNS]
    for record in records:
        features = _features(record, when, known)
        for name, append in appenders:
            append(features[name])
    return columns
