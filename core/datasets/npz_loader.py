"""NumPy archives: Keras's ``mnist.npz`` layout, ``x``/``y`` pairs, and ``.npy`` pairs.

Nothing is ever unpickled: object arrays are refused with a clear error.
Sizes come from the zip directory and the ``.npy`` headers, and are checked
before any array is read.
"""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import numpy as np

from core.datasets.dataset import Dataset
from core.datasets.errors import (ArrayChoiceError, DatasetError, FormatError, ShapeMismatchError,
                                  TruncatedFileError, UnsafeFileError)
from core.datasets.limits import check_fits
from core.datasets.targets import DIGIT_CLASSES, FASHION_MNIST_CLASSES, infer_targets

PAIRS = [("x", "y"), ("X", "Y"), ("X", "y"), ("data", "labels"), ("features", "labels"),
         ("features", "targets"), ("images", "labels"), ("inputs", "targets")]


def _npy_header(fh, path: Path, where: str) -> tuple[tuple[int, ...], np.dtype]:
    try:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(fh)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            raise ValueError(f"unsupported .npy version {version}")
    except (ValueError, OSError, EOFError, SyntaxError) as exc:
        raise FormatError(f"not a valid .npy array ({exc}).", path, where) from None
    if dtype.hasobject:
        raise UnsafeFileError("holds Python objects, which can only be loaded with pickle; Propscope never "
                              "unpickles files (they can run code). Save numeric arrays instead.", path, where)
    return tuple(shape), dtype


def _load_member(archive: np.lib.npyio.NpzFile, key: str, path: Path) -> np.ndarray:
    try:
        return archive[key]
    except ValueError as exc:
        if "pickle" in str(exc):
            raise UnsafeFileError("holds Python objects (needs pickle), which Propscope never loads.",
                                  path, f"key {key!r}") from None
        raise FormatError(f"cannot read this array ({exc}).", path, f"key {key!r}") from None
    except (zipfile.BadZipFile, EOFError, OSError, KeyError) as exc:
        raise TruncatedFileError(f"the archive is damaged ({exc}).", path, f"key {key!r}") from None


def inspect_npz(path: str | Path, max_bytes: int | None = None) -> dict[str, tuple[tuple[int, ...], str]]:
    """Array names → (shape, dtype) without reading the arrays."""
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FormatError(f"not a valid .npz archive ({exc}).", path) from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if not infos:
            raise DatasetError("the archive holds no arrays.", path)
        check_fits(sum(i.file_size for i in infos), path, "Unpacking this archive", max_bytes)
        arrays = {}
        for info in infos:
            if not info.filename.endswith(".npy"):
                raise FormatError(f"member {info.filename!r} is not a .npy array.", path)
            key = info.filename[:-4]
            try:
                with zf.open(info) as fh:
                    shape, dtype = _npy_header(fh, path, f"key {key!r}")
            except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
                if isinstance(exc, DatasetError):
                    raise
                raise FormatError(f"cannot read member {info.filename!r} ({exc}).", path) from None
            arrays[key] = (shape, str(dtype))
    return arrays


def _class_names(path: Path, n_classes: int, x_shape) -> tuple[str, ...] | None:
    name = path.name.lower()
    if tuple(x_shape[1:]) == (28, 28) and n_classes <= 10:
        if "fashion" in name:
            return FASHION_MNIST_CLASSES
        if "mnist" in name:
            return DIGIT_CLASSES
    return None


def load_npz(path: str | Path, x_key: str | None = None, y_key: str | None = None,
             max_bytes: int | None = None, task: str | None = None) -> Dataset:
    """Load ``x_train/y_train/x_test/y_test`` (Keras), a known pair, or the keys given."""
    path = Path(path)
    arrays = inspect_npz(path, max_bytes)
    test_keys = None
    if x_key is None and y_key is None:
        if {"x_train", "y_train"} <= arrays.keys():
            x_key, y_key = "x_train", "y_train"
            if {"x_test", "y_test"} <= arrays.keys():
                test_keys = ("x_test", "y_test")
        else:
            for a, b in PAIRS:
                if a in arrays and b in arrays:
                    x_key, y_key = a, b
                    break
    if x_key is None or y_key is None:
        listing = ", ".join(f"{k} {v[0]}" for k, v in arrays.items())
        raise ArrayChoiceError(f"no x/y arrays with a known name; the archive holds {listing}. "
                               "Choose which array holds the samples and which the labels.", path, arrays)
    for key in (x_key, y_key):
        if key not in arrays:
            raise DatasetError(f"there is no array named {key!r}; the archive holds {', '.join(arrays)}.", path)
    with np.load(path, allow_pickle=False) as archive:
        x = _load_member(archive, x_key, path)
        y = _load_member(archive, y_key, path)
        x_test = y_test = None
        if test_keys:
            x_test = _load_member(archive, test_keys[0], path)
            y_test = _load_member(archive, test_keys[1], path)
    return _dataset(path, x, y, x_test, y_test, f"{x_key}/{y_key}", task)


def _dataset(path: Path, x, y, x_test, y_test, keys: str, task) -> Dataset:
    _check_xy(path, x, y, keys)
    if x.dtype.kind not in "biuf":
        raise FormatError(f"samples must be numbers, this array holds {x.dtype}.", path, f"key {keys.split('/')[0]!r}")
    labels, task, classes = infer_targets(y, path, f"key {keys.split('/')[1]!r}", task)
    known = _class_names(path, len(classes), x.shape) if task != "regression" else None
    if known and len(known) >= len(classes):
        classes = known
    if x_test is not None:
        _check_xy(path, x_test, y_test, "x_test/y_test")
        if x_test.shape[1:] != x.shape[1:]:
            raise ShapeMismatchError(f"test samples have shape {x_test.shape[1:]} but training samples "
                                     f"{x.shape[1:]}.", path)
        y_test, _, _ = infer_targets(y_test, path, "key 'y_test'", task)
    name = "Fashion-MNIST" if classes == FASHION_MNIST_CLASSES else "MNIST" if classes == DIGIT_CLASSES \
        else path.stem
    return Dataset(x, labels, task, classes, (), f"{path.name} (NumPy, {keys})", x_test, y_test, name=name)


def _check_xy(path: Path, x: np.ndarray, y: np.ndarray, keys: str) -> None:
    if x.ndim < 2:
        raise ShapeMismatchError(f"samples must have a batch dimension, got shape {x.shape}.", path, keys)
    if len(x) != len(y):
        raise ShapeMismatchError(f"{len(x):,} samples but {len(y):,} labels.", path, keys)
    if len(x) == 0:
        raise DatasetError("the arrays hold no samples.", path, keys)


_NPY_PAIRS = [("x", "y"), ("X", "y"), ("X", "Y"), ("images", "labels"), ("features", "labels"),
              ("features", "targets"), ("data", "labels"), ("inputs", "targets")]


def npy_partner(path: Path) -> tuple[Path, Path] | None:
    """(samples file, labels file) for either file of an ``.npy`` pair.

    The stem is split at ``_``, ``-`` and ``.``; one part naming samples (x, X,
    images, features…) is swapped for its labels name, or the reverse.
    """
    parts = re.split(r"([_\-.])", path.stem)
    for i, part in enumerate(parts):
        for a, b in _NPY_PAIRS:
            for mine, other, mine_is_x in ((a, b, True), (b, a, False)):
                if part != mine:
                    continue
                candidate = path.with_name("".join(parts[:i] + [other] + parts[i + 1:]) + ".npy")
                if candidate != path and candidate.is_file():
                    return (path, candidate) if mine_is_x else (candidate, path)
    return None


def read_npy(path: Path, max_bytes: int | None = None) -> np.ndarray:
    with open(path, "rb") as fh:
        shape, dtype = _npy_header(fh, path, "header")
    check_fits(math.prod(shape) * dtype.itemsize, path, "This array", max_bytes)
    try:
        return np.load(path, allow_pickle=False)
    except ValueError as exc:
        raise TruncatedFileError(f"the array data is incomplete or damaged ({exc}).", path) from None


def load_npy_pair(path: str | Path, max_bytes: int | None = None, task: str | None = None) -> Dataset:
    """Load ``x_train.npy`` with ``y_train.npy`` (or X.npy/y.npy, images/labels…)."""
    path = Path(path)
    pair = npy_partner(path)
    if pair is None:
        raise DatasetError("a single .npy array has no labels; expected a partner file such as "
                           "x_train.npy ↔ y_train.npy, X.npy ↔ y.npy or images.npy ↔ labels.npy.", path)
    x_path, y_path = pair
    x, y = read_npy(x_path, max_bytes), read_npy(y_path, max_bytes)
    if x.ndim < 2:
        raise ShapeMismatchError(f"samples must have a batch dimension, got shape {x.shape}.", x_path)
    if len(x) != len(y):
        raise ShapeMismatchError(f"{len(x):,} samples in {x_path.name} but {len(y):,} labels in {y_path.name}.",
                                 x_path)
    return _dataset(x_path, x, y, None, None, f"{x_path.name}/{y_path.name}", task)
