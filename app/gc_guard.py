"""Python's cyclic garbage collector runs on the GUI thread only.

Why: CPython collects cycles on whichever thread happens to allocate past the
threshold. The app's workers allocate a lot — importing torch to list the
devices (:mod:`app.backend_probe`), opening a model file, training — so a
collection often starts on a worker, and if the garbage holds a Qt object (a
closed dialog, a replaced view's wrapper) its C++ destructor runs off the GUI
thread: the process can die with a segmentation fault inside QtCore/QtWidgets.

:class:`GuiThreadCollector` turns automatic collection off and runs the same
generational collections from a timer on the GUI thread, when the allocation
counts pass the usual thresholds — so the memory is freed as before, always on
the thread that owns the Qt objects. (Reference counting, which frees nearly
everything, is unchanged.)
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QThread, QTimer

#: How often the GUI thread looks at the allocation counts.
CHECK_EVERY_MS = 250
#: At most this often, a young-generation collection below the threshold (see :meth:`GuiThreadCollector.check`).
QUIET_COLLECTION_S = 1.0


class GuiThreadCollector(QObject):
    """Runs Python's cyclic collections on the thread it was made on (the GUI thread).

    Parameters
    ----------
    parent : QObject, optional
    interval_ms : int
        How often the allocation counts are checked.
    """

    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_EVERY_MS) -> None:
        super().__init__(parent)
        self.thread_made_on = QThread.currentThread()
        self.threshold = gc.get_threshold()
        self.collections = 0
        self._last = time.monotonic()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)

    def check(self) -> int:
        """Collect the generations whose counts passed their thresholds (as the interpreter would);
        returns the oldest generation collected, or −1 for none."""
        counts, (t0, t1, t2) = gc.get_count(), self.threshold
        now = time.monotonic()
        if counts[0] > t0:
            generation = 2 if counts[2] > t2 else 1 if counts[1] > t1 else 0
        elif counts[0] > 0 and now - self._last >= QUIET_COLLECTION_S:
            # The count is allocations *net* of frees: garbage made on a worker can hide behind objects freed
            # before this check (the interpreter would have collected at the moment the threshold was passed).
            # A young-generation pass now and then finds it; it is cheap, and it moves the older generations'
            # counts on at most once per QUIET_COLLECTION_S.
            generation = 0
        else:
            return -1
        gc.collect(generation)
        self._last = now
        self.collections += 1
        return generation

    def stop(self) -> None:
        """Give collection back to the interpreter (as it was before)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()


_COLLECTOR: GuiThreadCollector | None = None


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Install the app's one collector (made on the GUI thread, owned by ``app``); later calls return it."""
    global _COLLECTOR
    if _COLLECTOR is None:
        _COLLECTOR = GuiThreadCollector(app)
    return _COLLECTOR
