"""Run Lantern's benchmarks and write their figures to bench/results/.

Each `bench/bench_*.py` module defines `run() -> dict` returning its figures
(plain JSON values). This runner calls each in turn (or only those named on
the command line, e.g. `python bench/run.py extract`), then writes
`bench/results/latest.json` with every figure and the machine it ran on, and
`bench/results/RESULTS.md` as a readable table.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def _load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _flatten(prefix: str, value: Any, rows: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, rows)
    else:
        shown = f"{value:.4g}" if isinstance(value, float) else json.dumps(value)
        rows.append((prefix, shown))


def main(argv: list[str]) -> int:
    wanted = set(argv)
    modules = sorted(HERE.glob("bench_*.py"))
    if wanted:
        modules = [m for m in modules if m.stem.removeprefix("bench_") in wanted]
    RESULTS.mkdir(exist_ok=True)
    latest = RESULTS / "latest.json"
    figures: dict[str, Any] = json.loads(latest.read_text()) if latest.exists() else {}
    figures.setdefault("benchmarks", {})
    failed = 0
    for path in modules:
        name = path.stem.removeprefix("bench_")
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            result = _load(path).run()
        except Exception as e:  # a failing benchmark is reported, and the others still run
            print(f"   FAILED: {type(e).__name__}: {e}", flush=True)
            failed += 1
            continue
        result["_seconds"] = round(time.perf_counter() - started, 2)
        result["_when"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        figures["benchmarks"][name] = result
        print(json.dumps(result, indent=2), flush=True)
    figures["machine"] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    latest.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    rows: list[tuple[str, str]] = []
    for name, result in sorted(figures["benchmarks"].items()):
        _flatten(name, result, rows)
    table = "\n".join(f"| `{k}` | {v} |" for k, v in rows)
    (RESULTS / "RESULTS.md").write_text(
        "# Benchmark results\n\nWritten by `make bench` (`bench/run.py`). "
        f"Machine: Python {figures['machine']['python']}, {figures['machine']['cpus']} CPUs.\n\n"
        "| figure | value |\n|---|---|\n" + table + "\n"
    )
    print(f"figures written to {latest.relative_to(HERE.parent)} and RESULTS.md")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
