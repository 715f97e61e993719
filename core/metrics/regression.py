"""Metrics that average a loss-like value per sample (Keras's regression, probabilistic and hinge metrics).

Each wraps the per-sample formula of the matching :mod:`core.losses` class
(targets prepared as the loss prepares them), so a metric and its loss never
disagree; ``RootMeanSquaredError`` takes the square root of the mean.
"""

from __future__ import annotations

import numpy as np

from core import losses
from core.metrics.base import MeanMetric


class LossMeanMetric(MeanMetric):
    """The mean of ``loss_class().per_sample`` over samples."""

    loss_class: type = losses.MeanSquaredError
    _direction = "down"

    def __init__(self, name=None, dtype=None, **kwargs):
        super().__init__(name, dtype)
        self._loss = self.loss_class(**kwargs)
        self._kwargs = kwargs

    def values(self, ops, y_true, y_pred):
        try:
            y = self._loss.prepare_targets(ops, y_true, tuple(y_pred.shape))
        except losses.LossShapeError:
            # As Keras's metric functions: same ranks broadcast ((N, 1) targets against (N, k) outputs).
            if y_true.ndim != y_pred.ndim:  # Keras fails here too (it cannot broadcast (N,) against (N, k))
                raise
            y = y_true
        return self._loss.per_sample(ops, y, y_pred)

    def get_config(self):
        return {**super().get_config(), **self._kwargs}


def _metric(class_name: str, loss_class: type, default_name: str, doc: str, direction: str | None = "down"):
    cls = type(class_name, (LossMeanMetric,), {"loss_class": loss_class, "default_name": default_name,
                                               "_direction": direction, "__doc__": doc})
    cls.__module__ = __name__
    return cls


MeanSquaredError = _metric("MeanSquaredError", losses.MeanSquaredError, "mean_squared_error",
                           "Keras ``MeanSquaredError`` metric: mean of ``mean((y − ŷ)², axis=-1)``.")
MeanAbsoluteError = _metric("MeanAbsoluteError", losses.MeanAbsoluteError, "mean_absolute_error",
                            "Keras ``MeanAbsoluteError`` metric: mean of ``mean(|y − ŷ|, axis=-1)``.")
MeanAbsolutePercentageError = _metric("MeanAbsolutePercentageError", losses.MeanAbsolutePercentageError,
                                      "mean_absolute_percentage_error", "Keras ``MeanAbsolutePercentageError``.")
MeanSquaredLogarithmicError = _metric("MeanSquaredLogarithmicError", losses.MeanSquaredLogarithmicError,
                                      "mean_squared_logarithmic_error", "Keras ``MeanSquaredLogarithmicError``.")
LogCoshError = _metric("LogCoshError", losses.LogCosh, "logcosh", "Keras ``LogCoshError``: mean log-cosh error.")
KLDivergence = _metric("KLDivergence", losses.KLDivergence, "kl_divergence", "Keras ``KLDivergence`` metric.")
Poisson = _metric("Poisson", losses.Poisson, "poisson", "Keras ``Poisson`` metric.")
Hinge = _metric("Hinge", losses.Hinge, "hinge", "Keras ``Hinge`` metric.")
SquaredHinge = _metric("SquaredHinge", losses.SquaredHinge, "squared_hinge", "Keras ``SquaredHinge`` metric.")
CategoricalHinge = _metric("CategoricalHinge", losses.CategoricalHinge, "categorical_hinge",
                           "Keras ``CategoricalHinge`` metric.")


class RootMeanSquaredError(MeanSquaredError):
    """Keras ``RootMeanSquaredError``: √(mean of the squared errors), in float32."""

    default_name = "root_mean_squared_error"

    def result_from(self, stats):
        return np.sqrt(super().result_from(stats))


class BinaryCrossentropy(LossMeanMetric):
    """Keras ``BinaryCrossentropy`` metric (``from_logits``, ``label_smoothing``)."""

    loss_class = losses.BinaryCrossentropy
    default_name = "binary_crossentropy"

    def __init__(self, name=None, dtype=None, from_logits=False, label_smoothing=0.0):
        super().__init__(name, dtype, from_logits=from_logits, label_smoothing=label_smoothing)


class CategoricalCrossentropy(LossMeanMetric):
    """Keras ``CategoricalCrossentropy`` metric (``from_logits``, ``label_smoothing``)."""

    loss_class = losses.CategoricalCrossentropy
    default_name = "categorical_crossentropy"

    def __init__(self, name=None, dtype=None, from_logits=False, label_smoothing=0.0, axis=-1):
        super().__init__(name, dtype, from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(LossMeanMetric):
    """Keras ``SparseCategoricalCrossentropy`` metric (``from_logits``)."""

    loss_class = losses.SparseCategoricalCrossentropy
    default_name = "sparse_categorical_crossentropy"

    def __init__(self, name=None, dtype=None, from_logits=False, ignore_class=None, axis=-1):
        super().__init__(name, dtype, from_logits=from_logits, ignore_class=ignore_class, axis=axis)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self._kwargs["from_logits"],
                "ignore_class": None, "axis": self._kwargs["axis"]}
