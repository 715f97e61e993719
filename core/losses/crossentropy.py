"""Probabilistic losses: binary, categorical and sparse crossentropy, KL divergence, Poisson.

Gradients follow the Keras forward formulas exactly, including what autograd
does with them: crossentropy renormalizes ŷ by its sum and clips it to
``[ε, 1 − ε]`` (ε = 1e-7), and no gradient flows through a clipped probability.
"""

from __future__ import annotations

import numpy as np

from core.arguments import refuse
from core.backend.config import epsilon
from core.losses.base import Loss, LossShapeError, check_axis, last_dim


class BinaryCrossentropy(Loss):
    """Keras ``BinaryCrossentropy(from_logits=False, label_smoothing=0.0)``.

    Probabilities are clipped to ``[ε, 1 − ε]``; per element
    ``−(y·log p + (1 − y)·log(1 − p))``, then the mean over the last axis.
    """

    name = "binary_crossentropy"
    formula = "L = −1/N Σ [y·log ŷ + (1 − y)·log(1 − ŷ)]"

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_crossentropy", dtype=None):
        super().__init__(reduction, name, dtype)
        check_axis("BinaryCrossentropy", axis)
        self.from_logits = bool(from_logits)
        self.label_smoothing = float(label_smoothing)
        self.axis = axis

    def prepare_targets(self, ops, y_true, y_pred_shape):
        y = super().prepare_targets(ops, y_true, y_pred_shape)
        if self.label_smoothing:
            y = y * (1.0 - self.label_smoothing) + 0.5 * self.label_smoothing
        return y

    def per_sample(self, ops, y_true, y_pred):
        if self.from_logits:
            x = y_pred
            el = ops.maximum(x, 0.0) - x * y_true + ops.log1p(ops.exp(-ops.abs(x)))
        else:
            eps = epsilon()
            p = ops.clip(y_pred, eps, 1.0 - eps)
            # torch's binary_cross_entropy clamps each log at −100.
            el = -(y_true * ops.maximum(ops.log(p), -100.0) + (1.0 - y_true) * ops.maximum(ops.log(1.0 - p), -100.0))
        return ops.mean(el, axis=-1)

    def elementwise_grad(self, ops, y_true, y_pred):
        d = 1.0 / last_dim(y_pred)
        if self.from_logits:
            return (ops.sigmoid(y_pred) - y_true) * d
        eps = epsilon()
        p = ops.clip(y_pred, eps, 1.0 - eps)
        g = (p - y_true) / ops.maximum((1.0 - p) * p, 1e-12)
        inside = (y_pred >= eps) & (y_pred <= 1.0 - eps)
        return ops.where(inside, g, 0.0) * d

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits, "label_smoothing": self.label_smoothing,
                "axis": self.axis}


class CategoricalCrossentropy(Loss):
    """Keras ``CategoricalCrossentropy(from_logits=False, label_smoothing=0.0)``.

    ``ŷ`` is renormalized to sum to 1, clipped to ``[ε, 1 − ε]``, and the loss
    is ``−Σ_k y_k·log ŷ_k`` per sample. After softmax the chain rule gives the
    familiar δ = ŷ − y, except where a probability was clipped.
    """

    name = "categorical_crossentropy"
    formula = "L = −1/N Σ_i Σ_k y_ik·log ŷ_ik"

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="categorical_crossentropy", dtype=None):
        super().__init__(reduction, name, dtype)
        check_axis("CategoricalCrossentropy", axis)
        self.from_logits = bool(from_logits)
        self.label_smoothing = float(label_smoothing)
        self.axis = axis

    def _shape_hint(self, y_pred_shape):
        return (
            f" categorical_crossentropy needs one-hot targets of shape (N, {y_pred_shape[-1]});"
            " for integer labels use sparse_categorical_crossentropy."
        )

    def prepare_targets(self, ops, y_true, y_pred_shape):
        y = np.asarray(y_true) if not hasattr(y_true, "device") else y_true
        if y.ndim != len(y_pred_shape) or tuple(y.shape[1:]) != tuple(y_pred_shape[1:]):
            raise LossShapeError(
                f"{self.name}: targets of shape {tuple(y.shape)} do not match the model output "
                f"{tuple(y_pred_shape)}." + self._shape_hint(y_pred_shape)
            )
        y = ops.asarray(y)
        if self.label_smoothing:
            y = y * (1.0 - self.label_smoothing) + self.label_smoothing / y_pred_shape[-1]
        return y

    def _log_softmax(self, ops, z):
        shifted = z - ops.max(z, axis=-1, keepdims=True)
        return shifted - ops.log(ops.sum(ops.exp(shifted), axis=-1, keepdims=True))

    def per_sample(self, ops, y_true, y_pred):
        if self.from_logits:
            return -ops.sum(y_true * self._log_softmax(ops, y_pred), axis=-1)
        eps = epsilon()
        q = ops.clip(y_pred / ops.sum(y_pred, axis=-1, keepdims=True), eps, 1.0 - eps)
        return -ops.sum(y_true * ops.log(q), axis=-1)

    def elementwise_grad(self, ops, y_true, y_pred):
        if self.from_logits:
            sm = ops.exp(self._log_softmax(ops, y_pred))
            return sm * ops.sum(y_true, axis=-1, keepdims=True) - y_true
        eps = epsilon()
        s = ops.sum(y_pred, axis=-1, keepdims=True)
        q = y_pred / s
        inside = (q >= eps) & (q <= 1.0 - eps)
        g_q = ops.where(inside, -y_true / ops.clip(q, eps, 1.0 - eps), 0.0)
        # Through q = ŷ / Σŷ: ∂q_j/∂ŷ_k = δ_jk/s − ŷ_j/s².
        return g_q / s - ops.sum(g_q * y_pred, axis=-1, keepdims=True) / (s * s)

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits, "label_smoothing": self.label_smoothing,
                "axis": self.axis}


class SparseCategoricalCrossentropy(CategoricalCrossentropy):
    """Keras ``SparseCategoricalCrossentropy(from_logits=False)``: integer labels.

    Identical to categorical crossentropy on the one-hot encoding of the labels.
    """

    name = "sparse_categorical_crossentropy"
    sparse_targets = True
    formula = "L = −1/N Σ_i log ŷ_i,y_i"

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size", axis=-1,
                 name="sparse_categorical_crossentropy", dtype=None):
        refuse("SparseCategoricalCrossentropy", "Every label counts in Propscope's loss.", ignore_class=ignore_class)
        super().__init__(from_logits, 0.0, axis, reduction, name, dtype)
        self.ignore_class = None

    def prepare_targets(self, ops, y_true, y_pred_shape):
        y = np.asarray(y_true) if not hasattr(y_true, "device") else ops.to_numpy(y_true)
        if y.ndim == len(y_pred_shape) and y.shape[-1] == 1:
            y = y.reshape(y.shape[:-1])
        if y.ndim != len(y_pred_shape) - 1:
            raise LossShapeError(
                f"{self.name}: expects integer class labels of shape (N,), got targets of shape "
                f"{tuple(y.shape)} for output {tuple(y_pred_shape)}. For one-hot targets use "
                "categorical_crossentropy."
            )
        if y.size and not np.issubdtype(y.dtype, np.integer):
            if not np.all(np.isfinite(y)) or not np.all(np.equal(np.mod(y, 1), 0)):
                raise LossShapeError(f"{self.name}: labels must be whole numbers (class indices).")
        classes = y_pred_shape[-1]
        if y.size and (y.min() < 0 or y.max() >= classes):
            raise LossShapeError(
                f"{self.name}: label {int(y.max() if y.max() >= classes else y.min())} is outside "
                f"0..{classes - 1} for a model with {classes} output units."
            )
        return ops.one_hot(ops.as_index(y.astype(np.int64)), classes)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction, "from_logits": self.from_logits, "ignore_class": None}


class KLDivergence(Loss):
    """``Σ_k y·log(y/ŷ)`` with both clipped to ``[ε, 1]`` (Keras ``kl_divergence``)."""

    name = "kl_divergence"
    formula = "L = 1/N Σ_i Σ_k y_ik·log(y_ik / ŷ_ik)"

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(reduction, name, dtype)

    def per_sample(self, ops, y_true, y_pred):
        y = ops.clip(y_true, epsilon(), 1.0)
        return ops.sum(y * ops.log(y / ops.clip(y_pred, epsilon(), 1.0)), axis=-1)

    def elementwise_grad(self, ops, y_true, y_pred):
        y = ops.clip(y_true, epsilon(), 1.0)
        inside = (y_pred >= epsilon()) & (y_pred <= 1.0)
        return ops.where(inside, -y / ops.clip(y_pred, epsilon(), 1.0), 0.0)


class Poisson(Loss):
    """``mean(ŷ − y·log(ŷ + ε), axis=-1)``."""

    name = "poisson"
    formula = "L = 1/N Σ_i mean_k (ŷ_ik − y_ik·log(ŷ_ik + ε))"

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(reduction, name, dtype)

    def per_sample(self, ops, y_true, y_pred):
        return ops.mean(y_pred - y_true * ops.log(y_pred + epsilon()), axis=-1)

    def elementwise_grad(self, ops, y_true, y_pred):
        return (1.0 - y_true / (y_pred + epsilon())) * (1.0 / last_dim(y_pred))
