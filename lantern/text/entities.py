"""All linking entities of a note: postcodes first (so plates never take their pieces),
then phones, vehicles, handles and named people, each (type, value) once."""

from __future__ import annotations

from lantern.text.handles import find_handles
from lantern.text.model import EntityMention
from lantern.text.persons import find_persons
from lantern.text.phones import find_phones
from lantern.text.postcodes import find_postcodes
from lantern.text.vehicles import find_vehicles


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def find_entities(text: str, subject: str | None = None) -> list[EntityMention]:
    """Every phone, vehicle, postcode, handle and person in `text`, in order of first mention."""
    postcodes = find_postcodes(text)
    phones = find_phones(text)
    taken = [(e.start, e.end) for e in postcodes + phones]
    vehicles = find_vehicles(text, taken)
    taken += [(e.start, e.end) for e in vehicles]
    handles = [h for h in find_handles(text) if not _overlaps((h.start, h.end), taken)]
    taken += [(e.start, e.end) for e in handles]
    handle_values = {h.value for h in handles}
    persons = [
        p
        for p in find_persons(text, subject)
        if not _overlaps((p.start, p.end), taken) and p.value.lower() not in handle_values
    ]
    seen: set[tuple[str, str]] = set()
    out = []
    for e in sorted(postcodes + phones + vehicles + handles + persons, key=lambda e: e.start):
        if (e.type, e.value) not in seen:
            seen.add((e.type, e.value))
            out.append(e)
    return out
