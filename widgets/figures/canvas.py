"""A figure canvas: title, the plot items of a view, a legend row and a caption, laid out at a slide size.

A view draws into pyqtgraph items; a figure *adopts* those items (moves
them out of the view's canvas into its own scene) and lays them out with a
title and a caption, without any of the view's widgets (combo boxes, hints,
frames). The canvas is measured in *figure pixels*: 1600 × 900 is a full 16:9
slide, 120 figure pixels to the inch, and every font is sized in figure
pixels so that PNG, SVG and PDF agree. :meth:`FigureCanvas.render` paints it
onto any QPainter (an image at 300 dpi, an SVG, a PDF page).

pyqtgraph draws lines with *cosmetic* pens (their width is in device
pixels), so on a 2.5× image they would come out 2.5× thinner than on screen;
:meth:`FigureCanvas.render` widens them by the scale while it paints, and
switches items into pyqtgraph's export mode (symbols drawn as vectors, not
cached bitmaps).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPicture
from PySide6.QtWidgets import QAbstractGraphicsShapeItem, QApplication, QGraphicsItem, QGraphicsWidget

#: Figure pixels to the inch: a 1600-pixel figure is a 13.33-inch (16:9) slide wide.
PIXELS_PER_INCH = 120
INK = "#1e1e1e"
MUTED = "#555555"


@dataclass(frozen=True)
class FigureSize:
    """A figure's layout size in figure pixels; ``dpi`` sets the raster export's resolution."""

    width: int = 1600
    height: int = 900

    def inches(self) -> tuple[float, float]:
        return self.width / PIXELS_PER_INCH, self.height / PIXELS_PER_INCH

    def pixels_at(self, dpi: int) -> tuple[int, int]:
        """The PNG's size at ``dpi`` (1600 × 900 at 300 dpi: 4000 × 2250, a full slide)."""
        w, h = self.inches()
        return int(round(w * dpi)), int(round(h * dpi))


#: The sizes offered: a full 16:9 slide, half of one (two figures side by side), a 4:3 slide, and below a title.
SIZES = {"slide": FigureSize(1600, 900), "half": FigureSize(800, 900), "four_three": FigureSize(1200, 900),
         "wide": FigureSize(1600, 700)}


@dataclass(frozen=True)
class FigureFonts:
    """Font sizes in figure pixels (18 px on a 1600-pixel slide: 11 pt when shown full-slide)."""

    title: int = 30
    plot_title: int = 21
    label: int = 20
    tick: int = 17
    text: int = 18
    caption: int = 16


#: Latin text of figures in the first of these that is installed (its space glyph maps to a space in
#: PDFs, so copied or searched text keeps its words apart); Hangul from the bundled Nanum Gothic.
LATIN_FAMILIES = ("DejaVu Sans", "Noto Sans", "Segoe UI", "Helvetica Neue", "Arial", "Liberation Sans")
HANGUL_FAMILY = "NanumGothic"
_families: list[str] = []


def figure_families() -> list[str]:
    if not _families:
        from PySide6.QtGui import QFontDatabase

        installed = set(QFontDatabase.families())
        latin = next((f for f in LATIN_FAMILIES if f in installed),
                     QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family())
        _families.extend([latin, HANGUL_FAMILY])
    return list(_families)


def font(px: int, bold: bool = False) -> QFont:
    """The figures' font (a Latin sans, then Hangul) at ``px`` figure pixels."""
    f = QFont()
    f.setFamilies(figure_families())
    f.setPixelSize(int(px))
    f.setBold(bold)
    return f


def set_label(label: pg.LabelItem, text: str, px: int, color: str = INK, bold: bool = False) -> None:
    """``label`` showing ``text`` in the figures' font at ``px``."""
    label.item.setFont(font(px, bold))
    label.setText(text, size=f"{px}px", color=color, bold=bold)


class FigureCanvas:
    """The scene a figure is drawn in: ``title`` row, ``body`` grid, ``legend`` row, ``caption`` row."""

    MARGIN = 24

    def __init__(self, size: FigureSize = SIZES["slide"], fonts: FigureFonts = FigureFonts()) -> None:
        self.size = size
        self.fonts = fonts
        # Items measure themselves in device pixels through a view (axes space their ticks by it, text
        # keeps its size): an unseen view of exactly the figure's size makes device pixels figure pixels.
        self.view = pg.GraphicsView(background="w")
        self.view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.view.resize(size.width, size.height)
        self.view.show()
        self.view.setUpdatesEnabled(False)  # nobody sees it: never spend time painting it
        self.scene = self.view.scene()
        self.scene.setBackgroundBrush(QColor("white"))  # drawn into every export: a figure is never see-through
        self.root = pg.GraphicsLayout()
        self.root.setContentsMargins(self.MARGIN, self.MARGIN * 0.6, self.MARGIN, self.MARGIN * 0.6)
        self.root.setSpacing(6)
        self.view.setCentralItem(self.root)
        self.title = pg.LabelItem("", justify="left")
        self.root.addItem(self.title, row=0, col=0)
        self.body = pg.GraphicsLayout()
        self.body.setSpacing(10)
        self.root.addItem(self.body, row=1, col=0)
        self.legend = pg.GraphicsLayout()
        self.legend.setSpacing(24)
        self.root.addItem(self.legend, row=2, col=0)
        self.caption = pg.LabelItem("", justify="left")
        self.root.addItem(self.caption, row=3, col=0)
        self.root.layout.setRowStretchFactor(1, 100)
        self.adopted: list[QGraphicsItem] = []
        self.recordings: dict[float, QPicture] = {}  # by pen scale; anything that moves clears them

    # --- contents -------------------------------------------------------------------------
    def set_title(self, text: str) -> None:
        self.recordings.clear()
        set_label(self.title, text, self.fonts.title, bold=True)

    def set_caption(self, text: str) -> None:
        self.recordings.clear()
        set_label(self.caption, text, self.fonts.caption, MUTED)

    def adopt(self, item: QGraphicsItem, row: int, col: int, rowspan: int = 1, colspan: int = 1) -> QGraphicsItem:
        """Move ``item`` (a view's plot) out of its own layout into the body at (row, col)."""
        parent = item.parentItem()
        if isinstance(parent, pg.GraphicsLayout) and item in parent.items:
            parent.removeItem(item)
        elif item.scene() is not None:
            item.scene().removeItem(item)
        self.body.addItem(item, row=row, col=col, rowspan=rowspan, colspan=colspan)
        self.adopted.append(item)
        return item

    def adopt_layout(self, layout: pg.GraphicsLayout, keep=lambda item: item.isVisible()) -> list[QGraphicsItem]:
        """Adopt every item of a view's grid that ``keep`` accepts, at the same rows and columns."""
        placed = []
        for item, cells in list(layout.items.items()):
            if not keep(item):
                continue
            rows, cols = [r for r, _ in cells], [c for _, c in cells]
            self.adopt(item, min(rows), min(cols), max(rows) - min(rows) + 1, max(cols) - min(cols) + 1)
            placed.append(item)
        return placed

    def add_legend_item(self, item: QGraphicsItem) -> QGraphicsItem:
        """Put ``item`` (a colour bar, a key) in the legend row, left to right."""
        self.legend.addItem(item, row=0, col=len(self.legend.items))
        return item

    def clear_legend(self) -> None:
        for item in list(self.legend.items):
            self.legend.removeItem(item)

    # --- style ----------------------------------------------------------------------------
    def style_plot(self, plot: pg.PlotItem, title: str | None = None) -> None:
        """Figure fonts and ink for a plot's title, axes and tick labels."""
        fonts = self.fonts
        text = (plot.titleLabel.text if plot.titleLabel.isVisible() else "") if title is None else title
        if text:
            plot.titleLabel.item.setFont(font(fonts.plot_title))
            plot.setTitle(text, size=f"{fonts.plot_title}px", color=INK)
        for name in ("left", "bottom", "right", "top"):
            axis = plot.getAxis(name)
            if not axis.isVisible():
                continue
            # "accuracy (x0.001)" helps no one: values as they are (and no scale left from an earlier range).
            axis.autoSIPrefix = False
            axis.autoSIPrefixScale, axis.labelUnitPrefix = 1.0, ""
            axis.picture = None
            axis.setPen(pg.mkPen(INK, width=1.2))
            axis.setTextPen(pg.mkPen(INK))
            axis.setTickFont(font(fonts.tick))
            if axis.labelText or axis.labelUnits:
                axis.label.setFont(font(fonts.label))
                axis.setLabel(axis.labelText, axis.labelUnits, "", **{"font-size": f"{fonts.label}px", "color": INK})

    def style_texts(self, plot: pg.PlotItem, px: int | None = None) -> None:
        """Figure fonts for the text items drawn inside ``plot`` (labels on a canvas)."""
        for item in plot.items:
            if isinstance(item, pg.TextItem):
                item.setFont(font(px or self.fonts.text))

    def style_legend(self, legend: pg.LegendItem) -> None:
        """Figure fonts for a plot's legend (its labels are drawn again at the new size)."""
        legend.opts["labelTextSize"] = f"{self.fonts.text}px"
        legend.opts["labelTextColor"] = pg.mkColor(INK)
        for _, label in legend.items:
            set_label(label, label.text, self.fonts.text)
        legend.updateSize()

    def lay_out(self) -> None:
        """Lay the canvas out at its size (pending layout requests first, so sizes are final)."""
        self.recordings.clear()
        if self.view.size().width() != self.size.width or self.view.size().height() != self.size.height:
            self.view.resize(self.size.width, self.size.height)
        self.root.setGeometry(QRectF(0, 0, self.size.width, self.size.height))
        for rehearsal in (True, False):
            # Only the layout requests (not the whole event loop: a window's repaints, timers, runs).
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            for item in self.scene.items():
                layout = QGraphicsWidget.layout(item) if isinstance(item, QGraphicsWidget) else None
                if layout is not None:  # (pyqtgraph hides the method behind an attribute of that name)
                    layout.activate()
            if rehearsal:
                # Axes measure their tick labels while painting and then ask for room: paint them once,
                # thrown away, so the real export is laid out with the final widths.
                self.scene.prepareForPaint()
                image = QImage(1, 1, QImage.Format.Format_RGB32)
                painter = QPainter(image)
                for item in self.scene.items():
                    if isinstance(item, pg.AxisItem) and item.isVisible():
                        item.picture = None
                        item.paint(painter, None, None)
                painter.end()

    def close(self) -> None:
        """Let the unseen view go (a figure kept for an animation closes it at the end)."""
        self.view.close()
        self.view.deleteLater()

    def item_rect(self, item: QGraphicsItem) -> QRectF:
        """Where ``item`` lies on the canvas, in figure pixels."""
        return item.sceneBoundingRect()

    # --- painting ------------------------------------------------------------------------------
    def recording(self, pen_scale: float = 1.0) -> QPicture:
        """The figure's drawing commands, recorded once per pen scale and replayed into each format:
        a lecture pack draws PNG and SVG of a figure from one recording."""
        key = round(pen_scale, 6)
        picture = self.recordings.get(key)
        if picture is None:
            picture = QPicture()
            painter = QPainter(picture)
            self.render(painter, pen_scale=pen_scale)
            painter.end()
            self.recordings[key] = picture
        return picture

    def replay(self, painter: QPainter, target: QRectF | None = None, pen_scale: float = 1.0) -> None:
        """Paint the recording for ``pen_scale`` into ``target`` (see :meth:`render`)."""
        play(painter, self.recording(pen_scale), self.size, target)

    def render(self, painter: QPainter, target: QRectF | None = None, pen_scale: float = 1.0) -> None:
        """Paint the figure into ``target`` (default: its own size at the painter's origin).

        ``pen_scale`` widens cosmetic pens (device-pixel widths) by the factor the painter
        magnifies: 2.5 for a 1600-pixel figure on a 4000-pixel image, 1 for SVG and for a PDF
        page of the figure's size.
        """
        source = QRectF(0, 0, self.size.width, self.size.height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)  # PDF: heatmaps exact, not JPEG
        with self.exporting(pen_scale):
            self.scene.render(painter, target or source, source)

    @contextmanager
    def exporting(self, pen_scale: float) -> Iterator[None]:
        items = self.scene.items()
        restore = []
        for item in items:
            if hasattr(item, "setExportMode"):
                item.setExportMode(True, {"antialias": True, "resolutionScale": pen_scale})
        if pen_scale != 1.0:
            for item in items:
                restore += _widen(item, pen_scale)
        try:
            yield
        finally:
            for undo in reversed(restore):
                undo()
            for item in items:
                if hasattr(item, "setExportMode"):
                    item.setExportMode(False)


def play(painter: QPainter, picture: QPicture, size: FigureSize, target: QRectF | None = None) -> None:
    """Paint a figure's recording into ``target`` (default: its own size). Touches no scene item, so a
    worker thread may do it (a lecture pack rasterizes its PNGs beside the next figure's drawing)."""
    w, h = size.width, size.height
    target = target or QRectF(0, 0, w, h)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
    painter.translate(target.x(), target.y())
    painter.scale(target.width() / w, target.height() / h)
    picture.play(painter)
    painter.restore()


def _scaled(pen, factor: float) -> QPen | None:
    """A copy of a cosmetic ``pen`` ``factor`` times wider (None when there is nothing to widen)."""
    if pen is None:
        return None
    pen = QPen(pen) if isinstance(pen, QPen) else pg.mkPen(pen)
    if not pen.isCosmetic() or pen.style() == Qt.PenStyle.NoPen:
        return None
    pen.setWidthF(max(pen.widthF(), 1.0) * factor)
    return pen


def _widen(item, factor: float) -> list:
    """Widen ``item``'s cosmetic pens; returns the callables that put them back."""
    undo = []
    if isinstance(item, pg.PlotCurveItem):
        for key, setter in (("pen", item.setPen), ("shadowPen", item.setShadowPen)):
            old = item.opts.get(key)
            new = _scaled(old, factor)
            if new is not None:
                setter(new)
                undo.append(lambda s=setter, o=old: s(o))
    elif isinstance(item, pg.AxisItem):
        old_pen = item.pen()
        new = _scaled(old_pen, factor)
        if new is not None:
            label_color = item.labelStyle.get("color")
            item.setPen(new)
            old_tick = item.tickPen()
            item.setTickPen(_scaled(old_tick, factor) or old_tick)

            def put_back(item=item, pen=old_pen, tick=old_tick, color=label_color):
                item.setPen(pen)
                item.setTickPen(tick)
                if color is not None:
                    item.labelStyle["color"] = color
            undo.append(put_back)
    elif isinstance(item, pg.BarGraphItem):
        changes = {}
        if item.opts.get("pens") is not None:
            changes["pens"] = [(_scaled(p, factor) or p) for p in item.opts["pens"]]
        elif _scaled(item.opts.get("pen"), factor) is not None:
            changes["pen"] = _scaled(item.opts["pen"], factor)
        if changes:
            old = {k: item.opts[k] for k in changes}
            item.setOpts(**changes)
            undo.append(lambda item=item, old=old: item.setOpts(**old))
    elif isinstance(item, pg.InfiniteLine):
        old = item.pen
        new = _scaled(old, factor)
        if new is not None:
            item.setPen(new)
            undo.append(lambda item=item, old=old: item.setPen(old))
    elif isinstance(item, QAbstractGraphicsShapeItem):
        old = item.pen()
        new = _scaled(old, factor)
        if new is not None:
            item.setPen(new)
            undo.append(lambda item=item, old=old: item.setPen(old))
    return undo


def color(value) -> QColor:
    return pg.mkColor(value)
