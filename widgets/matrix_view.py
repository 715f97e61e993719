"""Heatmaps of a layer's W, ∂L/∂W, ΔW or optimizer state, with a colour bar and hover values.

Signed quantities use a blue–white–red map with symmetric levels (white is
zero). For a first layer on image data, "neuron tiles" shows each neuron's
incoming weights as an image of the input (28×28 for MNIST). A layer whose
weights are no kernel — BatchNormalization's γ, β and moving statistics —
offers each weight, its gradient and its change, one row per weight.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from core.stepper import Snapshot
from core.stepper.frame import Frame
from widgets.common import plot_area, sync_items, weight_label
from widgets.i18n import Texts, tr, tr_noop
from widgets.palette import DIVERGING, symmetric_levels

QUANTITIES = ["W", "∂L/∂W", tr_noop("ΔW (applied)"), tr_noop("neuron tiles (W)")]
SLOT_PREFIX = "optimizer: "
#: Quantities of a layer without a kernel: "weight: gamma", "gradient: gamma", "change: moving_mean"…
WEIGHT, GRADIENT, CHANGE = "weight: ", "gradient: ", "change: "
TILES_PER_ROW = 10


def tile_mosaic(W: np.ndarray, side: int, per_row: int = TILES_PER_ROW, max_tiles: int = 100) -> np.ndarray:
    """Each column of ``W`` (in = side², out) as a side×side tile, in a grid with 1-pixel gaps (NaN)."""
    n = min(W.shape[1], max_tiles)
    rows = int(np.ceil(n / per_row))
    out = np.full((rows * (side + 1) - 1, per_row * (side + 1) - 1), np.nan)
    for k in range(n):
        r, c = divmod(k, per_row)
        out[r * (side + 1): r * (side + 1) + side, c * (side + 1): c * (side + 1) + side] = W[:, k].reshape(side,
                                                                                                           side)
    return out


class MatrixView(QWidget):
    """Entry point: :meth:`render`. The layer and quantity are chosen in the view (or :meth:`select_quantity`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = Texts(self)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.layer_box = QComboBox(self)
        self.quantity_box = QComboBox(self)
        self.fixed = QCheckBox(self)
        texts.bind(self.fixed.setText, "fixed levels")
        texts.bind(self.fixed.setToolTip, "Keep the colour scale while stepping, so changes are comparable")
        bar.addWidget(texts.label("Layer", self))
        bar.addWidget(self.layer_box)
        bar.addWidget(texts.label("Show", self))
        bar.addWidget(self.quantity_box)
        bar.addWidget(self.fixed)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.plots = plot_area(self, layout)
        self.plot = self.plots.addPlot()
        self.plot.invertY(True)
        self.plot.setAspectLocked(False)
        self.image = pg.ImageItem()
        self.image.setColorMap(DIVERGING)
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(colorMap=DIVERGING, interactive=False, width=18)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self.hover_label = QLabel(self)
        texts.bind(self.hover_label.setText, "Hover over a cell to read its value")
        layout.addWidget(self.hover_label)
        self.image.hoverEvent = self._hover
        self.levels: tuple[float, float] = (-1.0, 1.0)
        self.matrix: np.ndarray | None = None
        self.snapshot: Snapshot | None = None
        self.layer_box.activated.connect(lambda _: self._sync_quantities() or self._redraw())
        self.quantity_box.activated.connect(lambda _: self._redraw())
        self.fixed.toggled.connect(lambda _: self._redraw())
        texts.on_change(lambda: self.snapshot is not None and self._draw(self.snapshot))

    def select_quantity(self, key: str) -> None:
        """Show quantity ``key`` (an entry of :data:`QUANTITIES`, or ``"optimizer: <slot>"``)."""
        index = self.quantity_box.findData(key)
        if index >= 0:
            self.quantity_box.setCurrentIndex(index)
            self._redraw()

    def render(self, frame: Frame) -> None:
        if frame.snapshot is not None and frame.snapshot is not self.snapshot:
            self._draw(frame.snapshot)

    def _draw(self, snap: Snapshot) -> None:
        self.snapshot = snap
        sync_items(self.layer_box, [la.name for la in snap.layers if la.params])
        self._sync_quantities()
        self._redraw()

    def _sync_quantities(self) -> None:
        layer = self._layer()
        if layer is None:
            return
        slots = sorted(layer.optimizer_state)
        if layer.W is not None:
            wanted = QUANTITIES[:3] + [SLOT_PREFIX + s for s in slots]
            if self.tiles_possible():
                wanted.append(QUANTITIES[3])
        else:  # γ, β, moving statistics: each weight, the gradients of the trained ones, every change
            names = list(layer.params)
            wanted = ([WEIGHT + n for n in names] + [GRADIENT + n for n in names if n in layer.grads]
                      + [CHANGE + n for n in names] + [SLOT_PREFIX + s for s in slots])
        sync_items(self.quantity_box, wanted, [self._quantity_label(q) for q in wanted])

    @staticmethod
    def _quantity_label(key: str) -> str:
        if key.startswith(SLOT_PREFIX):
            return tr("optimizer: {slot}").format(slot=key[len(SLOT_PREFIX):])
        for prefix, text in ((WEIGHT, "{name}"), (GRADIENT, "∂L/∂{name}"), (CHANGE, tr("Δ{name} (applied)"))):
            if key.startswith(prefix):
                return text.format(name=weight_label(key[len(prefix):]))
        return tr(key)

    def _layer(self):
        if self.snapshot is None:
            return None
        for la in self.snapshot.layers:
            if la.name == self.layer_box.currentText():
                return la
        return None

    def tiles_possible(self) -> bool:
        """Whether the first layer's inputs are an image (so "neuron tiles" is offered)."""
        snap = self.snapshot
        dense = snap.weighted_layers if snap else ()
        if not dense:
            return False
        side = int(np.sqrt(dense[0].W.shape[0]))
        return side >= 8 and side * side == dense[0].W.shape[0]

    def _matrix(self, layer, quantity: str) -> np.ndarray | None:
        if quantity == "W":
            return layer.W_after if layer.W_after is not None else layer.W
        if quantity == "∂L/∂W":
            return layer.dW
        if quantity == "ΔW (applied)":
            return layer.dW_applied
        if quantity.startswith(SLOT_PREFIX):
            state = layer.optimizer_state.get(quantity[len(SLOT_PREFIX):])
            if layer.W is None and state:  # one row per trained weight (γ, β)
                return np.stack([np.ravel(a) for a in state])
            return None if not state else state[0]
        if quantity.startswith(WEIGHT):
            return layer.weight(quantity[len(WEIGHT):])
        if quantity.startswith(GRADIENT):
            return layer.grads.get(quantity[len(GRADIENT):])
        if quantity.startswith(CHANGE):
            return layer.applied.get(quantity[len(CHANGE):])
        if quantity == QUANTITIES[3]:
            first = self.snapshot.weighted_layers[0]
            W = first.W_after if first.W_after is not None else first.W
            return tile_mosaic(W, int(np.sqrt(W.shape[0])))
        return None

    def _redraw(self) -> None:
        layer = self._layer()
        if layer is None:
            return
        quantity = self.quantity_box.currentData() or ""
        label = self._quantity_label(quantity)
        m = self._matrix(layer, quantity)
        self.matrix = m
        if m is None:
            self.image.clear()
            self.plot.setTitle(tr("{layer}: {quantity} is not computed yet at this phase").format(
                layer=layer.name, quantity=label))
            return
        m = np.asarray(m, dtype=float)
        if m.ndim == 1:
            m = m[None, :]
        if not self.fixed.isChecked():
            self.levels = symmetric_levels(m)
        # ImageItem indexes [x, y]: x = column (output unit), y = row (input), row 0 at the top.
        self.image.setImage(m.T, levels=self.levels)
        self.colorbar.setLevels(self.levels)
        tiles = quantity == QUANTITIES[3]
        unit = tr("output unit (0…{last})") if layer.W is not None else tr("feature (0…{last})")
        self.plot.setLabel("bottom", "" if tiles else unit.format(last=m.shape[1] - 1))
        self.plot.setLabel("left", "" if tiles or layer.W is None else tr("input (0…{last})").format(
            last=m.shape[0] - 1))
        self.plot.setTitle(f"{layer.name}: {label}  {m.shape[0]}×{m.shape[1]}" if not tiles else
                           tr("each first-layer neuron's incoming weights as an image"))
        self.plot.autoRange()

    def _hover(self, event) -> None:
        if event.isExit() or self.matrix is None:
            return
        m = np.atleast_2d(self.matrix)
        col, row = int(event.pos().x()), int(event.pos().y())
        if 0 <= row < m.shape[0] and 0 <= col < m.shape[1]:
            self.hover_label.setText(tr("(row {row}, col {col}) = {value}").format(row=row, col=col,
                                                                                   value=f"{m[row, col]:.6g}"))
