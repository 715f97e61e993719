"""The :class:`TrainingSession`: training a compiled model batch by batch, phase by phase.

A batch is a fixed sequence of phases — ``forward`` of each layer in order,
``loss``, ``backward`` of each layer from last to first, ``update`` — run by
the same :class:`~core.engine.StepEngine` as ``Model.fit``, so stepping gives
bit-identical weights to ``fit`` with the same shuffle seed.

The position is ``step``: the number of updates done. Epoch and batch follow
from it (every epoch has the same batches), and the batch order of each epoch
comes from ``(shuffle_seed, epoch)`` alone, which is what makes rewinding by
checkpoint + replay exact.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any, Callable, Iterator

import numpy as np

from core import random as prandom
from core.engine import BatchTrace, as_ops_targets, phase_names
from core.stepper import capture
from core.stepper.checkpoints import Checkpoint, CheckpointStore
from core.stepper.history import TrainingHistory
from core.stepper.hyper import HyperSchedule, set_values
from core.stepper.rewind import RewindMixin, TrainingDiverged
from core.stepper.snapshot import Divergence, Snapshot
from core.training import _as_float_array


class TrainingSession(RewindMixin):
    """Step, run, rewind and reset the training of one compiled model.

    Parameters
    ----------
    model : core.models.Model
        Compiled (loss and optimizer set). Its current weights are step 0.
    x, y : array_like
        Training data, already preprocessed.
    batch_size : int
    epochs : int
        How many epochs :meth:`run` trains by default.
    shuffle : bool
    seed : int, optional
        Shuffle seed; by default drawn from the global generator, exactly as
        ``fit`` draws it, so ``set_random_seed`` makes both match.
    validation_data : (x, y), optional
    validation_split : float
        Keras semantics: the last fraction of ``x, y``, before shuffling.
    stats_every : int, optional
        In :meth:`run`, record per-layer statistics every this many steps;
        stepped (fully captured) batches always record them, and loss,
        metrics and learning rate are recorded every step. By default every
        step when an epoch has under 20 batches, rising to every 10th step
        for long epochs (60,000 samples at batch 32 still give 187 points an
        epoch), which keeps the statistics a few percent of a run's time.
    distributions_every : int, optional
        Record histograms every this many steps; by default ten times
        ``stats_every``.
    checkpoint_every : int
        Initial checkpoint interval for rewinding (doubles when over budget).
    """

    def __init__(self, model, x, y, batch_size: int = 32, epochs: int = 1, shuffle: bool = True,
                 seed: int | None = None, validation_data=None, validation_split: float = 0.0,
                 stats_every: int | None = None, distributions_every: int | None = None,
                 checkpoint_every: int = 100,
                 checkpoint_budget_bytes: int = 256 * 1024 * 1024) -> None:
        model._require_compiled()
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size}.")
        x = model._prepare_x(x)
        y = model._targets(x, y)
        if validation_split and validation_data is None:
            split_at = int(math.floor(len(x) * (1.0 - validation_split)))
            validation_data = (x[split_at:], y[split_at:])
            x, y = x[:split_at], y[:split_at]
        if len(x) == 0:
            raise ValueError("No training samples (after the validation split).")
        self.model = model
        self.batch_size = int(batch_size)
        self.epochs = int(epochs)
        self.shuffle = bool(shuffle)
        self.shuffle_seed = prandom.draw_seed() if seed is None else int(seed)
        self.validation_data = None if validation_data is None else (
            _as_float_array(validation_data[0], "validation x"), _as_float_array(validation_data[1], "validation y"))
        self.n = len(x)
        if stats_every is None:
            stats_every = min(10, max(1, self.batches_per_epoch // 10))
        self.stats_every = max(1, int(stats_every))
        self.distributions_every = max(1, int(10 * self.stats_every if distributions_every is None
                                              else distributions_every))
        self.engine = model.make_engine(y.shape, model.output_shape)
        ops = self.engine.ops
        self.xs = ops.asarray(x)
        self.y_loss, self.y_metric = as_ops_targets(ops, model.loss, y, model.output_shape)
        self.phases = phase_names(self.engine.layers)
        self.checkpoints = CheckpointStore(checkpoint_every, checkpoint_budget_bytes)
        self._stop = threading.Event()
        self._order: tuple[int, np.ndarray] | None = None
        self._stats_buffers: list | None = None
        self.hyper = HyperSchedule(self.engine.optimizer)
        self._initial = self._checkpoint(0, 0.0, ())
        self._restart()

    # --- derived position ----------------------------------------------------
    @property
    def batches_per_epoch(self) -> int:
        return math.ceil(self.n / self.batch_size)

    @property
    def epoch(self) -> int:
        """Epoch (0-based) of the next batch."""
        return self.step // self.batches_per_epoch

    @property
    def batch(self) -> int:
        """Batch (0-based) within the epoch of the next batch."""
        return self.step % self.batches_per_epoch

    @property
    def mid_batch(self) -> bool:
        return self._trace is not None

    @property
    def next_phase(self) -> tuple[str, int | None]:
        return self.phases[self._phase_index]

    @property
    def max_step(self) -> int:
        """The furthest step reached (rewinding does not forget it)."""
        return self.history.last_step

    def batch_indices(self, step: int) -> np.ndarray:
        """Sample indices of the batch of update ``step + 1`` (0-based ``step``)."""
        epoch, batch = divmod(step, self.batches_per_epoch)
        start = batch * self.batch_size
        if not self.shuffle:
            return np.arange(start, min(start + self.batch_size, self.n))
        if self._order is None or self._order[0] != epoch:  # one permutation per epoch, not per batch
            self._order = (epoch, prandom.epoch_permutation(self.n, self.shuffle_seed, epoch))
        return self._order[1][start:start + self.batch_size]

    # --- state ------------------------------------------------------------------
    def _restart(self) -> None:
        self.step = 0
        self.history = TrainingHistory()
        self.divergence: Divergence | None = None
        self._trace: BatchTrace | None = None
        self._phase_index = 0
        self._before: list | None = None
        self._last_trace: BatchTrace | None = None
        self._last_before: list | None = None
        self._batch_metrics: dict[str, float] = {}
        self._epoch_loss_sum = 0.0
        self._epoch_metric_sums = [0.0] * len(self.engine.metrics)
        self.checkpoints.clear()
        self._restore(self._initial)
        self.checkpoints.add(self._initial)

    def _checkpoint(self, step: int, loss_sum: float, metric_sums) -> Checkpoint:
        ops, opt = self.engine.ops, self.engine.optimizer
        return Checkpoint(step, tuple(ops.copy_numpy(p) for p in self.engine.parameters()),
                          {k: tuple(ops.copy_numpy(a) for a in v) for k, v in opt.slots.items()} if opt.built else {},
                          opt.built, ops.item(loss_sum), tuple(ops.item(s) for s in metric_sums), opt.iterations)

    def _restore(self, cp: Checkpoint) -> None:
        ops, opt = self.engine.ops, self.engine.optimizer
        for p, w in zip(self.engine.parameters(), cp.weights):
            ops.assign(p, ops.asarray(w))
        opt.reset()
        if self.hyper.changes:  # replays use the hyper-parameters in force back then
            set_values(opt, self.hyper.values_at(cp.step), self.engine.parameters(), ops)
        if cp.optimizer_built:
            opt.build(self.engine.parameters(), ops)
            for name, arrays in cp.slots.items():
                for slot, saved in zip(opt.slots.get(name, ()), arrays):  # a slot an option dropped
                    ops.assign(slot, ops.asarray(saved))
        opt.iterations = cp.step if cp.iterations is None else cp.iterations
        self.step = cp.step
        self._epoch_loss_sum = cp.epoch_loss_sum
        self._epoch_metric_sums = list(cp.epoch_metric_sums) or [0.0] * len(self.engine.metrics)
        self._trace = None
        self._phase_index = 0

    def reset(self, seed: int | None = None) -> Snapshot:
        """Back to step 0 with the initial weights; a ``seed`` draws new initial weights."""
        if seed is not None:
            self.model.initialize_weights(seed)
            self._initial = self._checkpoint(0, 0.0, ())
        self._restart()
        return self.snapshot()

    def set_hyperparameters(self, **values) -> None:
        """Change optimizer hyper-parameters from the next update on, keeping the optimizer's state,
        as ``model.optimizer.learning_rate = 0.1`` does in Keras.

        Replays after a rewind use the values in force at each step. Changing them at a
        rewound position starts a new future: the history and checkpoints after this step go.
        Values are not validated here (build the optimizer with them first to check).
        """
        self.hyper.record(self.step, values)
        set_values(self.engine.optimizer, values, self.engine.parameters(), self.engine.ops)
        if self.max_step > self.step:
            self.checkpoints.drop_after(self.step)
            self.history.truncate_after(self.step, self.step // self.batches_per_epoch)

    def request_stop(self) -> None:
        """Ask :meth:`run` to stop after the current batch (thread-safe)."""
        self._stop.set()

    # --- one batch ------------------------------------------------------------
    def _begin_batch(self, keep_before: bool | str) -> None:
        ops = self.engine.ops
        indices = self.batch_indices(self.step)
        if self.shuffle:
            idx = ops.as_index(indices)
            trace = self.engine.begin(ops.take_rows(self.xs, idx), ops.take_rows(self.y_loss, idx),
                                      ops.take_rows(self.y_metric, idx))
        else:  # consecutive rows: views, not copies (as fit does without shuffling)
            rows = slice(int(indices[0]), int(indices[-1]) + 1)
            trace = self.engine.begin(self.xs[rows], self.y_loss[rows], self.y_metric[rows])
        trace.sample_indices = indices
        self._trace = trace
        self._phase_index = 0
        if keep_before == "stats":  # only for the history: reuse buffers
            if self._stats_buffers is None:
                self._stats_buffers = capture.copy_params(self.engine)
            self._before = capture.copy_params(self.engine, into=self._stats_buffers)
        else:
            self._before = capture.copy_params(self.engine) if keep_before else None

    def _run_phase(self, checked: bool) -> Divergence | None:
        """Run the next phase of the current batch; with ``checked``, scan its outputs for NaN/Inf."""
        kind, i = self.phases[self._phase_index]
        engine, trace, step = self.engine, self._trace, self.step + 1
        found = None
        if kind == "forward":
            engine.forward_layer(trace, i)
            bad = checked and capture.scan_forward(engine, trace, i)
            found = bad and capture.divergence(step, self.batches_per_epoch, kind, engine.layers[i].name, *bad)
        elif kind == "loss":
            engine.compute_loss(trace)
            loss = self._batch_loss = engine.ops.item(trace.loss)  # the one host sync of a batch's loss
            if not math.isfinite(loss):
                found = capture.divergence(step, self.batches_per_epoch, kind, None, "loss", 1)
            else:
                sums = engine.metric_sums(trace.y_metric, trace.output)
                self._batch_metrics = {m.name: engine.ops.item(s) / trace.batch_size
                                       for m, s in zip(engine.metrics, sums)}
                self._batch_metric_sums = sums
        elif kind == "backward":
            engine.backward_layer(trace, i)
            bad = checked and capture.scan_backward(engine, trace, i)
            found = bad and capture.divergence(step, self.batches_per_epoch, kind, engine.layers[i].name, *bad)
        else:
            self._lr_used = engine.optimizer.learning_rate
            engine.apply_update(trace)
            bad = checked and capture.scan_update(engine)
            if bad:
                found = capture.divergence(step, self.batches_per_epoch, kind, engine.layers[bad[0]].name,
                                           bad[1], bad[2])
        self._phase_index += 1
        return found or None

    def _finish_batch(self, record: bool) -> None:
        """After the update: history, epoch sums, checkpoint, epoch end."""
        engine, trace = self.engine, self._trace
        self.step += 1
        if self.hyper.changes_at(self.step):
            self.hyper.apply(self.step, engine.optimizer, engine.parameters(), engine.ops)
        # Accumulate in the model dtype exactly as fit does (and Keras's Mean metric).
        self._epoch_loss_sum = self._epoch_loss_sum + trace.loss * trace.batch_size
        for k, s in enumerate(self._batch_metric_sums):
            self._epoch_metric_sums[k] = self._epoch_metric_sums[k] + s
        if record and self.step > self.history.last_step:
            values = {"loss": self._batch_loss, "learning_rate": float(self._lr_used), **self._batch_metrics}
            self.history.record_step(self.step, values)
            # Fully captured (stepped) batches always get their statistics; a run
            # records them every `stats_every` steps, which keeps it near fit's speed.
            if self._before is not None or self.step % self.stats_every == 0 or self.step == 1:
                capture.record_layer_stats(self.history, self.step, engine, trace, self._before,
                                           self.step % self.distributions_every == 0 or self.step == 1)
        self._last_trace, self._last_before = trace, self._before
        self._trace, self._phase_index = None, 0
        if self.step % self.batches_per_epoch == 0:
            self._end_epoch(record)
        if self.checkpoints.due(self.step):
            self.checkpoints.add(self._checkpoint(self.step, self._epoch_loss_sum, self._epoch_metric_sums))

    def _end_epoch(self, record: bool) -> None:
        ops = self.engine.ops
        logs = {"loss": float(np.float32(ops.item(self._epoch_loss_sum) / self.n))}
        for m, s in zip(self.engine.metrics, self._epoch_metric_sums):
            logs[m.name] = float(np.float32(ops.item(s) / self.n))
        if self.validation_data is not None:
            val = self.model.evaluate(*self.validation_data, batch_size=self.batch_size, verbose=0, return_dict=True)
            logs.update({f"val_{k}": v for k, v in val.items()})
        epoch = self.step // self.batches_per_epoch
        if record and self.history.epochs_done < epoch:
            self.history.record_epoch(logs)
        self._epoch_loss_sum = 0.0
        self._epoch_metric_sums = [0.0] * len(self.engine.metrics)

    def _batch(self, keep_before: bool | str, checked: bool, record: bool = True) -> Divergence | None:
        """Run the rest of the current batch (or a whole new one)."""
        if self._trace is None:
            self._begin_batch(keep_before)
            if not checked:
                return self._whole_batch_unchecked(record)
        while self._phase_index < len(self.phases):
            found = self._run_phase(checked)
            if found:
                return found
        self._finish_batch(record)
        return None

    def _whole_batch_unchecked(self, record: bool) -> Divergence | None:
        """A whole batch as :meth:`_run_phase` runs it unchecked, without the
        per-phase dispatch: run mode does this ~1,500 times a second."""
        engine, trace = self.engine, self._trace
        n = len(engine.layers)
        for i in range(n):
            engine.forward_layer(trace, i)
        self._phase_index = n
        found = self._run_phase(checked=False)  # the loss, with its finiteness check
        if found:
            return found
        for i in range(n - 1, -1, -1):
            engine.backward_layer(trace, i)
        self._lr_used = engine.optimizer.learning_rate
        engine.apply_update(trace)
        self._phase_index = len(self.phases)
        self._finish_batch(record)
        return None

    # --- public stepping ------------------------------------------------------------
    def _check_not_diverged(self) -> None:
        if self.divergence is not None:
            raise TrainingDiverged(self.divergence)

    def step_phase(self) -> Snapshot:
        """Run one phase (e.g. layer 2's backward pass) and return what it produced."""
        self._check_not_diverged()
        if self._trace is None:
            self._begin_batch(keep_before=True)
        kind, layer = self.phases[self._phase_index]
        index = self._phase_index
        found = self._run_phase(checked=True)
        if found:
            return self._diverged(found, index)
        trace, before = self._trace, self._before
        if self._phase_index == len(self.phases):
            self._finish_batch(record=True)
        return self._make_snapshot(trace, before, kind, layer, index)

    def step_batch(self) -> Snapshot:
        """Finish the current batch (or run a whole new one), fully captured."""
        self._check_not_diverged()
        fresh = self._trace is None
        found = self._batch(keep_before=True, checked=True)
        if found:
            return self._diverged(found, len(self.phases) - 1)
        trace, before = self._last_trace, self._last_before if (fresh or self._last_before is not None) else None
        return self._make_snapshot(trace, before, "update", None, len(self.phases) - 1)

    def step_epoch(self) -> Snapshot:
        """Train to the end of the current epoch; the snapshot shows its last batch."""
        self._check_not_diverged()
        if self._trace is not None:
            snap = self.step_batch()
            if snap.divergence or self.batch == 0:
                return snap
        target = (self.epoch + 1) * self.batches_per_epoch
        last = None
        for snap in self.run(max_steps=target - self.step, capture_every_seconds=None):
            last = snap
        return last if last is not None else self.snapshot()

    def run(self, epochs: int | None = None, max_steps: int | None = None,
            capture_every_seconds: float | None = 1 / 30, capture_every_steps: int | None = None,
            record: bool = True, capture_last: bool = True,
            between_batches: Callable[[], object] | None = None) -> Iterator[Snapshot]:
        """Train continuously, yielding a fully captured snapshot now and then.

        Stops after ``max_steps`` more steps, or at the end of epoch ``epochs``
        (default: the session's ``epochs``), or when :meth:`request_stop` is
        called, or on divergence; always between batches. Batches that are not
        yielded are not captured, so they cost what ``fit`` costs. The last
        batch is yielded too unless ``capture_last`` is false (a caller that
        only wants the training done, such as compare mode, whose full batch
        would otherwise be copied at every step); a divergence always is.
        ``between_batches`` is called after every batch (the app uses it to
        pause training while the GUI paints).
        """
        self._check_not_diverged()
        self._stop.clear()
        if max_steps is not None:
            target = self.step + int(max_steps)
        else:
            target = (self.epochs if epochs is None else int(epochs)) * self.batches_per_epoch
        if self._trace is not None and self.step < target:
            yield self.step_batch()
        last_yield = time.perf_counter()
        while self.step < target and not self._stop.is_set():
            due = (capture_last and self.step + 1 == target) or (
                capture_every_steps is not None and (self.step + 1) % capture_every_steps == 0) or (
                capture_every_seconds is not None and time.perf_counter() - last_yield >= capture_every_seconds)
            keep = True if due else "stats" if self._stats_due() else False
            found = self._batch(keep_before=keep, checked=False, record=record)
            if found:
                yield self._locate_and_recover(found)
                return
            if between_batches is not None:
                between_batches()
            if due:
                yield self._make_snapshot(self._last_trace, self._last_before, "update", None,
                                          len(self.phases) - 1)
                last_yield = time.perf_counter()

    def _stats_due(self) -> bool:
        step = self.step + 1
        return step > self.history.last_step and (step % self.stats_every == 0 or step == 1)

    def snapshot(self) -> Snapshot:
        """On demand: the current state (the last batch's values when it is complete)."""
        if self._trace is not None:
            kind, layer = self.phases[self._phase_index - 1] if self._phase_index else ("start", None)
            return self._make_snapshot(self._trace, self._before, kind, layer, self._phase_index - 1)
        if self._last_trace is not None:
            return self._make_snapshot(self._last_trace, self._last_before, "update", None, len(self.phases) - 1)
        return self._make_snapshot(None, None, "start", None, -1)

    # --- snapshots ----------------------------------------------------------------
    def _make_snapshot(self, trace: BatchTrace | None, before, phase: str, layer: int | None,
                       index: int) -> Snapshot:
        return capture.build_snapshot(self, trace, before, phase, layer, index)

    def state(self) -> dict[str, Any]:
        """A small summary for status bars."""
        return {"step": self.step, "epoch": self.epoch, "batch": self.batch,
                "batches_per_epoch": self.batches_per_epoch, "phase": self.next_phase,
                "diverged": self.divergence is not None}
