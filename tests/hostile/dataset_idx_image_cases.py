"""Hostile data files, part two: NPY pairs, IDX (raw and gzip) and image folders.

Registered into :data:`tests.hostile.dataset_cases.CASES`.
"""

from __future__ import annotations

import gzip
import io
import os
import struct
from pathlib import Path

import numpy as np

from tests.core.datasets.idx_files import idx_bytes
from tests.hostile.cases import npy_bytes, npy_with_shape
from tests.hostile.dataset_cases import case, write

# --- NPY pairs -----------------------------------------------------------------------------------
def _pair(d: Path, x: bytes, y: bytes) -> Path:
    (d / "y.npy").write_bytes(y)
    return write(d, "x.npy", x)


NPY_PAIR_CASES = {
    "zero-d-y": (npy_bytes(np.ones((3, 2))), npy_bytes(np.array(5)), "ShapeMismatchError"),
    "object-x": (npy_bytes(np.array([None, 1], dtype=object)), npy_bytes(np.array([0, 1])), "UnsafeFileError"),
    "truncated-x": (npy_bytes(np.ones((50, 4)))[:-100], npy_bytes(np.zeros(50)), "TruncatedFileError"),
    "junk-after-x": (npy_bytes(np.ones((5, 4))) + b"junk", npy_bytes(np.zeros(5)), "FormatError"),
    "shape-lie-x": (npy_with_shape(np.ones((4, 2), np.float32), "(4000, 2)"), npy_bytes(np.zeros(4)),
                    "TruncatedFileError"),
    "shape-over-max-samples": (npy_with_shape(np.ones((4, 2), np.float32), "(4000000000, 2)"),
                               npy_bytes(np.zeros(4)), "TooLargeError"),
    "nan-x": (npy_bytes(np.array([[np.nan, 1.0], [1.0, 2.0]])), npy_bytes(np.array([0, 1])), "NonFiniteError"),
    "not-npy": (b"PK but not numpy", npy_bytes(np.array([0, 1])), "FormatError"),
    "samples-over-limit": (npy_with_shape(np.ones((4, 2), np.uint8), "(20000000, 2)"), npy_bytes(np.zeros(4)),
                           "TooLargeError"),
}
for _name, (_x, _y, _expect) in NPY_PAIR_CASES.items():
    case(f"npy/{_name}", _expect)(lambda d, b, x=_x, y=_y: _pair(d, x, y))


@case("npy/lonely", "DatasetError")
def _(d, b):
    return write(d, "weights.npy", npy_bytes(np.ones(3)))


# --- IDX -------------------------------------------------------------------------------------------
def _idx_pair(d: Path, images: bytes, labels: bytes, gz: bool = False) -> Path:
    ext = ".gz" if gz else ""
    (d / f"train-labels-idx1-ubyte{ext}").write_bytes(gzip.compress(labels) if gz else labels)
    return write(d, f"train-images-idx3-ubyte{ext}", gzip.compress(images) if gz else images)


_IMAGES = idx_bytes(np.arange(48, dtype=np.uint8).reshape(3, 4, 4))
_LABELS = idx_bytes(np.array([0, 1, 2], np.uint8))
IDX_CASES = {
    "header-2-bytes": (b"\x00\x00", _LABELS, "TruncatedFileError"),
    "bad-magic": (b"\x01\x02\x08\x03" + _IMAGES[4:], _LABELS, "FormatError"),
    "unknown-type": (b"\x00\x00\x07\x03" + _IMAGES[4:], _LABELS, "FormatError"),
    "zero-dims": (b"\x00\x00\x08\x00", _LABELS, "FormatError"),
    "nine-dims": (b"\x00\x00\x08\x09" + b"\x00\x00\x00\x01" * 9, _LABELS, "FormatError"),
    "dims-truncated": (b"\x00\x00\x08\x03\x00\x00\x00\x03", _LABELS, "TruncatedFileError"),
    "zero-size-dim": (b"\x00\x00\x08\x03" + struct.pack(">3I", 3, 0, 4), _LABELS, "FormatError"),
    "data-truncated": (_IMAGES[:-5], _LABELS, "TruncatedFileError"),
    "extra-bytes": (_IMAGES + b"\x00" * 4, _LABELS, "FormatError"),
    "declares-2gib-in-1kb": (b"\x00\x00\x08\x03" + struct.pack(">3I", 2 * 1024 * 1024, 32, 32) + b"\0" * 1000,
                             _LABELS, "TruncatedFileError"),
    "declares-over-max-samples": (b"\x00\x00\x08\x03" + struct.pack(">3I", 4_000_000_000, 1, 1), _LABELS,
                                  "TooLargeError"),
    "declares-over-max-features": (b"\x00\x00\x08\x03" + struct.pack(">3I", 1, 4096, 4096), _LABELS,
                                   "TooLargeError"),
    "float-labels": (_IMAGES, idx_bytes(np.array([0, 1, 2], ">f4")), "FormatError"),
    "negative-labels": (_IMAGES, idx_bytes(np.array([0, -1, 2], np.int8)), "FormatError"),
    "label-2-31": (_IMAGES, idx_bytes(np.array([0, 1, 2**31 - 1], ">i4")), "TooLargeError"),
    "label-1e7": (_IMAGES, idx_bytes(np.array([0, 1, 10_000_000], ">i4")), "TooLargeError"),
    "labels-2d": (_IMAGES, idx_bytes(np.zeros((3, 2), np.uint8)), "FormatError"),
    "count-mismatch": (_IMAGES, idx_bytes(np.array([0, 1], np.uint8)), "ShapeMismatchError"),
    "nan-float-images": (idx_bytes(np.array([[[np.nan, 1], [1, 1]]] * 3, ">f4")), _LABELS, "NonFiniteError"),
    "inf-float-images": (idx_bytes(np.array([[[np.inf, 1], [1, 1]]] * 3, ">f8")), _LABELS, "NonFiniteError"),
    "images-are-1d": (idx_bytes(np.arange(3, dtype=np.uint8)), _LABELS, "DatasetError"),
}
for _name, (_images, _labels, _expect) in IDX_CASES.items():
    for _gz in (False, True):
        case(f"idx/{_name}{'-gz' if _gz else ''}", _expect)(
            lambda d, b, i=_images, la=_labels, g=_gz: _idx_pair(d, i, la, g))


@case("idx/gz-declares-2gib", "TruncatedFileError")
def _(d, b):
    header = b"\x00\x00\x08\x03" + struct.pack(">3I", 2 * 1024 * 1024, 32, 32)
    return _idx_pair(d, header + b"\0" * 1000, _LABELS, gz=True)


@case("idx/gz-corrupt-stream", "FormatError", exact=False)
def _(d, b):
    images = idx_bytes(np.random.default_rng(0).integers(0, 255, (3, 32, 32), dtype=np.uint8))
    data = bytearray(gzip.compress(images))
    data[-20] ^= 0xFF  # in the compressed pixels, after the header: zlib or the CRC must notice
    (d / "train-labels-idx1-ubyte").write_bytes(_LABELS)
    return write(d, "train-images-idx3-ubyte.gz", bytes(data))


@case("idx/gz-truncated-stream", "TruncatedFileError")
def _(d, b):
    (d / "train-labels-idx1-ubyte").write_bytes(_LABELS)
    return write(d, "train-images-idx3-ubyte.gz", gzip.compress(_IMAGES)[:-12])


@case("idx/gz-trailing-garbage", "FormatError", exact=False)
def _(d, b):
    (d / "train-labels-idx1-ubyte").write_bytes(_LABELS)
    return write(d, "train-images-idx3-ubyte.gz", gzip.compress(_IMAGES) + b"garbage!")


@case("idx/no-labels-partner", "DatasetError")
def _(d, b):
    return write(d, "train-images-idx3-ubyte", _IMAGES)


@case("idx/labels-without-images", "DatasetError")
def _(d, b):
    return write(d, "train-labels-idx1-ubyte", _LABELS)


# --- image folders -----------------------------------------------------------------------------
def _png(size: tuple[int, int], mode: str = "L") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new(mode, size).save(buf, "PNG")
    return buf.getvalue()


def _folder(d: Path, files: dict[str, bytes]) -> Path:
    root = d / "images"
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


_SMALL = _png((8, 8))
IMAGE_CASES = {
    "bomb-20000x20000": ({"a/big.png": _png((20000, 20000)), "b/s.png": _SMALL}, "TooLargeError"),
    "side-over-limit": ({"a/wide.png": _png((9000, 2)), "b/s.png": _SMALL}, "TooLargeError"),
    "pixels-over-limit": ({"a/big.png": _png((5000, 5000)), "b/s.png": _SMALL}, "TooLargeError"),
    "broken-png": ({"a/x.png": b"\x89PNG\r\n\x1a\n broken", "b/s.png": _SMALL}, "FormatError"),
    "truncated-png": ({"a/x.png": _png((64, 64))[:60], "b/s.png": _SMALL}, "FormatError"),
    "text-named-png": ({"a/x.png": b"hello", "b/s.png": _SMALL}, "FormatError"),
    "one-class": ({"a/x.png": _SMALL, "a/y.png": _SMALL}, "DatasetError"),
    "no-images": ({"a/readme.txt": b"x", "b/notes.txt": b"y"}, "DatasetError"),
}
for _name, (_files, _expect) in IMAGE_CASES.items():
    case(f"images/{_name}", _expect)(lambda d, b, f=_files: _folder(d, f))


@case("images/fifo-image-is-skipped", "DatasetError")
def _(d, b):
    root = _folder(d, {"a/x.png": _SMALL})
    (root / "b").mkdir()
    os.mkfifo(root / "b" / "y.png")  # not a file: skipped, so only one class has images
    return root


@case("images/too-many-classes", "TooLargeError")
def _(d, b):
    root = d / "images"
    for i in range(1001):
        (root / f"c{i:04d}").mkdir(parents=True)
    return root
