"""Loading off the GUI thread: data files and session files, with progress and a Cancel button.

:class:`Loader` runs one load at a time on a worker (superqt, Qt's thread pool, as training runs). The work is a
plain function (Qt-free: it calls the guarded loaders); it reports progress
through :func:`core.safeio.reporting`, and Cancel makes the next progress
report raise :class:`core.safeio.LoadCancelled`, which ends the work between
two chunks. The result, or the error's message, comes back to the GUI thread
through a queued signal, where the caller swaps it in at once — so the window
keeps painting while a large file is read, and nothing it shows changes until
the new state is complete.

A progress dialog (window-modal, so nothing else can be changed meanwhile)
appears only when a load takes longer than :data:`SHOW_AFTER_MS`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from core import safeio
from widgets.i18n import tr

#: A progress dialog appears when a load takes longer than this.
SHOW_AFTER_MS = 400
#: Progress reports reach the dialog at most this often.
REPORT_EVERY_S = 0.05


@dataclass(frozen=True)
class LoadResult:
    """What a finished load sends back: its value, or why it failed (``cancelled`` when the user said so)."""

    value: Any = None
    error: str = ""
    cancelled: bool = False


class Loader(QObject):
    """Runs one load at a time on a worker thread; see the module's docstring.

    Signals
    -------
    progress(int, str)
        Percent done (−1 when unknown) and what is happening.
    finished(object)
        The :class:`LoadResult`, on the GUI thread.
    """

    progress = Signal(int, str)
    finished = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._ended = threading.Event()  # the worker has returned
        self._ended.set()
        self._cancel = threading.Event()
        self._dialog: QProgressDialog | None = None
        self._on_done: Callable[[LoadResult], None] | None = None
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.progress.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        """A load is running or its result has not been delivered yet."""
        return self._on_done is not None

    def start(self, title: str, work: Callable[[], Any], on_done: Callable[[LoadResult], None]) -> bool:
        """Run ``work()`` on a worker thread; ``on_done(result)`` runs on the GUI thread afterwards.

        Returns False (and starts nothing) while another load is running.
        ``work`` may raise anything: the message is what reaches ``on_done``.
        """
        if self.busy:
            return False
        self._cancel.clear()
        self._ended.clear()
        self._on_done = on_done
        self._dialog = self._make_dialog(title)
        from superqt.utils import FunctionWorker  # on first use: superqt takes 0.15 s to import

        FunctionWorker(self._run, work).start()
        return True

    def cancel(self) -> None:
        """Ask the running load to stop at its next progress report."""
        self._cancel.set()

    def wait(self, timeout_s: float = 30.0) -> bool:
        """Process events until the running load's result has been delivered (tests, shutdown)."""
        deadline = time.monotonic() + timeout_s
        while self.busy and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            self._ended.wait(0.01)
        QCoreApplication.processEvents()
        return not self.busy

    def shutdown(self) -> None:
        """Cancel and give the worker a moment to stop (the window is closing)."""
        if self.busy:
            self.cancel()
            self._ended.wait(2.0)

    # --- worker thread ------------------------------------------------------------------
    def _run(self, work: Callable[[], Any]) -> None:
        last = [0.0]

        def report(done: int, total: int, what: str) -> None:
            if self._cancel.is_set():
                raise safeio.LoadCancelled()
            now = time.monotonic()
            if now - last[0] >= REPORT_EVERY_S:
                last[0] = now
                self.progress.emit(int(100 * done / total) if total > 0 else -1, what)

        try:
            with safeio.reporting(report):
                value = work()
            if self._cancel.is_set():
                raise safeio.LoadCancelled()
            result = LoadResult(value=value)
        except safeio.LoadCancelled:
            result = LoadResult(cancelled=True)
        except MemoryError:
            result = LoadResult(error=tr("Ran out of memory while loading; use a smaller file."))
        except Exception as exc:  # the loaders' own errors carry the message to show
            result = LoadResult(error=str(exc) or type(exc).__name__)
        self.finished.emit(result)
        self._ended.set()

    # --- GUI thread ---------------------------------------------------------------------
    def _make_dialog(self, title: str) -> QProgressDialog:
        dialog = QProgressDialog(title, tr("Cancel"), 0, 0, self._parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.setValue(0)  # starts the minimum-duration timer
        return dialog

    def _show_progress(self, percent: int, what: str) -> None:
        dialog = self._dialog
        if dialog is None:
            return
        if percent < 0:
            dialog.setRange(0, 0)
        else:
            dialog.setRange(0, 100)
            dialog.setValue(max(0, min(99, percent)))

    def _deliver(self, result: LoadResult) -> None:
        self._ended.wait(1.0)
        dialog, self._dialog = self._dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.close()
            dialog.deleteLater()
        on_done, self._on_done = self._on_done, None
        if on_done is not None:
            on_done(result)
