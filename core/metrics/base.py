"""The metric base classes: additive statistics, so an epoch needs no host sync per batch.

A metric turns a batch into a tuple of *statistics* that add up over batches
(a sum and a count; true/false positive counts per threshold…) and computes
its result from the totals. The training loop keeps the totals on the backend
and reads them once an epoch (or when a callback asks for running values),
which is what Keras's metric variables do too. The stateful Keras API —
``update_state``, ``result``, ``reset_state`` — is built on the same two methods.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from core.backend.config import floatx, snake_name, unique_name
from core.backend.ops import NumpyOps, Ops


def to_host(ops: Ops, stats: tuple) -> tuple:
    """Statistics as Python floats (scalars) and NumPy arrays."""
    out = []
    for s in stats:
        if isinstance(s, (int, float)):
            out.append(s)
        elif len(getattr(s, "shape", ())) == 0:
            out.append(ops.item(s))
        else:
            out.append(ops.to_numpy(s))
    return tuple(out)


def add_stats(a: tuple | None, b: tuple) -> tuple:
    return b if a is None else tuple(x + y for x, y in zip(a, b))


class Metric:
    """Base class: ``batch_stats`` and ``result_from`` define the metric.

    Parameters
    ----------
    name : str, optional
        The key in ``History.history``; by default the snake-case class name,
        numbered per session as Keras numbers them (``precision_1``).
    dtype : str, optional
    """

    #: "up" when larger is better, "down" when smaller is (EarlyStopping's mode="auto" reads it);
    #: None where Keras does not say (its counts, your own metric functions)
    _direction: str | None = None
    #: Keras's fixed default name; None numbers the snake-case class name per session (``precision_1``)
    default_name: str | None = None
    #: The name ``evaluate()`` orders it by when it is logged under another (``weighted_…``)
    order_name: str | None = None

    @property
    def direction(self) -> str | None:
        """"up" when larger is better, "down" when smaller is, None when Keras does not say."""
        return self._direction

    def __init__(self, name: str | None = None, dtype: str | None = None) -> None:
        self.name = name or self.default_name or unique_name(snake_name(type(self).__name__))
        self.dtype = dtype or floatx()
        self._stats: tuple | None = None

    # --- the two methods that define a metric --------------------------------
    def batch_stats(self, ops: Ops, y_true, y_pred, sample_weight=None) -> tuple:
        """Additive statistics of one batch (backend arrays or Python numbers)."""
        raise NotImplementedError

    def result_from(self, stats: tuple) -> Any:
        """The metric value from host statistics (see :func:`to_host`)."""
        raise NotImplementedError

    # --- Keras's stateful API -------------------------------------------------
    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_pred = np.asarray(y_pred)
        ops = NumpyOps("float64" if y_pred.dtype == np.float64 else self.dtype)
        weights = None if sample_weight is None else ops.asarray(
            np.broadcast_to(np.asarray(sample_weight, dtype=np.float64).reshape(-1), (y_pred.shape[0],)))
        stats = to_host(ops, self.batch_stats(ops, ops.asarray(np.asarray(y_true, dtype=np.float64)),
                                              ops.asarray(y_pred), weights))
        self._stats = add_stats(self._stats, stats)

    def result(self):
        if self._stats is None:
            return np.float32(0.0)
        return self.result_from(self._stats)

    def reset_state(self) -> None:
        self._stats = None

    def __call__(self, y_true, y_pred, sample_weight=None):
        self.update_state(y_true, y_pred, sample_weight)
        return self.result()

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Metric":
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


class MeanMetric(Metric):
    """A (weighted) mean over samples of a per-sample value: statistics ``(Σ w·v, Σ w)``."""

    def values(self, ops: Ops, y_true, y_pred):
        """The per-sample values, shape ``(N,)`` (or a batch scalar)."""
        raise NotImplementedError

    def batch_stats(self, ops, y_true, y_pred, sample_weight=None):
        values = self.values(ops, y_true, y_pred)
        if len(getattr(values, "shape", ())) == 0:  # one value for the batch counts once, as in Keras
            return (values, 1) if sample_weight is None else (values * ops.mean(sample_weight), 1)
        if sample_weight is None:
            return ops.sum(values), int(values.shape[0])
        return ops.sum(values * sample_weight), ops.sum(sample_weight)

    def result_from(self, stats):
        total, count = stats
        return np.float32(total / count) if count else np.float32(0.0)


class Mean(MeanMetric):
    """Keras ``Mean``: the running mean of the values given to ``update_state(values, sample_weight)``."""

    def update_state(self, values, sample_weight=None) -> None:  # noqa: D102 - Keras's signature
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        w = np.ones_like(values) if sample_weight is None else np.broadcast_to(
            np.asarray(sample_weight, dtype=np.float64).reshape(-1), values.shape)
        self._stats = add_stats(self._stats, (float(np.sum(values * w)), float(np.sum(w))))


class Sum(Metric):
    """Keras ``Sum``: the running sum of the values given to ``update_state``."""

    def update_state(self, values, sample_weight=None) -> None:  # noqa: D102 - Keras's signature
        values = np.asarray(values, dtype=np.float64)
        if sample_weight is not None:
            values = values * np.asarray(sample_weight, dtype=np.float64)
        self._stats = add_stats(self._stats, (float(np.sum(values)),))

    def result_from(self, stats):
        return np.float32(stats[0])


class MeanMetricWrapper(MeanMetric):
    """Keras ``MeanMetricWrapper(fn, name)``: the mean of ``fn(y_true, y_pred)`` over samples.

    ``fn`` is called with NumPy arrays and must return per-sample values (or
    one value per batch). Propscope's own metric functions run on the backend.
    """

    def __init__(self, fn: Callable, name: str | None = None, dtype: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name or getattr(fn, "__name__", None), dtype=dtype)
        self.fn, self._fn_kwargs = fn, kwargs
        if hasattr(fn, "loss_class"):  # a Keras loss used as a metric is minimized, as Keras records
            self._direction = "down"

    def values(self, ops, y_true, y_pred):
        if hasattr(self.fn, "backend_values"):
            return self.fn.backend_values(ops, y_true, y_pred, **self._fn_kwargs)
        out = np.asarray(self.fn(ops.to_numpy(y_true), ops.to_numpy(y_pred), **self._fn_kwargs), dtype=np.float64)
        if out.ndim > 1:
            out = out.reshape(out.shape[0], -1).mean(axis=1)
        return ops.asarray(out) if out.ndim else float(out)
