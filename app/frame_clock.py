"""The app's one frame clock: every redraw while training happens on its ticks.

Each tick (~30 a second) the main window draws the newest snapshot; every
:data:`CURVES_EVERY`-th tick (5 a second) it also draws the curves over the
whole run (they change little from frame to frame, and a plot of thousands
of points costs tens of milliseconds), the validation confusion matrix, and
compare mode its comparison. Run mode captures snapshots at the clock's
period, so none is captured that would never be shown.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

#: Milliseconds between ticks: ~30 frames a second.
FRAME_INTERVAL_MS = 33
#: Curves, confusion matrix and compare mode: every 6th tick, 5 a second.
CURVES_EVERY = 6


class FrameClock(QObject):
    """Emits :attr:`ticked` (the tick number) ~30 times a second.

    Owners decide per tick what is due with :meth:`curves_due`; nothing else in
    the app keeps its own timer or throttle for drawing.
    """

    ticked = Signal(int)

    def __init__(self, parent: QObject | None = None, interval_ms: int = FRAME_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._tick = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._advance)
        self._timer.start()

    @property
    def interval_s(self) -> float:
        """Seconds between ticks (run mode captures a snapshot this often)."""
        return self._timer.interval() / 1000

    @staticmethod
    def curves_due(tick: int) -> bool:
        """Whether curves (and the slower parts) are drawn on ``tick``."""
        return tick % CURVES_EVERY == 0

    def stop(self) -> None:
        self._timer.stop()

    def _advance(self) -> None:
        self._tick += 1
        self.ticked.emit(self._tick)


_DEFAULT: FrameClock | None = None


def default_clock() -> FrameClock:
    """The application's one clock (made on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = FrameClock()
    return _DEFAULT
