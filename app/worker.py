"""Training on a worker thread: the GUI thread only ever receives finished snapshots."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal, Slot

from app.threads import PaintGate
from core.stepper import TrainingSession
from widgets.tr_noop import tr_noop

#: batches per second for the speed settings below "max"
SPEEDS = {tr_noop("slow (1 batch/s)"): 1.0, tr_noop("medium (5 batches/s)"): 5.0,
          tr_noop("fast (25 batches/s)"): 25.0, tr_noop("max"): None}


class RunWorker(QObject):
    """Runs ``session.run`` (or paced single batches) and emits snapshots.

    Signals
    -------
    snapshot(Snapshot)
        A fully captured snapshot, at most ~30 per second.
    finished(str)
        ``"done"``, ``"paused"``, ``"diverged"`` or ``"error: …"``.
    """

    snapshot = Signal(object)
    finished = Signal(str)

    def __init__(self, session: TrainingSession, max_steps: int | None, batches_per_second: float | None,
                 gate: PaintGate | None = None) -> None:
        super().__init__()
        self.session = session
        self.max_steps = max_steps
        self.batches_per_second = batches_per_second
        self.gate = gate or PaintGate()

    @Slot()
    def run(self) -> None:
        session = self.session
        reason = "done"
        try:
            if self.batches_per_second is None:
                for snap in session.run(max_steps=self.max_steps, capture_every_seconds=1 / 30,
                                        between_batches=self.gate.wait):
                    self.snapshot.emit(snap)
            else:
                target = session.step + self.max_steps if self.max_steps is not None else \
                    session.epochs * session.batches_per_epoch
                session.clear_stop()
                while session.step < target and not session.stop_requested:
                    t0 = time.perf_counter()
                    snap = session.step_batch()
                    self.snapshot.emit(snap)
                    if snap.divergence:
                        break
                    # Sleep in small slices so a pause request is honoured quickly.
                    while time.perf_counter() - t0 < 1.0 / self.batches_per_second and not session.stop_requested:
                        time.sleep(0.01)
            if session.divergence is not None:
                reason = "diverged"
            elif session.stop_requested:
                reason = "paused"
        except Exception as exc:  # reported to the user; the session keeps its last good state
            reason = f"error: {exc}"
        self.finished.emit(reason)
