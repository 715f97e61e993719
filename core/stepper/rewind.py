"""Going to a position: restart, reset, checkpoints, rewinding (checkpoint + deterministic replay),
staying consistent when a batch fails, and recovering from divergence."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from core.engine import BatchTrace
from core.stepper.checkpoints import Checkpoint
from core.stepper.history import TrainingHistory
from core.stepper.hyper import set_values
from core.stepper.snapshot import Divergence, Snapshot


class TrainingDiverged(RuntimeError):
    """Raised when stepping a session that has diverged (reset or rewind first)."""

    def __init__(self, divergence: Divergence) -> None:
        super().__init__(divergence.message())
        self.divergence = divergence


class RewindMixin:
    """Positions of a :class:`~core.stepper.session.TrainingSession`: :meth:`reset`, :meth:`seek` /
    :meth:`rewind`, its checkpoints, recovery after a failed batch and after divergence.

    It works on the session's engine, loop, checkpoint store, history and
    hyper-parameter schedule, and on its batch runner (``_batch``), all set up
    by ``TrainingSession.__init__``.
    """

    # --- back to a checkpoint -------------------------------------------------------
    def _restart(self) -> None:
        self.step = 0
        self.history = TrainingHistory()
        self.divergence: Divergence | None = None
        self._trace: BatchTrace | None = None
        self._phase_index = 0
        self._before: list | None = None
        self._last_trace: BatchTrace | None = None
        self._last_before: list | None = None
        self._slots_before: dict | None = None  # the optimizer's state before the current batch's update
        self._last_slots_before: dict | None = None
        self._lr_used: float | None = None
        self._last_lr_used: float | None = None
        self._batch_metrics: dict[str, float] = {}
        self.loop.reset_epoch()
        self.checkpoints.clear()
        self._restore(self._initial)
        self.checkpoints.add(self._initial)

    def _checkpoint(self, step: int) -> Checkpoint:
        ops, opt = self.engine.ops, self.engine.optimizer
        loss_sum, samples, metric_stats = self.loop.state()
        return Checkpoint(step, tuple(ops.copy_numpy(p) for p in self.engine.parameters()),
                          {k: tuple(ops.copy_numpy(a) for a in v) for k, v in opt.slots.items()} if opt.built else {},
                          opt.built, loss_sum, metric_stats, samples, self.engine.noise_state())

    def _restore(self, cp: Checkpoint) -> None:
        ops, opt, engine = self.engine.ops, self.engine.optimizer, self.engine
        for p, w in zip(engine.parameters(), cp.weights):
            ops.assign(p, ops.asarray(w))
        opt.reset()
        if self.hyper.changes:  # replays use the hyper-parameters in force back then
            set_values(opt, self.hyper.values_at(cp.step), engine.trainable_parameters())
        if cp.optimizer_built:
            opt.build(engine.trainable_parameters(), ops, engine.parameter_keys())
            for name, arrays in cp.slots.items():
                for slot, saved in zip(opt.slots.get(name, ()), arrays):  # a slot an option dropped
                    ops.assign(slot, ops.asarray(saved))
        opt.iterations = cp.step + self.initial_iterations
        engine.set_noise_state(cp.noise)
        self.step = cp.step
        self.loop.set_state((cp.epoch_loss_sum, cp.epoch_samples, cp.epoch_metric_sums))
        self._trace = None
        self._phase_index = 0

    def reset(self, seed: int | None = None) -> Snapshot:
        """Back to step 0 with the initial weights; a ``seed`` draws new initial weights."""
        if seed is not None:
            self.model.initialize_weights(seed)
            # Fresh weights start fresh dropout streams too (same layer seeds, no draws yet).
            self.engine.set_noise_state([(stream_seed, 0) for stream_seed, _ in self.engine.noise_state()])
            self.loop.reset_epoch()
            self.initial_iterations = 0  # new weights, a fresh optimizer
            self._initial = self._checkpoint(0)
        self._restart()
        return self.snapshot()

    # --- staying consistent when something fails ------------------------------------------
    @contextmanager
    def _consistent(self) -> Iterator[None]:
        """On any exception inside, go back to the last completed step, then re-raise.

        A batch that fails half-way (a full disk while recording, a bug in a
        statistic) must not leave ``step`` and ``optimizer.iterations`` apart,
        or half a batch applied: restore the last checkpoint and replay to the
        step before the batch, so replay stays exact.
        """
        good = self.step
        try:
            yield
        except Exception:
            self._recover(good)
            raise

    def _recover(self, step: int) -> None:
        self._trace, self._phase_index = None, 0
        self._last_trace = self._last_before = None
        self._restore(self.checkpoints.at_or_before(step))
        try:
            while self.step < step:
                if self._batch(keep_before=False, checked=False, record=False):
                    break
        except Exception:  # replay failed too: stay at the checkpoint, which is consistent
            self._trace, self._phase_index = None, 0
            self._restore(self.checkpoints.at_or_before(step))


    # --- rewind -----------------------------------------------------------------
    def seek(self, step: int) -> Snapshot:
        """Go to ``step`` (back or forward) and show exactly what happened in that batch.

        The model is restored from the last checkpoint at or before it and the
        batches in between are replayed: the weights are bit-identical to the
        first time. The history is kept (replays do not record twice).
        """
        if not 0 <= step:
            raise ValueError(f"step must be ≥ 0, got {step}.")
        self.divergence = None
        if step == 0:
            self._restore(self.checkpoints.at_or_before(0))
            self._last_trace = self._last_before = None
            return self.snapshot()
        with self._consistent():
            self._replay_to(step - 1)
            found = self._batch(keep_before=True, checked=True, record=True)
            if found:
                return self._locate_and_recover(found)
            return self._make_snapshot(self._last_trace, self._last_before, "update", None, len(self.phases) - 1)

    rewind = seek

    def _replay_to(self, step: int) -> None:
        """Restore the state after ``step`` updates (no capture, no history)."""
        if self._trace is not None or step < self.step:
            self._restore(self.checkpoints.at_or_before(step))
        elif self.checkpoints.at_or_before(step).step > self.step:
            self._restore(self.checkpoints.at_or_before(step))
        while self.step < step:
            found = self._batch(keep_before=False, checked=False, record=True)
            if found:
                raise TrainingDiverged(found)

    # --- divergence -------------------------------------------------------------------
    def _locate_and_recover(self, found: Divergence) -> Snapshot:
        """Find where NaN/Inf first appeared, restore the last finite state, report it.

        A run checks only the loss; the culprit may be the previous batch's
        update. Both batches are replayed with every array checked.
        """
        bad = found.step
        first = max(1, bad - 1)
        self._replay_to(first - 1)
        located = found
        for _ in range(first, bad + 1):
            result = self._batch(keep_before=True, checked=True, record=False)
            if result:
                located = result
                break
        self._replay_to(located.step - 1)
        self.divergence = located
        return self._make_snapshot(None, None, located.phase, None, -1)

    def _diverged(self, found: Divergence, index: int) -> Snapshot:
        trace = self._trace
        self._restore_keep_history(found.step - 1)
        self.divergence = found
        kind, layer = self.phases[index] if index >= 0 else ("start", None)
        return self._make_snapshot(trace, None, kind, layer, index)

    def _restore_keep_history(self, step: int) -> None:
        self._trace = None
        self._replay_to(step)

