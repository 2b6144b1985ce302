"""Screening speed: assessments per second in one process, and `lantern assess` cold start."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from lantern.screening import Observation, Situation, assess, load_rules

#: Enough situations that the figure is not dominated by timer resolution.
SITUATIONS = 20_000
AS_OF = date(2026, 11, 1)


def _situations(n: int) -> list[Situation]:
    rng = random.Random(20261121)  # noqa: S311 - a fixed workload, not security
    codes = sorted(load_rules().factors)
    out = []
    for _ in range(n):
        picked = rng.sample(codes, rng.randint(0, 8))
        factors = tuple(Observation(c, AS_OF - timedelta(days=rng.randint(0, 900))) for c in picked)
        out.append(Situation(factors, rng.random() < 0.05, rng.randint(8, 18), AS_OF))
    return out


def run() -> dict[str, Any]:
    situations = _situations(SITUATIONS)
    assess(situations[0])  # load rules and vocabulary once, as a long-running server would
    started, cpu = time.perf_counter(), time.process_time()
    levels: dict[str, int] = {}
    for s in situations:
        level = assess(s).level
        levels[level] = levels.get(level, 0) + 1
    wall, cpu_used = time.perf_counter() - started, time.process_time() - cpu
    lantern = Path(sys.executable).with_name("lantern")
    started = time.perf_counter()
    subprocess.run(
        [str(lantern), "assess", "-"],
        input=b'{"id": "a", "factors": ["going_missing"]}\n',
        capture_output=True,
        check=True,
    )
    cold = time.perf_counter() - started
    return {
        "assessments": SITUATIONS,
        "assessments_per_second": round(SITUATIONS / wall, 1),
        "assessments_per_cpu_second": round(SITUATIONS / cpu_used, 1),
        "levels": dict(sorted(levels.items())),
        "cold_start_seconds": round(cold, 3),
    }
