"""`lantern extract` meets its contract in interfaces.md, and bad input fails cleanly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

LANTERN = Path(sys.executable).with_name("lantern")


def run(stdin: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(LANTERN), "extract", *args], input=stdin, capture_output=True, timeout=60
    )


def test_contract_on_stdin() -> None:
    notes = [
        {
            "id": "n1",
            "text": "Reported missing twice. Seen getting into a black Audi, reg YR68 KLN. "
            "Call 07700 900123.",
            "subject": {"name": "Amy Cole"},
        },
        {"id": 2, "text": "No concerns."},
    ]
    r = run("".join(json.dumps(n) + "\n" for n in notes).encode(), "-")
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == ["n1", "2"]
    text = notes[0]["text"]
    assert isinstance(text, str)
    codes = [f["code"] for f in out[0]["factors"]]
    assert len(codes) == len(set(codes))
    assert {"going_missing", "transported_by_adults"} <= set(codes)
    for f in out[0]["factors"]:
        assert text[f["start"] : f["end"]] == f["evidence"]
    pairs = [(e["type"], e["value"]) for e in out[0]["entities"]]
    assert ("vehicle", "YR68KLN") in pairs and ("phone", "+447700900123") in pairs
    assert len(pairs) == len(set(pairs))
    assert out[1]["factors"] == [] and out[1]["entities"] == []


def test_file_argument(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "She has been sofa-surfing."}) + "\n")
    r = run(b"", str(path))
    assert r.returncode == 0
    assert json.loads(r.stdout)["factors"][0]["code"] == "homelessness"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"id": "a", "text": ""}\n', "line 1: 'text' is empty"),
        (b'{"id": "a"}\n', "line 1: missing 'text'"),
        (b'{"id": "a", "text": "ok"}\nnot json\n', "line 2: not valid JSON"),
        (b'{"id": "a", "text": "caf\xe9"}\n', "line 1: not valid UTF-8"),
        (b'{"id": "a", "text": "bell \\u0007 here"}\n', "line 1: 'text' holds a control character"),
        (json.dumps({"id": "a", "text": "x" * 100_001}).encode() + b"\n", "longer than 100,000"),
        (b'{"id": "a", "text": 5}\n', "line 1: 'text' must be a string"),
        (b'{"text": "fine"}\n', "line 1: missing 'id'"),
        (b"[1, 2]\n", "line 1: expected a JSON object"),
    ],
)
def test_bad_input_is_one_clean_line(data: bytes, message: str) -> None:
    r = run(data, "-")
    assert r.returncode == 1
    err = r.stderr.decode()
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert r.stdout == b""


def test_missing_file() -> None:
    r = run(b"", "/nonexistent/notes.jsonl")
    assert r.returncode == 1 and b"no such file" in r.stderr
