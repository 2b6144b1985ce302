"""Running the people model on an engine: DuckDB embedded, or Apache Spark.

`link_people` takes plain records and returns plain results (a cluster per
record, the scored pairs with their explanations, the parameters used), so
the command line, the web app and the benchmarks call the same thing.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lantern.linking.features import FEATURE_COLUMNS, prepare_records
from lantern.linking.model import (
    COMPARISON_NAMES,
    EM_BLOCKING_RULES,
    PRIOR_RULES,
    PRIOR_RULES_RECALL,
    Backend,
    build_settings,
)
from lantern.linking.parameters import default_parameters, parameters_from_splink

__all__ = [
    "MATCH_WEIGHT_THRESHOLD",
    "MIN_RECORDS_TO_TRAIN",
    "BackendUnavailable",
    "LevelExplanation",
    "LinkResult",
    "ScoredPair",
    "link_people",
]

#: Pairs at or above this match weight are the same person. The weight is
#: log2 of the posterior odds (prior included), so log2(9) links a pair only
#: when the model puts it at 9 to 1 or better (match probability 0.9) that the
#: records are one person. A false merge puts one man's record on another,
#: which is worse than a missed link an analyst can still make by hand, so the
#: bar sits above the F1-best point: on the dev set it keeps pairwise precision
#: near 0.99 where the F1-best weight (about 1) gives 0.97 (see
#: bench/bench_link.py, `threshold_sweep`).
MATCH_WEIGHT_THRESHOLD = math.log2(9)

#: Scored pairs below this weight are dropped rather than kept for explanation:
#: near misses (up to the threshold) are worth explaining to an analyst, pairs
#: with evidence against them are not, and at scale would only fill memory.
EXPLAIN_FLOOR_WEIGHT = 0.0

#: Below this many records unsupervised training is unreliable (too few true
#: pairs for expectation maximisation to find), so Lantern's shipped
#: parameters are used instead.
MIN_RECORDS_TO_TRAIN = 1000

#: Random pairs sampled to estimate u. About a million gives stable u values
#: here; ten million took most of the run time on small jobs for no gain.
U_SAMPLE_PAIRS = 1_000_000
#: Fixed so that the same input gives the same parameters, run after run.
SEED = 20261

Progress = Callable[[str], None]


class BackendUnavailable(RuntimeError):
    """The chosen engine is not installed or cannot start; the message says how to fix it."""


@dataclass(frozen=True)
class LevelExplanation:
    """How one comparison of one pair came out, and the weight it added."""

    comparison: str
    level: str
    weight: float


@dataclass(frozen=True)
class ScoredPair:
    """A pair of records the model scored, with the reasons for its score."""

    record_l: str
    record_r: str
    match_weight: float
    match_probability: float
    levels: tuple[LevelExplanation, ...]

    @property
    def is_match(self) -> bool:
        return self.match_weight >= MATCH_WEIGHT_THRESHOLD


@dataclass(frozen=True)
class LinkResult:
    """The outcome of linking: a cluster id for every record, and the evidence."""

    clusters: dict[str, str]
    pairs: list[ScoredPair]
    parameters: dict[str, Any]
    threshold_weight: float
    trained: bool
    notes: list[str] = field(default_factory=list)

    def explain(self, record_a: str, record_b: str) -> ScoredPair | None:
        """Why two records were (or were not) judged the same person, if they were scored."""
        for pair in self.pairs:
            if {pair.record_l, pair.record_r} == {record_a, record_b}:
                return pair
        return None


def _quiet_splink() -> None:
    # Splink logs every SQL step at INFO; the command line reports progress itself.
    logging.getLogger("splink").setLevel(logging.ERROR)


def _duckdb_api() -> Any:
    from splink import DuckDBAPI

    api: Any = DuckDBAPI()
    # DuckDB draws progress bars on the terminal, which would mix with CSV output.
    api.duckdb_con.execute("SET enable_progress_bar = false")
    return api


def _spark_api() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise BackendUnavailable(
            "the Spark backend needs pyspark, which is not installed: "
            "pip install 'lantern-safeguarding[spark]'"
        ) from None
    from splink.backends import spark as splink_spark

    # Splink's SparkAPI is untyped; held as Any so strict typing stays on elsewhere.
    spark_api: Any = splink_spark.SparkAPI

    builder = SparkSession.builder.appName("lantern-link")
    # Local mode unless a cluster is configured (spark-submit or SPARK_MASTER).
    builder = builder.master(os.environ.get("SPARK_MASTER", "local[*]"))
    builder = builder.config("spark.jars", splink_spark.similarity_jar_location())
    builder = builder.config("spark.sql.shuffle.partitions", "8")
    builder = builder.config("spark.ui.enabled", "false")
    try:
        spark = builder.getOrCreate()
    except Exception as e:  # Java missing or broken: say so rather than dump a JVM trace
        raise BackendUnavailable(f"Spark could not start: {str(e).splitlines()[0]}") from None
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="lantern-spark-"))
    return spark_api(spark_session=spark)


def _register(db_api: Any, backend: Backend, rows: list[dict[str, Any]]) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped]  # no stubs published

    schema = pa.schema(
        [
            pa.field(name, pa.list_(pa.string()))
            if name == "forenames"
            else pa.field(name, pa.int64() if name == "birth_year" else pa.string())
            for name in FEATURE_COLUMNS
        ]
    )
    table = pa.Table.from_pylist(rows, schema=schema)
    if backend == "spark":
        spark = db_api.spark
        frame = spark.createDataFrame(table.to_pandas(), schema=_spark_schema())
        return db_api.register(frame, dataset_display_name="people")
    return db_api.register(table, dataset_display_name="people")


def _spark_schema() -> Any:
    from pyspark.sql import types as t

    fields = []
    for name in FEATURE_COLUMNS:
        kind: Any = t.StringType()
        if name == "forenames":
            kind = t.ArrayType(t.StringType())
        elif name == "birth_year":
            kind = t.LongType()
        fields.append(t.StructField(name, kind, True))
    return t.StructType(fields)


def _shares_values(rows: Sequence[Mapping[str, Any]], cols: tuple[str, ...]) -> bool:
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        key = tuple(row[c] for c in cols)
        if None in key:
            continue
        if key in seen:
            return True
        seen.add(key)
    return False


def _train(
    linker: Any, rows: Sequence[Mapping[str, Any]], progress: Progress, notes: list[str]
) -> None:
    n = len(rows)
    from splink import block_on

    progress("estimating how often random records match")
    linker.training.estimate_probability_two_random_records_match(
        list(PRIOR_RULES), recall=PRIOR_RULES_RECALL
    )
    progress("estimating u by random sampling")
    linker.training.estimate_u_using_random_sampling(
        max_pairs=min(U_SAMPLE_PAIRS, n * (n - 1) / 2), seed=SEED
    )
    for cols in EM_BLOCKING_RULES:
        if not _shares_values(rows, cols):
            # Splink fails part-way on a rule that yields no pairs and leaves the
            # model without the rule's comparisons; such a rule could train nothing.
            notes.append(f"EM on {', '.join(cols)} skipped: no two records share it")
            continue
        progress(f"estimating m by expectation maximisation (blocking on {', '.join(cols)})")
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*cols), estimate_without_term_frequencies=True
            )
        except Exception as e:  # e.g. no pairs share this field; the other rules still train
            notes.append(f"EM on {', '.join(cols)} skipped: {str(e).splitlines()[0]}")


def _explanations(
    row: Mapping[str, Any], labels: dict[str, list[str]]
) -> tuple[LevelExplanation, ...]:
    out = []
    for name in COMPARISON_NAMES:
        gamma = row.get(f"gamma_{name}")
        weight = row.get(f"mw_{name}")
        names = labels[name]
        level = "missing" if gamma is None or gamma < 0 else names[min(int(gamma), len(names) - 1)]
        if weight is None or (isinstance(weight, float) and math.isnan(weight)):
            weight = 0.0
        tf = row.get(f"mw_tf_adj_{name}")
        if isinstance(tf, int | float) and not math.isnan(tf):
            weight += tf
        out.append(LevelExplanation(name, level, round(float(weight), 3)))
    return tuple(out)


def _arrow(frame: Any) -> Any:
    # Splink's results live in its own connection; Arrow carries them out of it.
    return frame.as_pyarrow_table()


def _level_labels(linker: Any) -> dict[str, list[str]]:
    # gamma counts non-null levels from the weakest (0, the else level) up.
    labels: dict[str, list[str]] = {}
    for comparison in linker.misc.save_model_to_json()["comparisons"]:
        levels = [
            lv.get("label_for_charts", "")
            for lv in comparison["comparison_levels"]
            if not lv.get("is_null_level")
        ]
        labels[comparison["output_column_name"]] = list(reversed(levels))
    return labels


def link_people(
    records: Iterable[Mapping[str, Any]],
    *,
    backend: Backend = "duckdb",
    parameters: dict[str, Any] | None = None,
    train: bool | None = None,
    threshold_weight: float = MATCH_WEIGHT_THRESHOLD,
    reference: Any = None,
    progress: Progress | None = None,
) -> LinkResult:
    """Resolve records of people into identities.

    Each record is a mapping with the `lantern link` input columns. Parameters
    are trained on the records themselves when there are enough of them (or
    when `train` is True), otherwise `parameters` or the shipped defaults are
    used. Records never share a cluster unless a chain of pairs each at or above
    `threshold_weight` joins them.
    """
    say = progress or (lambda _step: None)
    rows = prepare_records(records, reference)
    ids = [row["unique_id"] for row in rows]
    if not rows:
        return LinkResult({}, [], parameters or default_parameters(), threshold_weight, False)
    _quiet_splink()
    from splink import Linker

    say(f"starting {backend}")
    db_api = _spark_api() if backend == "spark" else _duckdb_api()
    table = _register(db_api, backend, rows)
    notes: list[str] = []
    should_train = (
        train if train is not None else (parameters is None and len(rows) >= MIN_RECORDS_TO_TRAIN)
    )
    if should_train:
        trainer = Linker(table, build_settings(), log_level=None)
        _train(trainer, rows, say, notes)
        used = parameters_from_splink(
            trainer.misc.save_model_to_json(), records=len(rows), trained_on="the input"
        )
    else:
        used = parameters or default_parameters()
    linker = Linker(table, build_settings(used), log_level=None)
    say("scoring candidate pairs")
    predictions = linker.inference.predict(
        threshold_match_weight=min(EXPLAIN_FLOOR_WEIGHT, threshold_weight)
    )
    say("clustering")
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_weight=threshold_weight
    )
    cluster_table = _arrow(clustered)
    cluster_of = {
        str(uid): str(cid)
        for uid, cid in zip(
            cluster_table.column("unique_id").to_pylist(),
            cluster_table.column("cluster_id").to_pylist(),
            strict=True,
        )
    }
    labels = _level_labels(linker)
    pairs = [
        ScoredPair(
            record_l=str(row["unique_id_l"]),
            record_r=str(row["unique_id_r"]),
            match_weight=float(row["match_weight"]),
            match_probability=float(row["match_probability"]),
            levels=_explanations(row, labels),
        )
        for row in _arrow(predictions).to_pylist()
    ]
    clusters = {uid: cluster_of.get(uid, uid) for uid in ids}
    return LinkResult(clusters, pairs, used, threshold_weight, should_train, notes)


def cluster_sizes(clusters: Mapping[str, str]) -> Sequence[int]:
    """Sizes of the clusters, largest first (for summaries and benchmarks)."""
    counts: dict[str, int] = {}
    for cid in clusters.values():
        counts[cid] = counts.get(cid, 0) + 1
    return sorted(counts.values(), reverse=True)
