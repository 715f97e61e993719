"""Shared helpers for the benchmarks: timing, thread limits, data, table printing."""

from __future__ import annotations

import os
import tempfile
import time
from typing import Callable

# One compute thread, as the app defaults to: set before NumPy loads BLAS.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

# The benchmarks' windows keep their settings apart from the user's. QSettings("Propscope", "Propscope") is the
# native format, which lives under $XDG_CONFIG_HOME (~/.config): a window closed on the offscreen screen left
# its dock layout there for the user's next start. One folder for a run and every process it starts.
if "PROPSCOPE_BENCH_CONFIG" not in os.environ:
    os.environ["PROPSCOPE_BENCH_CONFIG"] = tempfile.mkdtemp(prefix="propscope-bench-config-")
os.environ["XDG_CONFIG_HOME"] = os.environ["PROPSCOPE_BENCH_CONFIG"]

import numpy as np  # noqa: E402

FASHION_DIR = "/usr/share/datasets/fashion-mnist"


def fashion_like(n: int = 60000, seed: int = 0) -> tuple[np.ndarray, np.ndarray, str]:
    """Fashion-MNIST training set flattened and scaled, or same-shape synthetic data."""
    try:
        from core.datasets import load_idx_pair  # available once the datasets module exists

        x, y = load_idx_pair(os.path.join(FASHION_DIR, "train-images-idx3-ubyte.gz"))
        return (x.reshape(len(x), -1).astype(np.float32) / 255.0)[:n], y[:n].astype(np.int64), "Fashion-MNIST"
    except Exception:
        rng = np.random.default_rng(seed)
        return rng.random((n, 784), dtype=np.float32), rng.integers(0, 10, n), "synthetic 784-d"


def best_of(fn: Callable[[], float], repeats: int = 3) -> float:
    """Run ``fn`` (which returns the seconds it measured) and keep the best."""
    return min(fn() for _ in range(repeats))


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    print(f"\n## {title}\n")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")


def interleaved(measures: dict[str, Callable[[], float]], rounds: int = 5) -> dict[str, list[float]]:
    """Run every measure once per round, in turn, ``rounds`` times: ``{name: [seconds per round]}``.

    On a shared machine the load changes from second to second; measuring a
    figure and its baseline alternately, and comparing them round by round
    (:func:`paired_ratio`), cancels most of that.
    """
    out: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(rounds):
        for name, measure in measures.items():
            out[name].append(measure())
    return out


def paired_ratio(baseline: list[float], figure: list[float]) -> float:
    """Median over rounds of baseline time / figure time (above 1: the figure is faster)."""
    return float(np.median([b / f for b, f in zip(baseline, figure)]))


def median(values: list[float]) -> float:
    return float(np.median(values))


NEIGHBOUR = "import numpy as np\na = np.random.rand(1000, 1000)\nwhile True:\n    a = a @ a / 1000\n"


class Neighbour:
    """Another process doing BLAS work on one thread (the machine's other core) while inside the block."""

    def __enter__(self) -> "Neighbour":
        import subprocess
        import sys

        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        self.process = subprocess.Popen([sys.executable, "-c", NEIGHBOUR], env=env)
        time.sleep(0.3)
        return self

    def __exit__(self, *exc) -> None:
        self.process.kill()
        self.process.wait()


def load_average() -> str:
    try:
        return ", ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "n/a"
