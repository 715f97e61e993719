"""Windows that stay on the screen they are on.

Why: the main window opened at 1400×860 on a 768-px-high projector, with the
steps bar and status bar below the screen edge, and a restored geometry from
a larger monitor can be anywhere. :class:`ScreenFit` sizes a window to what it
prefers *or* the screen's available geometry, whichever is smaller, and puts
it back inside that geometry whenever it is shown, moved or resized past it.
(Content must also let itself shrink: see :mod:`widgets.fitting`.)
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: Room for a window manager's title bar and borders before the window is shown (Qt knows them only after).
DEFAULT_FRAME = (8, 40)


def available_geometry(window: QWidget) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted_rect(window: QWidget, width: int, height: int) -> QRect:
    """Where ``window`` (client area ``width``×``height`` wanted) fits inside the available geometry."""
    avail = available_geometry(window)
    frame, inner = window.frameGeometry(), window.geometry()
    extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
    if not window.isVisible() or (extra_w, extra_h) == (0, 0):
        extra_w, extra_h = max(extra_w, DEFAULT_FRAME[0]), max(extra_h, DEFAULT_FRAME[1])
    w = max(1, min(width, avail.width() - extra_w))
    h = max(1, min(height, avail.height() - extra_h))
    x = min(max(inner.x(), avail.x()), avail.right() + 1 - w - extra_w)
    y = min(max(inner.y(), avail.y()), avail.bottom() + 1 - h - extra_h)
    return QRect(max(x, avail.x()), max(y, avail.y()), w, h)


class ScreenFit(QObject):
    """Keep ``window`` inside its screen's available geometry.

    Parameters
    ----------
    window : QWidget
        A top-level window; it is resized to ``preferred`` (or less) now.
    preferred : (int, int)
        The client size the window would like.
    """

    def __init__(self, window: QWidget, preferred: tuple[int, int]) -> None:
        super().__init__(window)
        self.window = window
        self._pending = False
        window.installEventFilter(self)
        self.fit(*preferred)

    def fit(self, width: int | None = None, height: int | None = None) -> None:
        """Resize and move the window inside the available geometry (at most ``width``×``height``)."""
        window = self.window
        rect = fitted_rect(window, width or window.width(), height or window.height())
        if rect.size() != window.size():
            window.resize(rect.size())
        if window.isVisible() and rect.topLeft() != window.pos():
            window.move(rect.topLeft())

    def inside(self) -> bool:
        return available_geometry(self.window).contains(self.window.frameGeometry())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.window and event.type() in (QEvent.Type.Show, QEvent.Type.Resize, QEvent.Type.Move):
            if not self._pending and self.window.isVisible() and not self.inside():
                self._pending = True  # once per turn of the event loop: a resize inside a resize event loops
                QTimer.singleShot(0, self._refit)
        return False

    def _refit(self) -> None:
        self._pending = False
        if self.window.isVisible() and not self.window.isMaximized() and not self.window.isFullScreen():
            self.fit()
