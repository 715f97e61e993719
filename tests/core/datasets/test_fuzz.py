"""Property: whatever bytes or text a file holds, loading raises DatasetError or succeeds."""

import gzip
import shutil
import string
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.datasets import Dataset, DatasetError, load_file
from tests.core.datasets.idx_files import idx_bytes

# Generation speed depends on the machine's load; only correctness is under test here.
SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]

NAMES = ["data.csv", "data.tsv", "data.txt", "data.npz", "x.npy", "train-images-idx3-ubyte",
         "train-images-idx3-ubyte.gz", "blob"]

CSV_ALPHABET = string.digits + ",;\t|\n\r .-+eE\"'#abcxyzNnaIif가"
CELLS = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.integers(-5, 300).map(str), st.sampled_from(["", "nan", "inf", "-", "label", "a b", '"q,"']))


def _load(name: str, data: bytes) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        (folder / name).write_bytes(data)
        try:
            ds = load_file(folder / name, max_bytes=50_000_000)
        except DatasetError as exc:
            assert str(exc)  # every error has a message
            return
        assert isinstance(ds, Dataset) and len(ds) == len(ds.y) > 0
    finally:
        shutil.rmtree(folder)


@settings(deadline=None, suppress_health_check=SLOW_OK)
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=400))
def test_random_bytes(name, data):
    _load(name, data)


@settings(deadline=None, suppress_health_check=SLOW_OK)
@given(name=st.sampled_from(NAMES[:3]), text=st.text(alphabet=CSV_ALPHABET, max_size=300))
def test_random_csv_like_text(name, text):
    _load(name, text.encode("utf-8"))


@settings(deadline=None, suppress_health_check=SLOW_OK)
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=1, max_size=8),
       sep=st.sampled_from([",", ";", "\t"]))
def test_random_tables(rows, sep):
    _load("data.csv", "\n".join(sep.join(r) for r in rows).encode())


@settings(deadline=None, suppress_health_check=SLOW_OK)
@given(cut=st.integers(0, 60), flip=st.integers(0, 60), value=st.integers(0, 255), gz=st.booleans())
def test_damaged_idx_files(cut, flip, value, gz):
    """Valid IDX bytes, truncated and with one byte changed."""
    data = bytearray(idx_bytes(np.arange(48, dtype=np.uint8).reshape(3, 4, 4)))
    if flip < len(data):
        data[flip] = value
    data = bytes(data[: len(data) - cut])
    if gz:
        data = gzip.compress(data)
        data = data[: max(0, len(data) - cut // 4)]
    _load("train-images-idx3-ubyte.gz" if gz else "train-images-idx3-ubyte", data)


@settings(deadline=None, suppress_health_check=SLOW_OK)
@given(cut=st.integers(1, 400), flip=st.integers(0, 400), value=st.integers(0, 255))
def test_damaged_npz_files(cut, flip, value):
    import io

    buf = io.BytesIO()
    np.savez(buf, x=np.arange(12.0).reshape(4, 3), y=np.array([0, 1, 0, 1]))
    data = bytearray(buf.getvalue())
    if flip < len(data):
        data[flip] = value
    _load("data.npz", bytes(data[: max(0, len(data) - cut)]))
