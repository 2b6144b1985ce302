"""Linking people records end to end on DuckDB (small data, shipped parameters)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lantern.linking import MATCH_WEIGHT_THRESHOLD, link_people
from lantern.linking.model import build_settings
from lantern.linking.parameters import ParameterError, default_parameters
from tests.paths import DATA, EVAL

# Fictional records written the way a different set of agencies might write them.
RECORDS = [
    {
        "record_id": "p1",
        "source": "police",
        "full_name": "Mohammed Rahim",
        "dob": "12/04/1990",
        "phone": "07700 900412",
        "vehicle": "KX19 ABD",
    },
    {
        "record_id": "p2",
        "source": "health",
        "full_name": "RAHIM, Mo",
        "dob": "1990-04-12",
        "phone": "+44 7700 900412",
    },
    {
        "record_id": "p3",
        "source": "school",
        "full_name": "M Rahim",
        "age": "35",
        "vehicle": "kx19abd",
        "gender": "male",
    },
    {
        "record_id": "q1",
        "source": "housing",
        "full_name": "Gareth Lloyd",
        "dob": "1985-02-07",
        "postcode": "cf10 1aa",
        "handle": "@gaz_lloyd",
    },
    {
        "record_id": "q2",
        "source": "youth_service",
        "full_name": "Gareth Loyd",
        "dob": "1985-07-02",
        "postcode": "CF10 1AA",
    },
    {
        "record_id": "r1",
        "source": "police",
        "full_name": "Mohammed Rahman",
        "dob": "1971-09-30",
        "phone": "07700 900999",
    },
    {
        "record_id": "s1",
        "source": "health",
        "full_name": "Sian Lloyd",
        "dob": "1999-11-11",
        "gender": "female",
    },
]


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return link_people(RECORDS)


def test_same_people_share_a_cluster(result) -> None:  # type: ignore[no-untyped-def]
    c = result.clusters
    assert set(c) == {r["record_id"] for r in RECORDS}
    assert c["p1"] == c["p2"] == c["p3"]
    assert c["q1"] == c["q2"]  # surname slip and day/month swapped
    assert len({c["p1"], c["q1"], c["r1"], c["s1"]}) == 4
    assert not result.trained  # too few records: shipped parameters


def test_explanation_says_why(result) -> None:  # type: ignore[no-untyped-def]
    pair = result.explain("p1", "p2")
    assert pair is not None and pair.is_match and pair.match_weight >= MATCH_WEIGHT_THRESHOLD
    levels = {lv.comparison: lv.level for lv in pair.levels}
    assert levels["phone"] == "same phone"
    assert levels["dob"] == "same date of birth"
    assert levels["forename"] == "same forename"  # Mo is a short form of Mohammed
    swapped = result.explain("q1", "q2")
    assert swapped is not None
    assert {lv.comparison: lv.level for lv in swapped.levels}["dob"] == "day and month swapped"
    unrelated = result.explain("p1", "r1")
    assert unrelated is None or not unrelated.is_match


def test_clusters_only_run_gives_the_same_clusters(result) -> None:  # type: ignore[no-untyped-def]
    lean = link_people(RECORDS, explain=False)
    assert lean.clusters == result.clusters
    assert lean.pair_table is None and lean.explain("p1", "p2") is None


def test_empty_input() -> None:
    assert link_people([]).clusters == {}


def test_parameters_of_another_version_are_refused() -> None:
    params = dict(default_parameters(), model_version="people-1999.1")
    with pytest.raises(ParameterError):
        build_settings(params)


def test_shipped_parameters_fit_the_model() -> None:
    params = default_parameters()
    assert params["trained"]["method"].endswith("no labels")
    build_settings(params)  # raises if any comparison's levels do not line up


@pytest.mark.slow
def test_dev_set_meets_the_bar(tmp_path: Path) -> None:
    data = DATA
    if not (data / "nominals_dev.csv").exists():
        pytest.skip("shared dev data not present")
    with (data / "nominals_dev.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    res = link_people(rows, train=True)
    pred = tmp_path / "pred.csv"
    pred.write_text(
        "record_id,cluster_id\n" + "".join(f"{k},{v}\n" for k, v in res.clusters.items())
    )
    out = subprocess.run(
        [
            sys.executable,
            str(EVAL / "score_links.py"),
            str(data / "nominals_dev_truth.csv"),
            str(pred),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    scores = json.loads(out[: out.rindex("}") + 1])
    assert scores["p"] >= 0.98
    assert scores["f1"] >= 0.85


@pytest.mark.slow
def test_training_survives_an_em_step_that_fails() -> None:
    # On these fictional records Splink's EM on date of birth underflows and
    # drops the comparison from its model; linking must still finish, with
    # the shipped values standing in for that comparison only.
    import importlib.util

    bench = Path(__file__).resolve().parents[3] / "bench" / "bench_link.py"
    spec = importlib.util.spec_from_file_location("bench_link", bench)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows, truth = module._generate(1500, seed=3)
    res = link_people(rows, train=True, explain=False)
    assert res.trained and set(res.clusters) == set(truth)
    assert any("dob: not trained" in note for note in res.notes)
    build_settings(res.parameters)  # every comparison fits the model
