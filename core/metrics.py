"""Metrics with Keras 3 names and semantics.

A metric is a running mean over samples, as in Keras: ``update_state`` adds a
batch, ``result`` gives the mean so far, ``reset_state`` starts again.
``"accuracy"`` is resolved the way ``Model.compile`` resolves it: binary when
the model has one output unit, sparse when the targets have one dimension less
than the output (or a last dimension of 1), categorical otherwise.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.backend.ops import NumpyOps, Ops


class Metric:
    """A running mean of a per-sample value.

    Parameters
    ----------
    name : str, optional
        The key in ``History.history``; defaults to the Keras name.
    """

    default_name = "metric"

    def __init__(self, name: str | None = None) -> None:
        self.name = name or self.default_name
        self.reset_state()

    def per_sample(self, ops: Ops, y_true, y_pred):
        raise NotImplementedError

    def reset_state(self) -> None:
        self._total = 0.0
        self._count = 0

    def update_state(self, y_true, y_pred, ops: Ops | None = None) -> None:
        """Add one batch. ``y_true`` are raw targets, as given to ``fit``."""
        if ops is None:
            y_pred = np.asarray(y_pred)
            ops = NumpyOps("float64" if y_pred.dtype == np.float64 else "float32")
            y_true, y_pred = np.asarray(y_true), ops.asarray(y_pred)
        values = self.per_sample(ops, y_true, y_pred)
        self._total += ops.item(ops.sum(values))
        self._count += int(values.shape[0])

    def result(self) -> float:
        return float(np.float32(self._total / self._count)) if self._count else 0.0

    def __repr__(self) -> str:
        return f"<metric {self.name}>"


def _align(ops: Ops, y_true, y_pred):
    if y_true.ndim == y_pred.ndim - 1:
        y_true = y_true.reshape(tuple(y_true.shape) + (1,))
    return y_true


class BinaryAccuracy(Metric):
    """Share of outputs on the right side of ``threshold`` (default 0.5)."""

    default_name = "binary_accuracy"

    def __init__(self, name=None, threshold: float = 0.5):
        self.threshold = float(threshold)
        super().__init__(name)

    def per_sample(self, ops, y_true, y_pred):
        y_true = _align(ops, y_true, y_pred)
        hit = (y_pred > self.threshold) == (y_true > 0.5)
        return ops.mean(ops.as_float(hit), axis=-1)


class CategoricalAccuracy(Metric):
    """Share of samples whose arg-max output matches the arg-max target."""

    default_name = "categorical_accuracy"

    def per_sample(self, ops, y_true, y_pred):
        hit = ops.argmax(y_true, axis=-1) == ops.argmax(y_pred, axis=-1)
        return ops.as_float(hit)


class SparseCategoricalAccuracy(Metric):
    """Share of samples whose arg-max output equals the integer label."""

    default_name = "sparse_categorical_accuracy"

    def per_sample(self, ops, y_true, y_pred):
        if y_true.ndim == y_pred.ndim:
            y_true = y_true[..., 0]
        hit = ops.argmax(y_pred, axis=-1) == y_true
        return ops.as_float(hit)


class MeanSquaredError(Metric):
    """Mean squared error per sample, averaged."""

    default_name = "mean_squared_error"

    def per_sample(self, ops, y_true, y_pred):
        return ops.mean(ops.square(_align(ops, y_true, y_pred) - y_pred), axis=-1)


class MeanAbsoluteError(Metric):
    """Mean absolute error per sample, averaged."""

    default_name = "mean_absolute_error"

    def per_sample(self, ops, y_true, y_pred):
        return ops.mean(ops.abs(_align(ops, y_true, y_pred) - y_pred), axis=-1)


_BY_NAME = {
    "binary_accuracy": BinaryAccuracy,
    "categorical_accuracy": CategoricalAccuracy,
    "sparse_categorical_accuracy": SparseCategoricalAccuracy,
    "mse": MeanSquaredError,
    "mean_squared_error": MeanSquaredError,
    "mae": MeanAbsoluteError,
    "mean_absolute_error": MeanAbsoluteError,
}


def resolve(identifier: Any, y_true_shape: tuple[int, ...], y_pred_shape: tuple[int, ...]) -> Metric:
    """Build the metric Keras's ``compile`` would build for ``identifier``."""
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if not isinstance(identifier, str):
        raise TypeError(f"Could not interpret metric {identifier!r}.")
    key = identifier.lower()
    if key in ("accuracy", "acc"):
        is_binary = y_pred_shape[-1] == 1
        is_sparse = len(y_true_shape) < len(y_pred_shape) or (
            y_true_shape[-1] == 1 and y_pred_shape[-1] > 1
        )
        if is_binary:
            return BinaryAccuracy(name=identifier)
        if is_sparse:
            return SparseCategoricalAccuracy(name=identifier)
        return CategoricalAccuracy(name=identifier)
    if key in _BY_NAME:
        return _BY_NAME[key](name=identifier)
    raise ValueError(f"Unknown metric {identifier!r}. Known: accuracy, {', '.join(_BY_NAME)}.")


def get(identifier: Any) -> Metric:
    """Resolve a metric without shape information (``"accuracy"`` → categorical)."""
    return resolve(identifier, (1, 2), (1, 2))
