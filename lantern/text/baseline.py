"""A naive keyword-match baseline, kept only so benchmarks can show what the real
extractor adds: one obvious keyword per factor, no scope, no context, and entities
by the bare regex shapes without cues or exclusions."""

from __future__ import annotations

import re

from lantern.text.model import EntityMention, FactorSuggestion, NoteExtraction
from lantern.text.resources import load_yaml

_ENTITY_SHAPES = {
    "phone": re.compile(r"(?:\+44\s?|0)\d(?:\s?\d){8,9}"),
    "vehicle": re.compile(r"\b[A-Z]{2}\d{2} ?[A-Z]{3}\b"),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"),
    "handle": re.compile(r"@[\w.]+"),
    "person": re.compile(r"(?<=called )[A-Z][a-z]+"),
}


def _keywords() -> dict[str, re.Pattern[str]]:
    data = load_yaml("baseline.yaml")["keywords"]
    return {
        code: re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I) for code, words in data.items()
    }


def _normalise(kind: str, raw: str) -> str:
    if kind == "phone":
        digits = re.sub(r"\D", "", raw)
        return "+44" + (digits[2:] if digits.startswith("44") else digits[1:])
    if kind == "vehicle":
        return raw.replace(" ", "").upper()
    if kind == "postcode":
        raw = raw.replace(" ", "").upper()
        return f"{raw[:-3]} {raw[-3:]}"
    if kind == "handle":
        return raw.lstrip("@").rstrip(".").lower()
    return raw


def baseline_extract(text: str) -> NoteExtraction:
    """Every factor whose keyword appears anywhere, and every entity-shaped string."""
    factors = []
    for code, pattern in _keywords().items():
        m = pattern.search(text)
        if m:
            factors.append(FactorSuggestion(code, m.start(), m.end(), m.group()))
    entities: dict[tuple[str, str], EntityMention] = {}
    for kind, shape in _ENTITY_SHAPES.items():
        for m in shape.finditer(text):
            value = _normalise(kind, m.group())
            entities.setdefault((kind, value), EntityMention(kind, value, m.start(), m.end()))
    return NoteExtraction(factors=factors, entities=list(entities.values()))
