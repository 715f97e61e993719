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


FIT = """
import sys, time, json
import numpy as np
from settings.runtime import use_training_threads
use_training_threads()
from settings.build import build_session
from settings.config import TrainConfig
from app.cli import parse_data, parse_model
from app.main import build_parser
from core.presets import PRESETS
args = build_parser().parse_args(["train", *sys.argv[1:]])
data_config = parse_data(args.data, args)
data = data_config.load()
spec = parse_model(args.model)
spec = spec.fitted_to(data, args.loss) if args.model not in PRESETS else spec
train = TrainConfig(loss=args.loss, optimizer=args.optimizer, batch_size=args.batch_size, epochs=args.epochs,
                    seed=args.seed)
built = build_session(data, data_config, spec, train)   # the very model and data the command trains
s = built.session
x, y = s.engine.ops.to_numpy(s.xs), s.engine.ops.to_numpy(s.y_metric)
t0 = time.perf_counter()
built.model.fit(x, y, batch_size=args.batch_size, epochs=args.epochs, validation_data=s.validation_data,
                shuffle=True, verbose=0)
print(json.dumps({"seconds": time.perf_counter() - t0, "samples": len(x) * args.epochs}))
"""


def _fit_seconds(args: list[str]) -> tuple[float, int]:
    import json

    out = subprocess.run([sys.executable, "-c", FIT, *args], cwd=ROOT, env=_env(), check=True, capture_output=True,
                         text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["seconds"], result["samples"]


def _cli_seconds(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app.main", "train", *args], cwd=ROOT, env=_env(), check=True,
                   capture_output=True)
    return time.perf_counter() - t0


def cli_against_fit(data: str, loss: str, model: str, extra: tuple[str, ...] = ()) -> tuple[float, float]:
    """Samples/s of ``propscope train`` (its training: a 3-epoch run less a 1-epoch run, so start-up and
    loading cancel) and of ``Model.fit`` on the same model, data and settings."""
    base = ["--data", data, "--model", model, "--loss", loss, "--validation", "0.2", *extra]
    cli_t, fit_t = [], []
    samples = 0
    for _ in range(RUNS):  # interleaved
        long, short = _cli_seconds(base + ["--epochs", "3"]), _cli_seconds(base + ["--epochs", "1"])
        cli_t.append(long - short)
        seconds, samples = _fit_seconds(base + ["--epochs", "2"])
        fit_t.append(seconds)
    return samples / float(np.median(cli_t)), samples / float(np.median(fit_t))


def collect() -> tuple[list, list[dict]]:
    from benchmarks.common import Neighbour, load_average

    fashion = Path(FASHION_DIR) / "train-images-idx3-ubyte.gz"
    data, source = (str(fashion), "Fashion-MNIST") if fashion.exists() else ("builtin:spiral", "spiral (no files)")
    quiet_t, busy_t, before_t = [], [], []
    for _ in range(RUNS):  # interleaved: quiet, then beside the neighbour
        quiet_t.append(_train_seconds(data))
        with Neighbour():
            busy_t.append(_train_seconds(data))
            before_t.append(_train_seconds(data, default_threads=True))
    quiet, busy, before = (float(np.median(t)) for t in (quiet_t, busy_t, before_t))
    ratio = float(np.median([q / b for q, b in zip(quiet_t, busy_t)]))
    rows = [["quiet machine (baseline)", f"{quiet:.2f} s", "—"],
            ["beside a BLAS-busy neighbour", f"{busy:.2f} s", f"{ratio:.2f}× the quiet speed"],
            ["the same at BLAS's default threads (as before)", f"{before:.2f} s", f"{quiet / before:.2f}×"]]
    records = [dict(name="propscope train beside a BLAS-busy process", value=f"{busy:.2f} s (quiet {quiet:.2f} s)",
                    ratio=ratio, target=0.8)]
    # fit beside the neighbour, and the command against fit for every loss.
    fit_args = ["--data", data, "--model", "fashion_784_100_10" if fashion.exists() else "16:relu,2:softmax",
                "--loss", "sparse_categorical_crossentropy", "--validation", "0.2", "--epochs", "1"]
    fq, fb = [], []
    for _ in range(RUNS):
        fq.append(_fit_seconds(fit_args)[0])
        with Neighbour():
            fb.append(_fit_seconds(fit_args)[0])
    fit_ratio = float(np.median([q / b for q, b in zip(fq, fb)]))
    rows.append(["Model.fit, one epoch, quiet / beside the neighbour", f"{np.median(fq):.2f} s / {np.median(fb):.2f} s",
                 f"{fit_ratio:.2f}× the quiet speed"])
    records.append(dict(name="Model.fit beside a BLAS-busy process", value=f"{np.median(fb):.2f} s", ratio=fit_ratio,
                        target=0.8))
    from settings.vocabulary import LOSSES, loss_fits

    worst = None
    for loss in LOSSES:
        if loss_fits(loss, "classification") and fashion.exists():
            case = (data, "fashion_784_100_10", ())
        elif loss_fits(loss, "binary"):
            case = ("builtin:spiral", "16:tanh,16:tanh,1:sigmoid", ("--samples", "20000"))
        else:
            continue
        cli_rate, fit_rate = cli_against_fit(case[0], loss, case[1], case[2])
        share = cli_rate / fit_rate
        where = "Fashion-MNIST" if case[0] == data and fashion.exists() else "spiral, 20,000 points"
        rows.append([f"propscope train vs Model.fit, {loss} ({where})", f"{cli_rate:,.0f} / {fit_rate:,.0f} samples/s",
                     f"{share:.2f}×"])
        if worst is None or share < worst[1]:
            worst = (loss, share)
    if worst is not None:
        records.append(dict(name=f"propscope train vs Model.fit, every loss (lowest: {worst[0]})",
                            value=f"{worst[1]:.2f}×", ratio=worst[1], target=0.9))
    return [f"propscope train and Model.fit, {source} (whole command, median of {RUNS}; load average "
            f"{load_average()})", rows], records


def main() -> None:
    (title, rows), _ = collect()
    print_table(title, ["machine", "time", "speed"], rows)


if __name__ == "__main__":
    main()
