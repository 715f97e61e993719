"""Bounded-memory time series: keep the whole range at decreasing resolution."""

from __future__ import annotations

import threading

import numpy as np

from core import limits
from core.safeio import InvalidValueError, ReadLimitError, check_array


class DownsampledSeries:
    """Values recorded at steps, never more than ``capacity`` of them.

    When full, every second kept point is dropped and the stride doubles, so
    the series always spans the whole run (like TensorBoard's downsampling of
    long runs, but deterministic). Memory: ``capacity × (8 + 8·width)`` bytes.

    Parameters
    ----------
    capacity : int
        Maximum points kept (even, ≥ 4).
    width : int
        Values per point (1 for a scalar, bins for a histogram).
    """

    def __init__(self, capacity: int = 4096, width: int = 1) -> None:
        if capacity < 4 or capacity % 2:
            raise ValueError("capacity must be an even number ≥ 4.")
        self.capacity = capacity
        self.width = width
        self._steps = np.zeros(capacity, dtype=np.int64)
        self._values = np.zeros((capacity, width), dtype=np.float64)
        self._n = 0
        self.stride = 1
        self._seen = 0
        # The training thread appends while the GUI thread reads: every read copies steps
        # and values under the same lock, so they always have the same length.
        self._lock = threading.Lock()

    def append(self, step: int, value) -> None:
        """Offer a point; it is kept when it falls on the current stride."""
        with self._lock:
            self._append(step, value)

    def _append(self, step: int, value) -> None:
        offered = self._seen
        self._seen += 1
        if offered % self.stride:
            return
        if self._n == self.capacity:
            self._steps[: self._n // 2] = self._steps[: self._n : 2]
            self._values[: self._n // 2] = self._values[: self._n : 2]
            self._n //= 2
            self.stride *= 2
            if offered % self.stride:
                return
        self._steps[self._n] = step
        self._values[self._n] = value
        self._n += 1

    def truncate_after(self, step: int) -> None:
        """Drop the points after ``step`` (training from there rewrites them)."""
        with self._lock:
            self._n = int(np.searchsorted(self._steps[: self._n], step, side="right"))
            self._seen = self._n * self.stride  # the next point offered is kept

    def get_state(self) -> dict[str, np.ndarray]:
        """Arrays that :meth:`from_state` turns back into the same series."""
        with self._lock:
            return {"steps": self._steps[: self._n].copy(), "values": self._values[: self._n].copy(),
                    "meta": np.array([self.capacity, self.width, self.stride, self._seen], dtype=np.int64)}

    @classmethod
    def from_state(cls, state: dict[str, np.ndarray], name: str = "series", width: int | None = None,
                   max_capacity: int = limits.MAX_HISTORY_CAPACITY) -> "DownsampledSeries":
        """The series :meth:`get_state` described, checked first (it may come from a file).

        ``width``, when given, is the width the series must have; the capacity
        must be even, at least 4 and at most ``max_capacity``; the stride a
        power of two; steps whole numbers that never decrease; values floats
        (NaN and Inf are kept: a history records what happened).

        Raises
        ------
        core.safeio.InvalidValueError, core.safeio.ReadLimitError
        """
        if set(state) != {"steps", "values", "meta"}:
            raise InvalidValueError(f"has parts {sorted(state)}; expected meta, steps and values.", where=name)
        meta = check_array(state["meta"], "meta", kinds="iu", shape=(4,), where=name)
        capacity, own_width, stride, seen = (int(v) for v in meta)
        if not (4 <= capacity and capacity % 2 == 0):
            raise InvalidValueError(f"capacity {capacity} is not an even number ≥ 4.", where=name)
        if capacity > max_capacity:
            raise ReadLimitError(f"capacity {capacity:,} is over the limit of {max_capacity:,} "
                                 "(MAX_HISTORY_CAPACITY).", where=name, limit="MAX_HISTORY_CAPACITY")
        if not 1 <= own_width <= limits.MAX_HISTORY_WIDTH or (width is not None and own_width != width):
            raise InvalidValueError(f"width {own_width} is not {width or 'between 1 and 64'}.", where=name)
        if stride < 1 or stride & (stride - 1) or stride > 2**62:
            raise InvalidValueError(f"stride {stride} is not a power of two.", where=name)
        steps = check_array(state["steps"], "steps", kinds="iu", shape=(None,), where=name)
        n = len(steps)
        values = check_array(state["values"], "values", kinds="f", shape=(n, own_width), finite=False, where=name)
        if n > capacity or not n <= seen <= 2**62:
            raise InvalidValueError(f"{n} points do not fit capacity {capacity} and {seen} offered.", where=name)
        if n and (steps.min() < 0 or np.any(np.diff(steps) < 0)):
            raise InvalidValueError("steps are negative or go backwards.", where=name)
        series = cls(capacity, own_width)
        series._steps[:n] = steps
        series._values[:n] = values
        series._n, series.stride, series._seen = n, stride, seen
        return series

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """``(steps, values)``, copied together (the same length even while training appends)."""
        with self._lock:
            v = self._values[: self._n]
            return self._steps[: self._n].copy(), (v[:, 0] if self.width == 1 else v).copy()

    @property
    def steps(self) -> np.ndarray:
        return self.data()[0]

    @property
    def values(self) -> np.ndarray:
        return self.data()[1]

    def __deepcopy__(self, memo) -> "DownsampledSeries":
        return DownsampledSeries.from_state(self.get_state())  # a lock cannot be copied

    def __len__(self) -> int:
        return self._n

    @property
    def nbytes(self) -> int:
        return self._steps.nbytes + self._values.nbytes
