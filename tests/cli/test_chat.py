"""`lantern chat` against its contract in interfaces.md, its import formats, and bad input."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.paths import DATA

Runner = Callable[..., subprocess.CompletedProcess[str]]

GROOMING = {
    "id": "c1",
    "child": "maya",
    "messages": [
        {"speaker": "jay_x", "text": "hey how old r u?"},
        {"speaker": "maya", "text": "13"},
        {"speaker": "jay_x", "text": "ur so mature for 13. dont tell ur mum about me ok"},
        {"speaker": "maya", "text": "ok"},
    ],
}
BENIGN = {
    "id": "c2",
    "child": "Ollie",
    "messages": [
        {"speaker": "Mum", "text": "Where are you? Send me a photo of the bus stop"},
        {"speaker": "Ollie", "text": "ok mum"},
    ],
}


def lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_contract_shape_and_order(lantern: Runner) -> None:
    text = json.dumps(GROOMING) + "\n" + json.dumps(BENIGN) + "\n"
    result = lantern("chat", "-", input=text)
    assert result.returncode == 0, result.stderr
    first, second = lines(result.stdout)
    assert [first["id"], second["id"]] == ["c1", "c2"]
    assert set(first) == {"id", "concern", "score", "first_alert", "tactics"}
    assert first["concern"] is True and first["first_alert"] == 2
    assert isinstance(first["score"], float) and 0 <= first["score"] <= 1
    for t in first["tactics"]:  # type: ignore[union-attr]
        message = GROOMING["messages"][t["message"]]  # type: ignore[index]
        assert message["speaker"] != "maya" and t["evidence"] in message["text"]
    assert second == {
        "id": "c2",
        "concern": False,
        "score": 0.0,
        "first_alert": None,
        "tactics": [],
    }


def test_explain_adds_risk_and_reasons(lantern: Runner) -> None:
    result = lantern("chat", "-", "--explain", input=json.dumps(GROOMING))
    (out,) = lines(result.stdout)
    assert len(out["risk"]) == 4 and out["reasons"]  # type: ignore[arg-type]


def test_dev_set_runs_and_scores(lantern: Runner, tmp_path: Path) -> None:
    result = lantern("chat", str(DATA / "chats_dev.jsonl"))
    assert result.returncode == 0, result.stderr
    pred = tmp_path / "pred.jsonl"
    pred.write_text(result.stdout, encoding="utf-8")
    scored = subprocess.run(
        [
            "python3",
            str(DATA.parent / "eval" / "score_chats.py"),
            str(DATA / "chats_dev.jsonl"),
            str(pred),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "tactics micro-F1" in scored.stdout


EXPORT = """\u200e[21/11/2026, 19:02:01] Messages and calls are end-to-end encrypted.
[21/11/2026, 19:04:12] jay_x: hey how old r u?
[21/11/2026, 19:05] Maya: 13
[21/11/2026, 7:06 pm] jay_x: ur so mature for 13
and i mean that
[21/11/2026, 19:07] jay_x: dont tell ur mum about me ok
"""


def test_text_export(lantern: Runner, tmp_path: Path) -> None:
    path = tmp_path / "whatsapp.txt"
    path.write_text(EXPORT, encoding="utf-8")
    result = lantern("chat", str(path), "--child", "Maya")
    assert result.returncode == 0, result.stderr
    (out,) = lines(result.stdout)
    assert out["id"] == "whatsapp" and out["concern"] is True
    flagged = {(t["message"], t["code"]) for t in out["tactics"]}  # type: ignore[union-attr]
    assert {(0, "personal_probing"), (2, "flattery_trust"), (3, "secrecy")} <= flagged


def test_csv_with_conversations(lantern: Runner, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "conversation,Sender,Message\n"
        'a,jay_x,"hey, how old r u?"\n'
        "a,Maya,13\n"
        "a,jay_x,dont tell ur mum about me ok\n"
        "b,Mum,Where are you?\n"
        "b,Maya,bus\n",
        encoding="utf-8",
    )
    result = lantern("chat", str(path), "--child", "Maya", "--id", "case9")
    assert result.returncode == 0, result.stderr
    a, b = lines(result.stdout)
    assert a["id"] == "case9:a" and a["concern"] is True
    assert b["id"] == "case9:b" and b["tactics"] == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("not json\n", "line 1: not valid JSON"),
        ('{"id": "a", "child": "x", "messages": []}\n[1]\n', "line 2: expected a JSON object"),
        ('{"child": "x", "messages": []}\n', "line 1: missing 'id'"),
        ('{"id": "a", "messages": []}\n', "line 1: 'child' must be a non-empty string"),
        ('{"id": "a", "child": "x", "messages": {}}\n', "line 1: 'messages' must be a list"),
        (
            '{"id": "a", "child": "x", "messages": [{"text": "hi"}]}\n',
            "line 1: message 0 'speaker'",
        ),
        (
            '{"id": "a", "child": "x", "messages": [{"speaker": "y", "text": 3}]}\n',
            "message 0 'text'",
        ),
        ('{"id": "a", "child": "x", "messages": ["hi"]}\n', "line 1: message 0 must be an object"),
    ],
)
def test_bad_jsonl_exits_1_naming_the_line(lantern: Runner, body: str, expected: str) -> None:
    result = lantern("chat", "-", input=body)
    assert result.returncode == 1
    assert result.stdout == ""
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_broken_encoding_names_the_line(lantern: Runner) -> None:
    good = json.dumps(BENIGN).encode()
    result = lantern("chat", "-", input=good + b"\n\xff\xfe\n")
    assert result.returncode == 1 and "line 2: not valid UTF-8" in result.stderr


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("a.txt", "hello there\n", "line 1: expected a message line"),
        ("a.txt", "", "line 1: no messages found"),
        ("a.csv", "who,what\nx,y\n", "line 1: header has no speaker column"),
        ("a.csv", "speaker,text\nx,hi\ny\n", "line 3: expected 2 columns"),
        ("a.csv", "speaker,text\n,hi\n", "line 2: empty speaker"),
        ("a.csv", 'speaker,text\nx,"unclosed\n', "not valid CSV"),
        ("a.csv", "speaker,text\nx,hi\ny,yo\n", "--child 'Maya' never speaks"),
    ],
)
def test_bad_exports_exit_1(
    lantern: Runner, tmp_path: Path, name: str, body: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    result = lantern("chat", str(path), "--child", "Maya")
    assert result.returncode == 1, result.stdout
    assert expected in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("chat", "{file}.txt"),  # text needs --child
        ("chat", "{file}.docx", "--child", "Maya"),  # unknown extension
        ("chat", "{file}.jsonl", "--child", "Maya"),  # --child is for text and CSV only
        ("chat", "{file}.txt", "--format", "pdf", "--child", "Maya"),
    ],
)
def test_bad_usage_exits_2(lantern: Runner, tmp_path: Path, args: tuple[str, ...]) -> None:
    base = tmp_path / "t"
    for ext in (".txt", ".docx", ".jsonl"):
        base.with_suffix(ext).write_text(EXPORT, encoding="utf-8")
    result = lantern(*[a.format(file=base) for a in args])
    assert result.returncode == 2, result.stderr


def test_missing_file_exits_1(lantern: Runner, tmp_path: Path) -> None:
    result = lantern("chat", str(tmp_path / "nope.jsonl"))
    assert result.returncode == 1 and "no such file" in result.stderr
