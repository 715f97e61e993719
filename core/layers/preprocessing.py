"""Keras's preprocessing layers that an MLP course uses: ``Rescaling`` and ``Normalization``.

Neither has trainable weights. ``Normalization`` keeps Keras's three
non-trainable weights (``mean``, ``variance``, ``count``) when it learns its
statistics with :meth:`Normalization.adapt`, so the summary counts them as
Keras does; given ``mean=``/``variance=`` it has none.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.backend.config import epsilon
from core.layers.base import WeightlessLayer


class Rescaling(WeightlessLayer):
    """Keras ``Rescaling(scale, offset=0.0)``: ``a = x·scale + offset`` (e.g. ``scale=1/255``)."""

    def __init__(self, scale: float, offset: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scale, self.offset = scale, offset
        if np.ndim(scale) or np.ndim(offset):
            raise NotImplementedError("Rescaling with per-channel (array) scale or offset is not supported; "
                                      "give numbers.")

    def forward(self, ops, x, training=False, record=None):
        a = x * ops.scalar(self.scale) + ops.scalar(self.offset)
        return a, a

    def local_backward(self, ops, x, a, grad_a):
        return grad_a * ops.scalar(self.scale)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}


class Normalization(WeightlessLayer):
    """Keras ``Normalization(axis=-1, mean=None, variance=None, invert=False)``.

    ``a = (x − mean) / max(√variance, ε)`` per feature of ``axis`` (``invert``:
    ``a = mean + x·max(√variance, ε)``). The statistics come from ``mean`` and
    ``variance``, or from :meth:`adapt` (NumPy ``mean``/``var`` over the other
    axes, as Keras computes them for an array).
    """

    param_names = ("mean", "variance", "count")
    trainable_param_names = ()

    def __init__(self, axis: int | tuple | None = -1, mean: Any = None, variance: Any = None, invert: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = () if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
        self.input_mean, self.input_variance = mean, variance
        self.invert = bool(invert)
        if (mean is not None) != (variance is not None):
            raise ValueError("When setting values directly, both `mean` and `variance` must be set. "
                             f"Received: mean={mean} and variance={variance}")
        if mean is not None:
            self.param_names = ()

    def compute_output_shape(self, input_shape):
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(f"All `axis` values must be in the range [-ndim, ndim). Received inputs with "
                             f"ndim={ndim}, while axis={self.axis}")
        return tuple(input_shape)

    def _keep(self, ndim: int) -> tuple[int, ...]:
        return tuple(sorted(a % ndim for a in self.axis))

    def _stat_shape(self, input_shape) -> tuple[int, ...]:
        return tuple(int(input_shape[d]) for d in self._keep(len(input_shape)))

    def _broadcast(self, ndim: int) -> tuple[int, ...]:
        keep = self._keep(ndim)
        return tuple(int(self.input_shape[d]) if d in keep else 1 for d in range(ndim))

    def initial_weights(self, input_shape, rng):
        if self.input_mean is not None:
            return []
        shape = self._stat_shape(input_shape)
        return [np.zeros(shape), np.ones(shape), np.zeros(())]

    def build(self, input_shape, rng=None):
        super().build(input_shape, rng)
        if self.input_mean is not None:
            shape = self._broadcast(len(self.input_shape))
            self._fixed = (np.broadcast_to(np.asarray(self.input_mean, dtype=np.float64), shape),
                           np.broadcast_to(np.asarray(self.input_variance, dtype=np.float64), shape))

    def adapt(self, data: Any, batch_size: Any = None, steps: Any = None) -> None:
        """Learn the mean and variance of ``data`` (an array) over every axis but ``axis``."""
        if batch_size is not None or steps is not None:
            raise NotImplementedError("Normalization.adapt(batch_size=, steps=) are Keras 2 arguments; "
                                      "Keras 3 adapts on the whole array.")
        data = np.asarray(data)
        if not self.built:
            self.build((None,) + tuple(data.shape[1:]))
        elif self._stat_shape(data.shape) != self._stat_shape(self.input_shape):
            raise ValueError(f"The layer was built with input_shape={self.input_shape}, but adapt() is being "
                             f"called with data with an incompatible shape, data.shape={data.shape}")
        if self.input_mean is not None:
            return  # as Keras: fixed statistics are never overwritten
        reduce = tuple(d for d in range(data.ndim) if d not in self._keep(data.ndim))
        self.ops.assign(self.params[0], self.ops.asarray(np.mean(data, axis=reduce)))
        self.ops.assign(self.params[1], self.ops.asarray(np.var(data, axis=reduce)))

    def _stats(self, ops, ndim: int):
        if self.input_mean is not None:
            mean, variance = (ops.asarray(a) for a in self._fixed)
        else:
            shape = self._broadcast(ndim)
            mean, variance = self.params[0].reshape(shape), self.params[1].reshape(shape)
        return mean, ops.maximum(ops.sqrt(variance), ops.scalar(epsilon()))

    def forward(self, ops, x, training=False, record=None):
        mean, scale = self._stats(ops, len(x.shape))
        a = mean + x * scale if self.invert else (x - mean) / scale
        return a, a

    def local_backward(self, ops, x, a, grad_a):
        _, scale = self._stats(ops, len(x.shape))
        return grad_a * scale if self.invert else grad_a / scale

    def get_config(self):
        as_list = (lambda v: None if v is None else np.asarray(v).tolist())
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": as_list(self.input_mean), "variance": as_list(self.input_variance)}
