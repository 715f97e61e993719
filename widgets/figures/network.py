"""The Network view as a figure: the graph, a colour key for the neurons and a key for the edges."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from core.export.figure_data import Table
from core.stepper.frame import Frame
from widgets.figures.base import ViewFigure
from widgets.figures.canvas import FigureCanvas
from widgets.figures.legend import colour_key, style_key
from widgets.i18n import tr
from widgets.network_view import TOP_K, shown_units
from widgets.palette import DIVERGING, NEGATIVE, POSITIVE

#: Edge widths in figure pixels by width class (thin, medium, strong): readable when projected.
EDGE_WIDTHS = (2.0, 3.5, 5.5)
EDGE_ALPHA = 170
NODE_SIZE = 26


class NetworkFigure(ViewFigure):
    key = "network"

    def compose(self, canvas: FigureCanvas, frame: Frame) -> None:
        view = self.view
        canvas.adopt(view.plot, 0, 0)
        for item in view.edge_items.values():
            # Edge by edge (drawLines), not as one path: wide translucent edges stroked as one path cost
            # seconds at 300 dpi (every crossing is resolved), and the picture is the same.
            item.setSegmentedLineMode("on")
        self.edges = None
        self.nodes_key = None

    def update(self, canvas: FigureCanvas, frame: Frame) -> None:
        view = self.view
        canvas.style_texts(view.plot)
        for (_sign, k), item in view.edge_items.items():
            pen = pg.mkPen(item.opts["pen"])
            color = pen.color()
            color.setAlpha(max(color.alpha(), EDGE_ALPHA))
            pen.setColor(color)
            pen.setWidthF(max(pen.widthF(), EDGE_WIDTHS[min(k, len(EDGE_WIDTHS) - 1)]))
            item.setPen(pen)
        size = view.nodes.opts.get("size", NODE_SIZE)
        if np.isscalar(size) and size < NODE_SIZE:
            view.nodes.setSize(NODE_SIZE)
        canvas.clear_legend()
        what = self._quantity()
        canvas.add_legend_item(colour_key(canvas, DIVERGING, (-1.0, 1.0),
                                          tr("neuron colour: {what}, each layer scaled to its largest |value|")
                                          .format(what=what),
                                          ticks=[(-1.0, "−max"), (0.0, "0"), (1.0, "+max")]))
        canvas.add_legend_item(style_key(canvas, [
            ({"pen": pg.mkPen(POSITIVE, width=EDGE_WIDTHS[2])}, tr("w > 0")),
            ({"pen": pg.mkPen(NEGATIVE, width=EDGE_WIDTHS[2])}, tr("w < 0")),
            ({"pen": pg.mkPen((120, 120, 120), width=EDGE_WIDTHS[0])}, tr("thinner: smaller |w|"))]))

    def after_layout(self, canvas: FigureCanvas) -> None:
        """The input image square on the slide (the view's columns are spaced to fill the width)."""
        thumb = self.view.thumbnail
        if not thumb.isVisible() or thumb.image is None:
            return
        px_x, px_y = self.view.plot.vb.viewPixelSize()
        rect = thumb.mapRectToParent(thumb.boundingRect())
        height = rect.width() / px_x * px_y
        thumb.setRect(QRectF(rect.x(), -height / 2, rect.width(), height))

    def _quantity(self) -> str:
        return tr("δ = ∂L/∂z") if self.view.colored_by == "δ" else tr("activation a")

    def title(self, frame: Frame) -> str:
        return tr("The network: neurons coloured by {what}, edges by weight").format(what=self._quantity())

    def layer_and_quantity(self, frame: Frame) -> tuple[str, str]:
        snap = frame.snapshot
        layer = snap.layers[snap.phase_layer].name if snap is not None and snap.phase_layer is not None else ""
        return layer, tr("sample 0 of the batch")

    def tables(self, frame: Frame) -> dict[str, Table]:
        snap = frame.snapshot
        if snap is None or not snap.weighted_layers:
            return {}
        backward = snap.phase == "backward"
        layers, units, drawn, kinds, values = [], [], [], [], []
        for layer in snap.weighted_layers:
            vec = layer.delta if backward and layer.delta is not None else layer.a
            kind = "delta" if vec is layer.delta and vec is not None else "a"
            n = layer.W.shape[1]
            shown = set(shown_units(n)[0].tolist())
            row = np.full(n, np.nan) if vec is None else np.asarray(vec[0], float)
            for u in range(n):
                layers.append(layer.name)
                units.append(u)
                drawn.append(u in shown)
                kinds.append(kind)
                values.append(row[u])
        nodes = Table.of_columns(layer=layers, unit=units, drawn=drawn, quantity=kinds, value=values)
        return {"nodes": nodes, "edges": self._edges(snap)}

    @staticmethod
    def _edges(snap) -> Table:
        """The drawn edges: per layer pair the ``TOP_K`` largest |w| among the drawn neurons."""
        rows = {"from_layer": [], "to_layer": [], "i": [], "j": [], "w": []}
        previous = "input"
        for layer in snap.weighted_layers:
            W = layer.W_after if layer.W_after is not None else layer.W
            src, dst = shown_units(W.shape[0])[0], shown_units(W.shape[1])[0]
            sub = W[np.ix_(src, dst)]
            flat = np.abs(sub).ravel()
            k = min(TOP_K, flat.size)
            chosen = np.argpartition(flat, flat.size - k)[flat.size - k:] if k < flat.size else np.arange(flat.size)
            for idx in sorted(chosen.tolist(), key=lambda t: -flat[t]):
                i, j = divmod(int(idx), sub.shape[1])
                rows["from_layer"].append(previous)
                rows["to_layer"].append(layer.name)
                rows["i"].append(int(src[i]))
                rows["j"].append(int(dst[j]))
                rows["w"].append(float(sub[i, j]))
            previous = layer.name
        return Table.of_columns(**rows)
