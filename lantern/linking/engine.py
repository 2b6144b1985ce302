"""Running the people model on an engine: DuckDB embedded, or Apache Spark.

`link_people` takes plain records and returns plain results (a cluster per
record, the scored pairs with their explanations, the parameters used), so
the command line, the web app and the benchmarks call the same thing. Features,
blocking and clustering are computed the same way whichever engine scores the
pairs, so both engines give the same identities for the same input.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lantern.linking.blocking import (
    key_coverage_sql,
    pair_budget,
    pair_count_sql,
    size_aware_rules,
)
from lantern.linking.clusters import Person, constrained_clusters
from lantern.linking.features import FEATURE_COLUMNS, prepare_columns
from lantern.linking.model import (
    COMPARISON_NAMES,
    EM_BLOCKING_RULES,
    PREDICTION_BLOCKING_RULES,
    PRIOR_FIELDS,
    PRIOR_RULE_FIELDS,
    PRIOR_RULES,
    TF_COMPARISONS,
    Backend,
    build_settings,
)
from lantern.linking.parameters import default_parameters, parameters_from_splink
from lantern.linking.prior import estimated_rule_recall, exact_agreement_m

__all__ = [
    "MATCH_WEIGHT_THRESHOLD",
    "MIN_RECORDS_TO_TRAIN",
    "TRAIN_SAMPLE_RECORDS",
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
#: bar sits above the F1-best point: on the dev set it gives pairwise precision
#: 0.995 at recall 0.86, where the F1-best weight (about 1) gives 0.983, too
#: close to the 0.98 floor for larger data with more namesakes in it (see
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
#: Above this many records, parameters are trained on a random sample of this
#: size (see `_training_sample`): expectation maximisation's cost grows with the
#: square of the records sharing a key, while its estimates do not improve.
TRAIN_SAMPLE_RECORDS = 200_000
#: Ceiling for the prior: even a list of one person's aliases has most pairs of
#: distinct people once it holds more than a few identities.
MAX_PRIOR = 0.5
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
    """The outcome of linking: a cluster id for every record, and the evidence.

    `pair_table` holds every scored pair at or above the explanation floor as an
    Arrow table (None when the run was asked for clusters only); `pairs` and
    `explain` read it, so a large run never holds a Python object per pair.
    """

    clusters: dict[str, str]
    pair_table: Any
    parameters: dict[str, Any]
    threshold_weight: float
    trained: bool
    notes: list[str] = field(default_factory=list)
    blocking_rules: tuple[tuple[str, ...], ...] = ()
    level_labels: dict[str, list[str]] = field(default_factory=dict)

    @property
    def pairs(self) -> list[ScoredPair]:
        """Every kept pair with its explanation (built on each call: keep the result)."""
        if self.pair_table is None:
            return []
        return [_scored(row, self.level_labels) for row in self.pair_table.to_pylist()]

    def explain(self, record_a: str, record_b: str) -> ScoredPair | None:
        """Why two records were (or were not) judged the same person, if they were scored."""
        if self.pair_table is None:
            return None
        import pyarrow.compute as pc  # type: ignore[import-untyped]  # no stubs published

        left, right = self.pair_table.column("unique_id_l"), self.pair_table.column("unique_id_r")
        either_way = pc.or_(
            pc.and_(pc.equal(left, record_a), pc.equal(right, record_b)),
            pc.and_(pc.equal(left, record_b), pc.equal(right, record_a)),
        )
        found = self.pair_table.filter(either_way).to_pylist()
        return _scored(found[0], self.level_labels) if found else None


def _quiet_splink() -> None:
    # Splink logs every SQL step at INFO; the command line reports progress itself.
    logging.getLogger("splink").setLevel(logging.ERROR)


def _duckdb_api() -> Any:
    from splink import DuckDBAPI

    api: Any = DuckDBAPI()
    # DuckDB draws progress bars on the terminal, which would mix with CSV output.
    api.duckdb_con.execute("SET enable_progress_bar = false")
    return api


#: Shuffle partitions for Spark in local mode: one per core is enough for data
#: that fits one machine; Spark's default of 200 makes small jobs spend most of
#: their time scheduling empty tasks.
SPARK_LOCAL_PARTITIONS = max(2, os.cpu_count() or 2)

#: log4j2 settings for the Spark driver: warnings about the host name and native
#: libraries are not the user's concern, and would mix with the command's output.
_SPARK_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


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
    work = tempfile.mkdtemp(prefix="lantern-spark-")
    log_config = Path(work) / "log4j2.properties"
    log_config.write_text(_SPARK_LOG4J, encoding="utf-8")
    master = os.environ.get("SPARK_MASTER", "local[*]")
    local = master.startswith("local")
    builder = SparkSession.builder.appName("lantern-link").master(master)
    # Local mode unless a cluster is configured (spark-submit or SPARK_MASTER).
    # Splink's similarity functions (Jaro-Winkler, Damerau-Levenshtein) come in
    # a jar shipped inside the splink wheel, so nothing is fetched at run time.
    builder = builder.config("spark.jars", splink_spark.similarity_jar_location())
    builder = builder.config(
        "spark.driver.extraJavaOptions", f"-Dlog4j.configurationFile={log_config}"
    )
    builder = builder.config("spark.ui.enabled", "false")
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    if local:
        builder = builder.config("spark.sql.shuffle.partitions", str(SPARK_LOCAL_PARTITIONS))
        builder = builder.config("spark.default.parallelism", str(SPARK_LOCAL_PARTITIONS))
        builder = builder.config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "2g"))
    try:
        spark = builder.getOrCreate()
    except Exception as e:  # Java missing or broken: say so rather than dump a JVM trace
        raise BackendUnavailable(f"Spark could not start: {str(e).splitlines()[0]}") from None
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(work)
    # In local mode intermediate tables fit in memory: persisting them there is
    # several times faster than Splink's default of writing each to Parquet.
    return spark_api(spark_session=spark, break_lineage_method="persist" if local else "parquet")


def _feature_table(columns: dict[str, list[Any]]) -> Any:
    import pyarrow as pa

    schema = pa.schema(
        [
            pa.field(name, pa.list_(pa.string()))
            if name == "forenames"
            else pa.field(name, pa.int64() if name == "birth_year" else pa.string())
            for name in FEATURE_COLUMNS
        ]
    )
    return pa.Table.from_pydict(columns, schema=schema)


def _register(db_api: Any, backend: Backend, table: Any, name: str) -> Any:
    if backend == "spark":
        frame = db_api.spark.createDataFrame(table.to_pandas(), schema=_spark_schema())
        return db_api.register(frame, dataset_display_name=name)
    return db_api.register(table, dataset_display_name=name)


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


class _PairCounter:
    """Counts the pairs a blocking rule brings, on the prepared features in DuckDB.

    Counting locally on the Arrow table (whichever engine scores) means both
    engines are given the same rules for the same input.
    """

    def __init__(self, table: Any) -> None:
        import duckdb

        self._con = duckdb.connect()
        self._con.register("people", table)

    def __call__(self, rule: tuple[str, ...]) -> int:
        found = self._con.execute(pair_count_sql("people", rule)).fetchall()
        return int(found[0][0])

    def coverage(self, key: str) -> float:
        found = self._con.execute(key_coverage_sql("people", key)).fetchall()
        return float(found[0][0] or 0.0)

    def close(self) -> None:
        self._con.close()


def _train(
    linker: Any, records: int, count_pairs: _PairCounter, progress: Progress, notes: list[str]
) -> dict[str, Any]:
    """Trained parameters: u by sampling, m by EM, and the prior estimated as in `prior.py`."""
    from splink import block_on

    progress("estimating how often random records match")
    # Counted at full recall; divided by the estimated recall once m is known.
    linker.training.estimate_probability_two_random_records_match(list(PRIOR_RULES), recall=1.0)
    found_share = float(linker.misc.save_model_to_json()["probability_two_random_records_match"])
    progress("estimating u by random sampling")
    linker.training.estimate_u_using_random_sampling(
        max_pairs=min(U_SAMPLE_PAIRS, records * (records - 1) / 2), seed=SEED
    )
    for cols in EM_BLOCKING_RULES:
        if count_pairs(cols) == 0:
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
    trained = parameters_from_splink(
        linker.misc.save_model_to_json(), records=records, trained_on="the input"
    )
    shipped = default_parameters()["comparisons"]
    for name in COMPARISON_NAMES:
        # A failed EM step (e.g. an m underflowing on data that never shows a
        # level) can leave Splink's model without a comparison; the shipped
        # values stand in so that the rest of the training is still used.
        if len(trained["comparisons"].get(name, [])) != len(shipped[name]):
            trained["comparisons"][name] = shipped[name]
            notes.append(f"{name}: not trained on this input; shipped parameters used")

    def agree_given_match(field: str) -> float:
        label, column = PRIOR_FIELDS[field]
        return count_pairs.coverage(column) ** 2 * exact_agreement_m(trained, field, label)

    recall = estimated_rule_recall(PRIOR_RULE_FIELDS, agree_given_match)
    trained["probability_two_random_records_match"] = min(found_share / recall, MAX_PRIOR)
    trained["trained"]["prior_rules_recall"] = round(recall, 4)
    return trained


def _training_sample(table: Any) -> Any:
    # A uniform sample of records keeps the same share of true pairs among the
    # pairs each rule brings (both fall by the square of the sampling rate), so
    # m, u and the prior are estimated without bias at a fraction of the cost.
    import random

    if table.num_rows <= TRAIN_SAMPLE_RECORDS:
        return table
    chosen = random.Random(SEED).sample(range(table.num_rows), TRAIN_SAMPLE_RECORDS)  # noqa: S311  # sampling, not security
    return table.take(sorted(chosen))


def _explanations(
    row: Mapping[str, Any], labels: dict[str, list[str]]
) -> tuple[LevelExplanation, ...]:
    out = []
    for name in COMPARISON_NAMES:
        gamma = row.get(f"gamma_{name}")
        weight = row.get(f"mw_{name}")
        names = labels.get(name) or ["?"]
        level = "missing" if gamma is None or gamma < 0 else names[min(int(gamma), len(names) - 1)]
        if weight is None or (isinstance(weight, float) and math.isnan(weight)):
            weight = 0.0
        tf = row.get(f"mw_tf_adj_{name}")
        if isinstance(tf, int | float) and not math.isnan(tf):
            weight += tf
        out.append(LevelExplanation(name, level, round(float(weight), 3)))
    return tuple(out)


def _scored(row: Mapping[str, Any], labels: dict[str, list[str]]) -> ScoredPair:
    return ScoredPair(
        record_l=str(row["unique_id_l"]),
        record_r=str(row["unique_id_r"]),
        match_weight=float(row["match_weight"]),
        match_probability=float(row["match_probability"]),
        levels=_explanations(row, labels),
    )


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


def _explanation_columns() -> str:
    cols = ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]
    for name in COMPARISON_NAMES:
        cols += [f"gamma_{name}", f"mw_{name}"]
        if name in TF_COMPARISONS:
            cols.append(f"mw_tf_adj_{name}")
    return ", ".join(cols)


def link_people(
    records: Iterable[Mapping[str, Any]],
    *,
    backend: Backend = "duckdb",
    parameters: dict[str, Any] | None = None,
    train: bool | None = None,
    threshold_weight: float = MATCH_WEIGHT_THRESHOLD,
    reference: Any = None,
    progress: Progress | None = None,
    explain: bool = True,
) -> LinkResult:
    """Resolve records of people into identities.

    Each record is a mapping with the `lantern link` input columns. Parameters
    are trained on the records themselves (a sample of them, when there are very
    many) when there are enough of them (or when `train` is True), otherwise
    `parameters` or the shipped defaults are used. Records never share a cluster
    unless a chain of pairs each at or above `threshold_weight` joins them.
    With `explain` False only the clusters are kept, which large runs prefer.
    """
    say = progress or (lambda _step: None)
    rows = records if isinstance(records, Sequence) else list(records)
    if not rows:
        return LinkResult({}, None, parameters or default_parameters(), threshold_weight, False)
    say("preparing records")
    table = _feature_table(prepare_columns(rows, reference))
    n = table.num_rows
    notes: list[str] = []
    count_pairs = _PairCounter(table)
    rules = tuple(
        size_aware_rules(
            PREDICTION_BLOCKING_RULES, count_pairs, pair_budget(n), count_pairs.coverage
        )
    )
    narrowed = [r for r in rules if r not in PREDICTION_BLOCKING_RULES]
    if narrowed:
        notes.append("blocking narrowed for size: " + "; ".join(", ".join(r) for r in narrowed))
    _quiet_splink()
    from splink import Linker

    say(f"starting {backend}")
    db_api = _spark_api() if backend == "spark" else _duckdb_api()
    registered = _register(db_api, backend, table, "people")
    should_train = (
        train if train is not None else (parameters is None and n >= MIN_RECORDS_TO_TRAIN)
    )
    if should_train:
        sample = _training_sample(table)
        if sample is table:
            trainer = Linker(registered, build_settings(), log_level=None)
            sample_counter = count_pairs
        else:
            notes.append(f"trained on a random sample of {sample.num_rows} records")
            trainer = Linker(
                _register(db_api, backend, sample, "people_sample"),
                build_settings(),
                log_level=None,
            )
            sample_counter = _PairCounter(sample)
        used = _train(trainer, sample.num_rows, sample_counter, say, notes)
    else:
        used = parameters or default_parameters()
    count_pairs.close()
    linker = Linker(
        registered, build_settings(used, blocking_rules=rules, explain=explain), log_level=None
    )
    say("scoring candidate pairs")
    predictions = linker.inference.predict(
        threshold_match_weight=min(EXPLAIN_FLOOR_WEIGHT, threshold_weight)
        if explain
        else threshold_weight
    )
    say("clustering")
    query: Any = linker.misc.query_sql  # untyped in Splink
    # Only Splink's own table name and a float are interpolated: no user text.
    edges = query(
        f"SELECT unique_id_l, unique_id_r, match_weight FROM {predictions.physical_name}"  # noqa: S608
        f" WHERE match_weight >= {float(threshold_weight)!r}"
    ).as_pyarrow_table()
    ids = table.column("unique_id").to_pylist()
    people = [
        Person(dob, year)
        for dob, year in zip(
            table.column("dob").to_pylist(), table.column("birth_year").to_pylist(), strict=True
        )
    ]
    clusters = constrained_clusters(ids, people, edges)
    pair_table = None
    labels: dict[str, list[str]] = {}
    if explain:
        pair_table = query(
            f"SELECT {_explanation_columns()} FROM {predictions.physical_name}"  # noqa: S608
        ).as_pyarrow_table()
        labels = _level_labels(linker)
    return LinkResult(
        clusters, pair_table, used, threshold_weight, should_train, notes, rules, labels
    )


def cluster_sizes(clusters: Mapping[str, str]) -> Sequence[int]:
    """Sizes of the clusters, largest first (for summaries and benchmarks)."""
    counts: dict[str, int] = {}
    for cid in clusters.values():
        counts[cid] = counts.get(cid, 0) + 1
    return sorted(counts.values(), reverse=True)
