"""Figures for `lantern chat`: scores on the dev and four own sets; a baseline; speed.

Scores come from the shared scorer (`shared/eval/score_chats.py --json`), run on
predictions written to a temporary file, so they are the figures a reviewer
gets from `lantern chat FILE > pred.jsonl` and the scorer by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LANTERN_SHARED", str(ROOT.parent / "shared")))
DEV = SHARED / "data" / "chats_dev.jsonl"
SCORER = SHARED / "eval" / "score_chats.py"
OWN = ROOT / "tests" / "unit" / "text" / "chat" / "data" / "chats_own.jsonl"
#: 44 conversations written for the second pass: "ho-t-" ids were tuned on,
#: "ho-u-" ids never were (see FIRST_SIGHT for both halves before any tuning).
HELDOUT = ROOT / "tests" / "unit" / "text" / "chat" / "data" / "chats_heldout.jsonl"
#: 32 conversations written for the third pass, mostly benign look-alikes
#: (family, peers, coaches, a tutor, a delivery): "nb-t-" ids were tuned on,
#: "nb-u-" ids never were.
THIRD = ROOT / "tests" / "unit" / "text" / "chat" / "data" / "chats_third.jsonl"
#: 32 conversations written for the fourth pass in styles the earlier sets
#: lack (voice-chat fragments, long formal messages, slang and emoji, group
#: chats, pretend peers later revealed, slow grooming, benign adults and
#: peers): "c4-t-" ids were tuned on, "c4-u-" ids never were.
FOURTH = ROOT / "tests" / "unit" / "text" / "chat" / "data" / "chats_fourth.jsonl"
#: The fourth set's halves as the third-pass rules scored them, written and
#: scored before the fourth pass changed anything (the third set's unseen half
#: stood at F1 0.710, concern 0.909, false alarms 0.091, alert 0.538 then).
FOURTH_FIRST_SIGHT = {
    "fourth_tune": {
        "tactic_micro_f1": 0.634,
        "concern_f1": 0.875,
        "benign_false_alarm": 0.125,
        "median_alert_fraction": 0.81,
    },
    "fourth_unseen": {
        "tactic_micro_f1": 0.593,
        "concern_f1": 0.933,
        "benign_false_alarm": 0.0,
        "median_alert_fraction": 0.733,
    },
}
#: The third set's halves and the second set's unseen half as the second-pass
#: rules scored them, before the third pass changed anything.
THIRD_FIRST_SIGHT = {
    "third_tune": {
        "tactic_micro_f1": 0.667,
        "concern_f1": 0.714,
        "benign_false_alarm": 0.364,
        "median_alert_fraction": 0.25,
    },
    "third_unseen": {
        "tactic_micro_f1": 0.688,
        "concern_f1": 0.769,
        "benign_false_alarm": 0.273,
        "median_alert_fraction": 0.538,
    },
    "new_unseen": {
        "tactic_micro_f1": 0.859,
        "concern_f1": 0.880,
        "benign_false_alarm": 0.273,
        "median_alert_fraction": 0.318,
    },
}
#: The new set's halves as the first-pass rules scored them, before the second
#: pass changed anything: the honest estimate of what unseen writing gets.
FIRST_SIGHT = {
    "new_tune": {
        "tactic_micro_f1": 0.567,
        "concern_f1": 0.857,
        "benign_false_alarm": 0.091,
        "median_alert_fraction": 0.611,
    },
    "new_unseen": {
        "tactic_micro_f1": 0.517,
        "concern_f1": 0.880,
        "benign_false_alarm": 0.273,
        "median_alert_fraction": 0.583,
    },
}

#: The keyword baseline: one bag of words per tactic, no context, no speaker roles.
#: It shows what the context rules add over "where r u" counting as probing.
BASELINE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "secrecy": ("secret", "dont tell", "don't tell", "delete", "between us", "keep it"),
    "isolation": ("don't need", "dont need", "controlling", "jealous", "not a real"),
    "flattery_trust": ("mature", "beautiful", "pretty", "special", "gorgeous", "grown up"),
    "gifts_offers": ("send u", "buy", "free", "£", "gift", "top up"),
    "platform_move": ("snap", "whatsapp", "telegram", "discord", "kik", "add me"),
    "personal_probing": ("how old", "where", "school", "alone", "address", "parents home"),
    "meeting_request": ("meet", "pick u up", "pick you up", "lift", "come round", "come over"),
    "image_request": ("pic", "photo", "selfie", "cam", "video"),
    "pressure_threats": ("owe me", "if u really", "if you really", "after everything", "or else"),
}
#: Messages timed for throughput: enough for a stable figure on a shared machine.
_MIN_TIMED_MESSAGES = 10_000


def _load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _baseline(item: dict[str, Any]) -> dict[str, Any]:
    tactics = []
    for i, m in enumerate(item["messages"]):
        if m["speaker"] == item["child"]:
            continue
        low = m["text"].lower()
        for code, words in BASELINE_KEYWORDS.items():
            word = next((w for w in words if w in low), None)
            if word is not None:
                start = low.index(word)
                tactics.append(
                    {"message": i, "code": code, "evidence": m["text"][start:][: len(word)]}
                )
    flagged = sorted({t["message"] for t in tactics})
    concern = len(flagged) >= 2
    return {
        "id": item["id"],
        "concern": concern,
        "score": min(1.0, len(flagged) / 5),
        "first_alert": flagged[1] if concern else None,
        "tactics": tactics,
    }


def _score(gold: Path, predictions: list[dict[str, Any]]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for p in predictions:
            f.write(json.dumps(p) + "\n")
        path = f.name
    try:
        out = subprocess.run(
            [sys.executable, str(SCORER), str(gold), path, "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        Path(path).unlink()
    report = json.loads(out[: out.rindex("}") + 1])
    return {
        "tactic_micro_f1": round(report["tactics"]["micro"]["f1"], 4),
        "tactic_precision": round(report["tactics"]["micro"]["p"], 4),
        "tactic_recall": round(report["tactics"]["micro"]["r"], 4),
        "concern_f1": round(report["concern"]["f1"], 4),
        "benign_false_alarm": round(report["benign_false_alarm"], 4),
        "median_alert_fraction": report["median_alert_fraction"],
        "auroc": report["auroc"],
    }


def _conversations(items: list[dict[str, Any]]) -> list[Any]:
    from lantern.text.chat import Conversation, Message

    return [
        Conversation(
            i["id"], i["child"], tuple(Message(m["speaker"], m["text"]) for m in i["messages"])
        )
        for i in items
    ]


def _lantern(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from lantern.text.chat import analyse_many

    return [r.to_contract() for r in analyse_many(_conversations(items))]


def _throughput(items: list[dict[str, Any]]) -> dict[str, float | None]:
    from lantern.text.chat import analyse, load_lexicon

    lexicon = load_lexicon()
    conversations = _conversations(items)
    per_pass = sum(len(c.messages) for c in conversations)
    passes = max(1, -(-_MIN_TIMED_MESSAGES // per_pass))
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(passes):
        for c in conversations:
            analyse(c, lexicon)
    seconds = time.perf_counter() - started
    # CPU time is what one process needs; wall time also counts waiting for a core.
    cpu_seconds = time.process_time() - cpu_started
    # The machine is shared: the load average says how contended the figure is.
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "load_average_1min": load,
        "messages": per_pass * passes,
        "seconds": round(seconds, 3),
        "messages_per_second": round(per_pass * passes / seconds),
        "cpu_seconds": round(cpu_seconds, 3),
        "messages_per_cpu_second": round(per_pass * passes / cpu_seconds),
    }


def _half(prefix: str, source: Path = HELDOUT) -> tuple[Path, list[dict[str, Any]]]:
    items = [i for i in _load(source) if i["id"].startswith(prefix)]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for i in items:
            f.write(json.dumps(i) + "\n")
    return Path(f.name), items


def run() -> dict[str, Any]:
    """The chat figures: scores on the dev, own and new sets for Lantern and the baseline."""
    dev = _load(DEV)
    own = _load(OWN)
    halves = {}
    for name, prefix, source in (
        ("new_tune", "ho-t-", HELDOUT),
        ("new_unseen", "ho-u-", HELDOUT),
        ("third_tune", "nb-t-", THIRD),
        ("third_unseen", "nb-u-", THIRD),
        ("fourth_tune", "c4-t-", FOURTH),
        ("fourth_unseen", "c4-u-", FOURTH),
    ):
        path, items = _half(prefix, source)
        try:
            halves[name] = _score(path, _lantern(items))
            halves[f"{name}_keyword_baseline"] = _score(path, [_baseline(i) for i in items])
        finally:
            path.unlink()
    return {
        **halves,
        "new_first_sight": FIRST_SIGHT,
        "third_pass_first_sight": THIRD_FIRST_SIGHT,
        "fourth_pass_first_sight": FOURTH_FIRST_SIGHT,
        "dev": _score(DEV, _lantern(dev)),
        "dev_keyword_baseline": _score(DEV, [_baseline(i) for i in dev]),
        "own": _score(OWN, _lantern(own)),
        "own_keyword_baseline": _score(OWN, [_baseline(i) for i in own]),
        "own_conversations": len(own),
        "throughput_one_process": _throughput(dev),
    }
