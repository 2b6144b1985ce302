"""`lantern link`: the contract in interfaces.md, run through the installed command."""

from __future__ import annotations

import csv
import importlib.util
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LANTERN = str(Path(sys.executable).with_name("lantern"))
HEADER = "record_id,source,full_name,nickname,dob,age,gender,phone,vehicle,postcode,handle\n"
ROWS = (
    "x9,police,Kieran Walsh,K,1993-08-14,,male,07700 900555,,,\n"
    'x2,housing,"WALSH, Kieran",,14/08/1993,,male,+447700900555,,B1 1AA,\n'
    "x5,school,Priya Nair,,2001-01-01,,female,,,,@priya.n\n"
)


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LANTERN, "link", *args], input=stdin, capture_output=True, text=True, timeout=300
    )


def _clusters(stdout: str) -> list[tuple[str, str]]:
    rows = list(csv.reader(io.StringIO(stdout)))
    assert rows[0] == ["record_id", "cluster_id"]
    return [(r[0], r[1]) for r in rows[1:]]


def test_contract(tmp_path: Path) -> None:
    f = tmp_path / "people.csv"
    f.write_text(HEADER + ROWS)
    done = _run(str(f))
    assert done.returncode == 0, done.stderr
    out = _clusters(done.stdout)
    assert [rid for rid, _ in out] == ["x9", "x2", "x5"]  # input order
    cluster = dict(out)
    assert cluster["x9"] == cluster["x2"] != cluster["x5"]


def test_stdin_extra_columns_and_missing_optional_columns() -> None:
    done = _run("-", stdin="record_id,full_name,shoe_size\na,Ann Lee,5\nb,Bob Lee,9\n")
    assert done.returncode == 0, done.stderr
    assert [rid for rid, _ in _clusters(done.stdout)] == ["a", "b"]


def test_header_only_gives_header_only() -> None:
    done = _run("-", stdin=HEADER)
    assert done.returncode == 0 and done.stdout == "record_id,cluster_id\n"


@pytest.mark.parametrize(
    ("data", "expect"),
    [
        (HEADER + ROWS + "x2,police,Someone Else,,,,,,,,\n", "line 5"),
        (HEADER + ",police,No Id,,,,,,,,\n", "line 2"),
        ("name,phone\nA,1\n", "record_id"),
        ("", "empty"),
        (HEADER + "a,b,c,d,e,f,g,h,i,j,k,l,m\n", "line 2"),
    ],
)
def test_bad_input_is_one_line_exit_1(data: str, expect: str) -> None:
    done = _run("-", stdin=data)
    assert done.returncode == 1
    assert expect in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_bad_encoding_and_missing_file(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_bytes(HEADER.encode() + b"a,police,Jos\xe9,,,,,,,,\n")
    done = _run(str(f))
    assert done.returncode == 1 and "line 2" in done.stderr
    assert _run(str(tmp_path / "nope.csv")).returncode == 1


def test_unknown_backend_is_usage_error() -> None:
    assert _run("-", "--backend", "oracle", stdin=HEADER).returncode == 2


_HAS_SPARK = importlib.util.find_spec("pyspark") is not None and shutil.which("java") is not None


# Fictional records with the slips the model handles: short forms, initials,
# "SURNAME, Forename", a day and month swapped, an age for a date of birth, and
# phone and plate formats; plus strangers who share a surname or a forename.
SPARK_ROWS = (
    "m1,police,Mohammed Rahim,,12/04/1990,,male,07700 900412,KX19 ABD,,\n"
    'm2,health,"RAHIM, Mo",,1990-04-12,,male,+44 7700 900412,,,\n'
    "m3,school,M Rahim,,,35,male,,kx19abd,,\n"
    "g1,housing,Gareth Lloyd,Gaz,1985-02-07,,male,,,CF10 1AA,@gaz_lloyd\n"
    "g2,youth_service,Gareth Loyd,,1985-07-02,,male,,,cf10 1aa,\n"
    "r1,police,Mohammed Rahman,,1971-09-30,,male,07700 900999,,,\n"
    "s1,health,Sian Lloyd,,1999-11-11,,female,,,,\n"
    "d1,police,Deano Bolton,,,24,male,0113 496 0772,,,\n"
    "d2,voluntary_sector,Dean Bolton,Bones,,25,male,01134960772,,,\n"
    "d3,housing,Dean Gibson,,,,male,,VP57UGG,,\n"
)


@pytest.mark.spark
@pytest.mark.skipif(not _HAS_SPARK, reason="pyspark (the 'spark' extra) or Java is not installed")
def test_spark_backend_agrees_with_duckdb(tmp_path: Path) -> None:
    f = tmp_path / "people.csv"
    f.write_text(HEADER + SPARK_ROWS)
    duck = _run(str(f))
    assert duck.returncode == 0, duck.stderr
    spark = _run(str(f), "--backend", "spark")
    assert spark.returncode == 0, spark.stderr
    assert _clusters(spark.stdout) == _clusters(duck.stdout)
    cluster = dict(_clusters(duck.stdout))
    # The file is not trivial: it has both merges and near-miss strangers.
    assert cluster["m1"] == cluster["m2"] and cluster["d1"] == cluster["d2"]
    assert cluster["r1"] != cluster["m1"] and cluster["s1"] != cluster["g1"]


@pytest.mark.skipif(_HAS_SPARK, reason="pyspark is installed")
def test_spark_missing_says_how_to_install() -> None:
    done = _run("-", "--backend", "spark", stdin=HEADER + ROWS)
    assert done.returncode == 1
    assert "pip install" in done.stderr and "Traceback" not in done.stderr
