"""IDX files (MNIST, Fashion-MNIST), raw or gzip-compressed, with their partner files.

Opening ``train-images-idx3-ubyte.gz`` finds ``train-labels-idx1-ubyte.gz``
beside it (and ``t10k-…`` as the test set). Pixel data is wrapped with
``np.frombuffer``: the decompressed bytes are the array, never copied again.
"""

from __future__ import annotations

import math
import re
import struct
from pathlib import Path

import numpy as np

from core import limits
from core.datasets.dataset import Dataset
from core.datasets.errors import DatasetError, FormatError, ShapeMismatchError, TooLargeError, TruncatedFileError
from core.datasets.guard import dataset_loader
from core.datasets.limits import check_fits
from core.datasets.targets import DIGIT_CLASSES, FASHION_MNIST_CLASSES
from core.safeio.files import (at_end, file_size, max_expanded, open_maybe_gzip, open_regular, read_into,
                               stream_errors)

IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
GZIP_MAGIC = b"\x1f\x8b"


def _read_exact(fh, n: int) -> bytes:
    data = fh.read(n)
    return data if data is not None else b""


def _header(fh, path: Path) -> tuple[bytes, tuple[int, ...], np.dtype]:
    """Read and validate the IDX header: magic, data type, dimensions."""
    head = _read_exact(fh, 4)
    if len(head) < 4:
        raise TruncatedFileError(f"only {len(head)} byte(s); an IDX header needs at least 4.", path, "byte 0")
    if head[0] != 0 or head[1] != 0:
        raise FormatError(f"not an IDX file: magic number starts 0x{head[0]:02x} 0x{head[1]:02x}, "
                          "expected 0x00 0x00.", path, "byte 0")
    if head[2] not in IDX_TYPES:
        raise FormatError(f"unknown IDX data type 0x{head[2]:02x}; expected one of "
                          f"{', '.join(f'0x{k:02x}' for k in IDX_TYPES)}.", path, "byte 2")
    ndim = head[3]
    if not 1 <= ndim <= 8:
        raise FormatError(f"IDX header declares {ndim} dimensions; expected 1 to 8.", path, "byte 3")
    dims_raw = _read_exact(fh, 4 * ndim)
    if len(dims_raw) < 4 * ndim:
        raise TruncatedFileError(f"the header needs {4 + 4 * ndim} bytes but the file ends after "
                                 f"{4 + len(dims_raw)}.", path, f"byte {4 + len(dims_raw)}")
    dims = struct.unpack(f">{ndim}I", dims_raw)
    if 0 in dims:
        raise FormatError(f"IDX dimensions {dims} include 0: the file holds no data.", path, "byte 4")
    return head + dims_raw, dims, np.dtype(IDX_TYPES[head[2]])


@dataset_loader
def read_idx(path: str | Path, max_bytes: int | None = None) -> np.ndarray:
    """Read one IDX file, raw or gzip-compressed.

    The header gives the exact data size. Before one byte of memory is taken
    for the data, that size is checked against the limits (``MAX_SAMPLES``,
    ``MAX_FEATURES``), against the bytes the file really holds (or, for gzip,
    the most they can expand to) and against the memory available; then one
    buffer is allocated and filled, and the array is a ``np.frombuffer`` view
    of it (no second copy for unsigned bytes).
    """
    path = Path(path)
    with open_regular(path, what="IDX file") as raw:
        on_disk = file_size(raw)
        fh, compressed = open_maybe_gzip(raw)
        with stream_errors(path):
            header, dims, dtype = _header(fh, path)
        if dims[0] > limits.MAX_SAMPLES:
            raise TooLargeError(f"the header announces {dims[0]:,} items, over the limit of {limits.MAX_SAMPLES:,} "
                                "(MAX_SAMPLES).", path, "byte 4")
        if math.prod(dims[1:]) > limits.MAX_FEATURES:
            raise TooLargeError(f"the header announces items of {'×'.join(map(str, dims[1:]))} values, over the "
                                f"limit of {limits.MAX_FEATURES:,} (MAX_FEATURES).", path, "byte 8")
        count = math.prod(dims)  # Python ints: a damaged header must not overflow
        expected = count * dtype.itemsize
        shape = '×'.join(map(str, dims))
        most = max_expanded(on_disk) if compressed else on_disk - len(header)
        if expected > most:
            how = f"{on_disk:,} compressed bytes expand to at most {most:,}" if compressed else \
                f"only {most:,} bytes of data follow"
            raise TruncatedFileError(f"the header announces {shape} values ({expected:,} bytes) but {how}.",
                                     path, f"byte {len(header)}")
        check_fits(expected, path, f"The {shape} values", max_bytes)
        buf = bytearray(expected)
        with memoryview(buf) as view:
            got = read_into(fh, view, path, "")
        if got < expected:
            raise TruncatedFileError(
                f"the header announces {shape} values ({expected:,} bytes) but only {got:,} bytes of data follow.",
                path, f"byte {len(header) + got}")
        extra = at_end(fh, path, "")
        if extra:
            raise FormatError(f"{extra:,}{'+' if extra >= 1 << 20 else ''} unexpected byte(s) after the "
                              f"{shape} values.", path, f"byte {len(header) + expected}")
    arr = np.frombuffer(buf, dtype=dtype, count=count).reshape(dims)
    return arr if dtype.itemsize == 1 and dtype.kind == "u" else arr.astype(dtype.newbyteorder("="))


_SWAPS = [("images-idx3", "labels-idx1"), ("images.idx3", "labels.idx1"), ("-images", "-labels"),
          ("_images", "_labels"), ("images", "labels")]


def partner_path(path: Path, want: str) -> Path | None:
    """The labels file of an images file (``want="labels"``) or the reverse."""
    name = path.name
    for images, labels in _SWAPS:
        old, new = (images, labels) if want == "labels" else (labels, images)
        if old in name:
            base = name.replace(old, new, 1)
            for candidate in (base, base[:-3] if base.endswith(".gz") else base + ".gz"):
                if (path.parent / candidate).is_file():
                    return path.parent / candidate
    return None


def test_partner(path: Path) -> Path | None:
    """``train-…`` → ``t10k-…`` (or ``test-…``), if such a file exists."""
    m = re.match(r"(train)([-_.].*)", path.name)
    if not m:
        return None
    for prefix in ("t10k", "test"):
        candidate = path.parent / (prefix + m.group(2))
        if candidate.is_file():
            return candidate
        alt = candidate.with_name(candidate.name[:-3]) if candidate.name.endswith(".gz") else \
            candidate.with_name(candidate.name + ".gz")
        if alt.is_file():
            return alt
    return None


@dataset_loader
def load_idx_pair(path: str | Path, max_bytes: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(images, labels)`` from either file of an IDX pair."""
    images, labels, _ = _load_pair(Path(path), max_bytes)
    return images, labels


def _load_pair(path: Path, max_bytes: int | None) -> tuple[np.ndarray, np.ndarray, Path]:
    first = read_idx(path, max_bytes)
    if first.ndim == 1:
        other = partner_path(path, "images")
        if other is None:
            raise DatasetError("this is a labels file and no matching images file was found beside it "
                               "(expected a name with 'images' in place of 'labels').", path)
        labels, images = first, read_idx(other, max_bytes)
        labels_path, images_path = path, other
    else:
        other = partner_path(path, "labels")
        if other is None:
            raise DatasetError("no matching labels file beside this images file (expected a name with "
                               "'labels-idx1' in place of 'images-idx3').", path)
        images, labels = first, read_idx(other, max_bytes)
        labels_path, images_path = other, path
    if labels.ndim != 1:
        raise FormatError(f"a labels file must be 1-dimensional, this one is {labels.shape}.", labels_path, "byte 3")
    if images.ndim < 2:
        raise FormatError(f"an images file must have at least 2 dimensions, this one is {images.shape}.",
                          images_path, "byte 3")
    if len(images) != len(labels):
        raise ShapeMismatchError(f"{len(images):,} images in {images_path.name} but {len(labels):,} labels in "
                                 f"{labels_path.name}.", images_path)
    if labels.dtype.kind == "f":
        raise FormatError("labels must be integers, this file stores floats.", labels_path, "byte 2")
    if labels.size and labels.min() < 0:
        raise FormatError(f"labels must be ≥ 0, found {int(labels.min())}.", labels_path)
    if labels.size and int(labels.max()) >= limits.MAX_CLASSES:
        raise TooLargeError(f"a label of {int(labels.max()):,} means {int(labels.max()) + 1:,} classes, over the "
                            f"limit of {limits.MAX_CLASSES:,} (MAX_CLASSES).", labels_path)
    return images, labels, images_path


def recognize(path: Path, images: np.ndarray, labels: np.ndarray) -> tuple[str, tuple[str, ...], str]:
    """Name, class names and how they were recognized."""
    n_classes = int(labels.max()) + 1 if labels.size else 0
    # Only the file and its folder: the rest of the path says nothing about the data.
    where = f"{path.resolve().parent.name}/{path.name}".lower()
    if images.shape[1:] == (28, 28) and n_classes <= 10:
        if "fashion" in where:
            return "Fashion-MNIST", FASHION_MNIST_CLASSES, "by its path"
        if "mnist" in where and "fashion" not in where:
            return "MNIST", DIGIT_CLASSES, "by its path"
        # Clothes fill about half the frame, digits a fifth: the mean pixel tells them apart.
        sample = images[: min(len(images), 2000)]
        if sample.size and float(sample.mean()) > 50:
            return "Fashion-MNIST", FASHION_MNIST_CLASSES, "by its pixels"
        return "MNIST", DIGIT_CLASSES, "by its pixels"
    return path.name.split("-")[0] or "IDX data", tuple(str(i) for i in range(max(n_classes, 1))), "generic"


@dataset_loader
def load_idx(path: str | Path, max_bytes: int | None = None) -> Dataset:
    """A :class:`Dataset` from an IDX images or labels file, plus its test pair if present."""
    path = Path(path)
    images, labels, images_path = _load_pair(path, max_bytes)
    name, classes, how = recognize(path, images, labels)
    if labels.size and int(labels.max()) >= len(classes):
        classes = tuple(str(i) for i in range(int(labels.max()) + 1))
    meta: dict = {"recognized": how, "warnings": []}
    x_test = y_test = None
    partner = test_partner(images_path)
    if partner is not None:
        try:
            x_test, y_test = load_idx_pair(partner, max_bytes)
            if x_test.shape[1:] != images.shape[1:]:
                meta["warnings"].append(f"test images {partner.name} have shape {x_test.shape[1:]}; ignored.")
                x_test = y_test = None
        except DatasetError as exc:
            meta["warnings"].append(f"test set not loaded: {exc}")
    part = "train" if path.name.startswith("train") else "test" if path.name.startswith(("t10k", "test")) else ""
    task = "binary" if len(classes) == 2 else "classification"
    return Dataset(images, labels.astype(np.int64), task, classes, (),
                   f"{name} {part} (IDX, {path.parent})".replace("  ", " "), x_test,
                   None if y_test is None else y_test.astype(np.int64), name=name, meta=meta)

