"""Turning a label column or array into training targets: task, labels, class names."""

from __future__ import annotations

import numpy as np

from core import limits
from core.datasets.errors import NonFiniteError, ParseError, TooLargeError

# Integer labels with at most this many distinct values are taken as classes (more: regression),
# unless classification is asked for; then up to limits.MAX_CLASSES.
MAX_INFERRED_CLASSES = 256

FASHION_MNIST_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                         "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
DIGIT_CLASSES = tuple(str(i) for i in range(10))


def infer_targets(y: np.ndarray, path=None, where: str | None = None, task: str | None = None,
                  class_names: tuple[str, ...] | None = None) -> tuple[np.ndarray, str, tuple[str, ...]]:
    """Return ``(labels, task, class_names)`` for raw targets ``y``.

    Strings become classes in sorted order; whole numbers with few distinct
    values become classes (0..max when they start at 0, else their sorted
    values); one-hot rows become their arg-max; anything else is regression.
    ``task`` forces ``"classification"`` or ``"regression"``.
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim == 0 or y.ndim > 2:
        raise ParseError(f"labels must be one value (or one row) per sample, got shape {y.shape}.", path, where)
    if y.dtype.kind in "USO":
        if task == "regression":
            raise ParseError("labels are text, so they cannot be regression targets.", path, where)
        values = np.array([str(v).strip() for v in y.reshape(-1)])
        names, labels = np.unique(values, return_inverse=True)
        return _classes(labels, tuple(str(n) for n in names), path, where)
    if y.dtype.kind == "b":
        y = y.astype(np.int64)
    if y.dtype.kind not in "iuf":
        raise ParseError(f"labels must be numbers or text, got {y.dtype}.", path, where)
    if y.dtype.kind == "f":
        bad = int(y.size - np.count_nonzero(np.isfinite(y)))
        if bad:
            first = int(np.flatnonzero(~np.isfinite(y.reshape(len(y), -1)).all(axis=1))[0])
            raise NonFiniteError(f"{bad} label(s) are NaN or Inf (first in sample {first}).", path, where,
                                 count=bad, rows=np.flatnonzero(~np.isfinite(y.reshape(len(y), -1)).all(axis=1)))
    if y.ndim == 2:
        is_one_hot = y.size and np.all((y == 0) | (y == 1)) and np.all(y.sum(axis=1) == 1)
        if is_one_hot and task != "regression":
            return _classes(np.argmax(y, axis=1), class_names or tuple(str(i) for i in range(y.shape[1])), path,
                            where)
        return y.astype(np.float32), "regression", ()
    whole = y.dtype.kind in "iu" or (y.size > 0 and bool(np.all(np.equal(np.mod(y, 1), 0))))
    if task == "regression" or not whole:
        if task == "classification":
            raise ParseError("labels are not whole numbers, so they cannot be classes.", path, where)
        return y.astype(np.float32), "regression", ()
    values = np.unique(y)
    if len(values) > MAX_INFERRED_CLASSES and task != "classification":
        return y.astype(np.float32), "regression", ()
    # 0-based codes are class indices (MNIST's 0..9); anything else (wine's 1..3,
    # quality 3..8, −1/+1) maps to 0..k−1 in sorted order, keeping the values as names.
    if values.size and values.min() == 0 and values.max() < max(len(values), 1) * 4 and values.max() < 65536:
        labels = y.astype(np.int64)
        n = int(values.max()) + 1
        names = class_names if class_names and len(class_names) >= n else tuple(str(i) for i in range(n))
        return _classes(labels, names, path, where)
    labels = np.searchsorted(values, y).astype(np.int64)
    return _classes(labels, tuple(_format_number(v) for v in values), path, where)


def _classes(labels: np.ndarray, names: tuple[str, ...], path=None,
             where: str | None = None) -> tuple[np.ndarray, str, tuple[str, ...]]:
    if len(names) > limits.MAX_CLASSES:
        raise TooLargeError(f"the labels make {len(names):,} classes, over the limit of {limits.MAX_CLASSES:,} "
                            "(MAX_CLASSES).", path, where)
    return labels.astype(np.int64), ("binary" if len(names) == 2 else "classification"), names


def _format_number(v) -> str:
    f = float(v)
    return str(int(f)) if f.is_integer() else str(f)
