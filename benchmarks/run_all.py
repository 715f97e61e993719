"""Every benchmark in one command, one table: each figure with its same-run baseline and target.

Usage: python benchmarks/run_all.py [PART ...]     (about 10 minutes on the 2-core machine)
The detailed tables of each part follow the summary. Every figure is measured
against its baseline in the same run, interleaved round by round where the
machine's load could tell them apart; the load average is printed with each part.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# Compute benchmarks run with one BLAS thread, as training does; the UI ones as the app runs
# (Qt's and pyqtgraph's drawing is 2-3x slower when those libraries are held to one thread).
ONE_THREAD = {"bench_datasets", "bench_training", "bench_stepper", "bench_memory", "bench_open_model", "bench_gpu"}

from benchmarks.common import print_table  # noqa: E402

PARTS = ["bench_datasets", "bench_open_model", "bench_training", "bench_stepper", "bench_memory", "bench_startup",
         "bench_views", "bench_big", "bench_ui", "bench_compare", "bench_pause", "bench_cli", "bench_exports",
         "bench_exit", "bench_gpu"]


def verdict(record: dict) -> str:
    target = record.get("target")
    if target is None:
        return "—"
    ok = record["ratio"] <= target if record.get("lower_is_better") else record["ratio"] >= target
    return "met" if ok else "MISSED"


RUNNER = """
import json, sys
sys.path.insert(0, {root!r})
import benchmarks.{part} as part
table, records = part.collect()
print("@@RESULT@@" + json.dumps({{"table": table, "records": records}}))
"""


def run_part(part: str) -> tuple[list, list[dict]]:
    """One part in a fresh process, so no part's imports or memory disturb another's figures."""
    import json
    import subprocess

    root = str(Path(__file__).resolve().parents[1])
    env = dict(os.environ)
    for var in THREAD_VARS:
        if part in ONE_THREAD:
            env[var] = "1"
        else:
            env.pop(var, None)
    out = subprocess.run([sys.executable, "-c", RUNNER.format(root=root, part=part)], capture_output=True,
                         text=True, cwd=root, env=env)
    for line in out.stdout.splitlines():
        if line.startswith("@@RESULT@@"):
            result = json.loads(line[len("@@RESULT@@"):])
            return result["table"], result["records"]
    raise RuntimeError(f"{part} failed:\n{out.stderr[-2000:]}")


def main() -> None:
    from benchmarks.common import load_average

    started = time.perf_counter()
    load_before = load_average()
    summary, details = [], []
    for part in sys.argv[1:] or PARTS:
        t0 = time.perf_counter()
        table, records = run_part(part)
        details.append((table, time.perf_counter() - t0))
        for r in records:
            target = r.get("target")
            if target is None:
                target_text, ratio_text = "—", f"{r['ratio']:.2f}× baseline"
            elif r.get("lower_is_better"):
                target_text, ratio_text = f"≤ {target:g}", f"{r['ratio']:.3g}"
            else:
                target_text, ratio_text = f"≥ {target:g}" + ("×" if target < 10 else ""), f"{r['ratio']:.2f}"
            summary.append([r["name"], r["value"], ratio_text, target_text, verdict(r)])
    print_table(f"Propscope benchmarks (total {time.perf_counter() - started:.0f} s; load average at the start "
                f"{load_before}, at the end {load_average()})",
                ["measure", "figure", "ratio / value", "target", "verdict"], summary)
    for (title, rows), seconds in details:
        print(f"\n### {title} ({seconds:.0f} s)\n")
        for row in rows:
            print("| " + " | ".join(str(c) for c in row) + " |")


if __name__ == "__main__":
    main()
