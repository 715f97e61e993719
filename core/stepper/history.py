"""The training history: per-step scalars, per-epoch metrics, distributions over time.

Memory is bounded: every series is a :class:`DownsampledSeries`. With the
defaults (4,096 points per scalar series, 512 per distribution series of 32
bins + 9 percentiles) a 4-layer model's history stays under
``HISTORY_BOUND_BYTES`` (16 MiB) however long it trains; older points are
thinned, never the range.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.stepper import stats
from core.stepper.series import DownsampledSeries

SCALAR_CAPACITY = 4096
DIST_CAPACITY = 512
HISTORY_BOUND_BYTES = 16 * 1024 * 1024

LAYER_SCALARS = ("w_norm", "grad_norm", "update_ratio", "act_mean", "act_std", "saturation", "dead_relu")
DIST_KINDS = ("weights", "gradients", "activations", "preactivations")


class TrainingHistory:
    """Everything recorded while a :class:`~core.stepper.TrainingSession` trains.

    Attributes
    ----------
    scalars : dict[str, DownsampledSeries]
        ``"loss"``, metric names, ``"learning_rate"``, and per layer
        ``"<layer>/<stat>"`` for the stats in ``LAYER_SCALARS``.
    epoch_scalars : dict[str, DownsampledSeries]
        Per completed epoch: ``loss``, metrics, ``val_…`` (as Keras's
        ``History.history``), indexed by epoch number (1-based).
    distributions : dict[str, DownsampledSeries]
        ``"<layer>/<kind>"`` histograms (32 bins) with their range.
    """

    def __init__(self, scalar_capacity: int = SCALAR_CAPACITY, dist_capacity: int = DIST_CAPACITY) -> None:
        self.scalar_capacity = scalar_capacity
        self.dist_capacity = dist_capacity
        self.scalars: dict[str, DownsampledSeries] = {}
        self.distributions: dict[str, DownsampledSeries] = {}
        self.percentile_bands: dict[str, DownsampledSeries] = {}
        self.epoch_scalars: dict[str, DownsampledSeries] = {}
        self.epochs_done = 0
        self.last_step = 0

    def _series(self, store: dict, key: str, capacity: int, width: int = 1) -> DownsampledSeries:
        series = store.get(key)
        if series is None:
            series = store[key] = DownsampledSeries(capacity, width)
        return series

    def record_scalar(self, step: int, key: str, value: float) -> None:
        self._series(self.scalars, key, self.scalar_capacity).append(step, value)

    def record_step(self, step: int, values: dict[str, float]) -> None:
        for key, value in values.items():
            self.record_scalar(step, key, value)
        self.last_step = max(self.last_step, step)

    def record_distribution(self, step: int, key: str, x: np.ndarray) -> None:
        counts, lo, hi = stats.histogram(x)
        row = np.concatenate([[lo, hi], counts])
        self._series(self.distributions, key, self.dist_capacity, row.size).append(step, row)
        bands = stats.percentiles_from_histogram(counts, lo, hi)
        self._series(self.percentile_bands, key, self.dist_capacity, len(bands)).append(step, bands)

    def record_epoch(self, logs: dict[str, float]) -> None:
        self.epochs_done += 1
        for key, value in logs.items():
            self._series(self.epoch_scalars, key, self.scalar_capacity).append(self.epochs_done, value)

    def truncate_after(self, step: int, epochs_done: int) -> None:
        """Forget everything recorded after ``step`` and after epoch ``epochs_done``."""
        for store in (self.scalars, self.distributions, self.percentile_bands):
            for series in list(store.values()):
                series.truncate_after(step)
        for series in list(self.epoch_scalars.values()):
            series.truncate_after(epochs_done)
        self.last_step = min(self.last_step, step)
        self.epochs_done = min(self.epochs_done, epochs_done)

    @property
    def epochs(self) -> list[dict[str, float]]:
        """The kept epochs as dicts (all of them unless there were thousands)."""
        rows: dict[int, dict[str, float]] = {}
        for key, series in list(self.epoch_scalars.items()):  # list(): training may add a key meanwhile
            for epoch, value in zip(*series.data()):
                rows.setdefault(int(epoch), {})[key] = float(value)
        return [rows[e] for e in sorted(rows)]

    @property
    def last_epoch_logs(self) -> dict[str, float]:
        # list(): the training thread may add a key meanwhile
        return {k: float(s.values[-1]) for k, s in list(self.epoch_scalars.items()) if len(s)}

    # --- reading -----------------------------------------------------------
    def scalar(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """``(steps, values)`` of one scalar series (empty if never recorded)."""
        series = self.scalars.get(key)
        if series is None:
            return np.zeros(0, np.int64), np.zeros(0)
        return series.data()

    def distribution(self, key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(steps, ranges (n, 2), counts (n, bins))`` of one distribution series."""
        series = self.distributions.get(key)
        if series is None:
            return np.zeros(0, np.int64), np.zeros((0, 2)), np.zeros((0, stats.HIST_BINS))
        steps, values = series.data()
        values = values.reshape(len(steps), -1)
        return steps, values[:, :2], values[:, 2:]

    def epoch_series(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """``(epochs (1-based), values)`` of one per-epoch metric."""
        series = self.epoch_scalars.get(key)
        if series is None:
            return np.zeros(0, np.int64), np.zeros(0)
        return series.data()

    @property
    def nbytes(self) -> int:
        """Memory held by all series (the bounded part of the history)."""
        stores = (self.scalars, self.distributions, self.percentile_bands, self.epoch_scalars)
        return sum(s.nbytes for store in stores for s in list(store.values()))

    def to_arrays(self) -> dict[str, Any]:
        """Everything as plain arrays, for export (``np.savez``-ready keys)."""
        out: dict[str, Any] = {}
        for key, series in list(self.scalars.items()):
            out[f"scalar/{key}/steps"], out[f"scalar/{key}/values"] = series.data()
        for key in list(self.distributions):
            steps, ranges, counts = self.distribution(key)
            out[f"dist/{key}/steps"], out[f"dist/{key}/ranges"], out[f"dist/{key}/counts"] = steps, ranges, counts
        for key, series in list(self.percentile_bands.items()):
            out[f"percentiles/{key}"] = series.values
        for key in list(self.epoch_scalars):
            out[f"epoch/{key}/epochs"], out[f"epoch/{key}/values"] = self.epoch_series(key)
        return out

    # --- persistence (session files) --------------------------------------------
    STORES = ("scalars", "distributions", "percentile_bands", "epoch_scalars")

    def get_state(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {"meta": np.array([self.last_step, self.epochs_done], dtype=np.int64)}
        for store in self.STORES:
            for key, series in getattr(self, store).items():
                for part, arr in series.get_state().items():
                    out[f"{store}|{key}|{part}"] = arr
        return out

    @classmethod
    def from_state(cls, state: dict[str, np.ndarray]) -> "TrainingHistory":
        history = cls()
        history.last_step, history.epochs_done = (int(v) for v in state["meta"])
        parts: dict[tuple[str, str], dict[str, np.ndarray]] = {}
        for name, arr in state.items():
            if name == "meta":
                continue
            store, key, part = name.split("|")
            if store not in cls.STORES:
                raise ValueError(f"unknown history store {store!r}")
            parts.setdefault((store, key), {})[part] = arr
        for (store, key), series_state in parts.items():
            getattr(history, store)[key] = DownsampledSeries.from_state(series_state)
        return history
