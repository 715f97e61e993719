"""The neuron inspector: one neuron's whole chain rule with the numbers, term by term.

    z_j = Σ_i a_i·w_ij + b_j     a_j = f(z_j)
    ∂L/∂a_j = Σ_k w_jk·δ_k        δ_j = ∂L/∂a_j · f′(z_j)
    ∂L/∂w_ij = Σ_n a_i[n]·δ_j[n]   Δw_ij from the optimizer's formula and state

The terms come from :func:`core.stepper.chain.neuron_chain` (each layer kind
writes its own; new kinds register there); this view adds their captions in
the UI language. Until a neuron is clicked, the inspector follows the phase:
the layer in process, and its unit that matters most for the sample shown.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from core.stepper import Snapshot
from core.stepper.chain import Term, neuron_chain
from core.stepper.frame import Frame
from widgets.common import plot_area
from widgets.display import display
from widgets.i18n import Texts, snapshot_phase_text, tr
from core.stepper.loss_terms import num
from widgets.inspector_captions import CAPTIONS, SHORT_NAME, caption_color, term_phase
from widgets.inspector_terms import batchnorm_lines, dropout_lines
from widgets.number_fields import int_spin_box
from widgets.palette import DIVERGING, NEGATIVE, POSITIVE


def image_input(snap: Snapshot) -> bool:
    """Whether the batch's inputs are images (so a first-layer neuron's weights draw as one)."""
    x = snap.x
    if x is None:
        return False
    if x.ndim >= 3:
        return True
    side = int(np.sqrt(x.shape[1])) if x.ndim == 2 else 0
    return x.ndim == 2 and side >= 8 and side * side == x.shape[1]


class InspectorView(QWidget):
    """Entry points: :meth:`select` (column, unit — as the network view emits), :meth:`set_sample`, :meth:`render`.

    Emits :attr:`sample_changed` when the sample is changed here.
    """

    sample_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = Texts(self)
        layout = QVBoxLayout(self)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        texts.bind(self.header.setText, "Click a neuron in the Network view to inspect it.")
        layout.addWidget(self.header)
        row = QHBoxLayout()
        row.addWidget(texts.label("Sample", self))
        self.sample_box = int_spin_box(self, 0, 0)  # the C locale, like every number field
        row.addWidget(self.sample_box)
        self.follow = QCheckBox(self)
        self.follow.setChecked(True)
        texts.bind(self.follow.setText, "Follow the phase")
        texts.bind(self.follow.setToolTip, "Show the layer in process until you click a neuron")
        row.addWidget(self.follow)
        row.addStretch(1)
        layout.addLayout(row)
        self.plots = plot_area(self, layout, 1)
        self.plots.setMinimumHeight(120)
        self.weight_plot = display().style_plot(self.plots.addPlot())
        self.weight_bars = pg.BarGraphItem(x=[], height=[], width=0.8)
        self.weight_image = pg.ImageItem()
        self.weight_image.setColorMap(DIVERGING)
        self.weight_plot.addItem(self.weight_bars)
        self.weight_plot.addItem(self.weight_image)
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.text)
        layout.addWidget(scroll, 3)
        self.column: int | None = None
        self.unit = 0
        self.sample = 0
        self.snapshot: Snapshot | None = None
        self.terms: list[Term] = []
        self.lines: list[str] = []
        self.layer_index: int | None = None
        self.sample_box.valueChanged.connect(self._sample_edited)
        self.follow.toggled.connect(lambda _: self.snapshot is not None and self._draw(self.snapshot))
        texts.on_change(lambda: self.snapshot is not None and self._draw(self.snapshot))
        display().on_change(self, self._restyle)
        self._restyle()

    def _restyle(self) -> None:
        self.header.setFont(display().font("title", bold=True))
        # In presentation mode the chain rule needs the room; the weights chart would be too small to read.
        self.plots.setVisible(not display().settings.presentation)
        if self.snapshot is not None:
            self._draw(self.snapshot)

    # --- choosing ------------------------------------------------------------------------------
    def select(self, column: int, unit: int) -> None:
        """Inspect ``unit`` of network column ``column`` (0: the input, k: the k-th layer with weights); pins."""
        self.column, self.unit = column, unit
        self.follow.blockSignals(True)
        self.follow.setChecked(False)
        self.follow.blockSignals(False)
        if self.snapshot is not None:
            self._draw(self.snapshot)

    def set_sample(self, sample: int) -> None:
        """Write the chain for sample ``sample`` of the batch."""
        self.sample = max(0, int(sample))
        self.sample_box.blockSignals(True)
        self.sample_box.setValue(min(self.sample, self.sample_box.maximum()))
        self.sample_box.blockSignals(False)
        if self.snapshot is not None:
            self._draw(self.snapshot)

    def _sample_edited(self, value: int) -> None:
        self.sample = value
        if self.snapshot is not None:
            self._draw(self.snapshot)
        self.sample_changed.emit(value)

    def render(self, frame: Frame) -> None:
        if frame.snapshot is not None and frame.snapshot is not self.snapshot:
            self._draw(frame.snapshot)

    def _target(self, snap: Snapshot, sample: int) -> tuple[int, int] | None:
        """(index into snap.layers, unit) to inspect: the clicked neuron, or the phase's when following."""
        dense = snap.weighted_layers
        if not self.follow.isChecked():
            if self.column is None or not 1 <= self.column <= len(dense):
                return None
            layer = dense[self.column - 1]
            return layer.index, min(self.unit, layer.W.shape[1] - 1)
        index = snap.phase_layer if snap.phase_layer is not None else (
            len(snap.layers) - 1 if snap.phase in ("loss", "update") else (dense[0].index if dense else None))
        if index is None:
            return None
        layer = snap.layers[index]
        values = layer.delta if snap.phase == "backward" and layer.delta is not None else (
            layer.grad_a if snap.phase == "loss" and layer.grad_a is not None else layer.a)
        if values is None:
            return index, 0
        row = np.abs(np.asarray(values).reshape(len(values), -1)[sample])
        return index, int(np.argmax(row)) if row.size else 0

    # --- drawing -----------------------------------------------------------------------------------
    def _draw(self, snap: Snapshot) -> None:
        self.snapshot = snap
        if snap.x is not None:
            self.sample_box.blockSignals(True)
            self.sample_box.setRange(0, len(snap.x) - 1)
            self.sample_box.setValue(min(self.sample, len(snap.x) - 1))
            self.sample_box.blockSignals(False)
        sample = min(self.sample, len(snap.x) - 1) if snap.x is not None else 0
        target = self._target(snap, sample)
        if target is None:
            self.header.setText(tr("Click a neuron of a Dense layer in the Network view to inspect it."))
            self.terms, self.lines, self.layer_index = [], [], None
            self.text.setText("")
            return
        index, u = target
        self.layer_index, self.unit = index, u
        layer = snap.layers[index]
        self.header.setText(tr("{layer} · unit {u} ({activation}) · sample {sample}").format(
            layer=layer.name, u=u, activation=layer.activation or layer.kind, sample=sample))
        if layer.W is not None:
            self._plot_weights((layer.W_after if layer.W_after is not None else layer.W)[:, u],
                               image=image_input(snap) and layer is snap.weighted_layers[0])
        else:  # a layer without weights (an Activation, a Dropout): nothing comes in through weights
            self.weight_bars.setOpts(x=[], height=[])
            self.weight_image.hide()
            self.weight_plot.setTitle(tr("no incoming weights"))
        self.terms = neuron_chain(snap, index, u, sample) if snap.x is not None else []
        self._write(snap, index, sample)

    def _write(self, snap: Snapshot, index: int, sample: int) -> None:
        """Every term: those of the current phase written out in full, the others as one line each."""
        where = tr("phase: {phase}    step {step}").format(phase=snapshot_phase_text(snap), step=snap.step)
        html, plain = [f"<b>{where}</b>"], [where]
        terms = list(self.terms)
        if index == len(snap.layers) - 1 and snap.loss_terms is not None:
            value = float(snap.loss_terms.per_sample[min(sample, len(snap.loss_terms.per_sample) - 1)])
            loss = Term("loss", (snap.loss_terms.expression(sample),), value, {"n": sample})
            terms.insert(next((k for k, t in enumerate(terms) if term_phase(t.key) != "forward"), len(terms)), loss)
        for term in terms:
            caption = tr(CAPTIONS.get(term.key, term.key)).format(**term.args)
            plain += [caption, *term.lines]
            if term_phase(term.key) == snap.phase or snap.phase == "start":
                html += [_caption(caption, term.key)] + [_formula(line) for line in term.lines]
            else:
                name = SHORT_NAME.get(term.key, term.lines[0].split(" = ")[0])
                html.append(_formula(f"{name} = {num(term.value)}", faint=True))
        # The layers acting on this unit after its Dense layer (Dropout, BatchNormalization), or the
        # inspected layer itself when it is one of them, each with the batch's numbers.
        layer = snap.layers[index]
        for after in ((layer,) if layer.W is None else snap.blocks.get(layer.name, ())):
            if after.kind == "Dropout":
                block = dropout_lines(after, sample, self.unit)
            elif after.kind == "BatchNormalization":
                block = batchnorm_lines(after, sample, self.unit, snap.optimizer)
            else:
                continue
            html += [_caption(block[0], "block")] + [_formula(line.strip()) for line in block[1:]]
            plain += block
        self.lines = plain
        self.text.setText("<br>".join(html))

    def _plot_weights(self, w: np.ndarray, image: bool) -> None:
        """The neuron's incoming weights: an image when its inputs are an image, else a bar (stem) chart."""
        self.weight_plot.setTitle(tr("incoming weights ({n})").format(n=w.size))
        side = int(np.sqrt(w.size))
        if image and side * side == w.size:
            self.weight_bars.setOpts(x=[], height=[])
            lim = float(np.abs(w).max()) or 1.0
            self.weight_image.setImage(w.reshape(side, side).T[:, ::-1], levels=(-lim, lim))
            self.weight_image.show()
            self.weight_plot.setAspectLocked(True)
            self.weight_plot.showAxis("left", False)
            self.weight_plot.showAxis("bottom", False)
        else:
            self.weight_image.hide()
            self.weight_plot.setAspectLocked(False)
            self.weight_plot.showAxis("left", True)
            self.weight_plot.showAxis("bottom", True)
            brushes = [pg.mkBrush(*(POSITIVE if v >= 0 else NEGATIVE)) for v in w]
            self.weight_bars.setOpts(x=np.arange(w.size), height=w, width=0.8 if w.size <= 64 else 0.5,
                                     brushes=brushes, pen=None)
        self.weight_plot.autoRange()

    @property
    def shows_image(self) -> bool:
        """Whether the incoming weights are drawn as an image (else as bars)."""
        return self.weight_image.isVisible()


def _caption(text: str, key: str) -> str:
    return f"<br><span style='color:{caption_color(key)}; font-weight:bold'>{text}</span>"


def _formula(line: str, faint: bool = False) -> str:
    escaped = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    color = "color:#555555; " if faint else ""
    return f"<span style='{color}font-family:monospace; white-space:pre-wrap'>{escaped}</span>"
