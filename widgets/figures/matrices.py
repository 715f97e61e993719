"""The Matrices view as a figure: the heatmap with its colour bar, or the neuron tiles square and numbered."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF

from core.export.figure_data import Table
from core.stepper.frame import Frame
from widgets.figures.base import ViewFigure
from widgets.figures.canvas import INK, FigureCanvas, font
from widgets.i18n import tr
from widgets.matrix_view import QUANTITIES, TILES_PER_ROW


class MatrixFigure(ViewFigure):
    key = "matrices"

    def adopt_choices(self, source) -> None:
        super().adopt_choices(source)
        if getattr(source, "fixed", None) is not None and source.fixed.isChecked():
            # Fixed levels came from earlier frames: keep the window's colour scale.
            self.view.levels = tuple(source.levels)
            self.view.image.setLevels(self.view.levels)
            self.view.colorbar.setLevels(self.view.levels)

    def choose(self, layer: str | None = None, quantity: str | None = None) -> None:
        """Show ``quantity`` (a key of ``QUANTITIES``, ``"optimizer: <slot>"``, or ``"tiles"``) of ``layer``."""
        view = self.view
        if layer is not None:
            index = view.layer_box.findData(layer)
            if index < 0:
                raise ValueError(f"no layer {layer!r} with weights")
            view.layer_box.setCurrentIndex(index)
            view.layer_box.activated.emit(index)
        if quantity is not None:
            key = QUANTITIES[3] if quantity == "tiles" else quantity
            if view.quantity_box.findData(key) < 0:
                raise ValueError(f"the Matrices view offers no {quantity!r} here")
            view.select_quantity(key)

    def tiles_possible(self) -> bool:
        return self.view.tiles_possible()

    def compose(self, canvas: FigureCanvas, frame: Frame) -> None:
        canvas.adopt(self.view.plot, 0, 0)
        self.tile_numbers = TileNumbers(font(max(11, canvas.fonts.tick - 5)))
        self.view.plot.addItem(self.tile_numbers)

    def _tiles(self) -> bool:
        return self.view.quantity_box.currentData() == QUANTITIES[3]

    def update(self, canvas: FigureCanvas, frame: Frame) -> None:
        view, plot = self.view, self.view.plot
        tiles = self._tiles() and view.matrix is not None
        plot.setAspectLocked(tiles, ratio=1.0)  # a 28×28 tile is a square, not a stretched rectangle
        for name in ("left", "bottom"):
            plot.showAxis(name, not tiles)
        self._number_tiles(tiles)
        self.message = "" if view.matrix is not None else plot.titleLabel.text
        plot.setTitle(None)  # the figure's title says it
        canvas.style_plot(plot)
        axis = view.colorbar.getAxis("right")
        axis.autoSIPrefix, axis.autoSIPrefixScale, axis.labelUnitPrefix = False, 1.0, ""
        axis.setWidth(None)  # the view fixes 45 pixels: too narrow for figure-sized tick labels
        axis.setTickFont(font(canvas.fonts.tick))
        axis.setLabel(view.quantity_box.currentText(), **{"font-size": f"{canvas.fonts.label}px", "color": INK})
        plot.autoRange(padding=0.01)

    def after_layout(self, canvas: FigureCanvas) -> None:
        """Tiles: the plot only as wide as the square mosaic needs, its colour bar beside it."""
        plot, m = self.view.plot, self.view.matrix
        if not self._tiles() or m is None:
            plot.setMaximumWidth(1e6)
            return
        vb = plot.vb
        wanted = vb.height() * m.shape[1] / m.shape[0] + (plot.width() - vb.width()) + 8
        if wanted < plot.width() - 8:
            plot.setMaximumWidth(wanted)
            canvas.body.layout.setAlignment(plot, Qt.AlignmentFlag.AlignHCenter)
            canvas.lay_out()

    def _number_tiles(self, tiles: bool) -> None:
        """The neuron index at each tile's top left corner."""
        side = self._side()
        if not tiles or side is None:
            self.tile_numbers.set_labels([])
            return
        count = min(self.view.snapshot.weighted_layers[0].W.shape[1], 100)
        spots = [divmod(k, TILES_PER_ROW) for k in range(count)]
        self.tile_numbers.set_labels([(c * (side + 1), r * (side + 1), str(k)) for k, (r, c) in enumerate(spots)])

    def _side(self) -> int | None:
        snap = self.view.snapshot
        if snap is None or not snap.weighted_layers:
            return None
        return int(np.sqrt(snap.weighted_layers[0].W.shape[0]))

    def title(self, frame: Frame) -> str:
        layer, quantity = self.layer_and_quantity(frame)
        if self._tiles():
            side = self._side() or 0
            return tr("Each neuron's incoming weights as a {side}×{side} image ({layer})").format(side=side,
                                                                                                layer=layer)
        if getattr(self, "message", ""):
            return self.message
        m = self.view.matrix
        shape = "" if m is None else f"  {np.atleast_2d(m).shape[0]}×{np.atleast_2d(m).shape[-1]}"
        return f"{layer}: {quantity}{shape}"

    def layer_and_quantity(self, frame: Frame) -> tuple[str, str]:
        view = self.view
        if self._tiles() and view.snapshot is not None and view.snapshot.weighted_layers:
            return view.snapshot.weighted_layers[0].name, view.quantity_box.currentText()
        return view.layer_box.currentText(), view.quantity_box.currentText()

    def tables(self, frame: Frame) -> dict[str, Table]:
        view = self.view
        if view.matrix is None:
            return {}
        if self._tiles():
            first = view.snapshot.weighted_layers[0]
            W = first.W_after if first.W_after is not None else first.W
            return {"weights": Table.of_matrix(W, rows="input pixel (row-major)", cols="neuron")}
        return {"matrix": Table.of_matrix(np.asarray(view.matrix), rows="input unit i", cols="output unit j")}


class TileNumbers(pg.GraphicsObject):
    """Small labels at points of a plot, in device pixels (a hundred TextItems cost a fifth of a second)."""

    def __init__(self, label_font) -> None:
        super().__init__()
        self.label_font = label_font
        self.labels: list[tuple[float, float, str]] = []

    def set_labels(self, labels: list[tuple[float, float, str]]) -> None:
        self.prepareGeometryChange()
        self.labels = labels
        self.update()

    def texts(self) -> list[str]:
        return [text for _, _, text in self.labels]

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        if not self.labels:
            return QRectF()
        xs, ys = [x for x, _, _ in self.labels], [y for _, y, _ in self.labels]
        return QRectF(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)

    def paint(self, painter, *_args) -> None:
        metrics = QFontMetricsF(self.label_font)
        transform = painter.transform()
        painter.resetTransform()
        painter.setFont(self.label_font)
        for x, y, text in self.labels:
            corner = transform.map(QPointF(x, y))
            box = QRectF(corner.x() + 1, corner.y() + 1, metrics.horizontalAdvance(text) + 6, metrics.height() + 2)
            painter.fillRect(box, QColor(255, 255, 255, 200))
            painter.setPen(QColor(INK))
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.setTransform(transform)
