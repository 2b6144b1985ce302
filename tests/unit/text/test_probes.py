"""Recall on wording written for the fourth pass: each probe sentence in
`data/probes_pass4.txt` (one plain statement about the young person in the styles of
police logs, letters, shift logs, assessments and text-speak) is found with its code,
and each sentence of `data/probes_pass4_silent.txt` (ordinary, negated, advised or
someone else's) suggests nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.text import extract_note
from lantern.text.lexicon import lexicons

PROBES = Path(__file__).resolve().parent / "data" / "probes_pass4.txt"
SILENT = Path(__file__).resolve().parent / "data" / "probes_pass4_silent.txt"


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


def _silent() -> list[str]:
    lines = SILENT.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("sentence", _silent())
def test_silent_probe_stays_silent(sentence: str) -> None:
    assert extract_note(sentence, "Sam Test").factors == []


def test_probes_cover_every_factor() -> None:
    assert {lex.code for lex in lexicons()} <= {code for code, _ in _probes()}
