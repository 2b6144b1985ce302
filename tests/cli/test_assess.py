"""`lantern assess` against its contract in interfaces.md, and every kind of bad input."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Runner = Callable[..., subprocess.CompletedProcess[str]]


def lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_empty_situation_is_rank_zero(lantern: Runner) -> None:
    result = lantern("assess", "-", input='{"id":"a","factors":[]}\n')
    assert result.returncode == 0, result.stderr
    (out,) = lines(result.stdout)
    assert out["id"] == "a" and out["rank"] == 0 and out["score"] == 0
    assert {"level", "reasons", "actions", "rules_version"} <= set(out)


def test_contract_example_and_order_kept(lantern: Runner, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "a1", "factors": ["going_missing", "older_associates"],'
        ' "immediate_danger": false}\n'
        "\n"
        '{"id": "a2", "factors": [], "immediate_danger": true, "extra": "ignored"}\n'
        '{"id": "a3", "factors": [{"code": "going_missing", "observed": "2025-01-01"}],'
        ' "as_of": "2026-11-01", "age": 15}\n'
    )
    result = lantern("assess", str(path))
    assert result.returncode == 0, result.stderr
    a1, a2, a3 = lines(result.stdout)
    assert [a1["id"], a2["id"], a3["id"]] == ["a1", "a2", "a3"]
    assert a1["level"] == "significant" and a1["score"] == 8
    assert {r["code"] for r in a1["reasons"]} == {"going_missing", "older_associates"}  # type: ignore[union-attr]
    assert all(r["weight"] and r["why"] for r in a1["reasons"])  # type: ignore[union-attr]
    assert a2["level"] == "immediate" and a2["actions"][0].startswith("Call 999")  # type: ignore[index]
    assert a3["reasons"][0]["band"] == "historic"  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"id": "a", "factors": ["going_misssing"]}',
            "line 2: unknown factor code 'going_misssing'; did you mean 'going_missing'?",
        ),
        ('{"id": "a", "factors": [}', "line 2: not valid JSON"),
        ('["a"]', "line 2: expected a JSON object"),
        ('{"factors": []}', "line 2: missing 'id'"),
        ('{"id": "a", "factors": "going_missing"}', "line 2: 'factors' must be a list"),
        (
            '{"id": "a", "factors": [{"code": "going_missing", "observed": "01/02/2026"}]}',
            "YYYY-MM-DD",
        ),
        (
            '{"id": "a", "factors": [{"code": "going_missing", "observed": "2026-02-30"}]}',
            "not a real date",
        ),
        ('{"id": "a", "factors": [], "as_of": "yesterday"}', "line 2: 'as_of' must be a date"),
        (
            '{"id": "a", "factors": [], "immediate_danger": "yes"}',
            "'immediate_danger' must be true or false",
        ),
        ('{"id": "a", "factors": [], "age": "fifteen"}', "'age' must be a whole number"),
        ('{"id": "a", "factors": ["going_missing"], "age": 99}', "age 99 is outside"),
        (
            '{"id": "a", "factors": [{"code": "going_missing", "observed": "2026-12-01"}],'
            ' "as_of": "2026-11-01"}',
            "is after as_of",
        ),
        ('{"id": "a", "factors": [42]}', "factor 1 must be a code"),
    ],
)
def test_bad_input_is_one_line_naming_the_line(lantern: Runner, text: str, message: str) -> None:
    result = lantern("assess", "-", input='{"id": "ok", "factors": []}\n' + text + "\n")
    assert result.returncode == 1
    assert result.stdout == ""  # nothing half-done for a caller to mistake for an answer
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_invalid_utf8_names_the_line(lantern: Runner) -> None:
    result = lantern("assess", "-", input=b'{"id": "a", "factors": []}\n{"id": "\xff"}\n')
    assert result.returncode == 1 and "line 2: not valid UTF-8" in result.stderr


def test_missing_file_and_folder(lantern: Runner, tmp_path: Path) -> None:
    assert "no such file" in lantern("assess", str(tmp_path / "absent.jsonl")).stderr
    result = lantern("assess", str(tmp_path))
    assert result.returncode == 1 and "folder" in result.stderr


def test_empty_input_gives_empty_output(lantern: Runner) -> None:
    result = lantern("assess", "-", input="")
    assert result.returncode == 0 and result.stdout == ""


def test_bad_usage_exits_2(lantern: Runner) -> None:
    assert lantern("assess").returncode == 2
    assert lantern("assess", "a", "b").returncode == 2
    assert lantern("no-such-command").returncode == 2


def test_help_and_version(lantern: Runner) -> None:
    from lantern import __version__

    result = lantern("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"lantern {__version__}"
    result = lantern("--help")
    assert result.returncode == 0 and "assess" in result.stdout


def test_demo_runs(lantern: Runner) -> None:
    result = lantern("demo", "--screening")
    assert result.returncode == 0, result.stderr
    assert "Call 999 now" in result.stdout and "Significant risk" in result.stdout
