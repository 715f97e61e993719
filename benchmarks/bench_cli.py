"""``propscope train`` on a quiet machine and beside a BLAS-busy neighbour process (target ≥ 0.8× its quiet speed).

The CLI trains on one compute thread, as the window does (``settings.runtime``);
left at BLAS's default threads, one Fashion-MNIST epoch took 43–51 s beside
other work (1.6 s quiet). Each figure is the median of a few runs of the
command in a fresh process: Fashion-MNIST 784-100-10, one epoch (same-shape
synthetic data without the files). The neighbour multiplies 1000 × 1000
matrices on one BLAS thread (the machine's other core) for as long as the command runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.common import FASHION_DIR, print_table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3
NEIGHBOUR = "import numpy as np\na = np.random.rand(1000, 1000)\nwhile True:\n    a = a @ a / 1000\n"


def _env() -> dict:
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(var, None)  # as a user's shell has them: the CLI must set its own
    return env


# The command as it ran before it set its threads: BLAS left at its default.
DEFAULT_THREADS = ("import sys, settings.runtime as r, app.cli as c\n"
                   "r.use_training_threads = c.use_training_threads = lambda: 0\n"
                   "from app.main import main\nsys.exit(main(sys.argv[1:]))\n")


def _train_seconds(data: str, default_threads: bool = False) -> float:
    args = ["train", "--data", data, "--model", "fashion_784_100_10", "--epochs", "1", "--validation", "0.2"]
    command = [sys.executable, "-c", DEFAULT_THREADS, *args] if default_threads else \
        [sys.executable, "-m", "app.main", *args]
    t0 = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=_env(), check=True, capture_output=True)
    return time.perf_counter() - t0


def collect() -> tuple[list, list[dict]]:
    fashion = Path(FASHION_DIR) / "train-images-idx3-ubyte.gz"
    data, source = (str(fashion), "Fashion-MNIST") if fashion.exists() else ("builtin:spiral", "spiral (no files)")
    quiet = float(np.median([_train_seconds(data) for _ in range(RUNS)]))
    neighbour = subprocess.Popen([sys.executable, "-c", NEIGHBOUR], env={**_env(), "OPENBLAS_NUM_THREADS": "1",
                                                                          "OMP_NUM_THREADS": "1"})
    try:
        time.sleep(0.5)
        busy = float(np.median([_train_seconds(data) for _ in range(RUNS)]))
        before = float(np.median([_train_seconds(data, default_threads=True) for _ in range(RUNS)]))
    finally:
        neighbour.kill()
        neighbour.wait()
    ratio = quiet / busy
    rows = [["quiet machine (baseline)", f"{quiet:.2f} s", "—"],
            ["beside a BLAS-busy neighbour", f"{busy:.2f} s", f"{ratio:.2f}× the quiet speed"],
            ["the same at BLAS's default threads (as before)", f"{before:.2f} s", f"{quiet / before:.2f}×"]]
    records = [dict(name="propscope train beside a BLAS-busy process", value=f"{busy:.2f} s (quiet {quiet:.2f} s)",
                    ratio=ratio, target=0.8)]
    return [f"propscope train, {source}, one epoch (whole command, median of {RUNS})", rows], records


def main() -> None:
    (title, rows), _ = collect()
    print_table(title, ["machine", "time", "speed"], rows)


if __name__ == "__main__":
    main()
