"""Identifier normalisers: the forms in factors.md, whatever way records write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.linking.normalise import (
    _parse_phone,
    normalise_handle,
    normalise_phone,
    normalise_plate,
    normalise_postcode,
    postcode_district,
)


@pytest.mark.parametrize(
    "written",
    [
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+447700900123",
        "(07700) 900 123",
        "0044 7700 900123",
        "07700-900-123",
    ],
)
def test_phone_formats_agree(written: str) -> None:
    assert normalise_phone(written) == "+447700900123"


def test_drama_landlines_parse_although_unallocated() -> None:
    assert normalise_phone("(0115) 4960294") == "+441154960294"
    assert normalise_phone("020 794 60728") == "+442079460728"


@pytest.mark.parametrize("junk", ["", "   ", "n/a", "123", None])
def test_phone_junk_is_none(junk: str | None) -> None:
    assert normalise_phone(junk) is None


def test_plate_and_postcode_and_handle() -> None:
    assert normalise_plate("ab12 cde") == "AB12CDE"
    assert normalise_plate(" -- ") is None
    assert normalise_postcode("tf1 2xy") == "TF1 2XY"
    assert normalise_postcode("SW1A1AA") == "SW1A 1AA"
    assert normalise_postcode("not a pc") == "NOTAPC"
    assert postcode_district("TF1 2XY") == "TF1"
    assert postcode_district("NOTAPC") is None
    assert normalise_handle(" @Big_Dee99 ") == "big_dee99"
    assert normalise_handle("@") is None


@given(st.text(max_size=30))
def test_normalisers_are_idempotent(text: str) -> None:
    for fn in (normalise_plate, normalise_postcode, normalise_handle, normalise_phone):
        once = fn(text)
        assert fn(once) == once


_SEPARATORS = st.sampled_from(["", " ", "-", ".", "(", ")", "  "])


@given(
    prefix=st.sampled_from(["0", "+44", "+44 ", "0044", "+44(0)", "44"]),
    digits=st.text("0123456789", min_size=8, max_size=12),
    seps=st.lists(_SEPARATORS, min_size=12, max_size=12),
)
def test_fast_uk_path_agrees_with_the_full_parser(
    prefix: str, digits: str, seps: list[str]
) -> None:
    # The shortcut for common UK forms must never give another answer than
    # the full parser, whatever the spacing and punctuation.
    written = prefix + "".join(d + s for d, s in zip(digits, seps, strict=False))
    assert normalise_phone(written) == _parse_phone(written.strip(), "GB")
