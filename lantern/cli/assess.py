"""`lantern assess FILE`: screen young people's situations (contract in interfaces.md)."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from lantern.cli.jsonl import InputError, fail, read_jsonl, require_id, write_jsonl

if TYPE_CHECKING:
    from lantern.screening import Assessment, Situation

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: More factor entries than the vocabulary has codes many times over is a wrong file.
MAX_FACTORS_PER_LINE = 1000


def _parse_date(value: Any, what: str, line: int) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise InputError(f"{what} must be a date written YYYY-MM-DD, got {value!r:.40}", line)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{what} {value!r} is not a real date", line) from None


def parse_situation(obj: dict[str, Any], line: int, today: date) -> Situation:
    """Turn one input object into a Situation, or raise InputError naming the line."""
    from lantern.screening import Observation, Situation

    raw_factors = obj.get("factors", [])
    if not isinstance(raw_factors, list):
        raise InputError("'factors' must be a list", line)
    if len(raw_factors) > MAX_FACTORS_PER_LINE:
        raise InputError(f"more than {MAX_FACTORS_PER_LINE} factors", line)
    factors = []
    for i, item in enumerate(raw_factors, start=1):
        if isinstance(item, str):
            factors.append(Observation(code=item))
        elif isinstance(item, dict) and isinstance(item.get("code"), str):
            observed = item.get("observed")
            when = (
                None if observed is None else _parse_date(observed, f"factor {i} 'observed'", line)
            )
            factors.append(Observation(code=item["code"], observed=when))
        else:
            raise InputError(
                f"factor {i} must be a code or an object with 'code' and optional 'observed'", line
            )
    danger = obj.get("immediate_danger", False)
    if danger is None:
        danger = False
    if not isinstance(danger, bool):
        raise InputError("'immediate_danger' must be true or false", line)
    age = obj.get("age")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int)):
        raise InputError("'age' must be a whole number of years", line)
    as_of_raw = obj.get("as_of")
    as_of = None if as_of_raw is None else _parse_date(as_of_raw, "'as_of'", line)
    if as_of is None and any(f.observed for f in factors):
        as_of = today
    return Situation(factors=tuple(factors), immediate_danger=danger, age=age, as_of=as_of)


def render(item_id: str, assessment: Assessment) -> dict[str, Any]:
    """The output object: the contract's keys first, then the explanation."""
    return {
        "id": item_id,
        "level": assessment.level,
        "rank": assessment.rank,
        "score": assessment.score,
        "reasons": [
            {
                "code": r.code,
                "weight": r.weight,
                "why": r.why,
                "title": r.title,
                "category": r.category,
                "significant": r.significant,
                "band": r.band,
                "observed": r.observed,
            }
            for r in assessment.reasons
        ],
        "actions": list(assessment.actions),
        "rules_version": assessment.rules_version,
        "level_title": assessment.level_title,
        "requires_action": assessment.requires_action,
        "floors": [{"rule": f.rule, "level": f.level, "why": f.why} for f in assessment.floors],
        "as_of": assessment.as_of,
    }


def assess(
    file: Annotated[str, typer.Argument(help="JSONL file of situations, or - for standard input.")],
) -> None:
    """Screen each young person's situation: level, score, reasons, floors and actions."""
    from lantern.screening import ScreeningError
    from lantern.screening import assess as screen

    today = date.today()
    results = []
    try:
        for line, obj in read_jsonl(file):
            item_id = require_id(obj, line)
            situation = parse_situation(obj, line, today)
            try:
                results.append(render(item_id, screen(situation)))
            except ScreeningError as e:
                raise InputError(str(e), line) from None
    except InputError as e:
        fail("assess", e)
    write_jsonl(results)
