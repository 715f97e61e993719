"""Turning what ``fit``/``evaluate``/``predict`` receive into checked NumPy arrays, as Keras does.

- ``validation_split`` takes the *last* fraction of ``x``, ``y`` and
  ``sample_weight`` before any shuffling;
- ``validation_data`` is ``(x, y)`` or ``(x, y, sample_weight)`` and
  overrides ``validation_split``;
- ``class_weight`` (a dict class → weight) becomes per-sample weights from the
  labels (the arg-max of one-hot rows, the rounded value otherwise) and cannot
  be combined with ``sample_weight``.

Anything that is not array data (generators, ``tf.data``, dicts of inputs) is
refused with a message rather than misread.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def check_finite_inputs(x: np.ndarray, what: str) -> None:
    """Raise a clear error if ``x`` has NaN or Inf (training would be garbage)."""
    # One sum is ~5× cheaper than isfinite() over the whole array; only a
    # non-finite sum (NaN/Inf present, or overflow) needs the exact count.
    if np.issubdtype(x.dtype, np.floating) and x.size and not np.isfinite(np.sum(x, dtype=np.float64)):
        bad = x.size - int(np.count_nonzero(np.isfinite(x)))
        if bad:
            raise ValueError(f"{what} contains {bad} NaN/Inf value(s); clean or drop those samples first.")


def as_float_array(x: Any, what: str) -> np.ndarray:
    """``x`` as a numeric NumPy array (never object arrays), checked for NaN/Inf."""
    if isinstance(x, dict):
        raise NotImplementedError(f"{what} as a dict of named inputs needs a multi-input model, which Propscope "
                                  "does not build; pass one array.")
    if hasattr(x, "__next__") or type(x).__name__ in ("PyDataset", "Dataset", "DataLoader", "_PrefetchDataset"):
        raise NotImplementedError(f"{what} of type {type(x).__name__}: Propscope trains on arrays (NumPy, lists, "
                                  "torch tensors); convert the data to arrays first.")
    arr = np.asarray(x)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"{what} must be numeric, got an array of {arr.dtype}.")
    check_finite_inputs(arr, what)
    return arr


def sample_weights(sample_weight: Any, n: int, what: str = "sample_weight") -> np.ndarray | None:
    """Per-sample weights of shape ``(n,)`` (Keras also takes ``(n, 1)``)."""
    if sample_weight is None:
        return None
    sw = as_float_array(sample_weight, what)
    if sw.ndim == 2 and sw.shape[1] == 1:
        sw = sw[:, 0]
    if sw.ndim != 1 or sw.shape[0] != n:
        raise ValueError(f"{what} must have shape ({n},), one weight per sample; got {sw.shape}.")
    return sw.astype(np.float64)


def class_weights_to_sample_weights(y: np.ndarray, class_weight: dict) -> np.ndarray:
    """Keras's ``class_weight_to_sample_weights``: weight of each sample's class (1.0 when not listed)."""
    if not isinstance(class_weight, dict):
        raise ValueError(f"`class_weight` must be a dict mapping class indices to weights, got {class_weight!r}.")
    labels = np.asarray(y)
    if labels.ndim > 1:
        labels = np.argmax(labels, axis=-1) if labels.shape[-1] != 1 else np.squeeze(labels, axis=-1)
    labels = np.round(labels).astype("int32")
    return np.array([float(class_weight.get(int(c), 1.0)) for c in labels], dtype=np.float32).astype(np.float64)


def training_arrays(x: Any, y: Any, sample_weight: Any = None, class_weight: Any = None,
                    what: str = "") -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``x``, ``y`` and the per-sample weights (from ``sample_weight`` or ``class_weight``)."""
    x = as_float_array(x, f"{what}x")
    if y is None:
        raise ValueError(f"{what}y is missing: training and evaluating need targets (Keras's loss would fail "
                         "on None).")
    if isinstance(y, (dict, tuple)) and not isinstance(y, np.ndarray):
        raise NotImplementedError(f"{what}y as a {type(y).__name__} is for multi-output models; Propscope's "
                                  "models have one output, pass one array.")
    y = as_float_array(y, f"{what}y")
    if y.shape[0] != x.shape[0]:
        raise ValueError(f"{what}x has {x.shape[0]} samples but {what}y has {y.shape[0]}; they must match.")
    if class_weight is not None:
        if sample_weight is not None:
            raise ValueError("You cannot `class_weight` and `sample_weight` at the same time.")
        return x, y, class_weights_to_sample_weights(y, class_weight)
    return x, y, sample_weights(sample_weight, x.shape[0], f"{what}sample_weight")


def split_validation(x: np.ndarray, y: np.ndarray, sw: np.ndarray | None, validation_split: float):
    """The last ``validation_split`` of the rows as validation data, Keras's split point."""
    if not 0.0 <= validation_split < 1.0:
        raise ValueError(f"`validation_split` must be in [0, 1), got {validation_split}.")
    split_at = int(math.floor(x.shape[0] * (1.0 - validation_split)))
    if split_at == 0 or split_at == x.shape[0]:
        raise ValueError(f"Training data contains {x.shape[0]} samples, which is not sufficient to split it into a "
                         f"validation and training set as specified by `validation_split={validation_split}`. "
                         "Either provide more data, or a different value for the `validation_split` argument.")
    cut = (lambda a: (a[:split_at], a[split_at:]) if a is not None else (None, None))
    (x, xv), (y, yv), (sw, swv) = cut(x), cut(y), cut(sw)
    return (x, y, sw), (xv, yv, swv)


def unpack_validation(validation_data: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``(x, y)`` or ``(x, y, sample_weight)`` as arrays."""
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
        raise ValueError("`validation_data` must be a tuple (x_val, y_val) or (x_val, y_val, val_sample_weights); "
                         f"received a {type(validation_data).__name__}.")
    x, y = validation_data[0], validation_data[1]
    sw = validation_data[2] if len(validation_data) == 3 else None
    return training_arrays(x, y, sw, what="validation ")
