"""The stepper on 784-100(relu)-10, Adam, batch 32 (Fashion-MNIST when installed).

1. Run mode (``TrainingSession.run``, a full capture 30 times a second, history
   every step) against a bare NumPy loop and a bare PyTorch autograd loop.
2. Step mode: time per fully captured batch (``step_batch``) and per phase.
Targets: run mode ≥ 0.9× the NumPy loop and ≥ 2× the PyTorch loop; a captured batch < 5 ms.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.baselines import hand_numpy_epoch, torch_autograd_epoch  # noqa: E402
from benchmarks.common import best_of, fashion_like, print_table, timed  # noqa: E402

import numpy as np  # noqa: E402

BATCH = 32


def model_and_weights():
    import core

    rng = np.random.default_rng(0)
    w = [rng.normal(0, 0.05, (784, 100)).astype(np.float32), np.zeros(100, np.float32),
         rng.normal(0, 0.05, (100, 10)).astype(np.float32), np.zeros(10, np.float32)]
    model = core.Sequential([core.Input(shape=(784,)), core.layers.Dense(100, activation="relu"),
                             core.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  backend="numpy")
    model.set_weights(w)
    return model, w


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=16000)
    args = parser.parse_args()
    from core.stepper import TrainingSession

    x, y, source = fashion_like(args.samples)
    rows = []
    _, w = model_and_weights()
    t_numpy = best_of(lambda: timed(lambda: hand_numpy_epoch(x, y, BATCH, *[a.copy() for a in w])))
    figures = {"bare NumPy loop": t_numpy}

    def session_epoch(stats_every: int) -> float:
        model, _ = model_and_weights()
        session = TrainingSession(model, x, y, batch_size=BATCH, epochs=1, shuffle=False, seed=0,
                                  stats_every=stats_every)
        return timed(lambda: [None for _ in session.run(capture_every_seconds=1 / 30)])

    figures["Propscope run mode (history every step)"] = best_of(lambda: session_epoch(1))
    figures["Propscope run mode (default: layer stats every 5 steps)"] = best_of(lambda: session_epoch(5))
    try:
        import torch

        torch.set_num_threads(1)
        xt, yt = torch.from_numpy(x), torch.from_numpy(y)

        def bare() -> float:
            net = torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
            opt = torch.optim.Adam(net.parameters(), lr=0.001, eps=1e-7)
            return timed(lambda: torch_autograd_epoch(torch, xt, yt, BATCH, net, opt))

        figures["bare PyTorch autograd loop"] = best_of(bare)
    except ImportError:
        pass
    t_torch = figures.get("bare PyTorch autograd loop", float("nan"))
    for name, seconds in figures.items():
        rows.append([name, f"{len(x) / seconds:,.0f}", f"{t_numpy / seconds:.2f}×", f"{t_torch / seconds:.2f}×"])
    print_table(f"Run mode, 784-100-10 Adam, batch {BATCH}, {len(x):,} samples of {source}, 1 thread",
                ["loop", "samples/s", "vs NumPy loop", "vs PyTorch loop"], rows)

    model, _ = model_and_weights()
    session = TrainingSession(model, x, y, batch_size=BATCH, epochs=5, seed=0)
    for _ in range(20):
        session.step_batch()  # warm up
    per_batch = []
    for _ in range(200):
        t0 = time.perf_counter()
        session.step_batch()
        per_batch.append(time.perf_counter() - t0)
    phase_times: dict[str, list[float]] = {}
    for _ in range(50 * len(session.phases)):
        label = session.next_phase[0] + ("" if session.next_phase[1] is None else f" {session.next_phase[1]}")
        t0 = time.perf_counter()
        session.step_phase()
        phase_times.setdefault(label, []).append(time.perf_counter() - t0)
    rows = [["fully captured batch (step_batch)", f"{np.median(per_batch) * 1e3:.2f} ms",
             f"{np.percentile(per_batch, 95) * 1e3:.2f} ms"]]
    for label, times in phase_times.items():
        rows.append([f"phase: {label}", f"{np.median(times) * 1e3:.2f} ms", f"{np.percentile(times, 95) * 1e3:.2f} ms"])
    print_table("Step mode, 784-100-10, batch 32 (target: captured batch < 5 ms)", ["what", "median", "p95"], rows)


def collect() -> tuple[list, list[dict]]:
    """Step mode only (run mode is in bench_training): time per fully captured batch and per phase."""
    from core.stepper import TrainingSession

    x, y, _ = fashion_like(16000)
    model, _ = model_and_weights()
    session = TrainingSession(model, x, y, batch_size=BATCH, epochs=5, seed=0)
    for _ in range(20):
        session.step_batch()
    per_batch = []
    for _ in range(200):
        t0 = time.perf_counter()
        session.step_batch()
        per_batch.append(time.perf_counter() - t0)
    med = float(np.median(per_batch)) * 1e3
    rows = [["fully captured batch (step_batch)", f"{med:.2f} ms", f"{np.percentile(per_batch, 95) * 1e3:.2f} ms"]]
    return ["Step mode, 784-100-10, batch 32", rows], [
        dict(name="fully captured batch, 784-100-10, batch 32", value=f"{med:.2f} ms", ratio=med, target=5.0,
             lower_is_better=True)]


if __name__ == "__main__":
    main()
