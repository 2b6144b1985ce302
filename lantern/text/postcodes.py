"""Full UK postcodes in a note, normalised to upper case with one space."""

from __future__ import annotations

import re
from functools import lru_cache

from lantern.text.model import EntityMention
from lantern.text.resources import load_yaml

# Postcodes are ASCII: ASCII classes and case folding are twice as fast to scan.
_CANDIDATE = re.compile(r"\b([A-Z]{1,2})(\d[A-Z\d]?) ?(\d[A-Z]{2})\b", re.IGNORECASE | re.ASCII)
#: Letters never used in the inward code (they look like digits or each other).
_INWARD_EXCLUDED = frozenset("CIKMOV")


@lru_cache(maxsize=1)
def _areas() -> frozenset[str]:
    return frozenset(str(a) for a in load_yaml("entities.yaml")["postcode"]["areas"])


def normalise_postcode(raw: str) -> str | None:
    """'tf1 2xy' -> 'TF1 2XY'; None when it is not a full UK postcode."""
    m = _CANDIDATE.fullmatch(raw.strip())
    return _value(m) if m else None


def _value(m: re.Match[str]) -> str | None:
    area, district, inward = m.group(1).upper(), m.group(2).upper(), m.group(3).upper()
    if area not in _areas() or set(inward[1:]) & _INWARD_EXCLUDED:
        return None
    return f"{area}{district} {inward}"


def find_postcodes(text: str) -> list[EntityMention]:
    """Every full UK postcode in `text`."""
    found = []
    for m in _CANDIDATE.finditer(text):
        value = _value(m)
        if value:
            found.append(EntityMention("postcode", value, m.start(), m.end()))
    return found
