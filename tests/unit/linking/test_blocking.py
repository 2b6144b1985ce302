"""Size-aware blocking: rules narrowed only when, and only as far as, the data needs."""

from __future__ import annotations

import duckdb
import pytest

from lantern.linking.blocking import (
    MIN_PAIR_BUDGET,
    key_coverage_sql,
    pair_budget,
    pair_count_sql,
    size_aware_rules,
)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute(
        "CREATE TABLE people AS SELECT * FROM (VALUES"
        " ('a', 'dean', 'd', 'hall', '1990-01-01', 1990, NULL),"
        " ('b', 'dean', 'd', 'hall', '1990-01-01', 1990, NULL),"
        " ('c', 'sam', 's', 'hall', '1990-01-01', 1990, NULL),"
        " ('d', 'sam', 's', 'king', '1990-01-01', 1990, 'B1'),"
        " ('e', NULL, NULL, 'king', NULL, NULL, NULL)"
        ") AS t(unique_id, forename, initial, surname, dob, birth_year, postcode_district)"
    )
    return c


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    return float(con.execute(sql).fetchall()[0][0])


def test_pair_count_sql_counts_pairs_sharing_every_key(con: duckdb.DuckDBPyConnection) -> None:
    assert _count(con, pair_count_sql("people", ("dob",))) == 6  # four records: 4*3/2
    # Three Halls share the date; the one King with a date has no partner.
    assert _count(con, pair_count_sql("people", ("dob", "surname"))) == 3
    assert _count(con, pair_count_sql("people", ("postcode_district",))) == 0
    assert _count(con, key_coverage_sql("people", "postcode_district")) == pytest.approx(0.2)


def test_small_inputs_keep_the_rules_as_written() -> None:
    rules = [("dob",), ("surname", "initial")]
    counts = dict.fromkeys(rules, 10)
    assert size_aware_rules(rules, lambda r: counts.get(r, 0), 100, lambda _k: 1.0) == rules
    assert pair_budget(10) == MIN_PAIR_BUDGET


def test_rule_over_budget_is_narrowed_until_it_fits() -> None:
    def count(rule: tuple[str, ...]) -> int:
        return 1000 // (10 ** (len(rule) - 1))  # each added key splits blocks tenfold

    chosen = size_aware_rules([("dob",)], count, 15, lambda _k: 1.0)
    assert chosen == [("dob", "initial", "substr(surname, 1, 1)")]


def test_keys_implied_by_the_rule_or_mostly_missing_are_not_added() -> None:
    def count(rule: tuple[str, ...]) -> int:
        return 10**9  # never fits: every usable key gets tried

    coverage = {"postcode_district": 0.1}
    chosen = size_aware_rules([("forename", "surname")], count, 5, lambda k: coverage.get(k, 0.9))
    # initial is implied by forename, the surname's first letter by surname, and
    # postcodes are too rarely recorded to split on without losing the rule.
    assert chosen == [("forename", "surname", "birth_year")]


def test_budget_grows_with_the_input() -> None:
    assert pair_budget(10 * MIN_PAIR_BUDGET) > MIN_PAIR_BUDGET
