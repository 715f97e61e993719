"""Listing compute devices without delaying the window: torch is imported on a background thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal


def quick_backend_entries() -> list[dict[str, str]]:
    """What can be listed without importing torch (which takes ~1 s): the window opens first,
    and :class:`BackendProbe` fills in the GPUs afterwards."""
    import importlib.util

    entries = [{"backend": "numpy", "device": "cpu", "label": "numpy · cpu"}]
    if importlib.util.find_spec("torch") is not None:
        entries.insert(0, {"backend": "torch", "device": "cpu", "label": "torch · cpu"})
    return entries


class BackendProbe(QObject):
    """Lists torch devices on a background thread; :attr:`found` carries the entries.

    The thread touches no Qt object (it only stores a list) and is not a daemon,
    so an interpreter exit never interrupts a half-done torch import; a timer in
    the GUI thread picks the result up.
    """

    found = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._result: list | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._poll)

    def start(self) -> None:
        threading.Thread(target=self._probe, name="backend-probe").start()
        self._timer.start()

    def _probe(self) -> None:
        from core.backend import available_backends

        try:
            self._result = available_backends()
        except Exception:  # a broken torch must not take the window down; NumPy stays listed
            self._result = []

    def _poll(self) -> None:
        if self._result is not None:
            self._timer.stop()
            if self._result:
                self.found.emit(self._result)
