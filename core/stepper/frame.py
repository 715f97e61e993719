"""What a view renders: one :class:`Frame` — a snapshot, an immutable slice of the history, the data.

Views get nothing else (no live session, no mutable history): the window,
the lecture pack and the animation export build frames and hand each to
``view.render(frame)``. Parts that did not change keep their identity from
one frame to the next (the same :class:`HistorySlice` object while the
curves are not due), so a view can skip work by comparing with ``is``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import numpy as np

from core.stepper.snapshot import Snapshot, frozen

_EMPTY = (np.zeros(0, np.int64), np.zeros(0))


def _read_only(array) -> np.ndarray:
    view = np.asarray(array).view()
    view.flags.writeable = False
    return view


def _frozen_pair(pair: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    return frozen(pair[0]), frozen(pair[1])


@dataclass(frozen=True)
class HistorySlice:
    """Read-only copies of a :class:`~core.stepper.TrainingHistory`'s curves at one moment.

    ``scalars`` (per step: loss, metrics, ``<layer>/<stat>``), ``epochs``
    (per epoch: loss, metrics, ``val_…``) and ``bands`` (per step: the
    percentile bands of ``<layer>/<kind>`` distributions) map a key to
    ``(x, values)``; the values of a band are rows of 9 percentiles.
    """

    scalars: Mapping[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    epochs: Mapping[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    bands: Mapping[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    epochs_done: int = 0
    last_step: int = 0

    @classmethod
    def of(cls, history) -> "HistorySlice":
        """Copy every curve of ``history`` now (safe while another thread records into it)."""
        scalars = {key: _frozen_pair(history.scalar(key)) for key in list(history.scalars)}
        epochs = {key: _frozen_pair(history.epoch_series(key)) for key in list(history.epoch_scalars)}
        bands = {}
        for key, series in list(history.percentile_bands.items()):
            steps, values = series.data()
            bands[key] = (frozen(steps), frozen(np.asarray(values).reshape(len(steps), -1)))
        return cls(MappingProxyType(scalars), MappingProxyType(epochs), MappingProxyType(bands),
                   history.epochs_done, history.last_step)

    def scalar(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """``(steps, values)`` of one per-step series (empty if never recorded)."""
        return self.scalars.get(key, _EMPTY)

    def epoch_series(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """``(epochs (1-based), values)`` of one per-epoch series."""
        return self.epochs.get(key, _EMPTY)

    def percentile_band(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """``(steps, percentiles (n, 9))`` of a distribution, e.g. ``"dense/activations"``."""
        return self.bands.get(key, (np.zeros(0, np.int64), np.zeros((0, 9))))

    def epoch_logs(self) -> list[dict[str, float]]:
        """The kept epochs as dicts, as ``TrainingHistory.epochs``."""
        rows: dict[int, dict[str, float]] = {}
        for key, (epochs, values) in self.epochs.items():
            for epoch, value in zip(epochs, values):
                rows.setdefault(int(epoch), {})[key] = float(value)
        return [rows[e] for e in sorted(rows)]


@dataclass(frozen=True)
class DataContext:
    """The data a session trains on, as views draw it: read-only NumPy arrays, labels as classes.

    ``task`` is "classification", "binary" or "regression"; ``class_names``
    is empty for regression.
    """

    x: np.ndarray
    y: np.ndarray
    x_val: np.ndarray | None
    y_val: np.ndarray | None
    task: str
    class_names: tuple[str, ...]

    @classmethod
    def of(cls, session, task: str, class_names: tuple[str, ...]) -> "DataContext":
        """The context of ``session``'s training and validation arrays.

        Read-only views, not copies (a session never changes its data; 60,000
        images are 190 MB): one device-to-host copy on a GPU, none on NumPy.
        """
        ops = session.engine.ops
        val = session.validation_data
        return cls(_read_only(ops.to_numpy(session.xs)), _read_only(ops.to_numpy(session.y_metric)),
                   None if val is None else _read_only(val[0]), None if val is None else _read_only(val[1]),
                   task, tuple(class_names))


@dataclass(frozen=True)
class Frame:
    """Everything a view may show at one moment.

    Attributes
    ----------
    snapshot : Snapshot or None
        The batch shown (None before a session exists).
    history : HistorySlice
    data : DataContext or None
    batches_per_epoch : int
    running : bool
        Training is under way (views may draw less while it is).
    confusion : numpy.ndarray or None
        Validation samples by (true, predicted) class for ``snapshot``'s weights,
        when the frame's maker was asked for it.
    """

    snapshot: Snapshot | None
    history: HistorySlice
    data: DataContext | None
    batches_per_epoch: int = 1
    running: bool = False
    confusion: np.ndarray | None = None


def confusion_for(snapshot: Snapshot | None, data: DataContext | None) -> np.ndarray | None:
    """The validation confusion matrix of ``snapshot``'s weights, when the data has classes and a validation set."""
    from core.stepper.derived import confusion_matrix

    if snapshot is None or data is None or not data.class_names or data.x_val is None or data.y_val is None:
        return None
    if not snapshot.layers or all(layer.W is None for layer in snapshot.layers):
        return None
    return frozen(confusion_matrix(snapshot.layers, data.x_val, data.y_val, len(data.class_names)))


def frame_of(session, snapshot: Snapshot | None = None, data: DataContext | None = None, *,
             history: HistorySlice | None = None, confusion: bool = True, running: bool = False) -> Frame:
    """A complete frame of ``session`` now: its latest snapshot (or ``snapshot``), its history, ``data``."""
    snapshot = session.snapshot() if snapshot is None else snapshot
    return Frame(snapshot, HistorySlice.of(session.history) if history is None else history, data,
                 session.batches_per_epoch, running, confusion_for(snapshot, data) if confusion else None)
