"""Writers of small IDX files for the tests (big-endian header, then the data)."""

import gzip
import struct

import numpy as np

CODES = {np.dtype("uint8"): 0x08, np.dtype("int8"): 0x09, np.dtype(">i2"): 0x0B, np.dtype(">i4"): 0x0C,
         np.dtype(">f4"): 0x0D, np.dtype(">f8"): 0x0E}


def idx_bytes(arr: np.ndarray) -> bytes:
    arr = np.asarray(arr)
    dtype = arr.dtype if arr.dtype.itemsize == 1 else arr.dtype.newbyteorder(">")
    header = bytes([0, 0, CODES[dtype], arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    return header + arr.astype(dtype).tobytes()


def write_idx(path, arr, compress=None):
    data = idx_bytes(arr)
    if compress or (compress is None and str(path).endswith(".gz")):
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def write_pair(folder, prefix="train", n=6, side=4, gz=True, seed=0, bright=False):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256 if bright else 40, (n, side, side), dtype=np.uint8)
    labels = rng.integers(0, 10, n).astype(np.uint8)
    ext = ".gz" if gz else ""
    ip = write_idx(folder / f"{prefix}-images-idx3-ubyte{ext}", images)
    lp = write_idx(folder / f"{prefix}-labels-idx1-ubyte{ext}", labels)
    return ip, lp, images, labels
