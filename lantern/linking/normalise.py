"""Normalisers for the identifiers that link records: phones, vehicles, postcodes, handles.

Values are compared only after normalising, to the forms fixed in
`factors.md` (phone E.164, plate upper case without spaces, postcode upper case
with one space before the inward code, handle lower case without '@'). Each
function returns None when nothing usable is left, so callers can treat
"missing" and "unusable" alike.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

__all__ = [
    "normalise_handle",
    "normalise_phone",
    "normalise_plate",
    "normalise_postcode",
    "postcode_district",
]

#: Records are written in the UK: a number without a country code is British.
DEFAULT_REGION = "GB"

#: Fewer digits than this cannot identify a phone (fragments, extensions).
MIN_PHONE_DIGITS = 7

_NOT_PLATE_CHARS = re.compile(r"[^A-Z0-9]")
_NOT_POSTCODE_CHARS = re.compile(r"[^A-Z0-9]")
# Outward code (area + district, optional sub-district letter) then inward code
# (sector digit + two unit letters). Loose on purpose: records carry typos, and
# a value that merely looks like a postcode still links records that share it.
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD_ONLY = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_HANDLE_CHARS = re.compile(r"[^a-z0-9._-]")
# Separators people put inside phone numbers; anything else goes to the full parser.
_PHONE_SEPARATORS = re.compile(r"[\s().-]")
# The two ways nearly all UK numbers are written, once separators are gone:
# national (0 and ten digits) and international (+44 and ten digits).
_UK_NATIONAL = re.compile(r"^0([1-9][0-9]{9})$")
_UK_INTERNATIONAL = re.compile(r"^\+44([1-9][0-9]{9})$")

#: Distinct phone numbers kept normalised in memory: the same numbers recur
#: across records, and the full parser is the slowest step in preparing records.
PHONE_CACHE_SIZE = 1 << 18


def normalise_phone(raw: str | None, region: str = DEFAULT_REGION) -> str | None:
    """A phone number in E.164 ('+447700900123'), or None when it cannot be one.

    Lenient: parses without validating, because Ofcom's drama ranges (used in
    all fictional records) are deliberately unallocated and fail validation.
    """
    if not raw or not raw.strip():
        return None
    return _normalise_phone(raw.strip(), region)


@lru_cache(maxsize=PHONE_CACHE_SIZE)
def _normalise_phone(text: str, region: str) -> str | None:
    if region == DEFAULT_REGION:
        # The common UK forms give what the full parser gives, about fifty times faster.
        squeezed = _PHONE_SEPARATORS.sub("", text)
        match = _UK_NATIONAL.match(squeezed) or _UK_INTERNATIONAL.match(squeezed)
        if match:
            return f"+44{match.group(1)}"
    return _parse_phone(text, region)


def _parse_phone(text: str, region: str) -> str | None:
    # The full parser: every form phonenumbers reads, at its own pace.
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    national = str(parsed.national_number)
    if len(national) < MIN_PHONE_DIGITS:
        return None
    return f"+{parsed.country_code}{national}"


def normalise_plate(raw: str | None) -> str | None:
    """A vehicle registration, upper case with spaces and punctuation removed."""
    if not raw:
        return None
    plate = _NOT_PLATE_CHARS.sub("", raw.upper())
    return plate or None


def normalise_postcode(raw: str | None) -> str | None:
    """A UK postcode, upper case with one space before the inward code.

    A value that does not parse as a postcode is returned squeezed (upper case,
    no spaces) so that identical slips still match each other.
    """
    if not raw:
        return None
    squeezed = _NOT_POSTCODE_CHARS.sub("", raw.upper())
    if not squeezed:
        return None
    match = _POSTCODE.match(squeezed)
    if match:
        return f"{match.group(1)} {match.group(2)}"
    return squeezed


def postcode_district(postcode: str | None) -> str | None:
    """The outward code ('TF1' of 'TF1 3NZ') of a normalised postcode, if it has one."""
    if not postcode:
        return None
    outward = postcode.split(" ", 1)[0]
    if " " in postcode or _OUTWARD_ONLY.match(outward):
        return outward
    return None


def normalise_handle(raw: str | None) -> str | None:
    """A social media handle, lower case without a leading '@' or stray characters."""
    if not raw:
        return None
    handle = raw.strip().lower().lstrip("@")
    handle = _HANDLE_CHARS.sub("", handle)
    return handle or None
