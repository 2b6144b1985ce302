"""UK phone numbers in a note, normalised to E.164.

`phonenumbers`' own matcher drops numbers in Ofcom's drama ranges (they fail its
validity check), and those are exactly the numbers in fictional records, so the
shape is found here with a lenient regex and only checked as *possible* by
`phonenumbers` before formatting.
"""

from __future__ import annotations

import re

import phonenumbers

from lantern.text.model import EntityMention

# +44 / 0044 / 0, then 9 or 10 more digits with optional spaces or dashes between; or
# a landline with its area code in brackets, "(01632) 960552", as letters and forms write it.
_CANDIDATE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0044\s?|0)\d(?:[\s-]?\d){8,9}(?![\d])")
# Kept apart and tried only where "(0" occurs: joined into one alternation it slowed every note.
_BRACKETED = re.compile(r"(?<![\w+(])\(0\d{2,4}\)[\s-]?\d(?:[\s-]?\d){4,7}(?![\d])")
_DIGITS = re.compile(r"\D")
#: National significant numbers in the UK are 10 digits (a few legacy ones 9).
_NSN_LENGTHS = (9, 10)


def normalise_phone(raw: str) -> str | None:
    """E.164 form of a UK number written any common way, or None if it is not one."""
    digits = _DIGITS.sub("", raw)
    if digits.startswith("0044"):
        digits = digits[4:]
    elif digits.startswith("44") and raw.lstrip().startswith("+"):
        digits = digits[2:]
    digits = digits.removeprefix("0")
    if len(digits) not in _NSN_LENGTHS or digits[0] == "0":
        return None
    try:
        number = phonenumbers.parse("+44" + digits, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def find_phones(text: str) -> list[EntityMention]:
    """Every UK phone number in `text`."""
    found = []
    matches = list(_CANDIDATE.finditer(text))
    if "(0" in text:
        matches += _BRACKETED.finditer(text)
    for m in sorted(matches, key=lambda m: m.start()):
        value = normalise_phone(m.group())
        if value:
            found.append(EntityMention("phone", value, m.start(), m.end()))
    return found
