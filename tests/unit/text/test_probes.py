"""Recall on wording written for the fourth pass: each probe sentence in
`data/probes_pass4.txt` (one plain statement about the young person in the styles of
police logs, letters, shift logs, assessments and text-speak) is found with its code."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.text import extract_note
from lantern.text.lexicon import lexicons

PROBES = Path(__file__).resolve().parent / "data" / "probes_pass4.txt"


def _probes() -> list[tuple[str, str]]:
    out = []
    for line in PROBES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, sentence = line.split("|", 1)
            out.append((code, sentence))
    return out


@pytest.mark.parametrize(("code", "sentence"), _probes())
def test_probe_is_found(code: str, sentence: str) -> None:
    assert code in {f.code for f in extract_note(sentence, "Sam Test").factors}


def test_probes_cover_every_factor() -> None:
    assert {lex.code for lex in lexicons()} <= {code for code, _ in _probes()}
