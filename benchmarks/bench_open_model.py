"""Opening a 784-512-512-10 Keras model (.keras, compiled, with Adam's state) against a bare zipfile + h5py read.

The file is written by Propscope in Keras 3's layout (the same bytes Keras
reads; the parity tests check both directions), so the benchmark needs no
Keras. The baseline does the least any reader must: unzip the members, parse
the JSON, and read every dataset of the weights file with h5py. Propscope
also checks every member, field and array, builds the model and compiles it
with its optimizer state. Target: under 1 s.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.common import print_table  # noqa: E402


def write_model(folder: Path) -> Path:
    import core

    core.utils.set_random_seed(0)
    model = core.Sequential([core.Input((784,)), core.layers.Dense(512, activation="relu"),
                             core.layers.Dense(512, activation="relu"), core.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"], backend="numpy")
    rng = np.random.default_rng(0)
    model.train_on_batch(rng.random((32, 784), dtype=np.float32), rng.integers(0, 10, 32))  # Adam has state
    path = folder / "mnist_mlp.keras"
    model.save(path)
    return path


def baseline(path: Path) -> None:
    """Unzip, parse the JSON, read every dataset: no checks, no model."""
    import h5py

    with zipfile.ZipFile(path) as zf:
        json.loads(zf.read("config.json"))
        json.loads(zf.read("metadata.json"))
        weights = zf.read("model.weights.h5")
    with h5py.File(io.BytesIO(weights), "r") as h5:
        h5.visititems(lambda name, obj: obj[()] if isinstance(obj, h5py.Dataset) else None)


def collect() -> tuple[list, list[dict]]:
    from core.model_loading import open_model

    with tempfile.TemporaryDirectory() as folder:
        path = write_model(Path(folder))
        size = path.stat().st_size
        rows, best = [], {}
        for name, fn in (("bare zipfile + json + h5py (every dataset)", lambda: baseline(path)),
                         ("Propscope open_model (checked, built, compiled, Adam state)", lambda: open_model(path))):
            times = []
            for _ in range(7):
                t0 = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t0)
            best[name] = min(times)
            rows.append([name, f"{min(times) * 1000:.0f} ms", f"{np.median(times) * 1000:.0f} ms"])
        opened = open_model(path)
    ours = best[rows[1][0]]
    rows.append(["ratio (Propscope / baseline)", f"{ours / best[rows[0][0]]:.2f}×", ""])
    rows.append(["model", f"{opened.model.count_params():,} params, {size / 2**20:.1f} MiB file",
                 f"optimizer at step {int(opened.model.optimizer.iterations)}"])
    records = [dict(name="open a 784-512-512-10 .keras model", value=f"{ours * 1000:.0f} ms", ratio=ours, target=1.0,
                    lower_is_better=True)]
    return ["Opening a 784-512-512-10 Keras 3 .keras model (best of 7, median); target < 1 s",
            [["", "best", "median"], *rows]], records


def main() -> None:
    (title, rows), _ = collect()
    print_table(title, rows[0], rows[1:])


if __name__ == "__main__":
    main()
