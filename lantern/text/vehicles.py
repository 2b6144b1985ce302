"""UK vehicle registrations in a note, normalised to upper case without spaces.

The current format (AB12 CDE) is distinctive enough to take anywhere. Older
prefix (A123 BCD), suffix (ABC 123D) and Northern Irish / dateless shapes collide
with road numbers, flat numbers and postcode fragments, so they need a cue
(reg, plate, car, a make of car) just before them, and never overlap a postcode.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lantern.text.hints import pattern_hints, possible
from lantern.text.model import EntityMention
from lantern.text.resources import compile_pattern, load_yaml

# Plates are ASCII: ASCII classes and case folding are twice as fast to scan.
_FLAGS = re.IGNORECASE | re.ASCII
_CURRENT = re.compile(r"\b([A-HJ-PR-Y][A-Z])(\d{2}) ?([A-Z]{3})\b", _FLAGS)
_PREFIX = re.compile(r"\b([A-HJ-NPR-TV-Y])(\d{1,3}) ?([A-Z]{3})\b", _FLAGS)
_SUFFIX = re.compile(r"\b([A-Z]{3}) ?(\d{1,3}) ?([A-HJ-NPR-TV-Y])\b", _FLAGS)
_NI = re.compile(r"\b([A-Z]{2}[IZ]) ?(\d{1,4})\b", _FLAGS)
# A dateless plate is only believable straight after "reg" or "plate".
_DATELESS = re.compile(
    r"\b(?:reg(?:istration)?|plates?|vrm)(?: (?:no\.?|number|is|was|of))?:? "
    r"([A-Z]{1,3}) ?(\d{1,4})\b",
    _FLAGS,
)
_DATELESS_HINTS = pattern_hints(_DATELESS)


@lru_cache(maxsize=1)
def _cue() -> tuple[re.Pattern[str], int]:
    v = load_yaml("entities.yaml")["vehicle"]
    return compile_pattern(v["cues"]), int(v["cue_window"])


def normalise_plate(raw: str) -> str:
    """'ab12 cde' -> 'AB12CDE'."""
    return re.sub(r"\s+", "", raw).upper()


def _cued(text: str, start: int) -> bool:
    cue, window = _cue()
    return bool(cue.search(text[max(0, start - window) : start]))


def find_vehicles(text: str, taken: list[tuple[int, int]] | None = None) -> list[EntityMention]:
    """Every vehicle registration in `text`, skipping spans already `taken` (postcodes)."""
    blocked = list(taken or [])
    found: list[EntityMention] = []

    def _free(s: int, e: int) -> bool:
        return all(e <= bs or s >= be for bs, be in blocked)

    def _add(s: int, e: int, raw: str) -> None:
        found.append(EntityMention("vehicle", normalise_plate(raw), s, e))
        blocked.append((s, e))

    for m in _CURRENT.finditer(text):
        if _free(*m.span()):
            _add(m.start(), m.end(), m.group())
    for loose in (_PREFIX, _SUFFIX, _NI):
        for m in loose.finditer(text):
            # loose shapes must also be written in capitals, as plates are, so "A5 and" is not one
            raw = m.group()
            if _free(*m.span()) and raw == raw.upper() and _cued(text, m.start()):
                _add(m.start(), m.end(), raw)
    dateless = _DATELESS.finditer(text) if possible(_DATELESS_HINTS, text.casefold()) else ()
    for m in dateless:
        s, e = m.start(1), m.end(2)
        if _free(s, e):
            _add(s, e, text[s:e])
    found.sort(key=lambda x: x.start)
    return found
