"""Run mode in a process of its own: the other side of the app's process runner (``app/process_runner.py``).

Why a process: in one interpreter, training and the window take turns on the
GIL — the window drew late, and training ran at ~0.6× its headless speed.
Here the app's child process trains (one BLAS thread, its own core) while the
window only draws what arrives.

What travels, and how:

- **data**, once per data set: the training (and validation) arrays as
  shared-memory segments the app made (:func:`~core.stepper.transport.send_array_segment`);
  the session here trains on read-only views of them;
- **a run**: the model's description (:func:`core.export.session_file.describe_model`,
  what a session file stores) and the session's :class:`~core.stepper.state.SessionState`
  as ``to_parts()`` — JSON-able fields and arrays — so that whatever a
  state carries (a layer's random stream, moving statistics, the
  hyper-parameter changes by step: a run from a rewound step replays a
  learning rate changed later) comes along;
  the session is rebuilt with :func:`core.export.session_file.rebuild_session`,
  every part checked;
- **back**, through shared-memory slots (:mod:`core.stepper.transport`):
  snapshots at the frame clock's rate, the curves (a
  :class:`~core.stepper.frame.HistorySlice`) five times a second, and at the
  end the state (again ``to_parts()``), the checkpoints (so rewinding is as
  quick as after a run in the app's own process) and the divergence, if any.

Messages are tuples whose first item names them. App → here: ``("data", key,
{name: (segment, dtype, shape)})``, ``("run", key, description, fields,
arrays, options)``, ``("stop",)``, ``("free", slot)``, ``("options", {...})``,
``("want",)`` (a snapshot at the next batch), ``("forget",)`` (drop the data set), ``("quit",)``.
Here → app: ``("ready",)``, ``("snapshot", header)``,
``("history", plain, (step, confusion matrix) or None)``, ``("done", header)``, ``("error", message)``.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict
from typing import Any

from core.stepper.frame import HistorySlice
from core.stepper.transport import SlotWriter, array_from_segment

#: Seconds between two looks at the app's messages while training (a stop is heard this fast).
POLL_S = 0.002
#: Seconds between two history slices sent while training (the curves' beat).
HISTORY_S = 0.2


def history_plain(history) -> dict[str, Any]:
    """A :class:`HistorySlice` of ``history`` as plain dicts (what pickles)."""
    piece = HistorySlice.of(history)
    return {"scalars": dict(piece.scalars), "epochs": dict(piece.epochs), "bands": dict(piece.bands),
            "epochs_done": piece.epochs_done, "last_step": piece.last_step}


def history_from_plain(plain: dict[str, Any]) -> HistorySlice:
    from types import MappingProxyType

    return HistorySlice(MappingProxyType(plain["scalars"]), MappingProxyType(plain["epochs"]),
                        MappingProxyType(plain["bands"]), plain["epochs_done"], plain["last_step"])


def training_data(session) -> dict[str, Any]:
    """The arrays a session trains on, as NumPy (``x, y`` as a session file stores them, validation, weights)."""
    import numpy as np

    ops = session.engine.ops
    data = {"x": ops.to_numpy(session.xs), "y": ops.to_numpy(session.y_metric)}
    if session.validation_data is not None:
        data["x_val"], data["y_val"] = (np.asarray(a) for a in session.validation_data)
    if session.loop.arrays.sample_weight is not None:
        data["sw"] = ops.to_numpy(session.loop.arrays.sample_weight)
    if session.validation_sample_weight is not None:
        data["sw_val"] = np.asarray(session.validation_sample_weight)
    return data


class _Worker:
    """The child's state: its pipe, its slots, the data sets it holds."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.writer = SlotWriter(slots=4)
        self.data: dict[str, dict] = {}
        self.stop = False
        self.wanted = False  # the app's frame clock asked for a snapshot
        self.last_snapshot = None
        self.options: dict[str, Any] = {}
        self.session = None

    def serve(self) -> None:
        self.conn.send(("ready",))
        while True:
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                return
            kind = message[0]
            if kind == "quit":
                return
            if kind == "run":
                self._run(*message[1:])
            else:
                self._handle(message)

    def _handle(self, message: tuple) -> None:
        kind = message[0]
        if kind == "quit":  # the app is closing, even in the middle of a run: its state is not wanted
            self.close()
            os._exit(0)
        if kind == "stop":
            self.stop = True
            if self.session is not None:
                self.session.request_stop()
        elif kind == "free":
            self.writer.release(message[1])
        elif kind == "want":
            self.wanted = True
        elif kind == "options":
            self.options.update(message[1])
            if self.session is not None:
                self.session.capture_options.decision_surface = bool(self.options.get("decision_surface"))
        elif kind == "forget":  # the app's session of that data is gone
            self.data.clear()
        elif kind == "data":
            self.data.clear()  # one data set at a time; the old mappings go with their last views
            key, specs = message[1], message[2]
            self.data[key] = {name: array_from_segment(segment, dtype, tuple(shape))
                              for name, (segment, dtype, shape) in specs.items()}

    def _poll(self) -> None:
        while self.conn.poll():
            self._handle(self.conn.recv())

    def _run(self, key: str, description: dict, fields: dict, arrays: dict, options: dict) -> None:
        from core.export.session_file import rebuild_session
        from core.stepper.state import SessionState

        self.stop, self.session, self.last_snapshot = False, None, None
        self.options = dict(options)
        try:
            data = self.data[key]
            state = SessionState.from_parts(fields, arrays)
            validation = None if "x_val" not in data else (data["x_val"], data["y_val"], data.get("sw_val"))
            session = rebuild_session(description, data["x"], data["y"], validation, data.get("sw"), state)
        except Exception as exc:  # noqa: BLE001 — reported to the app as the run's error
            self.conn.send(("error", f"{type(exc).__name__}: {exc}"))
            return
        self.session = session
        session.capture_options.decision_surface = bool(self.options.get("decision_surface"))
        marks = {"poll": time.perf_counter(), "history": time.perf_counter()}

        def between_batches() -> None:
            now = time.perf_counter()
            if now - marks["poll"] >= POLL_S:
                marks["poll"] = now
                self._poll()
            if now - marks["history"] >= HISTORY_S:
                marks["history"] = now
                self.conn.send(("history", history_plain(session.history), self._confusion(session)))

        def capture_when() -> bool:
            wanted, self.wanted = self.wanted, False
            return wanted

        # On demand (the app's frame clock asks once a tick: a new snapshot for every frame it draws), or
        # at the clock's period.
        on_demand = bool(options.get("on_demand"))
        last, error = None, None
        try:
            self._poll()  # a stop sent before the run began
            if not self.stop:
                for snap in session.run(max_steps=options.get("max_steps"),
                                        capture_every_seconds=None if on_demand else options.get("capture_interval_s"),
                                        between_batches=between_batches,
                                        capture_when=capture_when if on_demand else None):
                    last = self.last_snapshot = snap
                    header = self.writer.write(snap)
                    if header is not None:  # every slot lent out: this frame is skipped, training goes on
                        self.conn.send(("snapshot", header))
                        last = None
        except Exception as exc:  # noqa: BLE001 — the session is back at its last good step: send it
            error = f"{type(exc).__name__}: {exc}"
        self._finish(session, last, error)
        self.session = None

    def _confusion(self, session) -> tuple[int, Any] | None:
        """``(step, matrix)``: the validation confusion matrix of the last snapshot sent, when the views want it."""
        from core.stepper.derived import confusion_matrix

        classes = int(self.options.get("confusion_classes") or 0)
        snap, val = self.last_snapshot, session.validation_data
        if not classes or snap is None or val is None or not snap.layers:
            return None
        return snap.step, confusion_matrix(snap.layers, val[0], val[1], classes)

    def _finish(self, session, last, error: str | None) -> None:
        fields, arrays = session.get_state().to_parts()
        divergence = session.divergence
        final = {"fields": fields, "arrays": arrays, "snapshot": last, "error": error,
                 "divergence": None if divergence is None else asdict(divergence),
                 "checkpoint_every": session.checkpoints.every, "checkpoints": session.checkpoints.all(),
                 "history": history_plain(session.history)}
        header = self.writer.write(final, force=True)
        self.conn.send(("done", header))

    def close(self) -> None:
        self.writer.close()
        self.data.clear()


def serve(conn) -> None:
    """The child process's main function: one BLAS thread, the compiled optimizer warming, then messages."""
    from core.backend import set_num_threads
    from core.optimizers import fused

    set_num_threads(1)
    fused.start()  # now, while this process waits for its first run
    worker = _Worker(conn)
    try:
        worker.serve()
    finally:
        worker.close()
    # Quit at once: a daemon thread may still be importing numba, which interpreter shutdown would wait for.
    os._exit(0)


def serve_fd(fd: int) -> None:
    """:func:`serve` on a socket inherited as descriptor ``fd`` (the app starts ``python -c`` with it)."""
    from multiprocessing.connection import Connection

    serve(Connection(fd))
