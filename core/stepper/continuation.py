"""Continuing a session from plain data: :class:`ContinuationMixin` of
:class:`~core.stepper.session.TrainingSession` (``get_state``, ``set_state``,
``from_state``).

A :class:`~core.stepper.state.SessionState` leaves through ``get_state`` (a
session file, the training process) and comes back through ``set_state``,
which checks everything against the model before it changes anything.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from core import limits
from core.loop import EpochLoop
from core.stepper.history import TrainingHistory
from core.stepper.state import SessionState

if TYPE_CHECKING:  # the session module imports this one
    from core.stepper.session import TrainingSession


class ContinuationMixin:
    """The state API of :class:`~core.stepper.session.TrainingSession`.

    It reads the session's position, settings, initial checkpoint, history and
    hyper-parameter schedule, and restarts it through ``_restart`` / ``_restore``
    (:class:`~core.stepper.rewind.RewindMixin`).
    """

    def get_state(self) -> SessionState:
        """Everything needed to continue exactly from the last completed step, as plain data.

        Mid-batch, the batch in progress is not part of it (its update has
        not happened yet): the state is that of ``step`` updates.
        """
        current = self._checkpoint(self.step)
        return SessionState(step=self.step, batch_size=self.batch_size, epochs=self.epochs, shuffle=self.shuffle,
                            shuffle_seed=self.shuffle_seed, stats_every=self.stats_every,
                            distributions_every=self.distributions_every, epoch_loss_sum=current.epoch_loss_sum,
                            epoch_metric_sums=(), epoch_metric_stats=current.epoch_metric_sums,
                            epoch_samples=current.epoch_samples,
                            optimizer_built=current.optimizer_built, weights=current.weights,
                            initial_weights=self._initial.weights, optimizer_slots=current.slots,
                            history=self.history.get_state(), initial_iterations=self.initial_iterations,
                            initial_optimizer_slots=self._initial.slots, noise_state=current.noise,
                            initial_noise_state=self._initial.noise,
                            hyper_initial=dict(self.hyper.initial) if self.hyper.changes else {},
                            hyper_changes=tuple((at, dict(v)) for at, v in sorted(self.hyper.changes.items())))

    def set_state(self, state: SessionState, path=None) -> None:
        """Continue from ``state`` (:meth:`get_state` of this or an identical session).

        Everything is checked before anything changes: array shapes, dtypes and
        finiteness against this model, the history, the limits. On any error
        (a :class:`core.safeio.ReadRejected` or ``ValueError``) the session is
        exactly as it was.
        """
        state.check_against(self.engine, path)
        history = TrainingHistory.from_state(state.history)
        batches = math.ceil(self.n / state.batch_size)
        limits.check_limit("epochs × batches per epoch", state.epochs * batches, "MAX_STEPS")
        if state.step > history.last_step:
            raise ValueError(f"the state is at step {state.step} but its history ends at step {history.last_step}.")
        initial, current = state.checkpoints(self.n)
        # Validated: now swap, nothing below can fail on the state's account.
        self.batch_size, self.epochs, self.shuffle = state.batch_size, state.epochs, state.shuffle
        self.shuffle_seed = state.shuffle_seed
        self.loop = EpochLoop(self.engine, self.loop.arrays, self.batch_size, self.shuffle, self.shuffle_seed)
        self.stats_every, self.distributions_every = state.stats_every, state.distributions_every
        self._initial = initial
        self.initial_iterations = state.initial_iterations
        if state.hyper_changes:  # replays and the steps after use the values in force at each step
            self.hyper.initial = dict(state.hyper_initial)
        self.hyper.changes = {at: dict(values) for at, values in state.hyper_changes}
        self._restart()
        self._last_trace = self._last_before = None
        if state.step:
            self._restore(current)
            self.checkpoints.add(current)
        self.history = history

    @classmethod
    def from_state(cls, model, x, y, state: SessionState, validation_data=None, path=None,
                   sample_weight=None) -> "TrainingSession":
        """A session of ``model`` on ``x, y`` continuing from ``state`` (see :meth:`set_state`)."""
        session = cls(model, x, y, batch_size=state.batch_size, epochs=state.epochs, shuffle=state.shuffle,
                      seed=state.shuffle_seed, validation_data=validation_data, stats_every=state.stats_every,
                      distributions_every=state.distributions_every, sample_weight=sample_weight)
        session.set_state(state, path)
        return session
