"""Where running frames come from: one training run at a time, on a worker, never waited for.

A :class:`RunJob` is one run — :class:`SessionRun` (the main window's run
mode) or :class:`ComparisonRun` (compare mode) — written as a generator that
trains and keeps its newest frame in ``latest``. A :class:`RunSource` runs
jobs: the app's frame clock pulls ``job.latest`` and draws it; the owner of a
job hears ``finished(job, reason)``. Views and windows only ever see frames,
so a process-backed source (issue #21: run mode in a separate process,
snapshots through shared memory) can replace :class:`ThreadRunner` without
touching them.

Rules every source keeps:

- **One run at a time.** Submitting a job while another runs stops that one
  (its owner hears ``"preempted"``) and starts the new one when it has
  stopped. Main-window and compare-mode runs never overlap: they would share
  one compute thread and the interpreter, and each would run at half speed.
- **Stopping never blocks.** :meth:`RunSource.request_stop` returns at once;
  the job ends after its current batch and ``finished`` follows.
- **A run that does not stop in time is an error:** ``stop_overdue(job)``
  after :data:`STOP_DEADLINE_MS`.
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Callable, Iterator

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from app.threads import PaintGate

#: How long a stopped run may take to end before that is reported as an error.
STOP_DEADLINE_MS = 5_000
#: Finish reasons besides "error: …".
DONE, PAUSED, DIVERGED, PREEMPTED = "done", "paused", "diverged", "preempted"


class RunJob:
    """One run on a worker: :meth:`frames` trains and yields; :meth:`request_stop` may come from any thread."""

    def __init__(self) -> None:
        self.latest = None  # the newest frame; set on the worker, read by the frame clock
        # The run's curves, when its session trains elsewhere (a training process): a HistorySlice;
        # and the validation confusion matrix computed there: (step, matrix).
        self.history = None
        self.confusion = None
        self.error: str | None = None  # "error: …" when frames() raised
        self._stop = threading.Event()

    def frames(self) -> Iterator[object]:  # pragma: no cover - each job defines it
        raise NotImplementedError

    def request_stop(self) -> None:
        """Stop after the current batch (thread-safe, returns at once)."""
        self._stop.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def outcome(self) -> str:
        """Why :meth:`frames` ended: :data:`DONE`, :data:`PAUSED` or :data:`DIVERGED`."""
        return PAUSED if self._stop.is_set() else DONE


#: At this pace or slower a run steps phase by phase, so the class sees each batch go forward and back.
PHASE_BY_PHASE_MAX = 5.0


class SessionRun(RunJob):
    """Run mode of one :class:`~core.stepper.TrainingSession`: as fast as it goes, or paced.

    At a pace a class can watch (:data:`PHASE_BY_PHASE_MAX` batches a second
    or slower) every phase of every batch is shown in turn: the step strip and
    the network move forward and back. The pace may change while the run goes
    (:meth:`set_pace`, from any thread): "max" takes over after the current
    batch, and a pace set during a full-speed run takes over at its next capture.

    Parameters
    ----------
    session : TrainingSession
    max_steps : int, optional
        Stop after this many steps (``None``: to the session's last epoch).
    batches_per_second : float, optional
        Pace (``None``: full speed, a snapshot captured every ``capture_interval_s``).
    capture_interval_s : float
        The frame clock's period: a faster capture would never be shown.
    between_batches : callable, optional
        Called after every batch (the paint gate).
    """

    def __init__(self, session, max_steps: int | None, batches_per_second: float | None,
                 capture_interval_s: float, between_batches: Callable[[], object] | None = None) -> None:
        super().__init__()
        self.session = session
        self.max_steps = max_steps
        self.batches_per_second = batches_per_second
        self.capture_interval_s = capture_interval_s
        self.between_batches = between_batches
        self._repace = threading.Event()

    def request_stop(self) -> None:
        super().request_stop()
        self.session.request_stop()

    def set_pace(self, batches_per_second: float | None) -> None:
        """Change the pace of the running job (thread-safe; ``None``: full speed)."""
        self.batches_per_second = batches_per_second
        if batches_per_second is not None:
            self._repace.set()
            self.session.request_stop()  # a full-speed run ends its loop at the next batch; the paced one takes over

    def frames(self) -> Iterator[object]:
        session = self.session
        target = session.step + self.max_steps if self.max_steps is not None else \
            session.epochs * session.batches_per_epoch
        while session.step < target and not self.stop_requested:
            pace = self.batches_per_second
            if pace is None:
                self._repace.clear()
                for snap in session.run(max_steps=target - session.step, capture_every_seconds=self.capture_interval_s,
                                        between_batches=self.between_batches):
                    self.latest = snap
                    yield snap
                if not self._repace.is_set() or session.divergence is not None:
                    return
                continue
            if pace <= PHASE_BY_PHASE_MAX:
                yield from self._phases(pace)
            else:
                yield from self._batch(pace)
            if session.divergence is not None:
                return

    def _batch(self, pace: float) -> Iterator[object]:
        t0 = time.perf_counter()
        snap = self.latest = self.session.step_batch()
        yield snap
        self._sleep_until(t0 + 1.0 / pace)

    def _phases(self, pace: float) -> Iterator[object]:
        """The rest of the current batch (or a whole new one), one phase at a time."""
        session = self.session
        per_phase = 1.0 / (pace * len(session.phases))
        while not self.stop_requested:
            t0 = time.perf_counter()
            snap = self.latest = session.step_phase()
            yield snap
            if snap.divergence or not session.mid_batch or self.batches_per_second != pace:
                self._sleep_until(t0 + per_phase)
                return
            self._sleep_until(t0 + per_phase)

    def _sleep_until(self, deadline: float) -> None:
        # Sleep in small slices so that a stop is honoured at once.
        while time.perf_counter() < deadline and not self.stop_requested:
            self._stop.wait(min(0.01, max(0.0, deadline - time.perf_counter())))

    def outcome(self) -> str:
        return DIVERGED if self.session.divergence is not None else super().outcome()


class ComparisonRun(RunJob):
    """Compare mode: every side of a :class:`~core.compare.Comparison` advanced in slices.

    A frame (probe activations and curves of every side, tens of milliseconds)
    is made only when the frame clock asks for one (:meth:`want_frame`), and
    once at the end.
    """

    SLICES_PER_EPOCH = 60  # smooth curves, and a stop is honoured within a slice

    def __init__(self, comparison, between_batches: Callable[[], object] | None = None) -> None:
        super().__init__()
        self.comparison = comparison
        self.between_batches = between_batches
        self.chunk = max(1, comparison.n // self.SLICES_PER_EPOCH)
        self._wanted = threading.Event()

    def want_frame(self) -> None:
        """Make a frame after the current slice (thread-safe)."""
        self._wanted.set()

    def frames(self) -> Iterator[object]:
        c = self.comparison
        while not c.done and not self.stop_requested:
            c.advance(self.chunk, between_batches=self.between_batches, stop=self._stop)
            if self._wanted.is_set():
                self._wanted.clear()
                self.latest = c.frame()
                yield self.latest
        self.latest = c.frame()
        yield self.latest

    def outcome(self) -> str:
        return DONE if self.comparison.done else PAUSED


def _reported(job: RunJob) -> Iterator[object]:
    """``job.frames()``, with any exception kept as ``job.error`` (superqt would swallow a RuntimeError
    without even saying the worker finished); the session keeps its last good state."""
    try:
        yield from job.frames()
    except Exception as exc:  # noqa: BLE001 — reported to the job's owner as its finish reason
        job.error = f"error: {exc}"


class RunSource(QObject):
    """Runs :class:`RunJob` objects one at a time (see the module docstring). The interface views' owners use.

    Signals
    -------
    started(job)
    finished(job, reason)
        ``"done"``, ``"paused"``, ``"diverged"``, ``"preempted"`` or ``"error: …"``.
    stop_overdue(job, seconds)
        A stopped job has not ended within the deadline.
    """

    started = Signal(object)
    finished = Signal(object, str)
    stop_overdue = Signal(object, float)

    gate: PaintGate

    def submit(self, job: RunJob) -> None:
        raise NotImplementedError

    def request_stop(self, job: RunJob | None = None) -> None:
        raise NotImplementedError

    @property
    def current(self) -> RunJob | None:
        raise NotImplementedError

    def is_active(self, job: RunJob | None) -> bool:
        """Whether ``job`` is running or waiting to run."""
        raise NotImplementedError

    def runs_elsewhere(self, job: RunJob | None) -> bool:
        """Whether ``job`` trains in another process (which cannot change its pace while it runs)."""
        return False

    def shutdown(self, timeout_ms: int = STOP_DEADLINE_MS) -> bool:
        raise NotImplementedError

    def set_capture_options(self, decision_surface: bool, confusion_classes: int = 0) -> None:
        """What a session that lives elsewhere computes for the views: the decision surface in its
        snapshots, the validation confusion matrix over ``confusion_classes`` classes (0: none). A thread
        shares the session object, whose ``capture_options`` the owner sets itself, and the publisher
        computes the confusion matrix."""

    def prewarm(self) -> None:
        """Get ready for a first run (a process-backed source starts its process); nothing by default."""

    def release_unused(self) -> None:
        """Free what the source keeps for sessions that are gone (a process-backed source's shared copy of
        their data); nothing by default."""


class ThreadRunner(RunSource):
    """A :class:`RunSource` on superqt's :class:`~superqt.utils.GeneratorWorker` (Qt's thread pool).

    Parameters
    ----------
    stop_deadline_ms : int
        See :data:`STOP_DEADLINE_MS`.
    """

    def __init__(self, parent: QObject | None = None, stop_deadline_ms: int = STOP_DEADLINE_MS) -> None:
        super().__init__(parent)
        self.gate = PaintGate()
        self.stop_deadline_ms = stop_deadline_ms
        self._job: RunJob | None = None
        self._worker = None  # superqt's GeneratorWorker of the running job
        self._queued: RunJob | None = None
        self._preempted = False

    @property
    def current(self) -> RunJob | None:
        return self._job

    @property
    def busy(self) -> bool:
        return self._job is not None

    def is_active(self, job: RunJob | None) -> bool:
        return job is not None and job in (self._job, self._queued)

    def submit(self, job: RunJob) -> None:
        """Start ``job`` now, or as soon as the running job has stopped (which it is asked to)."""
        if self._job is None:
            self._launch(job)
            return
        replaced, self._queued = self._queued, job
        if replaced is not None:
            self.finished.emit(replaced, PREEMPTED)  # it never started
        if not self._job.stop_requested:
            self._preempted = True
            self.request_stop(self._job)

    def request_stop(self, job: RunJob | None = None) -> None:
        """Ask ``job`` (default: the running one) to stop after its current batch; returns at once."""
        if job is not None and job is self._queued:
            self._queued = None
            self.finished.emit(job, PAUSED)
            return
        if job is not None and job is not self._job or self._job is None:
            return
        running = self._job
        if running.stop_requested:
            return
        running.request_stop()
        if self._worker is not None:
            self._worker.quit()  # superqt's own flag, checked between yields
        # A weak reference: the deadline must not keep a finished job (and its session: hundreds of MB
        # for Fashion-MNIST) alive for seconds after a new session replaced it.
        job_ref = weakref.ref(running)
        QTimer.singleShot(self.stop_deadline_ms, self, lambda: self._check_stopped(job_ref()))

    def _check_stopped(self, job: RunJob | None) -> None:
        if job is not None and job is self._job:
            self.stop_overdue.emit(job, self.stop_deadline_ms / 1000)

    def _launch(self, job: RunJob) -> None:
        from superqt.utils import GeneratorWorker  # here, not at start-up: superqt takes 0.15 s to import

        self._job, self._preempted = job, False
        worker = GeneratorWorker(_reported, job)
        # Delivered on the GUI thread. Weak: superqt keeps a finished worker (and its connections) a while, and
        # the job holds its session (hundreds of MB); while it runs, self._job holds it.
        job_ref = weakref.ref(job)
        worker.finished.connect(lambda: self._on_finished(job_ref()))
        self._worker = worker
        worker.start()
        self.started.emit(job)

    def _on_finished(self, job: RunJob | None) -> None:
        if job is None or job is not self._job:
            return
        reason = job.error or (PREEMPTED if self._preempted else job.outcome())
        self._job = self._worker = None
        self.finished.emit(job, reason)
        queued, self._queued = self._queued, None
        if queued is not None and self._job is None:
            self._launch(queued)

    def shutdown(self, timeout_ms: int = STOP_DEADLINE_MS) -> bool:
        """At exit, with no window left: stop everything and wait for the worker; False if it did not end."""
        if self._queued is not None:
            self.request_stop(self._queued)
        if self._job is not None:
            self.request_stop(self._job)
        return QThreadPool.globalInstance().waitForDone(timeout_ms)


_DEFAULT: ThreadRunner | None = None


def default_runner() -> ThreadRunner:
    """The application's one runner (made on first use; lives as long as the process).

    A :class:`ThreadRunner` unless one was installed first: ``run_app`` installs the
    process-backed runner (:func:`app.process_runner.install`).
    """
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = ThreadRunner()
    return _DEFAULT


def default_runner_or_none() -> ThreadRunner | None:
    return _DEFAULT


def set_default_runner(runner: ThreadRunner) -> None:
    """Install ``runner`` as the app's one runner (before any window or controller asks for it)."""
    global _DEFAULT
    _DEFAULT = runner
