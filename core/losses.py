"""Loss functions with Keras 3 names, formulas and reductions, and their gradients.

Each loss gives the per-sample loss (Keras: the mean over the last axis) and
∂L/∂ŷ of the batch loss ``L = Σ per_sample / N`` (Keras's default
``"sum_over_batch_size"`` reduction). Gradients follow the Keras forward
formulas exactly, including what autograd does with them: crossentropy
renormalizes ŷ by its sum and clips it to ``[ε, 1 − ε]`` (ε = 1e-7), and no
gradient flows through a clipped probability.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.backend.config import epsilon
from core.backend.ops import NumpyOps, Ops


class LossShapeError(ValueError):
    """Targets and predictions do not fit the loss."""


class Loss:
    """Base class. Subclasses implement ``per_sample`` and ``gradient``.

    Parameters
    ----------
    reduction : {"sum_over_batch_size", "sum"}
        How per-sample losses are combined (Keras default: mean over samples).
    name : str, optional
    """

    name = "loss"
    sparse_targets = False  # integer class labels instead of float targets
    formula = ""

    def __init__(self, reduction: str = "sum_over_batch_size", name: str | None = None) -> None:
        if reduction not in ("sum_over_batch_size", "mean", "sum"):
            raise ValueError(f"Unsupported reduction {reduction!r}: use 'sum_over_batch_size' or 'sum'.")
        self.reduction = reduction
        if name:
            self.name = name

    # --- engine API -------------------------------------------------------
    def prepare_targets(self, ops: Ops, y_true: Any, y_pred_shape: tuple[int, ...]):
        """Convert targets to the backend, shaped as Keras would align them."""
        y = np.asarray(y_true) if not hasattr(y_true, "device") else y_true
        if y.ndim == len(y_pred_shape) - 1:
            y = y.reshape(tuple(y.shape) + (1,))
        if tuple(y.shape[1:]) != tuple(y_pred_shape[1:]):
            raise LossShapeError(
                f"{self.name}: targets of shape {tuple(y.shape)} do not match the model output "
                f"{tuple(y_pred_shape)}." + self._shape_hint(y_pred_shape)
            )
        return ops.asarray(y)

    def _shape_hint(self, y_pred_shape) -> str:
        return ""

    def per_sample(self, ops: Ops, y_true, y_pred):
        """Loss of each sample, shape ``(N,)``."""
        raise NotImplementedError

    def elementwise_grad(self, ops: Ops, y_true, y_pred):
        """∂(Σ per_sample)/∂ŷ: the gradient before dividing by the batch size."""
        raise NotImplementedError

    def reduce(self, ops: Ops, per_sample):
        total = ops.sum(per_sample)
        return total if self.reduction == "sum" else total / per_sample.shape[0]

    def gradient(self, ops: Ops, y_true, y_pred):
        """∂L/∂ŷ of the reduced batch loss."""
        g = self.elementwise_grad(ops, y_true, y_pred)
        return g if self.reduction == "sum" else g * (1.0 / y_pred.shape[0])

    # --- Keras API --------------------------------------------------------
    def __call__(self, y_true, y_pred) -> np.floating:
        y_pred = np.asarray(y_pred)
        ops = NumpyOps("float64" if y_pred.dtype == np.float64 else "float32")
        y_pred = ops.asarray(y_pred)
        y = self.prepare_targets(ops, y_true, y_pred.shape)
        return ops.scalar_type(self.reduce(ops, self.per_sample(ops, y, y_pred)))

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "reduction": self.reduction}

    def __repr__(self) -> str:
        return f"<loss {self.name}>"


def _last_dim(y_pred) -> float:
    return float(y_pred.shape[-1])


class MeanSquaredError(Loss):
    """``mean((y − ŷ)², axis=-1)``; ∂/∂ŷ = 2(ŷ − y)/d per sample."""

    name = "mean_squared_error"
    formula = "L = 1/N Σ_i mean_k (y_ik − ŷ_ik)²"

    def per_sample(self, ops, y_true, y_pred):
        return ops.mean(ops.square(y_true - y_pred), axis=-1)

    def elementwise_grad(self, ops, y_true, y_pred):
        return (y_pred - y_true) * (2.0 / _last_dim(y_pred))


class MeanAbsoluteError(Loss):
    """``mean(|y − ŷ|, axis=-1)``; ∂/∂ŷ = sign(ŷ − y)/d (0 where equal)."""

    name = "mean_absolute_error"
    formula = "L = 1/N Σ_i mean_k |y_ik − ŷ_ik|"

    def per_sample(self, ops, y_true, y_pred):
        return ops.mean(ops.abs(y_true - y_pred), axis=-1)

    def elementwise_grad(self, ops, y_true, y_pred):
        return ops.sign(y_pred - y_true) * (1.0 / _last_dim(y_pred))


class Huber(Loss):
    """Keras ``Huber(delta=1.0)``: ½e² where |e| ≤ δ, else δ|e| − ½δ²."""

    name = "huber_loss"
    formula = "L = 1/N Σ mean(½e² if |e| ≤ δ else δ|e| − ½δ²),  e = ŷ − y"

    def __init__(self, delta: float = 1.0, reduction="sum_over_batch_size", name=None):
        super().__init__(reduction, name)
        self.delta = float(delta)

    def per_sample(self, ops, y_true, y_pred):
        e = y_pred - y_true
        ae = ops.abs(e)
        quad = 0.5 * ops.square(e)
        lin = self.delta * ae - 0.5 * self.delta**2
        return ops.mean(ops.where(ae <= self.delta, quad, lin), axis=-1)

    def elementwise_grad(self, ops, y_true, y_pred):
        e = y_pred - y_true
        g = ops.where(ops.abs(e) <= self.delta, e, ops.sign(e) * self.delta)
        return g * (1.0 / _last_dim(y_pred))

    def get_config(self):
        return {**super().get_config(), "delta": self.delta}


class BinaryCrossentropy(Loss):
    """Keras ``BinaryCrossentropy(from_logits=False, label_smoothing=0.0)``.

    Probabilities are clipped to ``[ε, 1 − ε]``; per element
    ``−(y·log p + (1 − y)·log(1 − p))``, then the mean over the last axis.
    """

    name = "binary_crossentropy"
    formula = "L = −1/N Σ [y·log ŷ + (1 − y)·log(1 − ŷ)]"

    def __init__(self, from_logits=False, label_smoothing=0.0, reduction="sum_over_batch_size", name=None):
        super().__init__(reduction, name)
        self.from_logits = bool(from_logits)
        self.label_smoothing = float(label_smoothing)

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
        d = 1.0 / _last_dim(y_pred)
        if self.from_logits:
            return (ops.sigmoid(y_pred) - y_true) * d
        eps = epsilon()
        p = ops.clip(y_pred, eps, 1.0 - eps)
        g = (p - y_true) / ops.maximum((1.0 - p) * p, 1e-12)
        inside = (y_pred >= eps) & (y_pred <= 1.0 - eps)
        return ops.where(inside, g, 0.0) * d

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits, "label_smoothing": self.label_smoothing}


class CategoricalCrossentropy(Loss):
    """Keras ``CategoricalCrossentropy(from_logits=False, label_smoothing=0.0)``.

    ``ŷ`` is renormalized to sum to 1, clipped to ``[ε, 1 − ε]``, and the loss
    is ``−Σ_k y_k·log ŷ_k`` per sample. After softmax the chain rule gives the
    familiar δ = ŷ − y, except where a probability was clipped.
    """

    name = "categorical_crossentropy"
    formula = "L = −1/N Σ_i Σ_k y_ik·log ŷ_ik"

    def __init__(self, from_logits=False, label_smoothing=0.0, reduction="sum_over_batch_size", name=None):
        super().__init__(reduction, name)
        self.from_logits = bool(from_logits)
        self.label_smoothing = float(label_smoothing)

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
        return {**super().get_config(), "from_logits": self.from_logits, "label_smoothing": self.label_smoothing}


class SparseCategoricalCrossentropy(CategoricalCrossentropy):
    """Keras ``SparseCategoricalCrossentropy(from_logits=False)``: integer labels.

    Identical to categorical crossentropy on the one-hot encoding of the labels.
    """

    name = "sparse_categorical_crossentropy"
    sparse_targets = True
    formula = "L = −1/N Σ_i log ŷ_i,y_i"

    def __init__(self, from_logits=False, reduction="sum_over_batch_size", name=None):
        super().__init__(from_logits, 0.0, reduction, name)

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
        return {"name": self.name, "reduction": self.reduction, "from_logits": self.from_logits}


def _fn(cls):
    instance = cls()

    def loss_fn(y_true, y_pred):
        y_pred = np.asarray(y_pred)
        ops = NumpyOps("float64" if y_pred.dtype == np.float64 else "float32")
        y = instance.prepare_targets(ops, y_true, y_pred.shape)
        return instance.per_sample(ops, y, ops.asarray(y_pred))

    loss_fn.__name__ = cls.name
    loss_fn.loss_class = cls
    return loss_fn


# Function forms: per-sample values, as keras.losses.<name>(y_true, y_pred).
mean_squared_error = mse = MSE = _fn(MeanSquaredError)
mean_absolute_error = mae = MAE = _fn(MeanAbsoluteError)
huber = _fn(Huber)
binary_crossentropy = _fn(BinaryCrossentropy)
categorical_crossentropy = _fn(CategoricalCrossentropy)
sparse_categorical_crossentropy = _fn(SparseCategoricalCrossentropy)

_ALIASES = {
    "mse": MeanSquaredError, "mean_squared_error": MeanSquaredError, "meansquarederror": MeanSquaredError,
    "mae": MeanAbsoluteError, "mean_absolute_error": MeanAbsoluteError,
    "meanabsoluteerror": MeanAbsoluteError, "huber": Huber, "huber_loss": Huber,
    "binary_crossentropy": BinaryCrossentropy, "binarycrossentropy": BinaryCrossentropy, "bce": BinaryCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy, "categoricalcrossentropy": CategoricalCrossentropy,
    "cce": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
    "sparsecategoricalcrossentropy": SparseCategoricalCrossentropy,
}


def names() -> list[str]:
    """Canonical loss names for menus."""
    return [
        "mean_squared_error", "mean_absolute_error", "huber", "binary_crossentropy",
        "categorical_crossentropy", "sparse_categorical_crossentropy",
    ]


def get(identifier: Any) -> Loss:
    """Resolve a Keras loss name, class, instance or function form to a :class:`Loss`."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if callable(identifier) and hasattr(identifier, "loss_class"):
        return identifier.loss_class()
    if isinstance(identifier, str):
        cls = _ALIASES.get(identifier.lower())
        if cls is None:
            raise ValueError(f"Unknown loss {identifier!r}. Known: {', '.join(names())} (and mse, mae).")
        return cls()
    raise TypeError(f"Could not interpret loss {identifier!r}: give a name or a core.losses.Loss.")
