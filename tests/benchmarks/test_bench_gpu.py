"""benchmarks/bench_gpu.py where there is no GPU: it says so and exits 0; its checks work on the CPU."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import bench_gpu  # noqa: E402


def test_without_cuda_one_line_and_exit_0():
    if bench_gpu.cuda_device("cuda") is not None:  # pragma: no cover - a machine with a GPU runs it for real
        return
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_gpu.py")], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.strip().splitlines()) == 1 and "no CUDA" in out.stdout


def test_weight_comparison_tolerates_rounding_and_nothing_more():
    rng = np.random.default_rng(1)
    cpu = [rng.normal(0, 0.1, (50, 20)).astype(np.float32), np.zeros(20, np.float32)]
    assert bench_gpu.compare_weights([w.copy() for w in cpu], cpu)[0]
    rounded = [w + np.float32(1e-6) * np.sign(w) for w in cpu]
    assert bench_gpu.compare_weights(rounded, cpu)[0]
    wrong = [w.copy() for w in cpu]
    wrong[0][3, 4] += 0.05
    ok, worst = bench_gpu.compare_weights(wrong, cpu)
    assert not ok and worst > 0.05 / float(np.max(np.abs(cpu[0]))) * 0.99


def test_torch_on_the_cpu_matches_numpy_after_the_check_steps(torch_module):
    """The script's own check, with torch's CPU device standing in for the GPU (a few steps of a small net)."""
    x = np.random.default_rng(0).random((256, 784), dtype=np.float32)
    y = np.random.default_rng(1).integers(0, 10, 256)
    torch_w = bench_gpu.weights_after(x, y, (16,), "torch", "cpu", steps=20)
    numpy_w = bench_gpu.weights_after(x, y, (16,), "numpy", "cpu", steps=20)
    ok, worst = bench_gpu.compare_weights(torch_w, numpy_w)
    assert ok, worst
    assert any(not np.array_equal(w, w0) for w, w0 in zip(numpy_w, bench_gpu.initial_weights((16,))))  # it trained
