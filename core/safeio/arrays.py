"""Checks for arrays that came from a file: dtype, shape and finiteness, with the array named."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from core.safeio.errors import InvalidValueError, NonFiniteValuesError
from core.safeio.npy import KIND_NAMES, kind_name

#: The largest float32: a float64 value beyond it becomes Inf when the model casts it.
FLOAT32_MAX = float(np.finfo(np.float32).max)


def check_array(arr: np.ndarray, name: str, *, kinds: str = "f", shape: Sequence[int | None] | None = None,
                finite: bool = True, max_abs: float | None = None, path=None, where: str | None = None) -> np.ndarray:
    """Return ``arr`` when it is what ``name`` must be, else raise the reader's error.

    Parameters
    ----------
    kinds : str
        Allowed dtype kinds (``"f"`` floats, ``"iu"`` integers, ``"biuf"`` any number).
    shape : sequence of int or None, optional
        The expected shape; ``None`` entries match any size.
    finite : bool
        Refuse NaN and Inf (float arrays).
    max_abs : float, optional
        Refuse values whose magnitude exceeds this (``FLOAT32_MAX``: values that
        would become Inf in float32).
    """
    place = f"{where}, {name}" if where else name
    if not isinstance(arr, np.ndarray):
        raise InvalidValueError(f"should be an array, not {type(arr).__name__}.", path, place)
    if arr.dtype.kind not in kinds:
        raise InvalidValueError(f"holds {kind_name(arr.dtype)} ({arr.dtype}); expected "
                                f"{' or '.join(KIND_NAMES.get(k, k) for k in kinds)}.",
                                path, place)
    if shape is not None:
        expected = tuple(shape)
        if arr.ndim != len(expected) or any(e is not None and e != d for e, d in zip(expected, arr.shape)):
            shown = "(" + ", ".join("any" if e is None else str(e) for e in expected) + ("," if len(expected) == 1
                                                                                          else "") + ")"
            raise InvalidValueError(f"has shape {arr.shape}; expected {shown}.", path, place)
    if arr.dtype.kind == "f" and arr.size:
        if finite:
            bad = int(arr.size - np.count_nonzero(np.isfinite(arr)))
            if bad:
                raise NonFiniteValuesError(f"holds {bad:,} NaN or Inf value(s).", path, place, count=bad)
        if max_abs is not None:
            big = np.abs(arr[np.isfinite(arr)]) > max_abs if not finite else np.abs(arr) > max_abs
            over = int(np.count_nonzero(big))
            if over:
                raise NonFiniteValuesError(f"holds {over:,} value(s) beyond ±{max_abs:.3g}, which become Inf in "
                                           "float32.", path, place, count=over)
    return arr
