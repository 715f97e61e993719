"""Training throughput, 784-100(relu)-10, Adam, batch 32/128/1024, Fashion-MNIST (or same-shape data).

Propscope's run mode (``TrainingSession.run``, snapshots 30 times a second,
default history) on each backend, against a hand-written NumPy loop, a bare
PyTorch autograd loop and Keras 3 ``fit`` (torch backend, when installed), all
measured in this run; plus effective GFLOP/s against a single-thread matmul
roofline measured here too.

Usage: python benchmarks/bench_training.py [--samples N] [--batches 32,128,1024] [--rounds 7]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.baselines import hand_numpy_epoch, torch_autograd_epoch  # noqa: E402
from benchmarks.common import (best_of, fashion_like, interleaved, load_average, median,  # noqa: E402
                               paired_ratio, print_table, timed)

import numpy as np  # noqa: E402

# Training FLOPs per sample: forward 2·(784·100 + 100·10); backward ∂L/∂W for both layers
# (2·784·100 + 2·100·10) and ∂L/∂x of the second layer only (2·100·10).
FLOPS_PER_SAMPLE = 2 * (784 * 100 + 100 * 10) + 2 * (784 * 100 + 100 * 10) + 2 * 100 * 10


def weights(seed: int = 0):
    rng = np.random.default_rng(seed)
    return [rng.normal(0, 0.05, (784, 100)).astype(np.float32), np.zeros(100, np.float32),
            rng.normal(0, 0.05, (100, 10)).astype(np.float32), np.zeros(10, np.float32)]


def roofline_gflops() -> float:
    """Single-thread sgemm speed on the shapes of the first layer at batch 1024."""
    rng = np.random.default_rng(0)
    a = rng.random((1024, 784), dtype=np.float32)
    b = rng.random((784, 100), dtype=np.float32)
    t = best_of(lambda: timed(lambda: [a @ b for _ in range(20)]), 5)
    return 20 * 2 * 1024 * 784 * 100 / t / 1e9


def propscope_run(x, y, batch: int, backend: str) -> float:
    import core
    from core.stepper import TrainingSession

    model = core.Sequential([core.Input(shape=(784,)), core.layers.Dense(100, activation="relu"),
                             core.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  backend=backend, device="cpu")
    model.set_weights(weights())
    session = TrainingSession(model, x, y, batch_size=batch, epochs=1, shuffle=False, seed=0)
    return timed(lambda: [None for _ in session.run(capture_every_seconds=1 / 30)])


def keras_fit(x, y, batch: int) -> float | None:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    try:
        import keras
    except Exception:
        return None
    model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(100, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(epsilon=1e-7), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x[:batch * 4], y[:batch * 4], batch_size=batch, epochs=1, verbose=0, shuffle=False)  # warm up
    return timed(lambda: model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False))


def _torch_loop(torch, x, y, batch: int):
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def bare() -> float:
        net = torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
        opt = torch.optim.Adam(net.parameters(), lr=0.001, eps=1e-7)
        return timed(lambda: torch_autograd_epoch(torch, xt, yt, batch, net, opt))
    return bare


def collect(samples: int | None = None, batches=(32, 128, 1024), rounds: int = 3) -> tuple[list[list[str]], list[dict]]:
    """Detailed rows, and summary records for run_all (figure, baseline, ratio, target).

    Every loop runs once per round, in turn, on the same samples; ratios are
    medians over rounds of each round's pair (see ``benchmarks.common.interleaved``).
    """
    from core.optimizers import fused

    fused.wait_ready(120)  # the compiled update, as a run that has been going for a second has it
    x_all, y_all, source = fashion_like(60000)
    rows, records = [], []
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        torch = None
    for batch in batches:
        n = samples or len(x_all)  # a whole epoch per round: a run's fixed costs weigh as in a real epoch
        x, y = x_all[:n], y_all[:n]
        measures = {"hand NumPy loop": lambda b=batch, x=x, y=y: timed(
            lambda: hand_numpy_epoch(x, y, b, *[a.copy() for a in weights()])),
            "Propscope run mode (numpy)": lambda b=batch, x=x, y=y: propscope_run(x, y, b, "numpy")}
        if torch is not None:
            measures["Propscope run mode (torch)"] = lambda b=batch, x=x, y=y: propscope_run(x, y, b, "torch")
            measures["bare PyTorch autograd loop"] = _torch_loop(torch, x, y, batch)
        measures["matmul roofline"] = lambda: 1.0 / roofline_gflops()  # seconds per GFLOP
        t = interleaved(measures, rounds)
        roof = 1.0 / median(t.pop("matmul roofline"))
        k = keras_fit(x, y, batch)
        if k is not None:
            t["Keras 3 fit (torch backend)"] = [k] * rounds
        hand, torch_t = t["hand NumPy loop"], t.get("bare PyTorch autograd loop")
        for name, seconds in t.items():
            rate = n / median(seconds)
            gflops = rate * FLOPS_PER_SAMPLE / 1e9
            rows.append([str(batch), name, f"{rate:,.0f}", f"{gflops:.2f}", f"{gflops / roof:.0%}",
                         f"{paired_ratio(hand, seconds):.2f}×",
                         f"{paired_ratio(torch_t, seconds):.2f}×" if torch_t else "—"])
        ours = t["Propscope run mode (numpy)"]
        rate = n / median(ours)
        if batch == 32:
            records.append(dict(name="run mode vs hand NumPy loop, batch 32", value=f"{rate:,.0f}/s",
                                ratio=paired_ratio(hand, ours), target=0.95))
            if torch_t:
                records.append(dict(name="run mode vs bare PyTorch, batch 32", value=f"{rate:,.0f}/s",
                                    ratio=paired_ratio(torch_t, ours), target=1.5))
            if "Keras 3 fit (torch backend)" in t:
                records.append(dict(name="run mode vs Keras 3 fit, batch 32", value=f"{rate:,.0f}/s",
                                    ratio=paired_ratio(t["Keras 3 fit (torch backend)"], ours), target=6.0))
        if batch == 1024:
            gflops = rate * FLOPS_PER_SAMPLE / 1e9
            records.append(dict(name="run mode share of matmul roofline, batch 1024",
                                value=f"{gflops:.1f} of {roof:.1f} GFLOP/s", ratio=gflops / roof, target=0.7))
    title = (f"Training throughput, 784-100-10 Adam, {source}, 1 thread, median of {rounds} interleaved rounds "
             f"(load average {load_average()})")
    return [title, rows], records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=None, help="samples per round (default: all 60,000)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batches", default="32,128,1024")
    args = parser.parse_args()
    (title, rows), _ = collect(args.samples, tuple(int(b) for b in args.batches.split(",")), args.rounds)
    print_table(title, ["batch", "loop", "samples/s", "GFLOP/s", "of roofline", "vs hand NumPy", "vs PyTorch"], rows)


if __name__ == "__main__":
    main()
