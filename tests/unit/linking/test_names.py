"""Name parsing and the forename lexicon, which is data held to its own rules."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from lantern.linking.names import (
    FORENAMES_VERSION,
    ParsedName,
    canonical_forename,
    is_known_forename,
    name_key,
    parse_name,
)


@pytest.mark.parametrize(
    ("written", "parsed"),
    [
        ("Christian Ashton", ParsedName("christian", "c", "ashton")),
        ("ASHTON, Christian", ParsedName("christian", "c", "ashton")),
        ("A Morris", ParsedName(None, "a", "morris")),
        ("J. Hall", ParsedName(None, "j", "hall")),
        ("Tom", ParsedName("tom", "t", None)),
        ("Mr Kieran O'Neill", ParsedName("kieran", "k", "o'neill")),
        ("Zoë Brontë", ParsedName("zoe", "z", "bronte")),
        ("", ParsedName(None, None, None)),
        ("  ", ParsedName(None, None, None)),
    ],
)
def test_parse_name(written: str, parsed: ParsedName) -> None:
    assert parse_name(written) == parsed


def test_short_forms_share_a_canonical_forename() -> None:
    assert canonical_forename("Deano") == canonical_forename("dean") == "dean"
    assert canonical_forename("Mo") == canonical_forename("Mohammed") == "mohammed"
    assert canonical_forename("Liz") == "elizabeth"
    assert canonical_forename("Zebedee") == "zebedee"
    assert is_known_forename("Jess") and not is_known_forename("Smudge")
    assert name_key("  TEEKS ") == name_key("teeks") == "teeks"


def test_lexicon_is_well_formed() -> None:
    text = resources.files("lantern.linking").joinpath("data", "forenames.yaml").read_text()
    data = yaml.safe_load(text)
    assert data["version"] == FORENAMES_VERSION
    word = re.compile(r"^[a-z]+(?:-[a-z]+)?$")
    owner: dict[str, str] = {}
    for canonical, forms in data["forenames"].items():
        assert word.match(canonical), canonical
        for form in forms:
            assert word.match(form), form
            # A form under two names would make canonical_forename depend on file order.
            assert form not in owner, f"{form} under {owner.get(form)} and {canonical}"
            assert form not in data["forenames"], f"{form} is itself a canonical name"
            owner[form] = canonical
