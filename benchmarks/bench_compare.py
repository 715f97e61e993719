"""Compare mode against the same sides trained one after another headless (target ≥ 0.8×), and under load.

The course's comparison: sgd, adagrad, rmsprop and adam side by side on
Fashion-MNIST 784-100(relu)-10 (same-shape synthetic data without the files),
built by compare mode's own builder. Compare mode runs as in the app: a
:class:`~app.runner.ComparisonRun` on the app's runner, a comparison frame
asked for 5 times a second and drawn in the compare view. The baseline
trains fresh copies of the same sides one after another with
``TrainingSession.run`` (nothing captured). Both are measured alternately,
round by round, on the same number of samples; then compare mode again beside
a process doing BLAS work on the other core.

Usage: python benchmarks/bench_compare.py [--samples N] [--rounds R]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.common import (FASHION_DIR, Neighbour, load_average, median, paired_ratio,  # noqa: E402
                               print_table)


def _dataset(samples: int):
    from core.datasets import Dataset
    from settings.config import DataConfig

    path = Path(FASHION_DIR) / "train-images-idx3-ubyte.gz"
    if path.exists():
        config = DataConfig(source="file", path=str(path), validation_fraction=0.2, seed=42)
        data = config.load()
        keep = slice(0, samples)
        data = Dataset(data.x[keep], data.y[keep], task=data.task, class_names=data.class_names, name=data.name)
        return data, config, "Fashion-MNIST"
    import numpy as np

    rng = np.random.default_rng(0)
    data = Dataset(rng.random((samples, 784), dtype=np.float32), rng.integers(0, 10, samples), task="classification",
                   class_names=tuple(map(str, range(10))), name="synthetic")
    return data, DataConfig(validation_fraction=0.2, seed=42), "synthetic 784-d"


def _comparison(data, config):
    from settings.compare_setup import PRESETS, base_variant, build_comparison, side_labels
    from settings.config import ModelSpec, TrainConfig

    spec = ModelSpec.from_preset("fashion_784_100_10")
    train = TrainConfig(loss="sparse_categorical_crossentropy", optimizer="adam", batch_size=32, epochs=1, seed=0)
    variants = PRESETS["optimizers"][1](base_variant(spec, train))
    return build_comparison(data, config, spec, train, variants, side_labels(variants), 1)


def compare_mode(app, runner, view, data, config, *, neighbour: bool = False) -> float:
    """Seconds for compare mode to train every side one epoch, drawing its frames as the app does."""
    from PySide6.QtCore import QTimer

    from app.runner import ComparisonRun

    comparison = _comparison(data, config)
    job = ComparisonRun(comparison, runner.gate.wait)
    ended = []
    runner.finished.connect(lambda j, reason: ended.append(reason) if j is job else None)
    clock = QTimer()
    clock.setInterval(200)  # the frame clock's curves beat: compare frames 5 times a second

    def tick() -> None:
        job.want_frame()
        if job.latest is not None:
            with runner.gate.closed():
                view.render(job.latest)

    clock.timeout.connect(tick)
    runner.gate.enabled = False  # 784-100-10 is BLAS-bound: no paint gate (as app.threads.gil_bound says)
    with Neighbour() if neighbour else _Nothing():
        t0 = time.perf_counter()
        clock.start()
        runner.submit(job)
        while not ended:
            app.processEvents()
            time.sleep(0.002)
        seconds = time.perf_counter() - t0
    clock.stop()
    return seconds


def one_after_another(data, config) -> float:
    """Seconds to train the same sides headless, one after another (nothing captured)."""
    comparison = _comparison(data, config)
    t0 = time.perf_counter()
    for session in comparison.sessions:
        for _ in session.run(capture_every_seconds=None, capture_last=False):
            pass
    return time.perf_counter() - t0


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


def collect(samples: int = 15_000, rounds: int = 3) -> tuple[list, list[dict]]:
    from PySide6.QtWidgets import QApplication

    from app.runner import ThreadRunner
    from core.backend import set_num_threads
    from core.optimizers import fused
    from widgets.compare_view import CompareView

    app = QApplication.instance() or QApplication([])
    set_num_threads(1)
    fused.wait_ready(120)
    runner = ThreadRunner()
    view = CompareView()
    view.resize(1400, 800)
    view.show()
    data, config, source = _dataset(samples)
    compare_t, alone_t, loaded_t = [], [], []
    for _ in range(rounds):
        compare_t.append(compare_mode(app, runner, view, data, config))
        alone_t.append(one_after_another(data, config))
    for _ in range(2):
        loaded_t.append(compare_mode(app, runner, view, data, config, neighbour=True))
    quiet = median(compare_t)
    trained = 4 * int(samples * 0.8)
    ratio = paired_ratio(alone_t, compare_t)
    load_ratio = quiet / median(loaded_t)
    rows = [["the 4 sides one after another, headless (baseline)", f"{median(alone_t):.2f} s",
             f"{trained / median(alone_t):,.0f}", "—"],
            ["compare mode (frames at 5 Hz, drawn)", f"{quiet:.2f} s", f"{trained / quiet:,.0f}", f"{ratio:.2f}×"],
            ["compare mode beside a BLAS-busy process", f"{median(loaded_t):.2f} s",
             f"{trained / median(loaded_t):,.0f}", f"{load_ratio:.2f}× quiet compare mode"]]
    view.close()
    app.processEvents()
    records = [dict(name="compare mode vs the sides one after another", value=f"{trained / quiet:,.0f} samples/s",
                    ratio=ratio, target=0.8),
               dict(name="compare mode beside a BLAS-busy process", value="vs quiet compare mode", ratio=load_ratio,
                    target=0.8)]
    title = (f"Compare mode, sgd/adagrad/rmsprop/adam on {source} 784-100-10, one epoch of {int(samples * 0.8):,} "
             f"samples per side, {rounds} interleaved rounds (load average {load_average()})")
    return [title, rows], records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=15_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    (title, rows), _ = collect(args.samples, args.rounds)
    print_table(title, ["run", "time", "samples/s", "ratio"], rows)


if __name__ == "__main__":
    main()
