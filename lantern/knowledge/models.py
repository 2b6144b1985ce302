"""The shapes of Lantern's knowledge: factors, grooming tactics, entity types, guidance pages.

Every model is frozen and forbids unknown keys, so a misspelt field in the YAML
is an error rather than silently ignored text.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from lantern.knowledge.errors import UnknownCodeError

__all__ = [
    "Category",
    "EntityType",
    "Factor",
    "GuidancePage",
    "Tactic",
    "Vocabulary",
]

#: How alike a piece of text must be to a code (difflib ratio) before it is
#: offered as a suggestion. Lower offers wild guesses for nonsense; higher
#: misses ordinary typos such as a dropped or swapped letter.
SUGGESTION_CUTOFF = 0.6

Category = Literal["sign", "vulnerability"]

#: A code is lower-case snake_case, as in `factors.md`.
Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")]
#: Text a person reads: never empty or only spaces.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
#: A guidance page's address part: lower-case words joined by hyphens.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Factor(_Frozen):
    """A sign or vulnerability, described for the people who look out for it."""

    code: Code
    category: Category
    title: Text
    description: Text
    # Three to six: enough to make the factor recognisable, few enough to read.
    in_practice: tuple[Text, ...] = Field(min_length=3, max_length=6)
    why_it_matters: Text
    not_this: Text | None = None


class Tactic(_Frozen):
    """An online grooming tactic, as seen in a single message to a young person."""

    code: Code
    title: Text
    description: Text
    examples: tuple[Text, ...] = Field(min_length=1)


class EntityType(_Frozen):
    """A kind of thing that can link young people together, and how its values are normalised."""

    type: Code
    title: Text
    normal_form: Text
    example_text: Text
    example_value: Text


class GuidancePage(_Frozen):
    """One public guidance page: front matter plus its Markdown body."""

    slug: Slug
    title: Text
    summary: Text
    order: int = Field(ge=0)
    body: Text


def _normalise(text: str) -> str:
    """Turn 'Going missing' or 'going-missing' into the shape of a code."""
    return "_".join(text.strip().lower().replace("-", " ").split())


class Vocabulary(_Frozen):
    """The versioned vocabulary: factors (signs, then vulnerabilities), tactics, entity types."""

    version: Text
    factors: dict[str, Factor]
    tactics: dict[str, Tactic]
    entity_types: dict[str, EntityType]

    @model_validator(mode="after")
    def _keys_are_codes_and_signs_come_first(self) -> Vocabulary:
        # Callers index by key and trust `factor.code`; the two must never disagree.
        for kind, items in (("factor", self.factors), ("tactic", self.tactics)):
            for key, item in items.items():
                if key != item.code:
                    raise ValueError(f"{kind} key {key!r} does not match its code {item.code!r}")
        for key, entity in self.entity_types.items():
            if key != entity.type:
                raise ValueError(f"entity type key {key!r} does not match {entity.type!r}")
        categories = [f.category for f in self.factors.values()]
        if categories != sorted(categories, key=lambda c: c != "sign"):
            raise ValueError("factors must list every sign before the vulnerabilities")
        return self

    @property
    def sign_codes(self) -> tuple[str, ...]:
        """Codes of the signs, in vocabulary order."""
        return tuple(c for c, f in self.factors.items() if f.category == "sign")

    @property
    def vulnerability_codes(self) -> tuple[str, ...]:
        """Codes of the vulnerabilities, in vocabulary order."""
        return tuple(c for c, f in self.factors.items() if f.category == "vulnerability")

    def factor(self, code: str) -> Factor:
        """The factor with this code; `UnknownCodeError` (with a suggestion) if there is none."""
        try:
            return self.factors[code]
        except KeyError:
            raise UnknownCodeError(code, self.nearest_code(code)) from None

    def tactic(self, code: str) -> Tactic:
        """The grooming tactic with this code; `UnknownCodeError` if there is none."""
        try:
            return self.tactics[code]
        except KeyError:
            suggestion = _closest(_normalise(code), tuple(self.tactics))
            raise UnknownCodeError(code, suggestion) from None

    def nearest_code(self, text: str) -> str | None:
        """The factor code closest to `text` (a typo, a title, a hyphenated form), or None."""
        wanted = _normalise(text)
        if not wanted:
            return None
        if wanted in self.factors:
            return wanted
        by_title = {_normalise(f.title): c for c, f in self.factors.items()}
        if wanted in by_title:
            return by_title[wanted]
        return _closest(wanted, tuple(self.factors))


def _closest(wanted: str, choices: tuple[str, ...]) -> str | None:
    found = difflib.get_close_matches(wanted, choices, n=1, cutoff=SUGGESTION_CUTOFF)
    return found[0] if found else None
