"""The :class:`Loss` base class: per-sample values, Keras's reductions and sample weights.

Each loss gives the per-sample loss (Keras: the mean over the last axis) and
∂(Σ per-sample)/∂ŷ; :meth:`Loss.reduce` and :meth:`Loss.gradient` turn those
into the batch loss and its gradient, with optional sample weights, exactly as
Keras's ``reduce_weighted_values`` does: the weighted per-sample values are
summed, then divided by the batch size (``"sum_over_batch_size"``, the default,
and ``"mean"``), by the sum of the weights (``"mean_with_sample_weight"``) or
not at all (``"sum"``); ``None``/``"none"`` returns the per-sample values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.backend.ops import NumpyOps, Ops

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


class LossShapeError(ValueError):
    """Targets and predictions do not fit the loss."""


def check_axis(owner: str, axis: int) -> None:
    if axis not in (-1,):
        raise NotImplementedError(f"{owner}(axis={axis}): Propscope's losses work over the last axis (axis=-1).")


class Loss:
    """Base class. Subclasses implement ``per_sample`` and ``elementwise_grad``.

    Parameters
    ----------
    reduction : str or None
        How per-sample losses are combined (Keras default: ``"sum_over_batch_size"``).
    name : str, optional
    dtype : str, optional
        ``"float32"``/``"float64"`` for standalone calls; in training the model dtype is used.
    """

    name = "loss"
    sparse_targets = False  # integer class labels instead of float targets
    formula = ""

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str | None = None,
                 dtype: str | None = None) -> None:
        if reduction not in REDUCTIONS:
            raise ValueError(f"Invalid value for argument `reduction`. Expected one of {set(REDUCTIONS)}. "
                             f"Received: reduction={reduction}")
        if dtype not in (None, "float32", "float64"):
            raise NotImplementedError(f"Loss dtype={dtype!r}: Propscope computes in float32 or float64.")
        self.reduction = reduction
        self.dtype = dtype
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
        """∂(Σ per_sample)/∂ŷ: the gradient before the reduction."""
        raise NotImplementedError

    def reduce(self, ops: Ops, per_sample, sample_weight=None):
        """The batch loss from per-sample values (and optional per-sample weights)."""
        if sample_weight is not None:
            per_sample = per_sample * sample_weight
        if self.reduction in (None, "none"):
            return per_sample
        total = ops.sum(per_sample)
        if self.reduction == "sum":
            return total
        if self.reduction == "mean_with_sample_weight" and sample_weight is not None:
            weight = ops.sum(sample_weight)
            return total / weight if ops.item(weight) != 0 else total * 0.0
        return total / per_sample.shape[0]

    def gradient(self, ops: Ops, y_true, y_pred, sample_weight=None):
        """∂L/∂ŷ of the reduced batch loss."""
        g = self.elementwise_grad(ops, y_true, y_pred)
        if sample_weight is not None:
            g = g * sample_weight.reshape((-1,) + (1,) * (len(g.shape) - 1))
        if self.reduction == "sum":
            return g
        if self.reduction == "mean_with_sample_weight" and sample_weight is not None:
            weight = ops.item(ops.sum(sample_weight))
            return g * (1.0 / weight) if weight else g * 0.0
        return g * (1.0 / y_pred.shape[0])

    # --- Keras API --------------------------------------------------------
    def __call__(self, y_true, y_pred, sample_weight=None):
        """The reduced loss of a batch, as ``keras.losses.Loss.__call__`` (a NumPy scalar)."""
        y_pred = np.asarray(y_pred)
        dtype = self.dtype or ("float64" if y_pred.dtype == np.float64 else "float32")
        ops = NumpyOps(dtype)
        y_pred = ops.asarray(y_pred)
        y = self.prepare_targets(ops, y_true, y_pred.shape)
        weights = None
        if sample_weight is not None:
            weights = ops.asarray(np.broadcast_to(np.asarray(sample_weight, dtype=dtype).reshape(-1),
                                                  (y_pred.shape[0],)))
        out = self.reduce(ops, self.per_sample(ops, y, y_pred), weights)
        return out if getattr(out, "ndim", 0) else ops.scalar_type(out)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Loss":
        return cls(**config)

    def __repr__(self) -> str:
        return f"<loss {self.name}>"


def last_dim(y_pred) -> float:
    return float(y_pred.shape[-1])
