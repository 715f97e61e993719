"""Regression losses: MSE, MAE, MAPE, MSLE, Huber and log-cosh, with their gradients.

Gradients follow Keras's forward formulas as autograd differentiates them
(``maximum`` passes the gradient to the larger argument, ``abs``′(0) = 0).
"""

from __future__ import annotations

import math

from core.backend.config import epsilon
from core.losses.base import Loss, last_dim


class MeanSquaredError(Loss):
    """``mean((y − ŷ)², axis=-1)``; ∂/∂ŷ = 2(ŷ − y)/d per sample."""

    name = "mean_squared_error"
    formula = "L = 1/N Σ_i mean_k (y_ik − ŷ_ik)²"

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(reduction, name, dtype)

    def per_sample(self, ops, y_true, y_pred):
        return ops.mean(ops.square(y_true - y_pred), axis=-1)

    def elementwise_grad(self, ops, y_true, y_pred):
        return (y_pred - y_true) * (2.0 / last_dim(y_pred))


class MeanAbsoluteError(Loss):
    """``mean(|y − ŷ|, axis=-1)``; ∂/∂ŷ = sign(ŷ − y)/d (0 where equal)."""

    name = "mean_absolute_error"
    formula = "L = 1/N Σ_i mean_k |y_ik − ŷ_ik|"

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(reduction, name, dtype)

    def per_sample(self, ops, y_true, y_pred):
        return ops.mean(ops.abs(y_true - y_pred), axis=-1)

    def elementwise_grad(self, ops, y_true, y_pred):
        return ops.sign(y_pred - y_true) * (1.0 / last_dim(y_pred))


class MeanAbsolutePercentageError(Loss):
    """``100·mean(|(y − ŷ) / max(|y|, ε)|, axis=-1)``."""

    name = "mean_absolute_percentage_error"
    formula = "L = 1/N Σ_i 100·mean_k |y_ik − ŷ_ik| / max(|y_ik|, ε)"

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None):
        super().__init__(reduction, name, dtype)

    def per_sample(self, ops, y_true, y_pred):
        return ops.mean(ops.abs((y_true - y_pred) / ops.maximum(ops.abs(y_true), epsilon())), axis=-1) * 100.0

    def elementwise_grad(self, ops, y_true, y_pred):
        return ops.sign(y_pred - y_true) / ops.maximum(ops.abs(y_true), epsilon()) * (100.0 / last_dim(y_pred))


class MeanSquaredLogarithmicError(Loss):
    """``mean((log(max(ŷ, ε) + 1) − log(max(y, ε) + 1))², axis=-1)``."""

    name = "mean_squared_logarithmic_error"
    formula = "L = 1/N Σ_i mean_k (log(1 + ŷ_ik) − log(1 + y_ik))²"

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(reduction, name, dtype)

    def _diff(self, ops, y_true, y_pred):
        return ops.log(ops.maximum(y_pred, epsilon()) + 1.0) - ops.log(ops.maximum(y_true, epsilon()) + 1.0)

    def per_sample(self, ops, y_true, y_pred):
        return ops.mean(ops.square(self._diff(ops, y_true, y_pred)), axis=-1)

    def elementwise_grad(self, ops, y_true, y_pred):
        through = ops.where(y_pred > epsilon(), 1.0 / (ops.maximum(y_pred, epsilon()) + 1.0), 0.0)
        return self._diff(ops, y_true, y_pred) * through * (2.0 / last_dim(y_pred))


class Huber(Loss):
    """Keras ``Huber(delta=1.0)``: ½e² where |e| ≤ δ, else δ|e| − ½δ²."""

    name = "huber_loss"
    formula = "L = 1/N Σ mean(½e² if |e| ≤ δ else δ|e| − ½δ²),  e = ŷ − y"

    def __init__(self, delta: float = 1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(reduction, name, dtype)
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
        return g * (1.0 / last_dim(y_pred))

    def get_config(self):
        return {**super().get_config(), "delta": self.delta}


class LogCosh(Loss):
    """``mean(log cosh(ŷ − y), axis=-1)``, computed as Keras does: ``x + softplus(−2x) − log 2``."""

    name = "log_cosh"
    formula = "L = 1/N Σ_i mean_k log cosh(ŷ_ik − y_ik)"

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(reduction, name, dtype)

    def per_sample(self, ops, y_true, y_pred):
        x = y_pred - y_true
        softplus = ops.maximum(x * -2.0, 0.0) + ops.log1p(ops.exp(-ops.abs(x * -2.0)))
        return ops.mean(x + softplus - math.log(2.0), axis=-1)

    def elementwise_grad(self, ops, y_true, y_pred):
        x = y_pred - y_true
        return (1.0 - 2.0 * ops.sigmoid(x * -2.0)) * (1.0 / last_dim(y_pred))
