"""Rewinding a session (checkpoint + deterministic replay) and recovering from divergence."""

from __future__ import annotations

from core.stepper.snapshot import Divergence, Snapshot


class TrainingDiverged(RuntimeError):
    """Raised when stepping a session that has diverged (reset or rewind first)."""

    def __init__(self, divergence: Divergence) -> None:
        super().__init__(divergence.message())
        self.divergence = divergence


class RewindMixin:
    """:meth:`seek` / :meth:`rewind` and divergence recovery for :class:`TrainingSession`."""

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

