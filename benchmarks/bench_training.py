"""Training throughput, 784-100(relu)-10, Adam: Propscope on each backend against
a hand-written NumPy loop and a bare PyTorch autograd loop, measured in the same run.

Usage: python benchmarks/bench_training.py [--samples N] [--batches 32,128,1024]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.baselines import hand_numpy_epoch, torch_autograd_epoch  # noqa: E402
from benchmarks.common import best_of, fashion_like, print_table, timed  # noqa: E402

import numpy as np  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=12000)
    parser.add_argument("--batches", default="32,128,1024")
    args = parser.parse_args()
    import core

    x, y, source = fashion_like(args.samples)
    rows = []
    for batch in [int(b) for b in args.batches.split(",")]:
        rng = np.random.default_rng(0)
        w = [rng.normal(0, 0.05, (784, 100)).astype(np.float32), np.zeros(100, np.float32),
             rng.normal(0, 0.05, (100, 10)).astype(np.float32), np.zeros(10, np.float32)]
        t_hand = best_of(lambda w=w, batch=batch: timed(
            lambda: hand_numpy_epoch(x, y, batch, *[a.copy() for a in w])))
        figures = {"hand NumPy loop": t_hand}

        def ours(backend, w=w, batch=batch):
            model = core.Sequential([core.Input(shape=(784,)), core.layers.Dense(100, activation="relu"),
                                     core.layers.Dense(10, activation="softmax")])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", backend=backend, device="cpu")
            model.set_weights(w)
            return timed(lambda: model.fit(x, y, batch_size=batch, epochs=1, shuffle=False, verbose=0))

        figures["Propscope numpy"] = best_of(lambda: ours("numpy"))
        try:
            import torch

            torch.set_num_threads(1)
            figures["Propscope torch"] = best_of(lambda: ours("torch"))
            xt, yt = torch.from_numpy(x), torch.from_numpy(y)

            def bare(xt=xt, yt=yt, batch=batch):
                model = torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
                opt = torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-7)
                return timed(lambda: torch_autograd_epoch(torch, xt, yt, batch, model, opt))

            figures["bare PyTorch autograd"] = best_of(bare)
        except ImportError:
            pass
        for name, seconds in figures.items():
            rows.append([str(batch), name, f"{len(x) / seconds:,.0f}", f"{t_hand / seconds:.2f}×",
                         f"{figures.get('bare PyTorch autograd', float('nan')) / seconds:.2f}×"])
    print_table(f"Training throughput, 784-100-10 Adam, {len(x)} samples of {source}, 1 thread",
                ["batch", "loop", "samples/s", "vs hand NumPy", "vs bare PyTorch"], rows)


if __name__ == "__main__":
    main()
