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

from core import limits
from core.safeio import InvalidValueError, ReadLimitError, check_array
from core.stepper import stats
from core.stepper.series import DownsampledSeries

SCALAR_CAPACITY = 4096
DIST_CAPACITY = 512
HISTORY_BOUND_BYTES = 16 * 1024 * 1024



class TrainingHistory:
    """Everything recorded while a :class:`~core.stepper.TrainingSession` trains.

    Attributes
    ----------
    scalars : dict[str, DownsampledSeries]
        ``"loss"``, metric names, ``"learning_rate"``, and per layer
        ``"<layer>/<stat>"`` for the statistics :func:`core.stepper.capture.record_layer_stats` records
        (``w_norm``, ``grad_norm``, ``update_ratio``, ``act_mean``, ``act_std``, ``saturation``, ``dead_relu``).
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

    def record_distribution(self, step: int, key: str, x: np.ndarray, finite: bool = False) -> None:
        """A histogram of ``x`` (``finite``: every value is known to be finite; see :func:`stats.histogram`)."""
        counts, lo, hi = stats.histogram(x, finite=finite)
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
        """The history :meth:`get_state` described, every series checked (it may come from a file).

        Each store's series must have its own width (1 for scalars, 2 + bins
        for histograms, one per percentile for the bands) and at most its
        default capacity; the whole history at most ``MAX_HISTORY_SERIES``
        series and ``MAX_HISTORY_BYTES``.

        Raises
        ------
        core.safeio.InvalidValueError, core.safeio.ReadLimitError
        """
        if "meta" not in state:
            raise InvalidValueError("has no meta record.", where="history")
        meta = check_array(state["meta"], "meta", kinds="iu", shape=(2,), where="history")
        last_step, epochs_done = (int(v) for v in meta)
        for label, value in (("last step", last_step), ("epochs done", epochs_done)):
            if not 0 <= value <= limits.MAX_STEPS:
                raise InvalidValueError(f"{label} {value} is outside 0 to {limits.MAX_STEPS:,}.", where="history")
        if len(state) > 3 * limits.MAX_HISTORY_SERIES + 1:
            raise ReadLimitError(f"{(len(state) - 1) // 3:,} series, over the limit of {limits.MAX_HISTORY_SERIES:,} "
                                 "(MAX_HISTORY_SERIES).", where="history", limit="MAX_HISTORY_SERIES")
        history = cls()
        history.last_step, history.epochs_done = last_step, epochs_done
        parts: dict[tuple[str, str], dict[str, np.ndarray]] = {}
        for name, arr in state.items():
            if name == "meta":
                continue
            store, key, part = (name.split("|") + ["", ""])[:3] if name.count("|") == 2 else ("", "", "")
            if store not in cls.STORES or not key or len(key) > 200 or part not in ("steps", "values", "meta"):
                raise InvalidValueError(f"unknown entry {name[:80]!r}.", where="history")
            parts.setdefault((store, key), {})[part] = arr
        widths = {"scalars": 1, "epoch_scalars": 1, "distributions": 2 + stats.HIST_BINS,
                  "percentile_bands": len(stats.PERCENTILES)}
        capacities = {"scalars": history.scalar_capacity, "epoch_scalars": history.scalar_capacity,
                      "distributions": history.dist_capacity, "percentile_bands": history.dist_capacity}
        reserved = 0
        for (store, key), series_state in parts.items():
            series = DownsampledSeries.from_state(series_state, f"history {store} {key!r}", widths[store],
                                                  capacities[store])
            reserved += series.nbytes  # checked as it grows: at most one small series over the limit is made
            if reserved > limits.MAX_HISTORY_BYTES:
                raise ReadLimitError(f"needs over {limits.MAX_HISTORY_BYTES:,} bytes (MAX_HISTORY_BYTES).",
                                     where="history", limit="MAX_HISTORY_BYTES")
            top = epochs_done if store == "epoch_scalars" else last_step
            if len(series) and int(series.steps[-1]) > top:
                raise InvalidValueError(f"records step {int(series.steps[-1])}, after the last one ({top}).",
                                        where=f"history {store} {key!r}")
            getattr(history, store)[key] = series
        return history
