"""The app's runner: run mode in a training process of its own, everything else on a worker thread.

:class:`ProcessRunner` is a :class:`~app.runner.RunSource` (see there for the
rules every source keeps). A full-speed run of a NumPy session goes to a
child process (:mod:`core.stepper.remote`): the session's state goes there
as a :class:`~core.stepper.state.SessionState`, snapshots come back through
shared memory into ``job.latest`` and the curves into ``job.history``, and
when the run ends its state, checkpoints and divergence are put back into the
app's session on the GUI thread — so stepping, rewinding and the gradient
check work on it in-process exactly as after a run on a thread. Compare mode,
paced runs and torch sessions run on the worker thread, as before.

Measured on the 2-core machine (``benchmarks/bench_window.py``): the window
trains at 0.6× headless run mode when both share one interpreter; here the
child trains at headless speed while the GUI only draws.

The child is started once, off the start path (:meth:`prewarm`, half a second
after the window's first frame: :class:`app.first_frame.AfterFirstFrame`),
and keeps the last data set it was sent. At exit
:meth:`shutdown` asks it to quit and ends it within half a second whatever
it is doing: a run's state is not needed once the window is gone.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import weakref
from multiprocessing.connection import Connection
from pathlib import Path

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from app.runner import STOP_DEADLINE_MS, RunJob, SessionRun, ThreadRunner
import core
from core.stepper.remote import history_from_plain, training_data
from core.stepper.snapshot import Divergence
from core.stepper.state import SessionState
from core.stepper.transport import SlotReader, send_array_segment

#: ``PROPSCOPE_RUNNER=thread`` keeps every run on the worker thread.
RUNNER_ENV = "PROPSCOPE_RUNNER"
#: The child's program: core's training loop on the inherited socket.
CHILD = "import sys\nfrom core.stepper.remote import serve_fd\nserve_fd(int(sys.argv[1]))\n"
#: How long :meth:`ProcessRunner.shutdown` waits for the child before ending it.
QUIT_WAIT_S = 0.4


class ProcessRunner(ThreadRunner):
    """A :class:`ThreadRunner` that sends full-speed NumPy run-mode jobs to a training process."""

    def __init__(self, parent: QObject | None = None, stop_deadline_ms: int = STOP_DEADLINE_MS,
                 clock=None) -> None:
        super().__init__(parent, stop_deadline_ms)
        # With a frame clock, the child captures a snapshot when a tick asks for one: each frame drawn is a
        # new batch (two free-running 30 Hz clocks would leave every third tick with nothing new).
        self.clock = clock
        if clock is not None:
            clock.ticked.connect(self._on_tick)
        self._process = None
        self._conn: Connection | None = None
        self._notifier: QSocketNotifier | None = None
        self._ready = False
        self._reader = SlotReader()
        self._remote: SessionRun | None = None
        self._data_key: str | None = None
        self._data_segments: list = []
        self._data_refs: list = []
        self._confusion_classes = 0  # the views want the validation confusion matrix over this many classes
        # While a run is in the child: look for messages and for slots the views let go of, every
        # 15 ms (the child only writes into free slots, so a snapshot released late is a frame lost).
        self._poll = QTimer(self)
        self._poll.setInterval(15)
        self._poll.timeout.connect(self._drain)

    # --- the child ------------------------------------------------------------------------------
    @property
    def child_ready(self) -> bool:
        """Whether the training process has started and said so."""
        self._drain()
        return self._ready

    def prewarm(self) -> None:
        """Start the training process now (it imports NumPy and core: ~0.5 s, off the GUI thread)."""
        if os.environ.get(RUNNER_ENV, "").lower() == "thread":
            return
        if self._process is not None and self._process.poll() is None:
            return
        # A fresh interpreter running only core (multiprocessing's spawn would re-import the app's main
        # module, Qt and all); the pipe is one end of a socket pair handed to it by descriptor.
        ours, theirs = socket.socketpair()
        root = str(Path(core.__file__).resolve().parents[1])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p),
                   **{var: "1" for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")})
        try:
            process = subprocess.Popen([sys.executable, "-c", CHILD, str(theirs.fileno())], pass_fds=[theirs.fileno()],
                                       env=env, stdin=subprocess.DEVNULL, cwd=root)
        except OSError:  # no processes here (a sandbox, a frozen build): every run stays on the thread
            ours.close()
            return
        finally:
            theirs.close()
        parent_end = Connection(ours.detach())
        self._process, self._conn, self._ready = process, parent_end, False
        self._notifier = QSocketNotifier(parent_end.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _child_lost(self) -> None:
        self._poll.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            _end(self._process, 0.1)
        self._process = self._conn = self._notifier = None
        self._ready, self._data_key = False, None
        self._reader.close()
        self._reader = SlotReader()

    def _send(self, message: tuple) -> bool:
        try:
            self._conn.send(message)
            return True
        except (OSError, ValueError, AttributeError):
            return False

    def runs_elsewhere(self, job: RunJob | None) -> bool:
        return job is not None and job is self._remote

    # --- which jobs go there -------------------------------------------------------------------
    def _remote_ok(self, job: RunJob) -> dict | None:
        """The model's description when ``job`` can run in the child, else None."""
        if os.environ.get(RUNNER_ENV, "").lower() == "thread" or not isinstance(job, SessionRun):
            return None
        if job.batches_per_second is not None or job.session.engine.ops.name != "numpy":
            return None
        from core.export.session_file import describe_model

        try:
            return describe_model(job.session)
        except (ValueError, TypeError, AttributeError):
            return None

    def _launch(self, job: RunJob) -> None:
        description = self._remote_ok(job)
        if description is None:
            super()._launch(job)
            return
        self.prewarm()
        try:
            self._send_data(job.session)
            fields, arrays = job.session.get_state().to_parts()
            options = {"max_steps": job.max_steps, "capture_interval_s": job.capture_interval_s,
                       "decision_surface": job.session.capture_options.decision_surface,
                       "confusion_classes": self._confusion_classes, "on_demand": self.clock is not None}
            sent = self._send(("run", self._data_key, description, fields, arrays, options))
        except OSError:
            sent = False
        if not sent:  # no child (cannot start processes here, or it died): the thread runs it
            self._child_lost()
            super()._launch(job)
            return
        self._job, self._remote, self._preempted = job, job, False
        self._poll.start()
        self.started.emit(job)

    def _send_data(self, session) -> None:
        """The session's arrays to the child, unless it holds them already (the same arrays, still alive)."""
        data = training_data(session)
        digest = hashlib.blake2b(digest_size=12)
        for name, array in sorted(data.items()):
            digest.update(f"{name}{array.dtype}{array.shape}{id(array)}".encode())
        key = digest.hexdigest()
        # Weak references: an id is only the same array while that array lives (this keeps none alive).
        if key == self._data_key and all(ref() is not None for ref in self._data_refs):
            return
        self._data_refs = [weakref.ref(array) for array in data.values()]
        for shm in self._data_segments:
            _remove(shm)
        self._data_segments = [send_array_segment(array) for array in data.values()]
        specs = {name: (shm.name, str(array.dtype), list(array.shape))
                 for (name, array), shm in zip(data.items(), self._data_segments)}
        self._send(("data", key, specs))
        self._data_key = key

    def release_unused(self) -> None:
        """The shared copy of a data set whose session is gone: unlinked here and dropped by the child (a
        Fashion-MNIST copy is ~220 MB in each process until the next run would have replaced it)."""
        if self._remote is not None or not self._data_segments:
            return
        if all(ref() is not None for ref in self._data_refs):
            return
        for shm in self._data_segments:
            _remove(shm)
        self._data_segments, self._data_refs, self._data_key = [], [], None
        self._send(("forget",))

    # --- hearing from the child ----------------------------------------------------------------------
    def _drain(self) -> None:
        conn = self._conn
        if conn is None:
            return
        try:
            while conn.poll():
                self._receive(conn.recv())
        except (EOFError, OSError):
            job = self._remote
            self._child_lost()
            if job is not None:
                job.error = "error: the training process ended unexpectedly; the session is as before the run."
                self._end_remote(job)
            return
        for name in self._reader.released():
            self._send(("free", name))

    def _receive(self, message: tuple) -> None:
        kind, job = message[0], self._remote
        if kind == "ready":
            self._ready = True
        elif job is None:
            return
        elif kind == "snapshot":
            snapshot = self._reader.read(message[1])
            if snapshot is not None:  # None: its slot was given up before this side looked (a frame lost)
                job.latest = snapshot
        elif kind == "history":
            job.history = history_from_plain(message[1])
            if message[2] is not None:
                job.confusion = message[2]
        elif kind == "error":
            job.error = "error: " + message[1]
            self._end_remote(job)
        elif kind == "done":
            self._take_back(job, self._reader.read(message[1]))
            self._end_remote(job)

    def _take_back(self, job: SessionRun, final: dict) -> None:
        """The child's end of the run becomes the app's session (on the GUI thread, nobody else touches it)."""
        session = job.session
        try:
            state = SessionState.from_parts(final["fields"], final["arrays"], name="training process state")
            session.set_state(state)
            session.checkpoints.replace(final["checkpoint_every"], final["checkpoints"])
            if final["divergence"] is not None:
                session.divergence = Divergence(**final["divergence"])
        except (ValueError, TypeError, KeyError) as exc:
            job.error = f"error: the training process sent back a state that does not fit: {exc}"
            return
        if final["snapshot"] is not None:
            job.latest = final["snapshot"]
        job.history = history_from_plain(final["history"])
        if final["error"]:
            job.error = "error: " + final["error"]

    def _on_tick(self, _tick: int) -> None:
        if self._remote is not None:
            self._drain()
            self._send(("want",))

    def _end_remote(self, job: SessionRun) -> None:
        self._remote = None
        self._poll.stop()
        self._on_finished(job)

    # --- the RunSource interface -------------------------------------------------------------------
    def request_stop(self, job: RunJob | None = None) -> None:
        super().request_stop(job)
        remote = self._remote
        if remote is not None and (job is None or job is remote) and remote.stop_requested:
            self._send(("stop",))

    def set_capture_options(self, decision_surface: bool, confusion_classes: int = 0) -> None:
        """What the child computes for the views: the decision surface in its snapshots (only while it is
        shown), the validation confusion matrix 5 times a second (only while the samples view is in front;
        the window would otherwise compute it, a forward pass over the validation set, on the GUI thread)."""
        self._confusion_classes = int(confusion_classes)
        if self._remote is not None:
            self._send(("options", {"decision_surface": decision_surface,
                                    "confusion_classes": self._confusion_classes}))

    def shutdown(self, timeout_ms: int = STOP_DEADLINE_MS) -> bool:
        """At exit: the child is told to quit and ended within :data:`QUIT_WAIT_S`; then the worker thread."""
        process = self._process
        if process is not None:
            self._send(("quit",))
            if self._remote is not None:
                self._remote.request_stop()
            self._drain()
            # Still starting (importing NumPy and core): nothing of it to keep, and it cannot hear yet.
            _end(process, QUIT_WAIT_S if self._ready else 0.0)
            self._remote = None
            self._child_lost()
        for shm in self._data_segments:
            _remove(shm)
        self._data_segments = []
        if self._job is not None and self._worker is None:
            self._job = None  # the child's job: gone with it
        return super().shutdown(timeout_ms)


def _end(process: subprocess.Popen, wait_s: float) -> None:
    """Let ``process`` end within ``wait_s``, then end it (terminate, then kill)."""
    for ending in (None, process.terminate, process.kill):
        if ending is not None:
            ending()
        try:
            process.wait(wait_s if ending is None else 0.2)
            return
        except subprocess.TimeoutExpired:
            continue


def _remove(shm) -> None:
    try:
        shm.close()
        shm.unlink()
    except (BufferError, FileNotFoundError):
        pass


def install() -> ProcessRunner:
    """Make a :class:`ProcessRunner` the app's one runner (``run_app`` does, before the window exists)."""
    from app import runner

    if not isinstance(runner.default_runner_or_none(), ProcessRunner):
        from app.frame_clock import default_clock

        runner.set_default_runner(ProcessRunner(clock=default_clock()))
    return runner.default_runner()
