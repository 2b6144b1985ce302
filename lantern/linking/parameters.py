"""Trained model parameters as plain, versioned data.

Splink's own model file embeds SQL in one engine's dialect; this keeps only
what training learnt (m and u per comparison level, and the prior), keyed by
level label and tagged with the model version, so the same parameters can be
applied to DuckDB or Spark settings, stored, reviewed and compared.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from lantern.linking.model import MODEL_VERSION

__all__ = [
    "ParameterError",
    "apply_parameters",
    "default_parameters",
    "parameters_from_splink",
]

_DEFAULT_FILE = "people_parameters.json"

#: Floor for a probability Splink left untrained or at zero: a level never seen
#: in training must still get a finite weight when it turns up later.
MIN_PROBABILITY = 1e-6

#: Floor for m: no field is recorded perfectly for the same person (old phones,
#: changed cars, a mistyped gender), so disagreement on one field must never
#: outweigh agreement on several. Unsupervised training on clean-looking data
#: otherwise learns m near zero and any single slip vetoes a true match.
MIN_M_PROBABILITY = 0.01


class ParameterError(ValueError):
    """Parameters that do not fit the model (another version, missing levels)."""


def parameters_from_splink(
    model: dict[str, Any], *, records: int, trained_on: str
) -> dict[str, Any]:
    """The trained parameters in a Splink model dict, as versioned plain data."""
    comparisons: dict[str, list[dict[str, Any]]] = {}
    for comparison in model["comparisons"]:
        levels = []
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            levels.append(
                {
                    "label": level.get("label_for_charts", ""),
                    "m": level.get("m_probability"),
                    "u": level.get("u_probability"),
                }
            )
        comparisons[comparison["output_column_name"]] = levels
    return {
        "model_version": MODEL_VERSION,
        "trained": {
            "on": trained_on,
            "records": records,
            "date": dt.date.today().isoformat(),
            "method": "u by random sampling; m by expectation maximisation; no labels",
        },
        "probability_two_random_records_match": model["probability_two_random_records_match"],
        "comparisons": comparisons,
    }


def _probability(value: Any, floor: float = MIN_PROBABILITY) -> float:
    if not isinstance(value, int | float):
        return floor
    return max(float(value), floor)


def apply_parameters(comparisons: list[Any], parameters: dict[str, Any]) -> float:
    """Set m and u on each comparison; returns the prior to use.

    Raises ParameterError when the parameters were trained for another model.
    """
    if parameters.get("model_version") != MODEL_VERSION:
        raise ParameterError(
            f"parameters are for model {parameters.get('model_version')!r}, "
            f"this is {MODEL_VERSION!r}: retrain"
        )
    trained = parameters["comparisons"]
    for comparison in comparisons:
        name = comparison.create_output_column_name()
        levels = trained.get(name)
        if levels is None or len(levels) != comparison.num_non_null_levels:
            raise ParameterError(f"parameters do not fit comparison {name!r}: retrain")
        comparison.configure(
            m_probabilities=[_probability(level["m"], MIN_M_PROBABILITY) for level in levels],
            u_probabilities=[_probability(level["u"]) for level in levels],
        )
    return float(parameters["probability_two_random_records_match"])


@lru_cache(maxsize=1)
def _default_text() -> str:
    return resources.files("lantern.linking").joinpath("data", _DEFAULT_FILE).read_text("utf-8")


def default_parameters() -> dict[str, Any]:
    """The parameters shipped with Lantern, used when an input is too small to train on."""
    data: dict[str, Any] = json.loads(_default_text())
    return data
