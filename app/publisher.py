"""Frames for the main window's views: made on the frame clock's ticks while training, at once when stepping."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.frame_clock import FrameClock
from app.threads import PaintGate
from core.stepper import Snapshot
from core.stepper.frame import DataContext, Frame, HistorySlice, confusion_for


class FramePublisher(QObject):
    """Turns a session's snapshots and history into :class:`~core.stepper.frame.Frame` objects.

    While a run is followed (:meth:`follow`), each clock tick takes the run's
    newest snapshot; curves and the confusion matrix are refreshed on the
    clock's slower beat. Stepping publishes a complete frame at once
    (:meth:`show`). Rendering happens inside the paint gate, so a GIL-bound
    run waits at a batch boundary while the views draw.

    Signals
    -------
    frame_ready(Frame)
    """

    frame_ready = Signal(object)

    def __init__(self, clock: FrameClock, gate: PaintGate, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock, self.gate = clock, gate
        self.session = None
        self.data: DataContext | None = None
        self.latest: Snapshot | None = None
        self.frame: Frame | None = None
        self.want_confusion = False
        self._history = HistorySlice()
        self._confusion = self._confusion_of = None
        self._job = None
        clock.ticked.connect(self._tick)

    # --- what is shown --------------------------------------------------------------
    def set_session(self, session, task: str, class_names: tuple[str, ...]) -> None:
        """A new (or reopened) session: its data context is made once, here."""
        self.session, self._job = session, None
        self.data = DataContext.of(session, task, class_names)
        self._confusion = self._confusion_of = None
        self.show(session.snapshot())

    def show(self, snapshot: Snapshot) -> None:
        """Publish ``snapshot`` now, with the history and confusion matrix brought up to date."""
        self._publish(snapshot, curves=True)

    def set_want_confusion(self, wanted: bool) -> None:
        """Whether frames carry the validation confusion matrix (only while someone looks at it)."""
        changed = wanted and not self.want_confusion
        self.want_confusion = wanted
        if changed and self.latest is not None and self._job is None:
            self.show(self.latest)

    # --- following a run ----------------------------------------------------------------
    def follow(self, job) -> None:
        """Draw ``job.latest`` on every tick until :meth:`unfollow`."""
        self._job = job

    def unfollow(self) -> None:
        """The run ended: show its final state completely (curves drawn at 5 Hz catch up)."""
        job, self._job = self._job, None
        last = job.latest if job is not None and job.latest is not None else self.latest
        if last is not None:
            self.show(last)

    def _tick(self, tick: int) -> None:
        job = self._job
        if job is None or self.session is None:
            return
        snap = job.latest
        if self.clock.curves_due(tick) and self.latest is not None:
            # The curves' frame keeps the snapshot already drawn: two heavy redraws in one frame would
            # stall the event loop (and a small network's training with it); the batch follows next tick.
            self._publish(self.latest, curves=True, running=True)
        elif snap is not None and snap is not self.latest:
            self._publish(snap, curves=False, running=True)

    # --- making frames --------------------------------------------------------------------
    def _publish(self, snapshot: Snapshot, curves: bool, running: bool = False) -> None:
        if self.session is None:
            return
        self.latest = snapshot
        if curves:
            remote = self._job.history if self._job is not None else None  # a run in the training process
            self._history = remote if remote is not None else HistorySlice.of(self.session.history)
            computed = self._job.confusion if self._job is not None else None  # by the training process
            if self.want_confusion and computed is not None and not running:
                computed = None  # a complete frame at the end: this snapshot's own matrix
            if self.want_confusion and computed is not None:
                self._confusion, self._confusion_of = computed[1], snapshot
            elif self.want_confusion and snapshot is not self._confusion_of:
                self._confusion, self._confusion_of = confusion_for(snapshot, self.data), snapshot
        self.frame = Frame(snapshot, self._history, self.data, self.session.batches_per_epoch, running,
                           self._confusion if self.want_confusion else None)
        with self.gate.closed():  # a GIL-bound run waits at a batch boundary while the views draw
            self.frame_ready.emit(self.frame)
