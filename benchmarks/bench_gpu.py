"""Run mode on a CUDA GPU against the CPU, and the GPU's weights against the CPU's.

For 784-100-10 and 784-1024-1024-10 (ReLU, softmax, Adam) at batch 32 and
1024: samples/s of Propscope's run mode (``TrainingSession.run``, a snapshot
30 times a second, float32) with the torch backend on the GPU, and the same
run on the CPU (the NumPy backend, one thread: what "auto" picks there) in
the same run, interleaved round by round; the ratio is GPU over CPU (target
≥ 5× at batch 1024 for 784-1024-1024-10). Then both train 100 steps from the
same weights on the same batches and their weights are compared within
float32 tolerance (the two backends round differently: each element within
1e-3 of itself plus 1e-3 of its layer's largest weight).

Without CUDA (no torch, or no GPU) it prints one line saying so and exits 0.
``--device cpu`` runs everything with torch on the CPU instead of the GPU
(to check this script where there is no GPU).

Usage: python benchmarks/bench_gpu.py [--device cuda|cuda:N|cpu] [--rounds R]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import fashion_like, interleaved, median, paired_ratio, print_table  # noqa: E402

import numpy as np  # noqa: E402

NETWORKS = ((100,), (1024, 1024))
BATCHES = (32, 1024)
CHECK_STEPS = 100


def cuda_device(requested: str) -> str | None:
    """The device to run on, or None when CUDA is not available here (the caller says so and stops)."""
    if requested == "cpu":
        return "cpu"
    try:
        import torch
    except ImportError:
        return None
    try:
        ok = torch.cuda.is_available() and torch.cuda.device_count() > 0
    except Exception:  # noqa: BLE001 — a broken driver is "no CUDA" too
        ok = False
    return requested if ok else None


def build(hidden: tuple[int, ...], backend: str, device: str, weights=None):
    import core

    core.backend.clear_session()
    model = core.Sequential([core.Input(shape=(784,))] + [core.layers.Dense(u, activation="relu") for u in hidden]
                            + [core.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"], backend=backend,
                  device=device)
    if weights is not None:
        model.set_weights(weights)
    return model


def initial_weights(hidden: tuple[int, ...]) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    sizes = (784, *hidden, 10)
    out = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        out += [rng.normal(0, np.sqrt(2 / fan_in), (fan_in, fan_out)).astype(np.float32),
                np.zeros(fan_out, np.float32)]
    return out


def run_seconds(x, y, hidden, batch: int, backend: str, device: str) -> float:
    from core.stepper import TrainingSession

    model = build(hidden, backend, device, initial_weights(hidden))
    session = TrainingSession(model, x, y, batch_size=batch, epochs=1, shuffle=True, seed=0)
    for _ in session.run(max_steps=3, capture_every_seconds=None):  # warm-up: kernels, allocator
        pass
    _sync(device)
    t0 = time.perf_counter()
    for _ in session.run(capture_every_seconds=1 / 30):
        pass
    _sync(device)
    return (time.perf_counter() - t0) / ((session.step - 3) * batch) * len(x)


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()


def weights_after(x, y, hidden, backend: str, device: str, steps: int = CHECK_STEPS) -> list[np.ndarray]:
    from core.stepper import TrainingSession

    model = build(hidden, backend, device, initial_weights(hidden))
    session = TrainingSession(model, x, y, batch_size=32, epochs=1, shuffle=True, seed=0)
    for _ in session.run(max_steps=steps, capture_every_seconds=None):
        pass
    return [np.asarray(w, dtype=np.float32) for w in model.get_weights()]


def compare_weights(gpu: list[np.ndarray], cpu: list[np.ndarray]) -> tuple[bool, float]:
    """Within float32 tolerance: every element within 1e-3 × |cpu| + 1e-3 × the layer's largest |weight|
    (Adam divides by √v: where a gradient is nearly zero, rounding differences grow to ~1e-5 of the weights)."""
    worst = 0.0
    ok = True
    for g, c in zip(gpu, cpu):
        scale = float(np.max(np.abs(c))) or 1.0
        diff = np.abs(g.astype(np.float64) - c)
        worst = max(worst, float(np.max(diff)) / scale)
        ok &= bool(np.all(diff <= 1e-3 * np.abs(c) + 1e-3 * scale))
    return ok, worst


def collect(device: str = "cuda", rounds: int = 3) -> tuple[list, list[dict]]:
    found = cuda_device(device)
    if found is None:
        return [f"GPU: no CUDA device here (torch {_torch_version()})", [["—", "—", "—", "—", "—"]]], []
    import torch

    from core.backend import set_num_threads

    set_num_threads(1)
    name = torch.cuda.get_device_name(found) if found.startswith("cuda") else "torch on the CPU (--device cpu)"
    x_all, y_all, source = fashion_like(60000)
    rows, records = [], []
    for hidden in NETWORKS:
        net = "784-" + "-".join(map(str, hidden)) + "-10"
        for batch in BATCHES:
            n = 8_192 if batch == 32 and hidden[0] > 100 else 16_384 if batch == 32 else 32_768
            x, y = x_all[:n], y_all[:n]
            t = interleaved({"gpu": lambda x=x, y=y, b=batch, h=hidden: run_seconds(x, y, h, b, "torch", found),
                             "cpu": lambda x=x, y=y, b=batch, h=hidden: run_seconds(x, y, h, b, "numpy", "cpu")},
                            rounds)
            ratio = paired_ratio(t["cpu"], t["gpu"])
            rows.append([net, str(batch), f"{n / median(t['gpu']):,.0f}", f"{n / median(t['cpu']):,.0f}",
                         f"{ratio:.2f}×"])
            target = 5.0 if batch == 1024 and hidden == (1024, 1024) else None
            records.append(dict(name=f"GPU run mode vs CPU, {net}, batch {batch}",
                                value=f"{n / median(t['gpu']):,.0f}/s on {name}", ratio=ratio, target=target))
        ok, worst = compare_weights(weights_after(x_all[:4096], y_all[:4096], hidden, "torch", found),
                                    weights_after(x_all[:4096], y_all[:4096], hidden, "numpy", "cpu"))
        rows.append([net, f"weights after {CHECK_STEPS} steps", "—", "—",
                     f"{'match' if ok else 'DIFFER'} (largest difference {worst:.1e} of the largest weight)"])
        records.append(dict(name=f"GPU weights = CPU weights after {CHECK_STEPS} steps, {net}",
                            value="within float32 tolerance" if ok else f"differ by {worst:.1e}",
                            ratio=1.0 if ok else 0.0, target=1.0))
    return [f"Run mode on {name} against the CPU ({source}, float32)", rows], records


def _torch_version() -> str:
    try:
        import torch

        return torch.__version__
    except ImportError:
        return "not installed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cuda", help="cuda, cuda:N, or cpu (torch on the CPU: a dry run)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if cuda_device(args.device) is None:
        print(f"bench_gpu: no CUDA device available here (torch {_torch_version()}); nothing to measure.")
        return 0
    (title, rows), records = collect(args.device, args.rounds)
    print_table(title, ["network", "batch", "GPU samples/s", "CPU samples/s", "GPU / CPU"], rows)
    return 0 if all(r["ratio"] >= 1.0 for r in records if "weights" in r["name"]) else 1


if __name__ == "__main__":
    sys.exit(main())
