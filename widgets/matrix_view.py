"""Heatmaps of a layer's matrices — W, z, a, δ, ∂L/∂W, ΔW, the optimizer's state — with colour bars.

By default the view follows the phase (:mod:`widgets.phase_focus`): the layer
in process and the phase's quantities side by side (forward: W, z, a;
backward: δ, ∂L/∂W; update: ΔW and the optimizer's state). Picking a layer
or a quantity pins the view on that choice ("Follow the phase" unticks).

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
from core.stepper.loss_terms import num
from widgets import phase_focus
from widgets.common import plot_area, sync_items, weight_label
from widgets.display import display
from widgets.fitting import shrinkable_combos
from widgets.i18n import Texts, tr, tr_noop
from widgets.palette import DIVERGING, symmetric_levels
from widgets.phase_focus import DELTA, DW, GRAD_A, SLOT_PREFIX, A, W, Z

TILES = tr_noop("neuron tiles (W)")
QUANTITIES = [W, Z, A, GRAD_A, DELTA, DW, tr_noop("ΔW (applied)"), TILES]
#: quantities whose rows are the batch's samples (the others are inputs × units)
PER_SAMPLE = {Z, A, GRAD_A, DELTA}
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


class MatrixPanel:
    """One heatmap with its colour bar in the view's canvas."""

    def __init__(self, plots: pg.GraphicsLayoutWidget, column: int) -> None:
        self.plot = display().style_plot(plots.addPlot(row=0, col=column))
        self.plots = plots
        self.plot.invertY(True)
        self.image = pg.ImageItem()
        self.image.setColorMap(DIVERGING)
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(colorMap=DIVERGING, interactive=False, width=10)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        display().style_plot(self.colorbar)
        self.matrix: np.ndarray | None = None
        self.levels: tuple[float, float] = (-1.0, 1.0)
        self.level_key: tuple[str, str] | None = None  # the (layer, quantity) the levels were set for
        self.quantity = ""

    def set_visible(self, visible: bool) -> None:
        self.plot.setVisible(visible)
        self.colorbar.setVisible(visible)


class MatrixView(QWidget):
    """Entry point: :meth:`render`. Follows the phase unless pinned (:meth:`pin`, :meth:`select_quantity`).

    Parameters
    ----------
    follow : bool
        Start following the phase (the window's view) or showing the chosen
        layer and quantity (a figure of W).
    """

    def __init__(self, parent: QWidget | None = None, follow: bool = True) -> None:
        super().__init__(parent)
        texts = Texts(self)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.layer_box = QComboBox(self)
        self.quantity_box = QComboBox(self)
        shrinkable_combos(self.layer_box, self.quantity_box)  # presentation mode: the bar must fit a 1366-px screen
        self.follow = QCheckBox(self)
        self.follow.setChecked(follow)
        texts.bind(self.follow.setText, "Follow the phase")
        texts.bind(self.follow.setToolTip, "Show the layer in process and the quantities of the phase; "
                                           "choosing a layer or a quantity pins the view")
        self.fixed = QCheckBox(self)
        texts.bind(self.fixed.setText, "fixed levels")
        texts.bind(self.fixed.setToolTip, "Keep the colour scale while stepping, so changes are comparable")
        bar.addWidget(texts.label("Layer", self))
        bar.addWidget(self.layer_box)
        bar.addWidget(texts.label("Show", self))
        bar.addWidget(self.quantity_box)
        bar.addWidget(self.follow)
        bar.addWidget(self.fixed)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.plots = plot_area(self, layout)
        self.panels = [MatrixPanel(self.plots, k) for k in range(phase_focus.MAX_PANELS)]
        self.hover_label = QLabel(self)
        texts.bind(self.hover_label.setText, "Hover over a cell to read its value")
        layout.addWidget(self.hover_label)
        for panel in self.panels:
            panel.image.hoverEvent = lambda event, p=panel: self._hover(p, event)
        self.snapshot: Snapshot | None = None
        self.shown: tuple[str, ...] = ()  # the quantities on screen, in order
        self.layer_box.activated.connect(lambda _: self._sync_quantities() or self._pin_and_redraw())
        self.quantity_box.activated.connect(lambda _: self._pin_and_redraw())
        self.follow.toggled.connect(lambda _: self._redraw())
        self.fixed.toggled.connect(lambda _: self._redraw())
        texts.on_change(lambda: self.snapshot is not None and self._draw(self.snapshot))
        display().on_change(self, lambda: self.snapshot is not None and self._redraw())

    # --- the first panel, as before: one matrix, its image and its levels -------------------
    @property
    def image(self) -> pg.ImageItem:
        return self.panels[0].image

    @property
    def plot(self) -> pg.PlotItem:
        return self.panels[0].plot

    @property
    def matrix(self) -> np.ndarray | None:
        return self.panels[0].matrix

    @property
    def colorbar(self) -> pg.ColorBarItem:
        return self.panels[0].colorbar

    @property
    def levels(self) -> tuple[float, float]:
        return self.panels[0].levels

    @property
    def shown_layer(self) -> str:
        return self.layer_box.currentText()

    # --- choosing --------------------------------------------------------------------------------
    def select_quantity(self, key: str) -> None:
        """Show quantity ``key`` (an entry of :data:`QUANTITIES`, or ``"optimizer: <slot>"``), pinned."""
        index = self.quantity_box.findData(key)
        if index >= 0:
            self.quantity_box.setCurrentIndex(index)
            self._pin_and_redraw()

    def pin(self, layer: str | None = None, quantity: str | None = None) -> None:
        """Stop following the phase; show ``layer`` and ``quantity`` (default: what is shown now)."""
        if layer is not None and self.layer_box.findText(layer) >= 0:
            self.layer_box.setCurrentIndex(self.layer_box.findText(layer))
        if quantity is not None and self.quantity_box.findData(quantity) >= 0:
            self.quantity_box.setCurrentIndex(self.quantity_box.findData(quantity))
        self._pin_and_redraw()

    def _pin_and_redraw(self) -> None:
        self.follow.blockSignals(True)
        self.follow.setChecked(False)
        self.follow.blockSignals(False)
        self._redraw()

    # --- drawing ---------------------------------------------------------------------------------
    def render(self, frame: Frame) -> None:
        if frame.snapshot is not None and frame.snapshot is not self.snapshot:
            self._draw(frame.snapshot)

    def _draw(self, snap: Snapshot) -> None:
        self.snapshot = snap
        sync_items(self.layer_box, [snap.layers[k].name for k in phase_focus.shown_layers(snap)])
        self._sync_quantities()
        self._redraw()

    def _sync_quantities(self) -> None:
        """The quantities the chosen layer offers."""
        layer = self._layer()
        if layer is None:
            return
        slots = sorted(layer.optimizer_state)
        if layer.W is not None:
            wanted = QUANTITIES[:7] + [SLOT_PREFIX + s for s in slots]
            if self.tiles_possible():
                wanted.append(TILES)
        else:  # γ, β, moving statistics: each weight, the gradients of the trained ones, every change
            names = list(layer.params)
            wanted = ([Z, A, GRAD_A, DELTA] + [WEIGHT + n for n in names] + [GRADIENT + n for n in names
                                                                             if n in layer.grads]
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
        return next((la for la in self.snapshot.layers if la.name == self.layer_box.currentText()), None)

    def tiles_possible(self) -> bool:
        """Whether the first layer's inputs are an image (so "neuron tiles" is offered)."""
        snap = self.snapshot
        dense = snap.weighted_layers if snap else ()
        if not dense:
            return False
        side = int(np.sqrt(dense[0].W.shape[0]))
        return side >= 8 and side * side == dense[0].W.shape[0]

    def _matrix(self, layer, quantity: str) -> np.ndarray | None:
        if quantity == TILES:
            first = self.snapshot.weighted_layers[0]
            W_ = first.W_after if first.W_after is not None else first.W
            return tile_mosaic(W_, int(np.sqrt(W_.shape[0])))
        if quantity.startswith(SLOT_PREFIX) and layer.W is None:  # one row per trained weight (γ, β)
            state = layer.optimizer_state.get(quantity[len(SLOT_PREFIX):])
            return np.stack([np.ravel(a) for a in state]) if state else None
        if quantity.startswith(WEIGHT):
            return layer.weight(quantity[len(WEIGHT):])
        if quantity.startswith(GRADIENT):
            return layer.grads.get(quantity[len(GRADIENT):])
        if quantity.startswith(CHANGE):
            return layer.applied.get(quantity[len(CHANGE):])
        return phase_focus.quantity_array(layer, quantity)

    def _follow_choice(self) -> tuple[str, ...] | None:
        """Set the combo boxes to the phase's focus; the quantities to show, or None when not following."""
        if not self.follow.isChecked() or self.snapshot is None:
            return None
        previous = next((k for k, la in enumerate(self.snapshot.layers) if la.name == self.layer_box.currentText()),
                        None)
        f = phase_focus.focus(self.snapshot, previous)
        if f is None or not f.quantities:
            return None
        self.layer_box.setCurrentIndex(max(0, self.layer_box.findText(self.snapshot.layers[f.layer].name)))
        self._sync_quantities()
        index = self.quantity_box.findData(f.quantities[0])
        if index >= 0:
            self.quantity_box.setCurrentIndex(index)
        return f.quantities

    def _redraw(self) -> None:
        if self.snapshot is None:
            return
        quantities = self._follow_choice() or (self.quantity_box.currentData() or "",)
        layer = self._layer()
        if layer is None:
            return
        self.shown = tuple(quantities)
        self._arrange(len(quantities))
        for k, panel in enumerate(self.panels):
            panel.set_visible(k < len(quantities))
            if k < len(quantities):
                self._draw_panel(panel, layer, quantities[k])

    def _arrange(self, count: int) -> None:
        """One panel fills the canvas; two sit side by side; of three, the first (ΔW, or W) takes the left
        half and the other two share the right — each wide enough to read in a narrow window."""
        if count == getattr(self, "_arranged", None):
            return
        self._arranged = count
        layout = self.plots.ci
        # A plot a figure has taken into its own canvas (widgets.figures) stays there.
        mine = [p for p in self.panels if p.plot in layout.items or p.plot.scene() is None]
        for panel in mine:
            if panel.plot in layout.items:
                layout.removeItem(panel.plot)
        places = {1: [(0, 0, 1)], 2: [(0, 0, 1), (0, 1, 1)], 3: [(0, 0, 2), (0, 1, 1), (1, 1, 1)]}[max(1, count)]
        for panel, (row, col, rowspan) in zip(self.panels, places):
            if panel in mine:
                layout.addItem(panel.plot, row=row, col=col, rowspan=rowspan)
        for col in range(2):
            layout.layout.setColumnStretchFactor(col, 1)

    def _draw_panel(self, panel: MatrixPanel, layer, quantity: str) -> None:
        label = self._quantity_label(quantity)
        panel.quantity = quantity
        m = self._matrix(layer, quantity)
        panel.matrix = m
        if m is None:
            panel.image.clear()
            panel.plot.setTitle(tr("{layer}: {quantity} is not computed yet at this phase").format(
                layer=layer.name, quantity=label))
            return
        m = np.asarray(m, dtype=float)
        if m.ndim == 1:
            m = m[None, :]
        key = (layer.name, quantity)
        if not self.fixed.isChecked() or panel.level_key != key:  # fixed levels hold for one matrix
            panel.levels, panel.level_key = symmetric_levels(m), key
        # ImageItem indexes [x, y]: x = column (output unit), y = row (input or sample), row 0 at the top.
        panel.image.setImage(m.T, levels=panel.levels)
        panel.colorbar.setLevels(panel.levels)
        # Large type leaves room for few automatic ticks: three written out, inside the bar (a label at its very
        # end would stick out of it).
        lo, hi = (0.8 * v for v in panel.levels)
        panel.colorbar.axis.setTicks([[(lo, num(lo)), (0.0, "0"), (hi, num(hi))]])
        tiles = quantity == TILES
        rows = tr("sample (0…{last})") if quantity in PER_SAMPLE else (
            tr("input (0…{last})") if layer.W is not None else tr("weight (0…{last})"))
        labelled = not tiles and len(self.shown) == 1  # side by side, the titles say the shapes: more room
        unit = tr("unit (0…{last})") if layer.W is not None else tr("feature (0…{last})")
        panel.plot.setLabel("bottom", unit.format(last=m.shape[1] - 1) if labelled else "")
        panel.plot.setLabel("left", rows.format(last=m.shape[0] - 1) if labelled else "")
        panel.plot.showLabel("bottom", labelled)
        panel.plot.showLabel("left", labelled)
        # Side by side the titles stay short (the layer is in the bar above; rows × columns say the shape).
        if labelled:
            title = f"{layer.name}: {label}  {m.shape[0]}×{m.shape[1]}"
        else:  # the tick labels give the shape; an optimizer slot goes by its own name
            title = quantity[len(SLOT_PREFIX):] if quantity.startswith(SLOT_PREFIX) else label
        panel.plot.setTitle(title if not tiles else tr("each first-layer neuron's incoming weights as an image"))
        panel.plot.autoRange()

    def _hover(self, panel: MatrixPanel, event) -> None:
        if event.isExit() or panel.matrix is None:
            return
        m = np.atleast_2d(panel.matrix)
        col, row = int(event.pos().x()), int(event.pos().y())
        if 0 <= row < m.shape[0] and 0 <= col < m.shape[1]:
            self.hover_label.setText(tr("{quantity} (row {row}, col {col}) = {value}").format(
                quantity=self._quantity_label(panel.quantity), row=row, col=col, value=f"{m[row, col]:.6g}"))
