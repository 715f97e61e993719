"""The hostile-input corpus: hundreds of generated data, session and model files, each refused with its
specific error, in child processes under a memory cap and a per-case time limit.

A regression that lets an exception escape, accepts a corrupt file, changes
prior state, hangs or exhausts memory fails here (naming the case) instead of
hanging or crashing the test run.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.child import HEADROOM_BYTES, all_cases

ROOT = Path(__file__).resolve().parents[2]
#: Each case must finish within this (generous: CI machines are shared).
SECONDS_PER_CASE = 20
#: Cases per child process: enough to amortize start-up (a crash still names its case: see ``START``).
BATCH = 150

CASES = all_cases()
NAMES = sorted(CASES)
BATCHES = [NAMES[i:i + BATCH] for i in range(0, len(NAMES), BATCH)]


def test_the_corpus_covers_every_category():
    counts = collections.Counter(case.category for case in CASES.values())
    assert sum(counts.values()) >= 300
    assert counts["dataset"] >= 150 and counts["session"] >= 100 and counts["model"] >= 50
    opened_by_the_model_loader = [c for c in CASES.values() if c.opener == "model"]
    assert len(opened_by_the_model_loader) >= 50
    kinds = {name.split("/")[1] for name in NAMES}
    for kind in ("fifo", "dev-zero", "csv", "npz", "npy", "idx", "images", "container", "json", "model.json",
                 "compile.json", "session.json", "weights", "optimizer", "history", "data", "data-ref", "h5", "keras",
                 "legacy-h5"):
        assert kind in kinds, kind
    assert len({c.expect for c in CASES.values()}) >= 15  # specific errors, not one catch-all


def start_batch(names: list[str]) -> subprocess.Popen:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PROPSCOPE_BACKEND="numpy", PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "tests.hostile.child", str(SECONDS_PER_CASE), *names],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def collect(proc: subprocess.Popen, names: list[str]) -> tuple[dict, dict, list[str]]:
    try:
        output, errors = proc.communicate(timeout=120 + SECONDS_PER_CASE * len(names))
        code = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        output, errors = proc.communicate()
        code = "killed after the time limit"
    results, info, started = {}, {}, None
    for line in output.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "START":
            started = rest
        elif kind == "RESULT":
            result = json.loads(rest)
            results[result["name"]] = result
        elif kind in ("CAP", "MAXRSS", "CONTINUES"):
            info[kind] = json.loads(rest)
    missing = [n for n in names if n not in results]
    if missing:
        info["died"] = f"exit {code} in case {started!r}; stderr: {errors[-1500:]}"
    return results, info, missing


@pytest.fixture(scope="module")
def outcomes():
    """Every batch's child, run at the same time (one core each), then collected."""
    procs = [start_batch(names) for names in BATCHES]
    return [collect(proc, names) for proc, names in zip(procs, BATCHES)]


@pytest.mark.parametrize("batch", range(len(BATCHES)), ids=lambda i: f"{BATCHES[i][0]}..")
def test_hostile_files_are_refused_with_their_specific_error(outcomes, batch):
    names = BATCHES[batch]
    results, info, missing = outcomes[batch]
    assert not missing, f"the child died or hung ({info.get('died')}); cases without a result: {missing[:5]}"
    failures = [f"{name}: {results[name]['why']}" for name in names if not results[name]["ok"]]
    assert not failures, "\n".join(failures)
    assert info.get("CONTINUES") is True, "the reference session no longer continues exactly"
    assert info["MAXRSS"] < info["CAP"], "memory use reached the cap"
    assert info["CAP"] > HEADROOM_BYTES
