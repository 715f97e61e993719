"""Keras ``keras.utils`` helpers used by the course code."""

from __future__ import annotations

import numpy as np

from core.random import set_random_seed


def to_categorical(y, num_classes: int | None = None, dtype: str = "float32") -> np.ndarray:
    """One-hot encode integer labels, as ``keras.utils.to_categorical``."""
    y = np.asarray(y)
    if y.ndim > 1 and y.shape[-1] == 1:
        y = y.reshape(y.shape[:-1])
    if y.size and (not np.all(np.equal(np.mod(y, 1), 0)) or y.min() < 0):
        raise ValueError("to_categorical expects non-negative integer labels.")
    y = y.astype(np.int64)
    n = int(y.max()) + 1 if num_classes is None else int(num_classes)
    if y.size and y.max() >= n:
        raise ValueError(f"Label {int(y.max())} does not fit num_classes={n}.")
    out = np.zeros(y.shape + (n,), dtype=dtype)
    np.put_along_axis(out, y[..., None], 1, axis=-1)
    return out


__all__ = ["set_random_seed", "to_categorical"]
