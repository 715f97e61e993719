"""The one epoch loop: which rows make each batch, and the running epoch logs.

``fit``, ``evaluate``, ``predict`` and the stepper's
:class:`~core.stepper.TrainingSession` all take their batches from an
:class:`EpochLoop` and run them through the same :class:`~core.engine.StepEngine`
(``train_batch`` for a whole step, or its phases one by one). The batch order
of a pass over the data depends on ``(seed, pass)`` alone — any batch can be
replayed without replaying the ones before it, which is what makes stepping
equal ``fit`` and rewinding exact.

The epoch's logs are Keras's: the loss is the mean of the batch losses
weighted by batch size (each computed before that batch's update), the
metrics accumulate over the same pre-update predictions. Totals stay on the
backend; reading them (``logs()``) is the only host synchronization.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from core import random as prandom
from core.engine import BatchTrace, StepEngine, as_ops_targets
from core.metrics import add_stats, to_host


@dataclass
class BatchArrays:
    """Inputs, loss targets, metric targets and sample weights, on the backend."""

    xs: Any
    y_loss: Any
    y_metric: Any
    sample_weight: Any = None

    @property
    def n(self) -> int:
        return int(self.xs.shape[0])

    @classmethod
    def from_numpy(cls, engine: StepEngine, x: np.ndarray, y: np.ndarray | None, out_shape: tuple,
                   sample_weight: np.ndarray | None = None) -> "BatchArrays":
        ops = engine.ops
        if y is None:
            return cls(ops.asarray(x), None, None)
        y_loss, y_metric = as_ops_targets(ops, engine.loss, y, out_shape)
        return cls(ops.asarray(x), y_loss, y_metric, None if sample_weight is None else ops.asarray(sample_weight))


class EpochLoop:
    """Batches of ``arrays`` for ``engine`` and the running totals of the current epoch.

    Parameters
    ----------
    engine : StepEngine
    arrays : BatchArrays
    batch_size : int
    shuffle : bool
        A new permutation for every pass over the data (else the row order).
    seed : int
        The shuffle seed: pass ``p`` uses ``epoch_permutation(n, seed, p)``.
    """

    def __init__(self, engine: StepEngine, arrays: BatchArrays, batch_size: int, shuffle: bool = False,
                 seed: int = 0) -> None:
        self.engine, self.arrays = engine, arrays
        self.batch_size, self.shuffle, self.seed = int(batch_size), bool(shuffle), int(seed)
        self.n = arrays.n
        self.batches_per_pass = math.ceil(self.n / self.batch_size)
        self._order: tuple[int, np.ndarray] | None = None
        self.reset_epoch()

    # --- batches ----------------------------------------------------------------
    def batch_indices(self, pass_index: int, batch: int) -> np.ndarray:
        """Sample indices of batch ``batch`` of pass ``pass_index`` over the data."""
        start = batch * self.batch_size
        if not self.shuffle:
            return np.arange(start, min(start + self.batch_size, self.n))
        if self._order is None or self._order[0] != pass_index:  # one permutation per pass, not per batch
            self._order = (pass_index, prandom.epoch_permutation(self.n, self.seed, pass_index))
        return self._order[1][start:start + self.batch_size]

    def begin_batch(self, pass_index: int, batch: int) -> BatchTrace:
        """A fresh trace holding the rows of that batch (views when not shuffled, as slicing gives)."""
        ops, a, engine = self.engine.ops, self.arrays, self.engine
        indices = self.batch_indices(pass_index, batch)
        if self.shuffle:
            idx = ops.as_index(indices)
            take = (lambda arr: None if arr is None else ops.take_rows(arr, idx))
        else:
            rows = slice(int(indices[0]), int(indices[-1]) + 1)
            take = (lambda arr: None if arr is None else arr[rows])
        trace = engine.begin(take(a.xs), take(a.y_loss), take(a.y_metric), take(a.sample_weight))
        trace.sample_indices = indices
        return trace

    def inputs(self, batch: int) -> Any:
        """The inputs of batch ``batch`` in row order (``predict``)."""
        return self.arrays.xs[batch * self.batch_size:(batch + 1) * self.batch_size]

    # --- the epoch's totals -------------------------------------------------------
    def reset_epoch(self) -> None:
        self.loss_sum: Any = 0.0
        self.samples = 0
        self.metric_stats: list[tuple | None] = [None] * len(self.engine.metrics)

    def add(self, trace: BatchTrace, metric_stats: list[tuple] | None = None) -> None:
        """Count a finished batch into the epoch (in the model dtype, as Keras's Mean metric)."""
        self.loss_sum = self.loss_sum + trace.loss * trace.batch_size
        self.samples += trace.batch_size
        for k, stats in enumerate(metric_stats if metric_stats is not None else self.engine.metric_stats(trace)):
            self.metric_stats[k] = add_stats(self.metric_stats[k], stats)

    def logs(self) -> dict[str, float]:
        """``{"loss": ..., metric: ...}`` over the batches counted so far (running means)."""
        ops = self.engine.ops
        logs = {"loss": float(np.float32(ops.item(self.loss_sum) / self.samples)) if self.samples else 0.0}
        for metric, stats in zip(self.engine.metrics, self.metric_stats):
            value = metric.result_from(to_host(ops, stats)) if stats is not None else np.float32(0.0)
            logs[metric.name] = float(value) if np.ndim(value) == 0 else np.asarray(value)
        return logs

    def state(self) -> tuple[float, int, tuple]:
        """The epoch's totals as host values (for checkpoints)."""
        ops = self.engine.ops
        return (ops.item(self.loss_sum), self.samples,
                tuple(None if s is None else to_host(ops, s) for s in self.metric_stats))

    def set_state(self, state: tuple[float, int, tuple]) -> None:
        loss_sum, samples, stats = state
        self.loss_sum, self.samples = loss_sum, int(samples)
        self.metric_stats = list(stats) or [None] * len(self.engine.metrics)

    # --- whole batches --------------------------------------------------------------
    def train_batch(self, pass_index: int, batch: int) -> BatchTrace:
        trace = self.begin_batch(pass_index, batch)
        self.engine.train_batch(trace)
        self.add(trace)
        return trace

    def test_batch(self, batch: int) -> BatchTrace:
        trace = self.begin_batch(0, batch)
        self.engine.test_batch(trace)
        self.add(trace)
        return trace


class EpochSchedule:
    """Which batches each epoch of ``fit`` runs, as Keras's ``EpochIterator`` over arrays.

    Without ``steps_per_epoch`` epoch ``e`` is pass ``e`` over the data. With
    it, passes continue across epochs, an exhausted pass starts a new
    (reshuffled) one at the next epoch, and an epoch that would need more
    batches than its pass has left stops early with Keras's warning.
    """

    def __init__(self, batches_per_pass: int, steps_per_epoch: int | None, first_pass: int = 0) -> None:
        self.batches_per_pass, self.steps_per_epoch = batches_per_pass, steps_per_epoch
        self._pass, self._seen = first_pass, 0

    @property
    def steps(self) -> int:
        return self.steps_per_epoch or self.batches_per_pass

    def epoch(self, epoch: int) -> Iterator[tuple[int, int, int]]:
        """``(step, pass_index, batch)`` for each batch of epoch ``epoch``."""
        if self.steps_per_epoch is None:
            for b in range(self.batches_per_pass):
                yield b, epoch, b
            return
        for step in range(self.steps_per_epoch):
            if self._seen >= self.batches_per_pass:
                warnings.warn("Your input ran out of data; interrupting training. Make sure that your dataset or "
                              "generator can generate at least `steps_per_epoch * epochs` batches. You may need to "
                              "use the `.repeat()` function when building your dataset.", stacklevel=3)
                break
            self._seen += 1
            yield step, self._pass, self._seen - 1
        if self._seen >= self.batches_per_pass:
            self._pass, self._seen = self._pass + 1, 0
