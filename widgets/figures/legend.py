"""Legend pieces for a figure's legend row: a colour bar with its name, a key of line or point styles, a note.

They paint themselves with plain QPainter calls (a gradient, lines, text) and
know their own size, so the legend row lays them out side by side exactly,
and every export format draws them alike.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QLinearGradient, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsWidget

from widgets.figures.canvas import INK, FigureCanvas, font, set_label


class ColourKey(QGraphicsWidget):
    """A horizontal colour bar: its name above, the gradient, and tick labels below."""

    BAR_HEIGHT = 16

    def __init__(self, canvas: FigureCanvas, cmap: pg.ColorMap, levels: tuple[float, float], label: str,
                 ticks: list[tuple[float, str]] | None = None, length: int = 360) -> None:
        super().__init__()
        self.cmap, self.levels, self.label, self.length = cmap, levels, label, length
        lo, hi = levels
        self.ticks = ticks or [(lo, f"{lo:.3g}"), ((lo + hi) / 2, f"{(lo + hi) / 2:.3g}"), (hi, f"{hi:.3g}")]
        self.title_font, self.tick_font = font(canvas.fonts.text), font(canvas.fonts.tick)
        title = QFontMetricsF(self.title_font)
        tick = QFontMetricsF(self.tick_font)
        self.title_height, self.tick_height = title.height(), tick.height()
        width = max(length + tick.horizontalAdvance("−0.000") , title.horizontalAdvance(label) + 8)
        height = self.title_height + 4 + self.BAR_HEIGHT + 4 + self.tick_height
        self.setPreferredSize(QSizeF(width, height))
        self.setMinimumSize(QSizeF(width, height))
        self.setMaximumSize(QSizeF(width, height))

    def paint(self, painter, *_args) -> None:
        margin = QFontMetricsF(self.tick_font).horizontalAdvance("−0.000") / 2
        top = self.title_height + 4
        bar = QRectF(margin, top, self.length, self.BAR_HEIGHT)
        painter.setFont(self.title_font)
        painter.setPen(QColor(INK))
        painter.drawText(QRectF(0, 0, self.size().width(), self.title_height), Qt.AlignmentFlag.AlignLeft, self.label)
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        positions, colors = self.cmap.getStops(mode="qcolor")
        for pos, c in zip(positions, colors):
            gradient.setColorAt(float(pos), c)
        painter.fillRect(bar, QBrush(gradient))
        painter.setPen(QPen(QColor(INK), 1))
        painter.drawRect(bar)
        painter.setFont(self.tick_font)
        lo, hi = self.levels
        for value, text in self.ticks:
            x = bar.left() + (value - lo) / ((hi - lo) or 1.0) * bar.width()
            painter.drawLine(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() + 4))
            painter.drawText(QRectF(x - 60, bar.bottom() + 4, 120, self.tick_height), Qt.AlignmentFlag.AlignHCenter,
                             text)


class StyleKey(QGraphicsWidget):
    """Entries side by side, each a sample (a line, or a point of a symbol) and its label."""

    SAMPLE = 40

    def __init__(self, canvas: FigureCanvas, entries: list[tuple[dict, str]]) -> None:
        """Each entry: ``({"pen": QPen} or {"symbol": "o"/"s", "brush": ..., "pen": ...}, label)``."""
        super().__init__()
        self.entries = entries
        self.text_font = font(canvas.fonts.text)
        metrics = QFontMetricsF(self.text_font)
        self.widths = [self.SAMPLE + 10 + metrics.horizontalAdvance(label) + 28 for _, label in entries]
        height = metrics.height() + 6
        size = QSizeF(sum(self.widths), height)
        self.setPreferredSize(size)
        self.setMinimumSize(size)
        self.setMaximumSize(size)

    def paint(self, painter, *_args) -> None:
        x = 0.0
        h = self.size().height()
        painter.setFont(self.text_font)
        for (style, label), width in zip(self.entries, self.widths):
            middle = h / 2
            if "symbol" in style:
                painter.setPen(pg.mkPen(style.get("pen", INK)))
                painter.setBrush(pg.mkBrush(style.get("brush", INK)))
                r = 7.0
                center = QPointF(x + self.SAMPLE / 2, middle)
                if style["symbol"] == "s":
                    painter.drawRect(QRectF(center.x() - r, center.y() - r, 2 * r, 2 * r))
                else:
                    painter.drawEllipse(center, r, r)
            else:
                pen = QPen(pg.mkPen(style["pen"]))
                pen.setCosmetic(False)  # its width is in figure pixels, like the text beside it
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                painter.setPen(pen)
                path = QPainterPath(QPointF(x, middle))
                path.lineTo(x + self.SAMPLE, middle)
                painter.drawPath(path)
            painter.setPen(QColor(INK))
            painter.drawText(QRectF(x + self.SAMPLE + 10, 0, width, h), Qt.AlignmentFlag.AlignVCenter, label)
            x += width


def colour_key(canvas: FigureCanvas, cmap: pg.ColorMap, levels: tuple[float, float], label: str,
               ticks: list[tuple[float, str]] | None = None, length: int = 360) -> ColourKey:
    return ColourKey(canvas, cmap, levels, label, ticks, length)


def style_key(canvas: FigureCanvas, entries: list[tuple[dict, str]]) -> StyleKey:
    return StyleKey(canvas, entries)


def note(canvas: FigureCanvas, text: str) -> pg.LabelItem:
    """A line of explanation in the legend row."""
    label = pg.LabelItem("", justify="left")
    set_label(label, text, canvas.fonts.text)
    return label
