"""Keras ``keras.utils`` helpers used by the course code."""

from __future__ import annotations

import numpy as np

from core.progbar import Progbar
from core.random import set_random_seed


def to_categorical(x, num_classes: int | None = None, dtype: str = "float64") -> np.ndarray:
    """One-hot encode integer labels, as ``keras.utils.to_categorical`` (float64, as Keras 3 returns).

    ``dtype`` is a leniency for Keras 2 code (``to_categorical(y, 10, dtype="float32")``).
    """
    y = np.asarray(x)
    if y.size and (not np.all(np.isfinite(y.astype(np.float64))) or not np.all(np.equal(np.mod(y, 1), 0))
                   or y.min() < 0):
        raise ValueError("to_categorical expects non-negative integer labels.")
    y = np.array(y, dtype="int64")
    shape = y.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    y = y.reshape(-1)
    n = (int(np.max(y)) + 1 if y.size else 0) if not num_classes else int(num_classes)
    if y.size and y.max() >= n:
        raise ValueError(f"Label {int(y.max())} does not fit num_classes={n}.")
    out = np.zeros((y.shape[0], n), dtype=dtype)
    out[np.arange(y.shape[0]), y] = 1
    return out.reshape(shape + (n,))


def normalize(x, axis: int = -1, order: int = 2) -> np.ndarray:
    """``keras.utils.normalize``: ``x`` divided by its ``order``-norm along ``axis`` (zero norms left as 0)."""
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)


def plot_model(*args, **kwargs):
    """Refused: drawing the model graph needs pydot and Graphviz; Propscope's window draws the network."""
    raise NotImplementedError("keras.utils.plot_model is not supported by Propscope (it needs pydot and Graphviz); "
                              "the Propscope window draws the network, and model.summary() lists it.")


__all__ = ["Progbar", "normalize", "plot_model", "set_random_seed", "to_categorical"]


def __getattr__(name: str):
    """Keras names Propscope refuses raise with the reason (see core.unsupported)."""
    from core.unsupported import missing

    return missing("utils", name)
