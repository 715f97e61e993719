"""Accuracy metrics (Keras ``Accuracy``, ``BinaryAccuracy``, ``CategoricalAccuracy``,
``SparseCategoricalAccuracy``, ``TopKCategoricalAccuracy``, ``SparseTopKCategoricalAccuracy``)."""

from __future__ import annotations

import numpy as np

from core.metrics.base import MeanMetric


def _align(y_true, y_pred):
    if y_true.ndim == y_pred.ndim - 1:
        y_true = y_true.reshape(tuple(y_true.shape) + (1,))
    return y_true


class Accuracy(MeanMetric):
    """Share of outputs exactly equal to the targets (Keras ``Accuracy``; compare ``"accuracy"`` in compile)."""

    default_name = "accuracy"
    _direction = "up"

    def values(self, ops, y_true, y_pred):
        return ops.mean(ops.as_float(_align(y_true, y_pred) == y_pred), axis=-1)


class BinaryAccuracy(MeanMetric):
    """Share of outputs on the right side of ``threshold`` (default 0.5)."""

    default_name = "binary_accuracy"
    _direction = "up"

    def __init__(self, name=None, dtype=None, threshold: float = 0.5):
        self.threshold = float(threshold)
        super().__init__(name, dtype)

    def values(self, ops, y_true, y_pred):
        y_true = _align(y_true, y_pred)
        hit = (y_pred > self.threshold) == (y_true > 0.5)
        return ops.mean(ops.as_float(hit), axis=-1)

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}


class CategoricalAccuracy(MeanMetric):
    """Share of samples whose arg-max output matches the arg-max target."""

    default_name = "categorical_accuracy"
    _direction = "up"

    def values(self, ops, y_true, y_pred):
        hit = ops.argmax(y_true, axis=-1) == ops.argmax(y_pred, axis=-1)
        return ops.as_float(hit)


class SparseCategoricalAccuracy(MeanMetric):
    """Share of samples whose arg-max output equals the integer label."""

    default_name = "sparse_categorical_accuracy"
    _direction = "up"

    def values(self, ops, y_true, y_pred):
        if y_true.ndim == y_pred.ndim:
            y_true = y_true[..., 0]
        hit = ops.argmax(y_pred, axis=-1) == y_true
        return ops.as_float(hit)


def _in_top_k(ops, labels, y_pred, k: int):
    # As torch's in_top_k in Keras: the label's score is at least the k-th largest (ties count).
    k = min(int(k), int(y_pred.shape[-1]))
    scores = ops.to_numpy(y_pred)
    kth = -np.partition(-scores, k - 1, axis=-1)[:, k - 1]
    idx = ops.to_numpy(labels).astype("int64")
    target = scores[np.arange(len(idx)), idx]
    return ops.asarray((target >= kth).astype("float64"))


class TopKCategoricalAccuracy(MeanMetric):
    """Share of samples whose one-hot target is among the ``k`` highest outputs (default k=5)."""

    default_name = "top_k_categorical_accuracy"
    _direction = "up"

    def __init__(self, k: int = 5, name=None, dtype=None):
        self.k = int(k)
        super().__init__(name, dtype)

    def values(self, ops, y_true, y_pred):
        return _in_top_k(ops, ops.argmax(y_true, axis=-1), y_pred, self.k)

    def get_config(self):
        return {**super().get_config(), "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetric):
    """Share of samples whose integer label is among the ``k`` highest outputs (default k=5)."""

    default_name = "sparse_top_k_categorical_accuracy"
    _direction = "up"

    def __init__(self, k: int = 5, name=None, dtype=None, from_sorted_ids: bool = False):
        if from_sorted_ids:
            raise NotImplementedError("SparseTopKCategoricalAccuracy(from_sorted_ids=True) is not supported; "
                                      "give the model's scores.")
        self.k = int(k)
        super().__init__(name, dtype)

    def values(self, ops, y_true, y_pred):
        labels = y_true[..., 0] if y_true.ndim == y_pred.ndim else y_true
        return _in_top_k(ops, labels, y_pred, self.k)

    def get_config(self):
        return {**super().get_config(), "k": self.k}
