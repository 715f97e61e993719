"""The network graph: neurons coloured by activation (by δ going backward), edges by weight.

A Dense column carries the layers that follow it up to the next Dense layer
(Dropout, BatchNormalization: named in its title): while one of them is the
phase, the column shows that layer's output (its δ going backward), and the
units Dropout dropped for the shown sample in this batch are crossed out.

The phase is written on the canvas (which of the batch's phases, and what it
computes), the layer in process is highlighted, and a legend says what the
colours mean: edge colour = the weight's sign, thickness = |w|, node colour
= a (forward) or δ (backward) with each column's scale under it. In the loss
phase the :class:`~widgets.loss_panel.LossPanel` takes the graph's place: ŷ
against y for the batch and the loss written out (the weights do not change
there, the question is how wrong the output is).

Large layers stay fast and readable: at most ``MAX_NODES`` neurons per column
(the rest collapse into "…"), the ``TOP_K`` strongest edges per layer pair,
and an image input drawn as a thumbnail of the current sample. All edges of
one sign and width class are a single ``PlotCurveItem`` (``connect="pairs"``),
so a frame is a handful of items however big the network is.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QGraphicsRectItem, QGridLayout, QLabel, QWidget

from core.stepper import Snapshot
from core.stepper.frame import Frame
from widgets.display import display
from widgets.i18n import Texts, class_names_shown, tr
from widgets.loss_panel import LossPanel
from widgets.network_legend import headline, legend_html
from widgets.palette import BACKWARD, FORWARD, NEGATIVE, POSITIVE, diverging_brushes, symmetric_levels

MAX_NODES = 16
TOP_K = 150
#: in presentation mode: fewer, larger neurons and only the strongest edges, which stay apart on a projector
PRESENTATION_NODES = 10
PRESENTATION_TOP_K = 30
WIDTHS = (2, 3, 5)        # pixels per |w| class (integer widths take Qt's fast line path)
ALPHAS = (150, 190, 235)  # and their strength: never hairline-faint on a projector
INK = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (20, 20, 20)])


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


def shown_units(n: int, most: int = MAX_NODES) -> tuple[np.ndarray, bool]:
    """Which units of a layer of ``n`` are drawn (at most ``most``), and whether some are hidden."""
    if n <= most:
        return np.arange(n), False
    half = most // 2
    return np.concatenate([np.arange(half), np.arange(n - half + 1, n)]), True


class NetworkView(QWidget):
    """Entry points: :meth:`render`, :meth:`set_sample`. Emits :attr:`neuron_selected` (column, unit) on click.

    Column 0 is the input; column k ≥ 1 is the k-th Dense layer (with the layers after it).
    """

    neuron_selected = Signal(int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        self.setAutoFillBackground(True)
        self.setStyleSheet("NetworkView { background: white; }")
        self.headline = QLabel(self)
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setContentsMargins(8, 4, 8, 0)
        grid.addWidget(self.headline, 0, 0, 1, 2)
        self.canvas = pg.GraphicsLayoutWidget(self)
        self.canvas.setBackground("w")
        grid.addWidget(self.canvas, 1, 0)
        self.loss_panel = LossPanel(self)
        self.loss_panel.hide()
        grid.addWidget(self.loss_panel, 1, 0, 2, 2)
        grid.setRowStretch(1, 1)
        self.legend = QLabel(self)
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setContentsMargins(8, 0, 8, 4)
        grid.addWidget(self.legend, 2, 0, 1, 2)
        self.plot = self.canvas.addPlot()
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.highlight = QGraphicsRectItem()
        self.highlight.setPen(pg.mkPen(None))
        self.highlight.setZValue(-10)
        self.plot.addItem(self.highlight)
        self.edge_items = {}
        for sign in ("+", "-"):
            for k in range(len(WIDTHS)):
                item = pg.PlotCurveItem(connect="pairs")
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
        self.scale_texts: list[pg.TextItem] = []
        self._structure = None
        self.selected: tuple[int, int] | None = None
        self.snapshot: Snapshot | None = None
        self.class_names: tuple[str, ...] = ()
        self.sample = 0
        self.edge_count = 0
        self.highlighted_column: int | None = None
        self.colored_by = "activation"
        self.column_limits: list[float] = []
        self.max_nodes, self.top_k = MAX_NODES, TOP_K
        self._px_per_unit = (100.0, 100.0)
        self._restyle()
        Texts(self).on_change(self._retranslate)
        display().on_change(self, self._on_display)

    def viewport(self):
        """The canvas's viewport (where clicks land)."""
        return self.canvas.viewport()

    def mapFromScene(self, point):  # noqa: N802 (Qt's name)
        return self.canvas.mapFromScene(point)

    def _retranslate(self) -> None:
        self._structure = None  # the column titles are rebuilt in the new language
        if self.snapshot is not None:
            self._draw(self.snapshot)

    def _on_display(self) -> None:
        self._restyle()
        self._retranslate()

    def _restyle(self) -> None:
        d = display()
        presenting = d.settings.presentation
        self.max_nodes = PRESENTATION_NODES if presenting else MAX_NODES
        self.top_k = PRESENTATION_TOP_K if presenting else TOP_K
        for (sign, k), item in self.edge_items.items():
            color = POSITIVE if sign == "+" else NEGATIVE
            # Edges grow less than curves: many of them share little room.
            item.setPen(pg.mkPen((*color, d.alpha(ALPHAS[k])), width=round(WIDTHS[k] * (1.2 if presenting else 1))))
        self.nodes.setPen(pg.mkPen((0, 0, 0) if d.high_contrast else (60, 60, 60), width=d.line(1)))
        self.headline.setFont(d.font("headline"))
        self.legend.setFont(d.font("small"))

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
            cols.append((f"{la.name}\n{la.activation or 'linear'}" + (f" → {extra}" if extra else ""), la.W.shape[1],
                         None, la))
        image = x is not None and x.ndim >= 3 or (x is not None and x.ndim == 2 and x.shape[1] >= 64 and
                                                  int(np.sqrt(x.shape[1])) ** 2 == x.shape[1])
        return cols, image

    def _text(self, text: str, color=(30, 30, 30), anchor=(0.5, 0.5), role: str = "text", **kwargs) -> pg.TextItem:
        item = pg.TextItem(text, color=(0, 0, 0) if display().high_contrast else color, anchor=anchor, **kwargs)
        item.setFont(display().font(role))
        self.plot.addItem(item)
        return item

    def _rebuild_texts(self, cols, image: bool) -> None:
        for t in self.texts + self.scale_texts:
            self.plot.removeItem(t)
        self.texts, self.scale_texts = [], []
        for c, (title, n, _, _) in enumerate(cols):
            label = (f"{title}\n" + (tr("{n} unit") if n == 1 else tr("{n} units")).format(n=n) if c
                     else f"{title}\n" + tr("{n} values").format(n=n))
            t = self._text(label, anchor=(0.5, 1.0))
            t.setPos(c, 1.12)
            self.texts.append(t)
            units, collapsed = shown_units(n, self.max_nodes)
            if collapsed and not (c == 0 and image):
                dots = self._text(tr("⋮ {n} more").format(n=n - len(units)), color=(60, 60, 60),
                                  fill=pg.mkBrush(255, 255, 255, 230), role="small")
                dots.setZValue(10)
                dots.setPos(c, self._y(len(units) + 1, self.max_nodes // 2))
                self.texts.append(dots)
            scale = self._text("", color=(60, 60, 60), anchor=(0.5, 0.0), role="small")
            scale.setPos(c, -1.1)
            self.scale_texts.append(scale)
        self.plot.setXRange(-0.6, len(cols) - 0.4, padding=0)
        self._fit_range()

    def _fit_range(self) -> None:
        """A y range with room for the column titles (three lines) above the neurons and the scales below,
        whatever the canvas's height and the font size."""
        height = max(self.plot.getViewBox().height(), 50.0)
        line = QFontMetrics(display().font()).lineSpacing()
        # neurons span [−1, 1]; titles need 3 lines above 1.12, the scale one line below −1.1
        above, below = 3.3 * line + 6, 1.3 * line + 6
        room = 1 - (above + below) / height
        if room < 0.35:  # no size yet (a view not shown, a figure being made): the proportions of a normal canvas
            top, span = 1.55, 3.0
        else:
            span = 2.22 / room
            top = 1.12 + span * above / height
        self.plot.setYRange(top - span, top, padding=0)
        width = max(self.plot.getViewBox().width(), 50.0)
        x0, x1 = self.plot.getViewBox().viewRange()[0]
        self._px_per_unit = (width / max(x1 - x0, 1e-9), height / span)

    def _node_size(self, slots: int) -> float:
        """Neurons as large as the display asks, but never touching their neighbours (in pixels)."""
        wanted = display().point(20) if not display().settings.presentation else 32
        if slots <= 1:
            return wanted
        spacing = 2.0 / (slots - 1) * self._px_per_unit[1]
        return max(6.0, min(wanted, 0.8 * spacing))

    def _thumbnail_half(self) -> tuple[float, float]:
        """Half the input image's width and height in data units: a square on screen, whatever the canvas."""
        sx, sy = self._px_per_unit
        side = min(0.8 * sx, 1.4 * sy)
        return side / sx / 2, side / sy / 2

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self._structure is not None and self.snapshot is not None:
            self._fit_range()
            self._draw(self.snapshot)

    @staticmethod
    def _y(count: int, k: float) -> float:
        return 0.0 if count <= 1 else 1.0 - 2.0 * k / (count - 1)

    def _node_y(self, units: np.ndarray, n: int, k: int) -> float:
        """Vertical position of the k-th drawn unit; a collapsed column leaves a slot for "⋮"."""
        if len(units) == n:
            return self._y(len(units), k)
        return self._y(len(units) + 1, k if k < self.max_nodes // 2 else k + 1)

    # --- drawing -----------------------------------------------------------------------
    def render(self, frame: Frame) -> None:
        """Draw the frame's snapshot for the selected sample of its batch."""
        if frame.data is not None:
            self.class_names = class_names_shown(frame.data.class_names)
        if frame.snapshot is not None and frame.snapshot is not self.snapshot:
            self._draw(frame.snapshot)

    def set_sample(self, sample: int) -> None:
        """Show sample ``sample`` of the batch (its input, activations, δ and loss)."""
        self.sample = max(0, int(sample))
        self.loss_panel.set_sample(self.sample)
        if self.snapshot is not None:
            self._draw(self.snapshot)

    def _draw(self, snap: Snapshot) -> None:
        self.snapshot = snap
        sample = min(self.sample, len(snap.x) - 1) if snap.x is not None else 0
        cols, image = self._columns(snap)
        structure = tuple((t, n) for t, n, _, _ in cols) + (image, self.max_nodes)
        if structure != self._structure:
            self._rebuild_texts(cols, image)
            self._structure = structure
        backward = snap.phase == "backward"
        self.colored_by = "δ" if backward else "∂L/∂ŷ" if snap.phase == "loss" else "activation"
        positions, brushes, data = [], [], []
        column_units = []
        self.column_limits = []
        blocks = snap.blocks
        crosses = []
        self.dropped = {}
        for c, (_, n, _, layer) in enumerate(cols):
            units, _ = shown_units(n, self.max_nodes)
            column_units.append(units)
            block = blocks.get(layer.name, ()) if layer is not None else ()
            source = self._source(snap, layer, block)
            values, what = self._values(snap, c, source, sample, c == len(cols) - 1, n)
            limit = -symmetric_levels(values)[0] if values is not None else 1.0
            self.column_limits.append(limit)
            self.scale_texts[c].setText("" if values is None or (c == 0 and image) else f"±{limit:.2g}")
            if c == 0 and image:
                continue
            shown = values[units] if values is not None else np.zeros(len(units))
            dropped = dropped_units(block, sample, n) if block else None
            if dropped is not None:
                self.dropped[c] = np.flatnonzero(dropped)
            for k, (u, v) in enumerate(zip(units, shown)):
                y = self._node_y(units, n, k)
                positions.append((c, y))
                where = tr("input") if c == 0 else source.name
                tip = tr("{layer} unit {u}").format(layer=where, u=u) + f"\n{what} = {v:.4g}"
                if dropped is not None and dropped[u]:
                    crosses.append((c, y))
                    tip += "\n" + tr("dropped by Dropout in this batch (its output and δ are 0)")
                data.append((c, int(u), tip))
            brushes += diverging_brushes(shown, limit) if values is not None else [pg.mkBrush(235, 235, 235)] * len(
                units)
        pos = np.array(positions) if positions else np.zeros((0, 2))
        slots = max((len(u) + (len(u) < n) for u, (_, n, _, _) in zip(column_units, cols)), default=1)
        size = self._node_size(slots)
        self.nodes.setData(pos=pos, brush=brushes, data=data, size=size)
        self.crosses.setData(pos=np.array(crosses) if crosses else np.zeros((0, 2)), size=size)
        self._draw_thumbnail(snap, image, sample)
        self._draw_edges(cols, column_units, image)
        self._draw_highlight(snap, cols)
        self.headline.setText(headline(snap, sample, self.class_names))
        self.legend.setText(legend_html(self.colored_by))
        loss = snap.phase == "loss" and snap.loss_terms is not None
        self.canvas.setVisible(not loss)
        self.legend.setVisible(not loss)
        self.loss_panel.setVisible(loss)  # shown before it draws: its plot ranges need its size
        if loss:
            self.loss_panel.show_loss(snap, self.class_names)
            self.loss_panel.set_sample(sample)

    @staticmethod
    def _source(snap: Snapshot, layer, block):
        """The layer whose values a column shows: the phase's layer when it is one of the Dense layer's block."""
        if layer is None or snap.phase_layer is None:
            return layer
        current = snap.layers[snap.phase_layer]
        return current if any(b.name == current.name for b in block) else layer

    @staticmethod
    def _values(snap: Snapshot, c: int, layer, sample: int, last: bool, n: int):
        """The values that colour column ``c`` (``n`` units), and their symbol."""
        if c == 0:
            return (None if snap.x is None else snap.x.reshape(len(snap.x), -1)[sample]), "x"
        if snap.phase == "backward" and layer.delta is not None:
            values, what = layer.delta, "δ"
        elif snap.phase == "loss" and last and layer.grad_a is not None:
            values, what = layer.grad_a, "∂L/∂ŷ"
        else:
            values, what = layer.a, "a"
        if values is None or values.ndim != 2 or values.shape[1] != n:
            return None, what
        return values[sample], what

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
        hx, hy = self._thumbnail_half()
        self.thumbnail.setRect(QRectF(-hx, -hy, 2 * hx, 2 * hy))
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
                src_pos = np.zeros((1, 2)) + [self._thumbnail_half()[0], 0.0]  # the image's right edge, one fan
                sub = np.abs(W[:, dst_units]).mean(axis=0, keepdims=True)
                src_idx = [None]
            else:
                n_src = cols[c - 1][1]
                src_pos = np.array([(c - 1, self._node_y(src_units, n_src, k)) for k in range(len(src_units))])
                sub = W[np.ix_(src_units, dst_units)]
                src_idx = list(src_units)
            flat = np.abs(sub).ravel()
            k = min(self.top_k, flat.size)
            chosen = np.argpartition(flat, flat.size - k)[flat.size - k:] if k < flat.size else np.arange(flat.size)
            wmax = float(np.abs(sub).max()) or 1.0
            for idx in chosen:
                i, j = divmod(int(idx), sub.shape[1])
                w = float(sub[i, j])
                a = src_pos[i]
                b = (c, self._node_y(dst_units, cols[c][1], j))
                width_class = min(len(WIDTHS) - 1, int(len(WIDTHS) * abs(w) / wmax))
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
            # A layer without weights (an Activation, a Dropout) works on the column of the layer before it.
            shown = {layer.index: c for c, (_, _, _, layer) in enumerate(cols) if layer is not None}
            below = [c for index, c in shown.items() if index <= snap.phase_layer]
            self.highlighted_column = below[-1] if below else (0 if cols else None)
        elif snap.phase == "loss":
            self.highlighted_column = len(cols) - 1
        if self.highlighted_column is None:
            self.highlight.hide()
            return
        color = BACKWARD if snap.phase in ("backward", "loss") else FORWARD
        self.highlight.setRect(QRectF(self.highlighted_column - 0.35, -1.1, 0.7, 2.22))
        self.highlight.setBrush(pg.mkBrush(*color, 55 if display().high_contrast else 45))
        self.highlight.show()

    def _clicked(self, _item, points, _ev=None) -> None:
        if len(points):
            c, u, _ = points[0].data()
            self.select_neuron(c, u)

    def select_neuron(self, column: int, unit: int) -> None:
        """Select a neuron (as a click on it does) and announce it."""
        self.selected = (column, unit)
        self.neuron_selected.emit(column, unit)
