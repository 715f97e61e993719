"""The app's one display scale: fonts, line widths and point sizes every view draws with.

:func:`display` returns the :class:`Display` of the running application. Its
:attr:`Display.changed` signal fires when presentation mode or the zoom
changes (``app.presentation`` applies :class:`settings.display.DisplaySettings`);
views take their sizes from it (:meth:`Display.font`, :meth:`Display.line`,
:meth:`Display.point`) and redraw on the signal. Plots registered with
:meth:`Display.style_plot` get their titles, axis labels and tick labels
resized by it.
"""

from __future__ import annotations

from typing import Callable

import pyqtgraph as pg
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from settings.display import DisplaySettings

_display: "Display | None" = None


class Display(QObject):
    """Sizes for the current :class:`~settings.display.DisplaySettings` (one per application)."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        app = QApplication.instance()
        self.system_pt = app.font().pointSizeF() if app is not None and app.font().pointSizeF() > 0 else 9.0
        self.settings = DisplaySettings()
        self._plots: list = []

    # --- sizes -------------------------------------------------------------------------------
    def pt(self, role: str = "text") -> float:
        """Point size of text of ``role`` ("text", "small", "title", "headline")."""
        return self.settings.text_pt(self.system_pt, role)

    def font(self, role: str = "text", bold: bool = False, base: QFont | None = None) -> QFont:
        """The application font (or ``base``) at the size of ``role``."""
        font = QFont(base if base is not None else QApplication.font())
        font.setPointSizeF(self.pt(role))
        font.setBold(bold)
        return font

    def css_pt(self, role: str = "text") -> str:
        """``"13.5pt"``: a size for pyqtgraph's HTML labels."""
        return f"{self.pt(role):.1f}pt"

    def line(self, width: float) -> float:
        return width * self.settings.line_scale

    def point(self, size: float) -> float:
        return size * self.settings.point_scale

    @property
    def high_contrast(self) -> bool:
        return self.settings.high_contrast

    def alpha(self, normal: int) -> int:
        """An alpha for a translucent drawing: full strength in high contrast."""
        return 255 if self.high_contrast else normal

    # --- applying ------------------------------------------------------------------------------
    def apply(self, settings: DisplaySettings) -> None:
        """Use ``settings``: the application font, every registered plot, then :attr:`changed`."""
        self.settings = settings
        app = QApplication.instance()
        if app is not None:
            font = QFont(app.font())
            font.setPointSizeF(self.pt("text"))
            app.setFont(font)
            # Dock titles take the platform theme's own title font, which the application font leaves alone.
            app.setFont(font, "QDockWidgetTitle")
        self._plots = [p for p in self._plots if _alive(lambda p=p: self._style(p))]
        self.changed.emit()

    def style_plot(self, plot):
        """Size ``plot``'s title, axis labels and ticks (or a colour bar's axis) now and after every
        change; returns it."""
        self._style(plot)
        self._plots.append(plot)
        return plot

    def _style(self, plot) -> None:
        if isinstance(plot, pg.ColorBarItem):
            plot.axis.setStyle(tickFont=self.font("small"))
            return
        plot.titleLabel.opts["size"] = self.css_pt("title")
        plot.titleLabel.setText(plot.titleLabel.text)
        tick = self.font("small")
        for name in ("left", "bottom", "right", "top"):
            axis = plot.getAxis(name)
            axis.setStyle(tickFont=tick, tickTextOffset=int(4 * self.settings.point_scale))
            axis.setTextPen(pg.mkPen((0, 0, 0) if self.high_contrast else (30, 30, 30)))
            axis.labelStyle = {"font-size": self.css_pt("text")}
            if axis.labelText or axis.labelUnits:
                axis.setLabel(axis.labelText, axis.labelUnits)

    def on_change(self, owner: QObject, callback: Callable[[], object]) -> None:
        """Call ``callback()`` after every change while ``owner`` lives (Qt disconnects a dead owner's listener)."""
        listener = _Listener(owner, callback)
        self.changed.connect(listener.fire)


class _Listener(QObject):
    """A child of the widget that wants to hear of changes: it dies with the widget, and Qt disconnects it."""

    def __init__(self, owner: QObject, callback: Callable[[], object]) -> None:
        super().__init__(owner)
        self._callback = callback

    @Slot()
    def fire(self) -> None:
        try:
            self._callback()
        except RuntimeError as exc:
            # A figure took the view's plot items into its own canvas and has closed: nothing left to restyle.
            if "already deleted" not in str(exc):
                raise
            self._callback = _nothing


def _nothing() -> None:
    return None


def _alive(call: Callable[[], object]) -> bool:
    try:
        call()
    except RuntimeError as exc:  # the plot's C++ object is gone (a closed window)
        if "deleted" not in str(exc):
            raise
        return False
    return True


def title_font_follows_app() -> QFont:
    """A font for a QDockWidget whose title then follows the application font (presentation mode, zoom).

    Qt draws a dock's title in the font it cached when the dock was made, unless the dock's font differs from
    the QDockWidget class font; this one differs only in its (invisible) style strategy, the one attribute it
    sets, so the dock and its contents keep taking their size from the application font.
    """
    font = QFont()
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font


def display() -> Display:
    """The application's display scale (made on first use)."""
    global _display
    if _display is None:
        _display = Display()
    return _display
