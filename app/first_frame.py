"""Work that waits until a window has painted its first frame.

A slow machine takes longer to build the window than a fixed timer allows:
a timer of half a second started before the window was built fired before
its first frame, and the training process's start (0.2 s of ``fork``/``exec``)
and the backend probe's import of superqt (0.12 s) were paid before anything
was on screen. :class:`AfterFirstFrame` counts from the first paint instead.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterFirstFrame(QObject):
    """Run callbacks once ``widget`` has painted for the first time (a window never shown runs none).

    Parameters
    ----------
    widget : QWidget
        The window whose first paint is waited for; it owns this object.
    """

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._pending: list[tuple[int, Callable[[], object]]] = []
        self.painted = False
        widget.installEventFilter(self)

    def then(self, callback: Callable[[], object], delay_ms: int = 0) -> None:
        """Call ``callback`` ``delay_ms`` after the first paint (at once plus the delay if it already happened)."""
        if self.painted:
            QTimer.singleShot(delay_ms, callback)
        else:
            self._pending.append((delay_ms, callback))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if not self.painted and event.type() == QEvent.Type.Paint:
            self.painted = True
            watched.removeEventFilter(self)
            # Timers, not calls: the rest of this frame is painted and shown first.
            for delay_ms, callback in self._pending:
                QTimer.singleShot(delay_ms, callback)
            self._pending.clear()
        return False
