"""NumPy archives: Keras's ``mnist.npz`` layout, ``x``/``y`` pairs, and ``.npy`` pairs.

Nothing is ever unpickled: object arrays are refused with a clear error.
Sizes come from the zip directory and the ``.npy`` headers, and are checked
before any array is read.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from core import limits
from core.datasets.dataset import Dataset
from core.datasets.errors import ArrayChoiceError, DatasetError, FormatError, ShapeMismatchError, TooLargeError
from core.datasets.guard import dataset_loader
from core.datasets.limits import check_fits, memory_budget
from core.datasets.targets import DIGIT_CLASSES, FASHION_MNIST_CLASSES, infer_targets
from core.safeio import SafeZip, file_size, open_regular
from core.safeio import npy as safe_npy

PAIRS = [("x", "y"), ("X", "Y"), ("X", "y"), ("data", "labels"), ("features", "labels"),
         ("features", "targets"), ("images", "labels"), ("inputs", "targets")]
#: What samples and labels may hold: numbers (labels also text).
X_KINDS, Y_KINDS = safe_npy.NUMERIC, safe_npy.TEXT_OR_NUMERIC


@dataset_loader
def inspect_npz(path: str | Path, max_bytes: int | None = None) -> dict[str, tuple[tuple[int, ...], str]]:
    """Array names → (shape, dtype) without reading the arrays."""
    path = Path(path)
    with SafeZip.open(path, what="archive", npz=True) as archive:
        headers = archive.array_headers()
    if not headers:
        raise DatasetError("the archive holds no arrays.", path)
    check_fits(sum(safe_npy.array_bytes(shape, dtype) for shape, dtype in headers.values()), path,
               "Unpacking this archive", max_bytes)
    return {key: (shape, str(dtype)) for key, (shape, dtype) in headers.items()}


def _class_names(path: Path, n_classes: int, x_shape) -> tuple[str, ...] | None:
    name = path.name.lower()
    if tuple(x_shape[1:]) == (28, 28) and n_classes <= 10:
        if "fashion" in name:
            return FASHION_MNIST_CLASSES
        if "mnist" in name:
            return DIGIT_CLASSES
    return None


@dataset_loader
def load_npz(path: str | Path, x_key: str | None = None, y_key: str | None = None,
             max_bytes: int | None = None, task: str | None = None) -> Dataset:
    """Load ``x_train/y_train/x_test/y_test`` (Keras), a known pair, or the keys given."""
    path = Path(path)
    with SafeZip.open(path, what="archive", npz=True) as archive:
        headers = archive.array_headers()
        if not headers:
            raise DatasetError("the archive holds no arrays.", path)
        arrays = {key: (shape, str(dtype)) for key, (shape, dtype) in headers.items()}
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
        keys = [x_key, y_key] + list(test_keys or ())
        for key in keys:
            _check_header(path, f"key {key!r}", *headers[key], is_x=key in (x_key, "x_test"))
        budget = memory_budget(max_bytes)
        check_fits(sum(safe_npy.array_bytes(*headers[k]) for k in keys), path, "These arrays", max_bytes)

        def read(key: str, kinds: str) -> np.ndarray:
            return archive.read_array(f"{key}.npy", kinds, budget, "the memory available")

        x, y = read(x_key, X_KINDS), read(y_key, Y_KINDS)
        x_test = y_test = None
        if test_keys:
            x_test, y_test = read(test_keys[0], X_KINDS), read(test_keys[1], Y_KINDS)
    return _dataset(path, x, y, x_test, y_test, f"{x_key}/{y_key}", task)


def _check_header(path: Path, where: str, shape: tuple[int, ...], dtype: np.dtype, is_x: bool) -> None:
    """Refuse, from the header alone, arrays that cannot be samples or labels (nothing read yet)."""
    if is_x:
        if dtype.kind not in X_KINDS:
            raise FormatError(f"samples must be numbers, this array holds {safe_npy.kind_name(dtype)} ({dtype}).",
                              path, where)
        if len(shape) < 2:
            raise ShapeMismatchError(f"samples must have a batch dimension, got shape {shape}.", path, where)
        if shape[0] > limits.MAX_SAMPLES:
            raise TooLargeError(f"{shape[0]:,} samples, over the limit of {limits.MAX_SAMPLES:,} (MAX_SAMPLES).",
                                path, where)
        features = int(np.prod(shape[1:], dtype=object))
        if features > limits.MAX_FEATURES:
            raise TooLargeError(f"{features:,} features per sample, over the limit of {limits.MAX_FEATURES:,} "
                                "(MAX_FEATURES).", path, where)
    else:
        if dtype.kind not in Y_KINDS:
            raise FormatError(f"labels must be numbers or text, this array holds {safe_npy.kind_name(dtype)}.",
                              path, where)
        if len(shape) == 0 or len(shape) > 2:
            raise ShapeMismatchError(f"labels must be one value (or one row) per sample, got shape {shape}.",
                                     path, where)


def _dataset(path: Path, x, y, x_test, y_test, keys: str, task) -> Dataset:
    _check_xy(path, x, y, keys)
    if x.dtype.kind not in X_KINDS:
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
    if y.ndim == 0:
        raise ShapeMismatchError("labels must be one value (or one row) per sample, got a single value.", path, keys)
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


def read_npy(path: Path, max_bytes: int | None = None, kinds: str = X_KINDS) -> np.ndarray:
    """One ``.npy`` file: a regular file, header checked, memory checked, then read."""
    with open_regular(path, what=".npy file") as fh:
        shape, dtype, _ = safe_npy.read_header(fh, path, "header", kinds)
        _check_header(path, "header", shape, dtype, is_x=kinds == X_KINDS)
        check_fits(safe_npy.array_bytes(shape, dtype), path, "This array", max_bytes)
        fh.seek(0)
        return safe_npy.read_array(fh, file_size(fh), path, "header", kinds)


@dataset_loader
def load_npy_pair(path: str | Path, max_bytes: int | None = None, task: str | None = None) -> Dataset:
    """Load ``x_train.npy`` with ``y_train.npy`` (or X.npy/y.npy, images/labels…)."""
    path = Path(path)
    pair = npy_partner(path)
    if pair is None:
        raise DatasetError("a single .npy array has no labels; expected a partner file such as "
                           "x_train.npy ↔ y_train.npy, X.npy ↔ y.npy or images.npy ↔ labels.npy.", path)
    x_path, y_path = pair
    x, y = read_npy(x_path, max_bytes), read_npy(y_path, max_bytes, Y_KINDS)
    if y.ndim == 0:
        raise ShapeMismatchError(f"labels must be one value (or one row) per sample; {y_path.name} holds a single "
                                 "value.", y_path)
    if x.ndim < 2:
        raise ShapeMismatchError(f"samples must have a batch dimension, got shape {x.shape}.", x_path)
    if len(x) != len(y):
        raise ShapeMismatchError(f"{len(x):,} samples in {x_path.name} but {len(y):,} labels in {y_path.name}.",
                                 x_path)
    return _dataset(x_path, x, y, None, None, f"{x_path.name}/{y_path.name}", task)
