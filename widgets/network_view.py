"""The network graph: neurons coloured by activation (by δ going backward), edges by weight.

A Dense column carries the layers that follow it up to the next Dense layer
(Dropout, BatchNormalization: named in its title): while one of them is the
phase, the column shows that layer's output (its δ going backward), and the
units Dropout dropped for the shown sample in this batch are crossed out.

Large layers stay fast and readable: at most ``MAX_NODES`` neurons per column
(the rest collapse into "…"), the ``TOP_K`` strongest edges per layer pair,
and an image input drawn as a thumbnail of the current sample. All edges of
one sign and width class are a single ``PlotCurveItem`` (``connect="pairs"``),
so a frame is a handful of items however big the network is.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QGraphicsRectItem

from core.stepper import Snapshot
from core.stepper.frame import Frame
from widgets.i18n import Texts, tr
from widgets.palette import BACKWARD, FORWARD, NEGATIVE, POSITIVE, diverging_brushes, symmetric_levels

MAX_NODES = 16
TOP_K = 150
WIDTHS = (1, 2, 3)  # integer widths take Qt's fast line path
INK = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (20, 20, 20)])


def shown_units(n: int) -> tuple[np.ndarray, bool]:
    """Which units of a layer of ``n`` are drawn, and whether some are hidden."""
    if n <= MAX_NODES:
        return np.arange(n), False
    half = MAX_NODES // 2
    return np.concatenate([np.arange(half), np.arange(n - half + 1, n)]), True


def _short(layer) -> str:
    if layer.kind == "Dropout":
        return f"Dropout {layer.settings.get('rate', 0):g}"
    return "BN" if layer.kind == "BatchNormalization" else ""


def dropped_units(block, sample: int, n: int) -> np.ndarray | None:
    """Which of ``n`` units the block's Dropout dropped for ``sample`` of this batch (None: no mask yet)."""
    for layer in block:
        mask = layer.record.get("mask") if layer.kind == "Dropout" else None
        if mask is not None and mask.ndim == 2:
            row = mask[sample if mask.shape[0] > 1 else 0]
            return np.broadcast_to(row, (n,)) == 0
    return None


class NetworkView(pg.GraphicsLayoutWidget):
    """Entry point: :meth:`render`. Emits :attr:`neuron_selected` (column, unit) on click.

    Column 0 is the input; column k ≥ 1 is the k-th Dense layer (with the layers after it).
    """

    neuron_selected = Signal(int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self.plot = self.addPlot()
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.highlight = QGraphicsRectItem()
        self.highlight.setPen(pg.mkPen(None))
        self.highlight.setZValue(-10)
        self.plot.addItem(self.highlight)
        self.edge_items = {}
        for sign, color in (("+", POSITIVE), ("-", NEGATIVE)):
            for k, width in enumerate(WIDTHS):
                item = pg.PlotCurveItem(connect="pairs", pen=pg.mkPen((*color, 110 + 50 * k), width=width))
                item.setZValue(-5)
                self.plot.addItem(item)
                self.edge_items[(sign, k)] = item
        self.edge_tips = pg.ScatterPlotItem(size=7, pen=None, brush=(0, 0, 0, 0), hoverable=True,
                                            tip=lambda x, y, data: data)
        self.plot.addItem(self.edge_tips)
        self.nodes = pg.ScatterPlotItem(size=18, pen=pg.mkPen(60, 60, 60), hoverable=True,
                                        hoverPen=pg.mkPen(0, 0, 0, width=3), tip=lambda x, y, data: data[2])
        self.nodes.sigClicked.connect(self._clicked)
        self.plot.addItem(self.nodes)
        self.crosses = pg.ScatterPlotItem(size=20, symbol="x", pen=pg.mkPen(None), brush=pg.mkBrush(200, 30, 30, 220))
        self.crosses.setZValue(5)
        self.plot.addItem(self.crosses)
        #: per column, the units Dropout dropped for the shown sample (the crosses drawn)
        self.dropped: dict[int, np.ndarray] = {}
        self.thumbnail = pg.ImageItem()
        self.thumbnail.setColorMap(INK)
        self.plot.addItem(self.thumbnail)
        self.texts: list[pg.TextItem] = []
        self._structure = None
        self.selected: tuple[int, int] | None = None
        self.snapshot: Snapshot | None = None
        self.edge_count = 0
        self.highlighted_column: int | None = None
        self.colored_by = "activation"
        Texts(self).on_change(self._retranslate)

    def _retranslate(self) -> None:
        self._structure = None  # the column titles are rebuilt in the new language
        if self.snapshot is not None:
            self._draw(self.snapshot)

    # --- structure -------------------------------------------------------------------
    def _columns(self, snap: Snapshot):
        """(title, size, values, layer snapshot) per column; Flatten folds into the input."""
        dense = snap.weighted_layers
        blocks = snap.blocks
        x = snap.x
        n_in = dense[0].W.shape[0] if dense else 0
        cols = [(tr("input"), n_in, None, None)]
        for la in dense:
            extra = " · ".join(_short(b) for b in blocks.get(la.name, []) if _short(b))
            cols.append((f"{la.name} ({la.activation})" + (f"\n→ {extra}" if extra else ""), la.W.shape[1], None, la))
        image = x is not None and x.ndim >= 3 or (x is not None and x.ndim == 2 and x.shape[1] >= 64 and
                                                  int(np.sqrt(x.shape[1])) ** 2 == x.shape[1])
        return cols, image

    def _rebuild_texts(self, cols, image: bool) -> None:
        for t in self.texts:
            self.plot.removeItem(t)
        self.texts = []
        for c, (title, n, _, _) in enumerate(cols):
            label = (f"{title}\n" + (tr("{n} unit") if n == 1 else tr("{n} units")).format(n=n) if c
                     else f"{title}\n" + tr("{n} values").format(n=n))
            t = pg.TextItem(label, color=(30, 30, 30), anchor=(0.5, 1.0))
            t.setPos(c, 1.25)
            self.plot.addItem(t)
            self.texts.append(t)
            units, collapsed = shown_units(n)
            if collapsed and not (c == 0 and image):
                dots = pg.TextItem(tr("⋮ {n} more").format(n=n - len(units)), color=(60, 60, 60), anchor=(0.5, 0.5),
                                   fill=pg.mkBrush(255, 255, 255, 230))
                dots.setZValue(10)
                dots.setPos(c, self._y(len(units) + 1, MAX_NODES // 2))
                self.plot.addItem(dots)
                self.texts.append(dots)
        self.plot.setXRange(-0.6, len(cols) - 0.4, padding=0)
        self.plot.setYRange(-1.25, 1.45, padding=0)

    @staticmethod
    def _y(count: int, k: float) -> float:
        return 0.0 if count <= 1 else 1.0 - 2.0 * k / (count - 1)

    def _node_y(self, units: np.ndarray, n: int, k: int) -> float:
        """Vertical position of the k-th drawn unit; a collapsed column leaves a slot for "⋮"."""
        if len(units) == n:
            return self._y(len(units), k)
        return self._y(len(units) + 1, k if k < MAX_NODES // 2 else k + 1)

    # --- drawing -----------------------------------------------------------------------
    def render(self, frame: Frame) -> None:
        """Draw the frame's snapshot for the first sample of its batch."""
        if frame.snapshot is not None and frame.snapshot is not self.snapshot:
            self._draw(frame.snapshot)

    def _draw(self, snap: Snapshot, sample: int = 0) -> None:
        self.snapshot = snap
        cols, image = self._columns(snap)
        structure = tuple((t, n) for t, n, _, _ in cols) + (image,)
        if structure != self._structure:
            self._rebuild_texts(cols, image)
            self._structure = structure
        backward = snap.phase == "backward"
        self.colored_by = "δ" if backward else "activation"
        blocks = snap.blocks
        positions, brushes, data, crosses = [], [], [], []
        column_units = []
        self.dropped = {}
        for c, (_, n, _, layer) in enumerate(cols):
            units, _ = shown_units(n)
            column_units.append(units)
            if c == 0 and image:
                continue
            block = blocks.get(layer.name, []) if layer is not None else []
            source = self._source(snap, layer, block)
            values = self._values(snap, c, source, backward, sample, n)
            limit = -symmetric_levels(values)[0] if values is not None else 1.0
            shown = values[units] if values is not None else np.zeros(len(units))
            dropped = dropped_units(block, sample, n) if block else None
            if dropped is not None:
                self.dropped[c] = np.flatnonzero(dropped)
            for k, (u, v) in enumerate(zip(units, shown)):
                y = self._node_y(units, n, k)
                positions.append((c, y))
                what = "δ" if backward and source is not None and source.delta is not None else "a" if c else "x"
                where = tr("input") if c == 0 else source.name
                tip = tr("{layer} unit {u}").format(layer=where, u=u) + f"\n{what} = {v:.4g}"
                if dropped is not None and dropped[u]:
                    crosses.append((c, y))
                    tip += "\n" + tr("dropped by Dropout in this batch (its output and δ are 0)")
                data.append((c, int(u), tip))
            brushes += diverging_brushes(shown, limit) if values is not None else [pg.mkBrush(235, 235, 235)] * len(
                units)
        pos = np.array(positions) if positions else np.zeros((0, 2))
        self.nodes.setData(pos=pos, brush=brushes, data=data)
        self.crosses.setData(pos=np.array(crosses) if crosses else np.zeros((0, 2)))
        self._draw_thumbnail(snap, image, sample)
        self._draw_edges(cols, column_units, image)
        self._draw_highlight(snap, cols)

    @staticmethod
    def _source(snap: Snapshot, layer, block):
        """The layer whose values a column shows: the phase's layer when it is one of the Dense layer's block."""
        if layer is None or snap.phase_layer is None:
            return layer
        current = snap.layers[snap.phase_layer]
        return current if any(b.name == current.name for b in block) else layer

    def _values(self, snap: Snapshot, c: int, layer, backward: bool, sample: int, n: int):
        if c == 0:
            return None if snap.x is None else snap.x.reshape(len(snap.x), -1)[sample]
        values = layer.delta if backward and layer.delta is not None else layer.a
        if values is None or values.ndim != 2 or values.shape[1] != n:
            return None
        return values[sample]

    def _draw_thumbnail(self, snap: Snapshot, image: bool, sample: int) -> None:
        if not image or snap.x is None:
            self.thumbnail.hide()
            return
        img = snap.x[sample]
        if img.ndim == 1:
            side = int(np.sqrt(img.size))
            img = img.reshape(side, side)
        if img.ndim == 3:
            img = img.mean(axis=2)
        self.thumbnail.setImage(img.T[:, ::-1], levels=(float(img.min()), float(img.max()) or 1.0))
        self.thumbnail.setRect(QRectF(-0.4, -0.4, 0.8, 0.8))
        self.thumbnail.show()

    def _draw_edges(self, cols, column_units, image: bool) -> None:
        segments = {key: [] for key in self.edge_items}
        tips_pos, tips_data = [], []
        self.edge_count = 0
        for c in range(1, len(cols)):
            layer = cols[c][3]
            W = layer.W_after if layer.W_after is not None else layer.W
            src_units, dst_units = column_units[c - 1], column_units[c]
            if c == 1 and image:
                src_pos = np.zeros((1, 2)) + [0.4, 0.0]  # the thumbnail's right edge, one fan per neuron
                sub = np.abs(W[:, dst_units]).mean(axis=0, keepdims=True)
                src_idx = [None]
            else:
                n_src = cols[c - 1][1]
                src_pos = np.array([(c - 1, self._node_y(src_units, n_src, k)) for k in range(len(src_units))])
                sub = W[np.ix_(src_units, dst_units)]
                src_idx = list(src_units)
            flat = np.abs(sub).ravel()
            k = min(TOP_K, flat.size)
            chosen = np.argpartition(flat, flat.size - k)[flat.size - k:] if k < flat.size else np.arange(flat.size)
            wmax = float(np.abs(W).max()) or 1.0
            for idx in chosen:
                i, j = divmod(int(idx), sub.shape[1])
                w = float(sub[i, j])
                a = src_pos[i]
                b = (c, self._node_y(dst_units, cols[c][1], j))
                width_class = min(2, int(3 * abs(w) / wmax))
                segments[("+" if w >= 0 else "-", width_class)] += [a, b]
                tips_pos.append(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))
                src_name = tr("input") if c == 1 else cols[c - 1][3].name
                label = (f"w[{src_idx[i]}→{dst_units[j]}]" if src_idx[i] is not None
                         else tr("mean |w| into {u}").format(u=dst_units[j]))
                tips_data.append(f"{src_name} → {layer.name}\n{label} = {w:.4g}")
                self.edge_count += 1
        for key, item in self.edge_items.items():
            pts = np.array(segments[key]) if segments[key] else np.zeros((0, 2))
            item.setData(pts[:, 0], pts[:, 1]) if len(pts) else item.setData([], [])
        self.edge_tips.setData(pos=np.array(tips_pos) if tips_pos else np.zeros((0, 2)), data=tips_data)

    def _draw_highlight(self, snap: Snapshot, cols) -> None:
        self.highlighted_column = None
        if snap.phase_layer is not None:
            name = snap.layers[snap.phase_layer].name
            blocks = snap.blocks
            for c, (_, _, _, layer) in enumerate(cols):
                if layer is not None and (layer.name == name or any(b.name == name for b in blocks[layer.name])):
                    self.highlighted_column = c
        elif snap.phase == "loss":
            self.highlighted_column = len(cols) - 1
        if self.highlighted_column is None:
            self.highlight.hide()
            return
        color = BACKWARD if snap.phase == "backward" else FORWARD
        self.highlight.setRect(QRectF(self.highlighted_column - 0.35, -1.15, 0.7, 2.3))
        self.highlight.setBrush(pg.mkBrush(*color, 45))
        self.highlight.show()

    def _clicked(self, _item, points, _ev=None) -> None:
        if len(points):
            c, u, _ = points[0].data()
            self.select_neuron(c, u)

    def select_neuron(self, column: int, unit: int) -> None:
        """Select a neuron (as a click on it does) and announce it."""
        self.selected = (column, unit)
        self.neuron_selected.emit(column, unit)
