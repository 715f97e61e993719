"""Compare mode's controller: builds the comparison from the main window's settings and runs it.

Runs go to the app's one :class:`~app.runner.RunSource`, so a comparison and
the main window's run never train at once; frames come on the app's frame
clock, 5 a second.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.frame_clock import FrameClock
from app.runner import PREEMPTED, ComparisonRun, RunSource
from app.threads import gil_bound
from core.compare import Comparison
from settings.compare_setup import Variant, build_comparison, side_labels
from widgets.i18n import tr


class CompareController(QObject):
    """Builds and runs a :class:`~core.compare.Comparison`; emits :attr:`frame_ready` with its frames.

    Parameters
    ----------
    main : TrainingController
        Whose data and settings every side starts from (read, never changed).
    runner, clock
        The app's runner and frame clock (shared with the main window).
    """

    frame_ready = Signal(object)        # ComparisonFrame
    running_changed = Signal(bool)
    error = Signal(str, str)
    info = Signal(str)

    def __init__(self, main, runner: RunSource, clock: FrameClock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.main, self.runner, self.clock = main, runner, clock
        self.comparison: Comparison | None = None
        self._job: ComparisonRun | None = None
        self._shown = None
        runner.finished.connect(self._on_finished)
        runner.stop_overdue.connect(self._on_stop_overdue)
        clock.ticked.connect(self._tick)

    @property
    def running(self) -> bool:
        return self.runner.is_active(self._job)

    @property
    def trained_steps(self) -> int:
        """The most steps any side has trained (what building the comparison again throws away)."""
        return max((s.max_step for s in self.comparison.sessions), default=0) if self.comparison else 0

    @property
    def has_progress(self) -> bool:
        return self.trained_steps > 0

    def build(self, variants: tuple[Variant, ...], epochs: int) -> bool:
        """A fresh comparison of ``variants`` on the main window's data and settings (a run of the old one stops)."""
        m = self.main
        if m.dataset is None:
            self.error.emit(tr("Cannot compare"), tr("Load data in the main window first."))
            return False
        try:
            comparison = build_comparison(m.dataset, m.data_config, m.spec, m.train_config, variants,
                                          side_labels(variants, tr("full batch"), tr("batch {n}")), epochs,
                                          prepared=m.prepared)
        except (ValueError, TypeError, RuntimeError) as exc:
            self.error.emit(tr("Cannot compare"), str(exc))
            return False
        self._detach()
        self.comparison = comparison
        self._show(comparison.frame())
        return True

    def start(self, more_epochs: int) -> None:
        """Train every side; a finished comparison trains ``more_epochs`` further.

        Started while the last run is still stopping, the new run follows it (the runner runs one at a time).
        """
        if self.comparison is None or (self.running and not self._job.stop_requested):
            return
        if self.comparison.done:
            self.comparison.set_epochs(self.comparison.epochs + more_epochs)
        self.runner.gate.enabled = any(gil_bound(s) for s in self.comparison.sessions)
        self._job = ComparisonRun(self.comparison, self.runner.gate.wait)
        self.runner.submit(self._job)
        self.running_changed.emit(True)

    def stop(self) -> None:
        """Stop after the current batch of every side; returns at once."""
        if self._job is not None:
            self.runner.request_stop(self._job)

    def _detach(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            self.runner.request_stop(job)
            self.running_changed.emit(False)

    def _tick(self, tick: int) -> None:
        job = self._job
        if job is None:
            return
        if self.clock.curves_due(tick):
            job.want_frame()
        if job.latest is not None and job.latest is not self._shown:
            self._show(job.latest)

    def _show(self, frame) -> None:
        self._shown = frame
        with self.runner.gate.closed():  # a GIL-bound comparison waits while the plots redraw
            self.frame_ready.emit(frame)

    def _on_finished(self, job, reason: str) -> None:
        if job is not self._job:
            return
        self._job = None
        if job.latest is not None:
            self._show(job.latest)  # the final frame
        self.running_changed.emit(False)
        if reason == PREEMPTED:
            self.info.emit(tr("Paused: the main window is training now (one run at a time)."))
        elif reason.startswith("error"):
            self.error.emit(tr("Training failed"), reason[len("error: "):])

    def _on_stop_overdue(self, job, seconds: float) -> None:
        if job is self._job:
            self.error.emit(tr("Training did not stop"),
                            tr("The training thread has not stopped {seconds} s after it was asked to. Its last "
                               "batch may still be computing; save your work and restart if it does not "
                               "end.").format(seconds=f"{seconds:g}"))
