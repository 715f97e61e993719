"""Loading the real Fashion-MNIST training set (IDX .gz) against a bare gzip+frombuffer baseline.

Needs the Debian package dataset-fashion-mnist (files in /usr/share/datasets/fashion-mnist/);
without it, the same-shaped files are generated in a temporary folder first.
"""

from __future__ import annotations

import gzip
import struct
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.common import FASHION_DIR, print_table  # noqa: E402


def synthetic_pair(folder: Path) -> Path:
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (60000, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, 60000).astype(np.uint8)
    for name, arr, code in (("train-images-idx3-ubyte.gz", images, 3), ("train-labels-idx1-ubyte.gz", labels, 1)):
        header = bytes([0, 0, 8, code]) + struct.pack(f">{arr.ndim}I", *arr.shape)
        (folder / name).write_bytes(gzip.compress(header + arr.tobytes(), compresslevel=6))
    return folder / "train-images-idx3-ubyte.gz"


def baseline(path: Path) -> None:
    """The least a loader can do: gunzip both files and wrap the bytes."""
    with gzip.open(path) as fh:
        np.frombuffer(fh.read(), np.uint8, offset=16)
    with gzip.open(str(path).replace("images-idx3", "labels-idx1")) as fh:
        np.frombuffer(fh.read(), np.uint8, offset=8)


def collect() -> tuple[list, list[dict]]:
    from core.datasets import load_idx

    path = Path(FASHION_DIR) / "train-images-idx3-ubyte.gz"
    source = "real Fashion-MNIST"
    tmp = None
    if not path.exists():
        tmp = tempfile.TemporaryDirectory()
        path = synthetic_pair(Path(tmp.name))
        source = "synthetic files of the same shape (install dataset-fashion-mnist for the real ones)"
    rows = []
    for name, fn in (("bare gzip + frombuffer (train pair)", lambda: baseline(path)),
                     ("Propscope load_file (train + t10k test pair)", lambda: load_idx(path))):
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        rows.append([name, f"{min(times):.3f} s", f"{np.median(times):.3f} s"])
    ds = load_idx(path)
    rows.append(["result", f"{len(ds):,} × {ds.input_shape}", f"test {0 if ds.x_test is None else len(ds.x_test):,}"])
    if tmp:
        tmp.cleanup()
    ours = float(rows[1][1].split()[0])
    records = [dict(name="load Fashion-MNIST train + test (IDX .gz)", value=f"{ours:.2f} s", ratio=ours, target=1.0,
                    lower_is_better=True)]
    return [f"Loading Fashion-MNIST train IDX .gz ({source}); target < 1 s", rows], records


def main() -> None:
    (title, rows), _ = collect()
    print_table(title, ["loader", "best", "median"], rows)


if __name__ == "__main__":
    main()
