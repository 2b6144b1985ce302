"""Size-aware blocking: keep each blocking rule's pair count within a budget.

A rule such as "same date of birth" brings together a handful of records in
a few thousand, but hundreds of thousands in a million, most of them strangers.
Before scoring, each rule's pair count is measured on the data; a rule over the
budget is narrowed by adding keys (first initial, surname initial, ...) until
it fits. Small inputs keep the rules as written, so results on them do not
depend on this step; large ones stay linear in the number of records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

__all__ = [
    "MIN_KEY_COVERAGE",
    "MIN_PAIR_BUDGET",
    "PAIRS_PER_RECORD",
    "REFINING_KEYS",
    "key_coverage_sql",
    "pair_budget",
    "pair_count_sql",
    "size_aware_rules",
]

Rule = tuple[str, ...]

#: A rule may always bring this many pairs: below it no input is slow to score,
#: so inputs of tens of thousands of records are blocked exactly as designed.
MIN_PAIR_BUDGET = 1_000_000
#: Above the floor, pairs allowed per rule per record. Ten rules at one pair a
#: record keep scoring within about ten pairs per record: a million records
#: then score in a couple of minutes with DuckDB on two shared cores.
PAIRS_PER_RECORD = 1

#: Keys added, in this order, to a rule over budget, each with the columns that
#: already imply it (adding "initial" to a rule on forename splits nothing).
#: Each is nearly always shared by two records of one person (a first initial
#: survives nicknames, "SURNAME, Forename" and typos after the first letter)
#: yet splits strangers.
REFINING_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("initial", ("forename",)),
    ("substr(surname, 1, 1)", ("surname",)),
    ("birth_year", ("dob",)),
    ("postcode_district", ("postcode",)),
)

#: A refining key is only used when at least this share of records has it: a
#: key most records lack would not narrow a rule but switch it off, losing the
#: pairs only that rule finds.
MIN_KEY_COVERAGE = 0.5


def pair_budget(records: int) -> int:
    """The most pairs one blocking rule may bring for an input of this size."""
    return max(MIN_PAIR_BUDGET, PAIRS_PER_RECORD * records)


def pair_count_sql(table: str, rule: Rule) -> str:
    """SQL counting the pairs `rule` brings within `table` (DuckDB and Spark alike)."""
    # Rules and table names are Lantern's own constants, never user text.
    keys = ", ".join(rule)
    present = " AND ".join(f"({key}) IS NOT NULL" for key in rule)
    return (
        f"SELECT COALESCE(SUM(n * (n - 1) / 2), 0) FROM "  # noqa: S608
        f"(SELECT COUNT(*) AS n FROM {table} WHERE {present} GROUP BY {keys}) AS blocks"
    )


def key_coverage_sql(table: str, key: str) -> str:
    """SQL giving the share of records in `table` that have `key`."""
    return f"SELECT AVG(CASE WHEN ({key}) IS NULL THEN 0.0 ELSE 1.0 END) FROM {table}"  # noqa: S608


def size_aware_rules(
    rules: Sequence[Rule],
    count_pairs: Callable[[Rule], int],
    budget: int,
    coverage: Callable[[str], float],
) -> list[Rule]:
    """Each rule, narrowed by refining keys until it brings at most `budget` pairs.

    `coverage` gives the share of records that have a key. A rule still over
    budget once every usable refining key is added is kept in its narrowest
    form: dropping it would hide the pairs only it finds.
    """
    chosen: list[Rule] = []
    for rule in rules:
        narrowed = rule
        for key, implied_by in REFINING_KEYS:
            if count_pairs(narrowed) <= budget:
                break
            if key in narrowed or any(col in narrowed for col in implied_by):
                continue
            if coverage(key) >= MIN_KEY_COVERAGE:
                narrowed = (*narrowed, key)
        if narrowed not in chosen:
            chosen.append(narrowed)
    return chosen
