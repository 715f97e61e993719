"""Listing compute devices without delaying the window: torch is imported on a background thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


def quick_backend_entries() -> list[dict[str, str]]:
    """What can be listed without importing torch (which takes ~1 s): the window opens first,
    and :class:`BackendProbe` fills in the GPUs afterwards."""
    import importlib.util

    entries = [{"backend": "numpy", "device": "cpu", "label": "numpy · cpu"}]
    if importlib.util.find_spec("torch") is not None:
        entries.insert(0, {"backend": "torch", "device": "cpu", "label": "torch · cpu"})
    return entries


def _list_backends() -> list[dict[str, str]]:
    from core.backend import available_backends

    try:
        return available_backends()
    except Exception:  # a broken torch must not take the window down; NumPy stays listed
        return []


class BackendProbe(QObject):
    """Lists torch devices on a worker (superqt, Qt's thread pool); :attr:`found` carries the entries.

    The worker touches no Qt object; its result arrives on the GUI thread. At
    exit the app waits for the pool, so a half-done torch import is never cut off.
    """

    found = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.done = False

    def start(self) -> None:
        from superqt.utils import FunctionWorker  # after the window is shown: superqt takes 0.15 s to import

        worker = FunctionWorker(_list_backends)
        worker.returned.connect(self._found)
        worker.start()

    def _found(self, entries: list) -> None:
        self.done = True
        if entries:
            self.found.emit(entries)
