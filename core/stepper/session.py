"""The :class:`TrainingSession`: training a compiled model batch by batch, phase by phase.

A batch is a fixed sequence of phases — ``forward`` of each layer that
computes, ``loss``, ``backward`` of each such layer from last to first,
``update`` (:mod:`core.stepper.phases`: a ``Flatten`` is no phase of its own) — run by
the same :class:`~core.engine.StepEngine` as ``Model.fit``, on batches from
the same :class:`~core.loop.EpochLoop` (which also keeps the epoch's running
loss and metrics), so stepping gives bit-identical weights to ``fit`` with the
same shuffle seed. A whole batch that nobody looks at runs as
``engine.train_batch`` — exactly what ``fit`` runs.

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

from core import fit_data, limits
from core import random as prandom
from core.engine import BatchTrace
from core.loop import BatchArrays, EpochLoop
from core.metrics import to_host
from core.stepper import capture
from core.stepper.checkpoints import CheckpointStore
from core.stepper.hyper import HyperSchedule, set_values
from core.stepper.phases import Phase, batch_phases
from core.stepper.continuation import ContinuationMixin
from core.stepper.rewind import RewindMixin, TrainingDiverged
from core.stepper.snapshot import Divergence, Snapshot


class TrainingSession(RewindMixin, ContinuationMixin):
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
    sample_weight : array_like, optional
        Per-sample weights of the loss, as ``fit(sample_weight=...)``.
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
                 checkpoint_budget_bytes: int = 256 * 1024 * 1024, sample_weight=None) -> None:
        model.require_compiled()
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size}.")
        x = model.prepare_inputs(x)
        x, y, sw = fit_data.training_arrays(x, y, sample_weight)
        if validation_split and validation_data is None:
            if len(x) and int(math.floor(len(x) * (1.0 - validation_split))) == 0:
                raise ValueError("No training samples (after the validation split).")
            (x, y, sw), validation_data = fit_data.split_validation(x, y, sw, validation_split)
        if len(x) == 0:
            raise ValueError("No training samples (after the validation split).")
        self.model = model
        self.batch_size = int(batch_size)
        self.epochs = int(epochs)
        self.shuffle = bool(shuffle)
        self.shuffle_seed = prandom.draw_seed() if seed is None else int(seed)
        val = None if validation_data is None else fit_data.unpack_validation(validation_data)
        self.validation_data = None if val is None else val[:2]  # (x, y), as views and session files read it
        self.validation_sample_weight = None if val is None else val[2]
        self.n = len(x)
        limits.check_limit("batch_size", self.batch_size, "MAX_BATCH_SIZE", minimum=1)
        limits.check_limit("epochs × batches per epoch", self.epochs * self.batches_per_epoch, "MAX_STEPS")
        if stats_every is None:
            stats_every = min(10, max(1, self.batches_per_epoch // 10))
        self.stats_every = max(1, int(stats_every))
        self.distributions_every = max(1, int(10 * self.stats_every if distributions_every is None
                                              else distributions_every))
        self.engine = model.make_engine(y.shape, model.output_shape)
        self.loop = EpochLoop(self.engine, BatchArrays.from_numpy(self.engine, x, y, model.output_shape, sw),
                              self.batch_size, self.shuffle, self.shuffle_seed)
        #: the phases of a batch, one press each; ``phases[k]`` is ``(kind, layer)``
        self.phase_plan: list[Phase] = batch_phases(self.engine.layers, self.engine.first_trainable_layer)
        self.phases = [phase.key for phase in self.phase_plan]
        self.checkpoints = CheckpointStore(checkpoint_every, checkpoint_budget_bytes)
        self._stop = threading.Event()
        self._run_stats: bool | None = None  # inside run(): whether this batch records layer statistics
        self._scratch = capture.Scratch()  # this session's own recording buffers
        self.capture_options = capture.CaptureOptions()
        self.hyper = HyperSchedule(self.engine.optimizer)
        # An opened model may come with its optimizer's state (Adam's moments after 500 Keras steps): step 0
        # of the session is then iteration 500 of the optimizer, so its next update is the one Keras would do.
        self.initial_iterations = int(self.engine.optimizer.iterations) if self.engine.optimizer.built else 0
        self._initial = self._checkpoint(0)
        self._restart()

    # --- derived position ----------------------------------------------------
    @property
    def batches_per_epoch(self) -> int:
        return math.ceil(self.n / self.batch_size)

    @property
    def initial_weights(self) -> tuple[np.ndarray, ...]:
        """The weights at step 0, as the seed drew them (a new tuple after ``reset(seed)``)."""
        return self._initial.weights

    @property
    def initial_noise_state(self) -> tuple[tuple[int, int], ...]:
        """``(seed, draws)`` of each Dropout layer's random stream at step 0: with the weights, what a replay needs."""
        return self._initial.noise

    @property
    def xs(self):
        """The training inputs on the backend."""
        return self.loop.arrays.xs

    @property
    def y_loss(self):
        return self.loop.arrays.y_loss

    @property
    def y_metric(self):
        """The raw training targets on the backend."""
        return self.loop.arrays.y_metric

    @property
    def _epoch_loss_sum(self):
        return self.loop.loss_sum

    @property
    def _epoch_metric_sums(self):
        return self.loop.metric_stats

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
        return self.loop.batch_indices(*divmod(step, self.batches_per_epoch))

    def set_hyperparameters(self, **values) -> None:
        """Change optimizer hyper-parameters from the next update on, keeping the optimizer's state,
        as ``model.optimizer.learning_rate = 0.1`` does in Keras.

        Replays after a rewind use the values in force at each step. Changing them at a
        rewound position starts a new future: the history and checkpoints after this step go.
        Values are not validated here (build the optimizer with them first to check).
        """
        self.hyper.record(self.step, values)
        set_values(self.engine.optimizer, values, self.engine.trainable_parameters())
        if self.max_step > self.step:
            self.checkpoints.drop_after(self.step)
            self.history.truncate_after(self.step, self.step // self.batches_per_epoch)

    def request_stop(self) -> None:
        """Ask :meth:`run` to stop after the current batch (thread-safe)."""
        self._stop.set()

    def clear_stop(self) -> None:
        """Forget a stop request (a paced loop outside :meth:`run` calls this before it starts)."""
        self._stop.clear()

    @property
    def stop_requested(self) -> bool:
        """Whether :meth:`request_stop` was called since the last run started (thread-safe)."""
        return self._stop.is_set()

    # --- one batch ------------------------------------------------------------
    def _begin_batch(self, keep_before: bool | str) -> None:
        self._trace = self.loop.begin_batch(*divmod(self.step, self.batches_per_epoch))
        self._phase_index = 0
        if keep_before == "stats":  # only for the history: reuse buffers
            self._before = self._scratch.params_before(self.engine)
        else:
            self._before = capture.copy_params(self.engine) if keep_before else None
        # A fully captured batch also keeps the optimizer's state before its update (the Inspector writes
        # the update from it); a run's uncaptured batches do not pay for the copy.
        self._slots_before = capture.copy_slots(self.engine) if keep_before is True else None
        self._lr_used = None

    def _run_phase(self, checked: bool) -> Divergence | None:
        """Run the next phase of the current batch (its engine steps); with ``checked``, scan their outputs."""
        found = None
        for kind, i in self.phase_plan[self._phase_index].steps:
            found = self._run_step(kind, i, checked)
            if found:
                break
        self._phase_index += 1
        return found or None

    def _run_step(self, kind: str, i: int | None, checked: bool) -> Divergence | None:
        """One engine step (one layer's forward or backward, the loss or the update)."""
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
                self._batch_metric_stats(trace)
        elif kind == "backward":
            engine.backward_layer(trace, i)
            bad = checked and capture.scan_backward(engine, trace, i)
            found = bad and capture.divergence(step, self.batches_per_epoch, kind, engine.layers[i].name, *bad)
        else:
            self._lr_used = engine.optimizer.current_learning_rate()
            engine.apply_update(trace)
            bad = checked and capture.scan_update(engine)
            if bad:
                found = capture.divergence(step, self.batches_per_epoch, kind, engine.layers[bad[0]].name,
                                           bad[1], bad[2])
        return found or None

    def _batch_metric_stats(self, trace: BatchTrace) -> None:
        """The batch's metric statistics (for the epoch) and values (for the history)."""
        engine = self.engine
        self._batch_stats = engine.metric_stats(trace)
        values = {m.name: m.result_from(to_host(engine.ops, st)) for m, st in zip(engine.metrics, self._batch_stats)}
        # The history keeps scalars (a metric over several thresholds gives an array: it stays in the epoch totals).
        self._batch_metrics = {k: float(v) for k, v in values.items() if np.ndim(v) == 0}

    def _finish_batch(self, record: bool) -> None:
        """After the update: history, epoch sums, checkpoint, epoch end."""
        engine, trace = self.engine, self._trace
        self.step += 1
        if self.hyper.changes_at(self.step):
            self.hyper.apply(self.step, engine.optimizer, engine.trainable_parameters())
        self.loop.add(trace, self._batch_stats)  # the epoch's totals, exactly as fit keeps them
        if record and self.step > self.history.last_step:
            values = {"loss": self._batch_loss, "learning_rate": float(self._lr_used), **self._batch_metrics}
            if trace.penalties:  # the loss as Keras reports it includes them; the history keeps both parts
                values["data_loss"] = engine.ops.item(trace.data_loss)
                values["regularization"] = float(sum(engine.ops.item(v) for _, v in trace.penalties))
            self.history.record_step(self.step, values)
            # Stepped (fully captured) batches always get their statistics; a run records them every
            # `stats_every` steps and at its last batch — not for every frame it captures for the
            # screen — which keeps it near fit's speed.
            stepped = self._run_stats is None and self._before is not None
            if stepped or self._run_stats or self.step % self.stats_every == 0 or self.step == 1:
                capture.record_layer_stats(self.history, self.step, engine, trace, self._before,
                                           self.step % self.distributions_every == 0 or self.step == 1,
                                           self._scratch)
        self._last_trace, self._last_before = trace, self._before
        self._last_slots_before, self._last_lr_used = self._slots_before, self._lr_used
        self._trace, self._phase_index = None, 0
        if self.step % self.batches_per_epoch == 0:
            self._end_epoch(record)
        if self.checkpoints.due(self.step):
            self.checkpoints.add(self._checkpoint(self.step))

    def _end_epoch(self, record: bool) -> None:
        logs = {k: v for k, v in self.loop.logs().items() if np.ndim(v) == 0}
        if self.validation_data is not None:
            x, y = self.validation_data
            val = self.model.evaluate(x, y, sample_weight=self.validation_sample_weight, batch_size=self.batch_size,
                                      verbose=0,
                                      return_dict=True)
            logs.update({f"val_{k}": v for k, v in val.items() if np.ndim(v) == 0})
        epoch = self.step // self.batches_per_epoch
        if record and self.history.epochs_done < epoch:
            self.history.record_epoch(logs)
        self.loop.reset_epoch()

    def _batch(self, keep_before: bool | str, checked: bool, record: bool = True) -> Divergence | None:
        """Run the rest of the current batch (or a whole new one).

        Unchecked, a fresh batch is one ``engine.train_batch`` call — the step
        ``fit`` runs — stopping before the update at a NaN/Inf loss, then one
        probe of everything it computed (run mode finds what step mode finds:
        an Inf in z with a finite loss, a NaN gradient, a weight); run mode
        does this ~1,500 times a second. Checked, it goes phase by phase and
        scans every output.
        """
        if self._trace is None:
            self._begin_batch(keep_before)
            if not checked:
                engine, trace = self.engine, self._trace
                self._lr_used = engine.optimizer.current_learning_rate()
                if not engine.train_batch(trace, stop_if_nonfinite=True):
                    return capture.divergence(self.step + 1, self.batches_per_epoch, "loss", None, "loss", 1)
                self._phase_index = len(self.phases)
                bad = capture.scan_batch(engine, trace)
                if bad:
                    phase, i, quantity, count = bad
                    return capture.divergence(self.step + 1, self.batches_per_epoch, phase, engine.layers[i].name,
                                              quantity, count)
                self._batch_loss = trace.loss_value
                self._batch_metric_stats(trace)
                self._finish_batch(record)
                return None
        while self._phase_index < len(self.phases):
            found = self._run_phase(checked)
            if found:
                return found
        self._finish_batch(record)
        return None

    # --- public stepping ------------------------------------------------------------
    def _check_not_diverged(self) -> None:
        if self.divergence is not None:
            raise TrainingDiverged(self.divergence)

    def step_phase(self) -> Snapshot:
        """Run one phase (e.g. layer 2's backward pass) and return what it produced."""
        self._check_not_diverged()
        with self._consistent():
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
        with self._consistent():
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
            between_batches: Callable[[], object] | None = None,
            capture_when: Callable[[], bool] | None = None) -> Iterator[Snapshot]:
        """Train continuously, yielding a fully captured snapshot now and then.

        Stops after ``max_steps`` more steps, or at the end of epoch ``epochs``
        (default: the session's ``epochs``), or when :meth:`request_stop` is
        called, or on divergence; always between batches. Batches that are not
        yielded are not captured, so they cost what ``fit`` costs. The last
        batch is yielded too unless ``capture_last`` is false (a caller that
        only wants the training done, such as compare mode, whose full batch
        would otherwise be copied at every step); a divergence always is.
        ``between_batches`` is called after every batch (the app uses it to
        pause training while the GUI paints). ``capture_when``, asked before
        every batch, captures that batch when it returns True (the app's
        training process captures when the window's frame clock asks).
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
        try:
            while self.step < target and not self._stop.is_set():
                last = self.step + 1 == target
                timed = capture_every_seconds is not None and time.perf_counter() - last_yield >= capture_every_seconds
                due = (capture_last and last) or timed or (
                    capture_every_steps is not None and (self.step + 1) % capture_every_steps == 0) or (
                    capture_when is not None and capture_when())
                self._run_stats = self._stats_due() or (last and capture_last)
                keep = True if due else "stats" if self._run_stats else False
                with self._consistent():
                    found = self._batch(keep_before=keep, checked=False, record=record)
                    if found:
                        snap = self._locate_and_recover(found)
                if found:
                    yield snap
                    return
                if between_batches is not None:
                    between_batches()
                if due:
                    yield self._make_snapshot(self._last_trace, self._last_before, "update", None,
                                              len(self.phases) - 1)
                    last_yield = time.perf_counter()
        finally:
            self._run_stats = None  # stepping again: every batch records its statistics

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
        if trace is not None and trace is self._trace:
            slots, lr = self._slots_before, self._lr_used
        elif trace is not None and trace is self._last_trace:
            slots, lr = self._last_slots_before, self._last_lr_used
        else:
            slots, lr = None, None
        return capture.build_snapshot(self, trace, before, phase, layer, index, self._batch_metrics, self._scratch,
                                      slots, lr)

    def state(self) -> dict[str, Any]:
        """A small summary for status bars."""
        return {"step": self.step, "epoch": self.epoch, "batch": self.batch,
                "batches_per_epoch": self.batches_per_epoch, "phase": self.next_phase,
                "diverged": self.divergence is not None}
