"""Plot grids that cost little to paint on screen.

pyqtgraph draws a plot's grid as the axes' tick lines stretched across the
plot, in ink at 4–20 % opacity. Qt's raster engine blends such translucent
lines pixel by pixel (about 100 ns a pixel here): the grids of the Metrics
view alone cost 10–15 ms a paint, most of its frame. Opaque lines take the
engine's fast path. So on screen, where the canvas is an opaque colour, an
:class:`OpaqueGridAxis` draws each grid line in the colour the translucent
line would have blended to over that background, beneath the curves (the
axes sit behind the view box), and the picture stays the same: a grid line
once tinted a curve where it crossed it, now the curve hides it. Exports
(SVG, PDF, pictures; painted without a widget) keep the translucent lines.
"""

from __future__ import annotations

from functools import lru_cache

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPicture

from widgets.log_axis import LogAxis

#: Below the view box (z = -100), so the curves are painted over the grid.
BEHIND_VIEW_BOX = -150


def blended(color: QColor, background: QColor) -> QColor:
    """The opaque colour ``color`` (with its alpha) takes when blended over the opaque ``background``."""
    return QColor(_blended_rgb(color.rgba(), background.rgba()))


@lru_cache(maxsize=256)
def _blended_rgb(rgba: int, background: int) -> int:
    """A few grid colours over one or two backgrounds, asked for by every grid line of every repaint."""
    a = (rgba >> 24) & 0xFF
    r, g, b = (((rgba >> shift) & 0xFF) * a + ((background >> shift) & 0xFF) * (255 - a) for shift in (16, 8, 0))
    return 0xFF000000 | (round(r / 255) << 16) | (round(g / 255) << 8) | round(b / 255)


def opaque_background(widget) -> QColor | None:
    """The canvas colour when ``widget`` is the viewport of a view with an opaque solid background, else ``None``."""
    view = widget.parent() if widget is not None else None
    if view is None or not hasattr(view, "backgroundBrush"):
        return None
    brush = view.backgroundBrush()
    if brush.style() != Qt.BrushStyle.SolidPattern or brush.color().alpha() != 255:
        return None
    return brush.color()


class OpaqueGridAxis(pg.AxisItem):
    """An axis whose grid lines are painted opaque over a known background on screen (see the module).

    The screen picture is recorded once per change of the axis, as pyqtgraph's own picture is: every
    place that invalidates ``picture`` invalidates it too.
    """

    @property
    def picture(self) -> QPicture | None:
        return self._picture

    @picture.setter
    def picture(self, value: QPicture | None) -> None:
        self._picture = value
        self._opaque: tuple[int, QPicture] | None = None

    @property
    def screen_picture(self) -> QPicture | None:
        """The recording with opaque grid lines that the screen replays (``None`` until painted after a change)."""
        return None if self._opaque is None else self._opaque[1]

    def paint(self, p: QPainter, opt, widget) -> None:
        background = opaque_background(widget)
        if background is None or self.grid is False:
            super().paint(p, opt, widget)
            return
        if self._opaque is None or self._opaque[0] != background.rgba():
            picture = QPicture()
            painter = QPainter(picture)
            try:
                if self.style["tickFont"]:
                    painter.setFont(self.style["tickFont"])
                specs = self.generateDrawSpecs(painter)
                if specs is not None:
                    axis, ticks, texts = specs
                    self.drawPicture(painter, axis, [(_opaque_pen(pen, background), a, b) for pen, a, b in ticks],
                                     texts)
            finally:
                painter.end()
            self._opaque = (background.rgba(), picture)
        self._opaque[1].play(p)


def _opaque_pen(pen: QPen, background: QColor) -> QPen:
    if pen.brush().style() != Qt.BrushStyle.SolidPattern or pen.color().alpha() == 255:
        return pen
    pen = QPen(pen)
    pen.setColor(blended(pen.color(), background))
    return pen


class OpaqueGridLogAxis(OpaqueGridAxis, LogAxis):
    """A :class:`~widgets.log_axis.LogAxis` (ticks as powers of ten) whose grid is drawn as :class:`OpaqueGridAxis`."""


def grid_plot(plots: pg.GraphicsLayoutWidget, alpha: float = 0.2, log_left: bool = False, **kwargs) -> pg.PlotItem:
    """``plots.addPlot(**kwargs)`` with a grid on both axes drawn by :class:`OpaqueGridAxis` beneath the curves;
    ``log_left``: the left axis writes its ticks as powers of ten (for ``setLogMode(y=True)``)."""
    left = OpaqueGridLogAxis("left") if log_left else OpaqueGridAxis("left")
    plot = plots.addPlot(axisItems={"left": left, "bottom": OpaqueGridAxis("bottom")}, **kwargs)
    plot.showGrid(x=True, y=True, alpha=alpha)
    for side in ("left", "bottom"):
        plot.getAxis(side).setZValue(BEHIND_VIEW_BOX)
    return plot
