"""Benchmark for `lantern extract`: dev-set scores (and the naive baseline's), throughput,
cold start and peak memory. Run with `python bench/run.py extract`."""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV = SHARED / "data" / "notes_dev.jsonl"
OWN = ROOT / "tests" / "unit" / "text" / "data" / "own_notes.jsonl"
#: Notes in styles the first rules had not seen, written before any tuning to them;
#: the "tune" half may be tuned on, the "unseen" half never is.
HELDOUT = ROOT / "tests" / "unit" / "text" / "data" / "heldout_notes.jsonl"
#: The held-out set's scores on first sight (rules as of commit d6198fd, measured
#: 2026-11-22 before any rule was changed for it), kept to show the change since.
HELDOUT_FIRST_SIGHT = {
    "measured": "2026-11-22",
    "all": {"factor_f1": 0.6508, "factor_p": 0.9425, "factor_r": 0.497, "entity_f1": 0.9184},
    "tune": {"factor_f1": 0.6569, "factor_p": 0.9574, "factor_r": 0.5, "entity_f1": 0.9643},
    "unseen": {"factor_f1": 0.6435, "factor_p": 0.925, "factor_r": 0.4933, "entity_f1": 0.8571},
}
#: A second batch in further styles, written after the first tuning pass and tuned on
#: in the second; its score before that pass shows how far the first pass carried.
TUNE2 = ROOT / "tests" / "unit" / "text" / "data" / "tune_notes.jsonl"
TUNE2_FIRST_SIGHT = {
    "measured": "2026-11-22",
    "factor_f1": 0.5952,
    "factor_p": 0.9259,
    "factor_r": 0.4386,
    "entity_f1": 0.7368,
}
#: A third batch (29 notes, more agencies and shorthand), written before the third pass;
#: its "tune" half was tuned on, its "unseen" half never was: the honest figure.
BATCH3 = ROOT / "tests" / "unit" / "text" / "data" / "batch3_notes.jsonl"
BATCH3_FIRST_SIGHT = {
    "measured": "2026-11-22",
    "rules_commit": "e7be360",
    "tune": {"factor_f1": 0.7593, "factor_p": 0.9535, "factor_r": 0.6308, "entity_f1": 0.875},
    "unseen": {"factor_f1": 0.7167, "factor_p": 1.0, "factor_r": 0.5584, "entity_f1": 0.9474},
}
#: The first held-out set's "unseen" half before the third pass (commit e7be360). Its
#: misses were read to find the kinds of wording missing, so after that pass it is
#: no longer strictly unseen; the third batch's unseen half is.
HELDOUT_UNSEEN_BEFORE_PASS3 = {
    "factor_f1": 0.678,
    "factor_p": 0.9302,
    "factor_r": 0.5333,
    "entity_f1": 0.8571,
}
#: A fourth batch (44 notes: police occurrence logs, school nurse and GP letters, housing
#: emails, timed shift logs, first-person youth work, MASH bullets, formal assessments,
#: unpunctuated notes, negation, historic concerns, siblings and friends), written before
#: the fourth pass; its "tune" half was tuned on, its "unseen" half never was.
BATCH4 = ROOT / "tests" / "unit" / "text" / "data" / "batch4_notes.jsonl"
#: Its scores on first sight: rules as of commit 45f0838 (tree 5b3559f), measured
#: 2026-11-22 before any rule was changed for it. Labels as committed in 5b3559f (which
#: added two named friends as persons before any scoring of rules against them).
BATCH4_FIRST_SIGHT = {
    "measured": "2026-11-22",
    "rules_commit": "45f0838",
    "tune": {"factor_f1": 0.7927, "factor_p": 0.9559, "factor_r": 0.6771, "entity_f1": 0.8},
    "unseen": {"factor_f1": 0.791, "factor_p": 1.0, "factor_r": 0.6542, "entity_f1": 0.9565},
}
#: The unseen half after the tune-half pass and the probe passes (commit fa6631e), the last
#: figure taken before anything of the unseen half was looked at: unchanged from first sight.
#: After it, its per-note prediction counts were seen (one note had none: an unpunctuated
#: note led by a reporting parent), so later figures for it are not blind.
BATCH4_UNSEEN_BLIND_AFTER_PASS4 = {
    "rules_commit": "fa6631e",
    "factor_f1": 0.791,
    "factor_p": 1.0,
    "factor_r": 0.6542,
    "entity_f1": 0.9565,
}
#: Four further batches of my own written during the fourth pass, each scored on first
#: sight with the rules of the time: the fifth, sixth and eighth (all tune) were then tuned
#: on; the seventh (all unseen) never was, and its score is the pass's closing estimate.
BATCH5 = ROOT / "tests" / "unit" / "text" / "data" / "batch5_notes.jsonl"
BATCH6 = ROOT / "tests" / "unit" / "text" / "data" / "batch6_notes.jsonl"
BATCH7 = ROOT / "tests" / "unit" / "text" / "data" / "batch7_notes.jsonl"
BATCH8 = ROOT / "tests" / "unit" / "text" / "data" / "batch8_notes.jsonl"
LATER_BATCHES_FIRST_SIGHT = {
    "batch5": {
        "rules_commit": "6f28b70",
        "factor_f1": 0.7959,
        "factor_p": 0.9512,
        "factor_r": 0.6842,
    },
    "batch6": {
        "rules_commit": "f8ddc50",
        "factor_f1": 0.5714,
        "factor_p": 0.8333,
        "factor_r": 0.4348,
    },
    "batch7": {"rules_commit": "3b09995", "factor_f1": 0.7059, "factor_p": 1.0, "factor_r": 0.5455},
    "batch8": {
        "rules_commit": "169be93",
        "factor_f1": 0.7037,
        "factor_p": 0.9048,
        "factor_r": 0.5758,
    },
}
LATER_BATCHES = {"batch5": BATCH5, "batch6": BATCH6, "batch7_unseen": BATCH7, "batch8": BATCH8}
#: Every set's scores just before the fourth pass (rules as of 45f0838), to show its effect.
BEFORE_PASS4 = {
    "dev": {"factor_f1": 0.9912, "factor_p": 0.9868, "factor_r": 0.9956, "entity_f1": 1.0},
    "own_notes": {"factor_f1": 0.9474, "factor_p": 1.0, "factor_r": 0.9, "entity_f1": 1.0},
    "tune_notes": {"factor_f1": 0.955, "factor_p": 0.9815, "factor_r": 0.9298, "entity_f1": 0.9474},
    "heldout_tune": {"factor_f1": 0.9718, "factor_p": 0.9885, "factor_r": 0.9556, "entity_f1": 1.0},
    "heldout_unseen": {"factor_f1": 0.96, "factor_p": 0.96, "factor_r": 0.96, "entity_f1": 0.9545},
    "batch3_tune": {
        "factor_f1": 0.9612,
        "factor_p": 0.9688,
        "factor_r": 0.9538,
        "entity_f1": 0.9333,
    },
    "batch3_unseen": {
        "factor_f1": 0.9155,
        "factor_p": 1.0,
        "factor_r": 0.8442,
        "entity_f1": 0.9474,
    },
}
SCORER = SHARED / "eval" / "score_notes.py"
LANTERN = ROOT / ".venv" / "bin" / "lantern"
#: Throughput before the speed work of issue 3 (rules as of commit 1dcacb0: a lookahead
#: trie regex for hint literals, two hint sets per pattern), measured on the same 2,000
#: notes, best of three passes, on the same shared machine as the figures after it.
THROUGHPUT_BEFORE_ISSUE3 = {
    "measured": "2026-11-22",
    "rules_commit": "1dcacb0",
    "notes_per_second": 340.0,
    "notes_per_cpu_second": 340.3,
    "cold_start_seconds": 1.3,
    "peak_memory_mb_cli_2000_notes": 47.5,
}
#: Notes in the throughput run: at least 1,000, of mixed length.
THROUGHPUT_NOTES = 2000
#: Timed passes over them; the fastest is kept, as the machine may be shared.
THROUGHPUT_PASSES = 3


def _score(gold: Path, pred: list[dict[str, Any]]) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write("".join(json.dumps(p) + "\n" for p in pred))
    out = subprocess.run(
        [sys.executable, str(SCORER), str(gold), f.name, "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    Path(f.name).unlink()
    r = json.loads(out[: out.rindex("}") + 1])
    return {
        "factor_f1": round(r["factor"]["micro"]["f1"], 4),
        "factor_p": round(r["factor"]["micro"]["p"], 4),
        "factor_r": round(r["factor"]["micro"]["r"], 4),
        "entity_f1": round(r["entity"]["micro"]["f1"], 4),
        "spans_valid": round(r["spans_valid"], 4),
    }


def _load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _score_notes(notes: list[dict[str, Any]], fn: Any) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write("".join(json.dumps(n) + "\n" for n in notes))
    try:
        return _score(Path(f.name), _predict(notes, fn))
    finally:
        Path(f.name).unlink()


def _predict(notes: list[dict[str, Any]], fn: Any) -> list[dict[str, Any]]:
    out = []
    for n in notes:
        found = fn(n)
        out.append(
            {
                "id": n["id"],
                "factors": [f.as_dict() for f in found.factors],
                "entities": [e.as_dict() for e in found.entities],
            }
        )
    return out


def _mixed_notes(notes: list[dict[str, Any]], count: int) -> list[str]:
    """Dev notes alone, joined in twos and fives, and cut short: a spread of lengths."""
    rng = random.Random(7)  # noqa: S311 - a fixed, reproducible sample, not security
    texts = [n["text"] for n in notes]
    out = []
    while len(out) < count:
        k = rng.choice([1, 1, 2, 5])
        text = " ".join(rng.sample(texts, k))
        if rng.random() < 0.25:
            text = text[: rng.randint(40, len(text))]
        out.append(text)
    return out


def run() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from lantern.text import extract_note
    from lantern.text.baseline import baseline_extract

    dev = _load(DEV)
    own = _load(OWN)
    heldout = _load(HELDOUT)

    def ours(n: dict[str, Any]) -> Any:
        return extract_note(n["text"], n.get("subject", {}).get("name"))

    result: dict[str, Any] = {
        "dev": _score(DEV, _predict(dev, ours)),
        "dev_baseline": _score(DEV, _predict(dev, lambda n: baseline_extract(n["text"]))),
        "own_notes": _score(OWN, _predict(own, ours)),
        "own_notes_baseline": _score(OWN, _predict(own, lambda n: baseline_extract(n["text"]))),
        "heldout": {
            "all": _score(HELDOUT, _predict(heldout, ours)),
            **{
                part: _score_notes([n for n in heldout if n["split"] == part], ours)
                for part in ("tune", "unseen")
            },
            "baseline": _score(HELDOUT, _predict(heldout, lambda n: baseline_extract(n["text"]))),
        },
        "heldout_first_sight": HELDOUT_FIRST_SIGHT,
        "tune_notes": _score(TUNE2, _predict(_load(TUNE2), ours)),
        "tune_notes_first_sight": TUNE2_FIRST_SIGHT,
        "heldout_unseen_before_pass3": HELDOUT_UNSEEN_BEFORE_PASS3,
        "batch3": {
            part: _score_notes([n for n in _load(BATCH3) if n["split"] == part], ours)
            for part in ("tune", "unseen")
        },
        "batch3_first_sight": BATCH3_FIRST_SIGHT,
        "batch4": {
            part: _score_notes([n for n in _load(BATCH4) if n["split"] == part], ours)
            for part in ("tune", "unseen")
        },
        "batch4_first_sight": BATCH4_FIRST_SIGHT,
        "batch4_unseen_blind_after_pass4": BATCH4_UNSEEN_BLIND_AFTER_PASS4,
        "before_pass4": BEFORE_PASS4,
        **{name: _score(path, _predict(_load(path), ours)) for name, path in LATER_BATCHES.items()},
        "later_batches_first_sight": LATER_BATCHES_FIRST_SIGHT,
    }
    texts = _mixed_notes(dev, THROUGHPUT_NOTES)
    extract_note(texts[0])  # load the lexicons before timing
    wall, cpu = [], []
    for _ in range(THROUGHPUT_PASSES):
        started, started_cpu = time.perf_counter(), time.process_time()
        for t in texts:
            extract_note(t)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    result["throughput_before_issue3"] = THROUGHPUT_BEFORE_ISSUE3
    result["throughput"] = {
        "notes": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts)),
        "notes_per_second": round(len(texts) / min(wall), 1),
        # CPU time of this process alone: what the figure would be on an idle machine
        "notes_per_cpu_second": round(len(texts) / min(cpu), 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    one = json.dumps({"id": "n1", "text": dev[0]["text"]}) + "\n"
    cold = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [str(LANTERN), "extract", "-"], input=one, capture_output=True, text=True, check=True
        )
        cold.append(time.perf_counter() - started)
    result["cold_start_seconds"] = round(min(cold), 3)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts)))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([str(LANTERN), "extract", f.name], capture_output=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    Path(f.name).unlink()
    # ru_maxrss of children is the largest child so far (KiB on Linux)
    result["peak_memory_mb_cli_2000_notes"] = round(max(before, after) / 1024, 1)
    return result
