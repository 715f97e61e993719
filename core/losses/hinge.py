"""Hinge losses (Keras ``hinge``, ``squared_hinge``, ``categorical_hinge``).

Binary labels 0/1 become −1/1 when every label *of the batch* is 0 or 1, as
Keras's ``convert_binary_labels_to_hinge`` decides per call.
"""

from __future__ import annotations

from core.losses.base import Loss, last_dim


def _signed(ops, y_true):
    binary = ops.item(ops.sum(ops.as_float((y_true != 0) & (y_true != 1)))) == 0
    return y_true * 2.0 - 1.0 if binary else y_true


class Hinge(Loss):
    """``mean(max(1 − y·ŷ, 0), axis=-1)`` with labels −1/1 (0/1 converted)."""

    name = "hinge"
    formula = "L = 1/N Σ_i mean_k max(1 − y_ik·ŷ_ik, 0)"

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(reduction, name, dtype)

    def per_sample(self, ops, y_true, y_pred):
        return ops.mean(ops.maximum(1.0 - _signed(ops, y_true) * y_pred, 0.0), axis=-1)

    def elementwise_grad(self, ops, y_true, y_pred):
        y = _signed(ops, y_true)
        return ops.where(1.0 - y * y_pred > 0, -y, 0.0) * (1.0 / last_dim(y_pred))


class SquaredHinge(Loss):
    """``mean(max(1 − y·ŷ, 0)², axis=-1)`` with labels −1/1 (0/1 converted)."""

    name = "squared_hinge"
    formula = "L = 1/N Σ_i mean_k max(1 − y_ik·ŷ_ik, 0)²"

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(reduction, name, dtype)

    def per_sample(self, ops, y_true, y_pred):
        return ops.mean(ops.square(ops.maximum(1.0 - _signed(ops, y_true) * y_pred, 0.0)), axis=-1)

    def elementwise_grad(self, ops, y_true, y_pred):
        y = _signed(ops, y_true)
        margin = ops.maximum(1.0 - y * y_pred, 0.0)
        return margin * -2.0 * y * (1.0 / last_dim(y_pred))


class CategoricalHinge(Loss):
    """``max(max_k (1 − y_k)·ŷ_k − Σ_k y_k·ŷ_k + 1, 0)`` for one-hot ``y``."""

    name = "categorical_hinge"
    formula = "L = 1/N Σ_i max(max_{k≠y} ŷ_ik − ŷ_iy + 1, 0)"

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(reduction, name, dtype)

    def per_sample(self, ops, y_true, y_pred):
        pos = ops.sum(y_true * y_pred, axis=-1)
        neg = ops.max((1.0 - y_true) * y_pred, axis=-1)
        return ops.maximum(neg - pos + 1.0, 0.0)

    def elementwise_grad(self, ops, y_true, y_pred):
        masked = (1.0 - y_true) * y_pred
        active = ops.as_float(self.per_sample(ops, y_true, y_pred) > 0).reshape((-1, 1))
        # max's gradient goes to the first arg-max, as torch's does.
        at_max = ops.one_hot(ops.argmax(masked, axis=-1), int(y_pred.shape[-1]))
        return (at_max * (1.0 - y_true) - y_true) * active
