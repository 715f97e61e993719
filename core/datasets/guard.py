"""The public boundary of every loader: only :class:`DatasetError` leaves, and only valid data.

:func:`dataset_loader` wraps a loader so that

* the guarded reader's errors become the matching :class:`DatasetError`
  subclass (a FIFO → :class:`NotAFileError`, a limit → :class:`TooLargeError`…);
* anything else that escapes (an ``OSError``, ``MemoryError``, or a bug's
  ``ValueError``) becomes a :class:`DatasetError` with the file named,
  instead of a traceback;
* the returned :class:`Dataset` is checked by :func:`check_dataset` — dtype,
  shape, finiteness, classes and labels, and the named limits — so a file
  cannot smuggle in data that later breaks training or a view.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable, TypeVar

import numpy as np

from core import limits
from core.datasets.dataset import Dataset
from core.datasets.errors import (DatasetError, FormatError, NonFiniteError, NotAFileError, ShapeMismatchError,
                                  TooLargeError, TruncatedFileError, UnsafeFileError)
from core.safeio import errors as read_errors
from core.safeio.arrays import FLOAT32_MAX

F = TypeVar("F", bound=Callable[..., Any])

_TRANSLATION = (
    (read_errors.NotRegularFileError, NotAFileError),
    (read_errors.ReadLimitError, TooLargeError),
    (read_errors.TruncatedError, TruncatedFileError),
    (read_errors.UnsafeContentError, UnsafeFileError),
    (read_errors.NonFiniteValuesError, NonFiniteError),
    (read_errors.CorruptFileError, FormatError),
    (read_errors.InvalidValueError, FormatError),
    (read_errors.ReadRejected, DatasetError),
)


def from_read_error(exc: read_errors.ReadRejected) -> DatasetError:
    """The :class:`DatasetError` subclass that says what ``exc`` says."""
    cls = next(target for source, target in _TRANSLATION if isinstance(exc, source))
    return cls(exc.detail, exc.path, exc.where)


def dataset_loader(fn: F) -> F:
    """Make ``fn(path, ...)`` raise only :class:`DatasetError` and return only checked data."""

    @functools.wraps(fn)
    def wrapper(path, *args, **kwargs):
        try:
            result = fn(path, *args, **kwargs)
            if isinstance(result, Dataset):
                check_dataset(result, path)
            return result
        except (DatasetError, read_errors.LoadCancelled):
            raise
        except read_errors.ReadRejected as exc:
            raise from_read_error(exc) from None
        except limits.LimitError as exc:
            raise TooLargeError(str(exc), path) from None
        except MemoryError:
            raise TooLargeError("ran out of memory while loading; use a smaller file or a subset.", path) from None
        except RecursionError:
            raise FormatError("the file is nested too deeply to read.", path) from None
        except PermissionError:
            raise DatasetError("permission denied: the file cannot be read.", path) from None
        except OSError as exc:
            raise DatasetError(f"could not read the file ({exc.strerror or exc}).", path) from None
        except Exception as exc:  # the promise: a message, never a traceback, whatever the bytes
            raise FormatError(f"could not read this file ({type(exc).__name__}: {str(exc)[:200]}).", path) from None

    return wrapper  # type: ignore[return-value]


def check_dataset(ds: Dataset, path: str | Path | None = None) -> Dataset:
    """Refuse data that training or the views could not use, naming what is wrong.

    Checks samples (numeric, at least one feature, within ``MAX_SAMPLES``,
    ``MAX_FEATURES`` and ``MAX_SAMPLE_DIMS``, finite and within float32),
    labels (one per sample; class indices within the class names, binary
    labels 0/1, ``MAX_CLASSES``; finite regression targets) and the test set
    the same way.
    """
    if ds.task != "regression":
        limits_error(len(ds.class_names), "classes", "MAX_CLASSES", path, minimum=1)
    total = len(ds.x) + (0 if ds.x_test is None else len(ds.x_test))
    limits_error(total, "samples", "MAX_SAMPLES", path)
    _check_part(ds, ds.x, ds.y, "samples", "labels", path)
    if ds.x_test is not None:
        if ds.x_test.shape[1:] != ds.x.shape[1:]:
            raise ShapeMismatchError(f"test samples have shape {ds.x_test.shape[1:]} but training samples "
                                     f"{ds.x.shape[1:]}.", path)
        _check_part(ds, ds.x_test, ds.y_test, "test samples", "test labels", path)
    return ds


def limits_error(value: int, what: str, limit: str, path, minimum: int = 0) -> None:
    top = getattr(limits, limit)
    if value > top:
        raise TooLargeError(f"{value:,} {what}, over the limit of {top:,} ({limit}).", path)
    if value < minimum:
        raise FormatError(f"{value:,} {what}; at least {minimum} needed.", path)


def _check_part(ds: Dataset, x: np.ndarray, y: np.ndarray, xs: str, ys: str, path) -> None:
    if not isinstance(x, np.ndarray) or x.dtype.kind not in "biuf":
        raise FormatError(f"{xs} must be numbers, not {getattr(x, 'dtype', type(x).__name__)}.", path)
    if x.ndim < 2:
        raise ShapeMismatchError(f"{xs} must have a batch dimension and at least one feature, got shape "
                                 f"{x.shape}.", path)
    if len(x) == 0:
        raise DatasetError(f"there are no {xs}.", path)
    features = int(np.prod(x.shape[1:], dtype=np.int64)) if all(d > 0 for d in x.shape[1:]) else 0
    if features == 0:
        raise ShapeMismatchError(f"{xs} have shape {x.shape[1:]}: no features.", path)
    limits_error(features, "features per sample", "MAX_FEATURES", path)
    limits_error(x.ndim - 1, "dimensions per sample", "MAX_SAMPLE_DIMS", path)
    if x.dtype.kind == "f":
        rows = nonfinite_rows(x)
        if rows.size:
            raise NonFiniteError(f"{rows.size:,} of the {xs} contain NaN or Inf, or values beyond float32 "
                                 f"(first: sample {rows[0]}); drop them or fix the data.", path,
                                 count=int(rows.size), rows=rows)
    if not isinstance(y, np.ndarray) or y.ndim == 0 or len(y) != len(x):
        raise ShapeMismatchError(f"{len(x):,} {xs} but labels of shape {getattr(y, 'shape', '?')}.", path)
    if ds.task == "regression":
        if y.dtype.kind not in "iuf" or y.ndim > 2:
            raise FormatError(f"regression targets must be numbers, one value or row per sample; got {y.dtype} "
                              f"{y.shape}.", path)
        if y.dtype.kind == "f" and nonfinite_rows(y.reshape(len(y), -1)).size:
            raise NonFiniteError(f"some {ys} are NaN or Inf, or beyond float32.", path)
        return
    if y.dtype.kind not in "iu" or y.ndim != 1:
        raise FormatError(f"class {ys} must be whole numbers, one per sample; got {y.dtype} {y.shape}.", path)
    lo, hi = int(y.min()), int(y.max())
    if lo < 0 or hi >= len(ds.class_names):
        raise FormatError(f"{ys} run from {lo} to {hi} but there are {len(ds.class_names)} classes "
                          f"(labels 0 to {len(ds.class_names) - 1}).", path)
    if ds.task == "binary" and len(ds.class_names) != 2:
        raise FormatError(f"binary data needs 2 classes, this has {len(ds.class_names)}.", path)


def nonfinite_rows(x: np.ndarray, chunk_values: int = 1 << 22) -> np.ndarray:
    """Indices of rows with NaN, Inf or a value beyond float32's range (in chunks: no full-size mask)."""
    flat = x.reshape(len(x), -1)
    per_row = max(1, flat.shape[1])
    step = max(1, chunk_values // per_row)
    bad = []
    for start in range(0, len(flat), step):
        block = flat[start:start + step]
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(block).all(axis=1)
            if block.dtype.itemsize > 4:
                ok &= (np.abs(np.where(np.isfinite(block), block, 0)) <= FLOAT32_MAX).all(axis=1)
        if not ok.all():
            bad.append(np.flatnonzero(~ok) + start)
    return np.concatenate(bad) if bad else np.zeros(0, np.int64)
