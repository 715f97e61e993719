"""The neuron inspector: one neuron's incoming weights, z, a, δ and its update, as the chain rule.

    δ = ∂L/∂a · f′(z)        ∂L/∂w_i = Σ_n a_prev[n, i] · δ[n] (+ a kernel penalty's gradient)        Δw_i

followed by what the layers after the neuron's Dense layer do to its unit
(Dropout's mask and 1/(1 − rate), BatchNormalization's x̂, γ, β, δ and
moving averages), each with the batch's numbers.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from core.stepper import Snapshot
from core.stepper.frame import Frame
from widgets.common import plot_area
from widgets.i18n import Texts, snapshot_phase_text, tr
from widgets.inspector_terms import batchnorm_lines, dropout_lines
from widgets.palette import DIVERGING, NEGATIVE, POSITIVE


class InspectorView(QWidget):
    """Entry points: :meth:`select` (column, unit — as the network view emits) and :meth:`render`.

    Every term of the chain rule shown comes with the snapshot (computed at capture).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = Texts(self)
        layout = QVBoxLayout(self)
        self.header = QLabel(self)
        texts.bind(self.header.setText, "Click a neuron in the Network view to inspect it.")
        font = self.header.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.header.setFont(font)
        layout.addWidget(self.header)
        self.plots = plot_area(self, layout, 2)
        self.plots.setMinimumHeight(240)
        self.weight_plot = self.plots.addPlot()
        texts.bind(self.weight_plot.setTitle, "incoming weights")
        self.weight_bars = pg.BarGraphItem(x=[], height=[], width=0.8)
        self.weight_image = pg.ImageItem()
        self.weight_image.setColorMap(DIVERGING)
        self.weight_plot.addItem(self.weight_bars)
        self.weight_plot.addItem(self.weight_image)
        self.text = QLabel(self)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        layout.addStretch(1)
        self.column: int | None = None
        self.unit = 0
        self.snapshot: Snapshot | None = None
        self.lines: list[str] = []
        texts.on_change(lambda: self.snapshot is not None and self._draw(self.snapshot))

    def select(self, column: int, unit: int) -> None:
        self.column, self.unit = column, unit
        if self.snapshot is not None:
            self._draw(self.snapshot)

    def render(self, frame: Frame) -> None:
        if frame.snapshot is not None and frame.snapshot is not self.snapshot:
            self._draw(frame.snapshot)

    def _draw(self, snap: Snapshot, sample: int = 0) -> None:
        self.snapshot = snap
        dense = snap.weighted_layers
        if self.column is None or not 1 <= self.column <= len(dense):
            self.header.setText(tr("Click a neuron of a Dense layer in the Network view to inspect it."))
            return
        k = self.column - 1
        layer = dense[k]
        u = min(self.unit, layer.W.shape[1] - 1)
        self.header.setText(tr("{layer} · unit {u} · activation {activation} · sample {sample} of the batch").format(
            layer=layer.name, u=u, activation=layer.activation, sample=sample))
        w = (layer.W_after if layer.W_after is not None else layer.W)[:, u]
        self._plot_weights(w)
        lines = [tr("phase: {phase}    step {step}").format(phase=snapshot_phase_text(snap), step=snap.step)]
        if layer.z is not None:
            z, a = float(layer.z[sample, u]), float(layer.a[sample, u])
            x = layer.x[sample] if layer.x is not None else None
            lines.append(f"z = Σ_i a_prev[i]·w[i] + b = {z:.6g}" + (
                tr("   (Σ over {n} inputs; b = {b})").format(
                    n=x.size, b=f"{float(layer.b[u]) if layer.b is not None else 0:.4g}")
                if x is not None else ""))
            lines.append(f"a = {layer.activation}(z) = {a:.6g}")
        if layer.delta is not None:
            d = float(layer.delta[sample, u])
            if layer.activation == "softmax":
                lines.append("δ = a ⊙ (∂L/∂a − Σ_j ∂L/∂a_j·a_j)   " + tr("(softmax couples the outputs)"))
                lines.append(f"δ = {d:.6g}" + ("   " + tr("(with crossentropy this is (ŷ − y)/N)")
                                              if "crossentropy" in snap.loss_name else ""))
            elif layer.grad_a is not None and layer.fprime is not None:
                grad_a, fprime = float(layer.grad_a[sample, u]), float(layer.fprime[sample, u])
                lines.append(f"δ = ∂L/∂a · f′(z) = {grad_a:.6g} × {fprime:.6g} = {d:.6g}")
            else:
                lines.append(f"δ = {d:.6g}")
        if layer.top_terms is not None:
            i, contrib = int(layer.top_input[u]), layer.top_terms[:, u]
            penalty = "" if layer.top_penalty is None else " + " + tr("penalty {value}").format(
                value=f"{float(layer.top_penalty[u]):.6g}") + f" ({layer.settings['regularizers']['kernel']})"
            lines.append(f"∂L/∂w[{i}] = Σ_n a_prev[n,{i}]·δ[n] "
                         + tr("over {n} samples").format(n=len(contrib)) + f" = {contrib.sum():.6g}{penalty}   "
                         + tr("(stored: {value}; the largest |∂L/∂w| of this neuron)").format(
                             value=f"{float(layer.dW[i, u]):.6g}"))
            if layer.dW_applied is not None:
                step = float(layer.dW_applied[i, u])
                lines.append(tr("update: Δw[{i}] = {step} with {optimizer} (lr {lr})").format(
                    i=i, step=f"{step:.6g}", optimizer=snap.optimizer, lr=f"{snap.learning_rate:g}"))
                for slot, arrays in layer.optimizer_state.items():
                    lines.append(f"    {slot}[{i}] = {float(arrays[0][i, u]):.6g}")
        for after in snap.blocks.get(layer.name, ()):
            if after.kind == "Dropout":
                lines += dropout_lines(after, sample, u)
            elif after.kind == "BatchNormalization":
                lines += batchnorm_lines(after, sample, u, snap.optimizer)
        self.lines = lines
        self.text.setText("\n".join(lines))

    def _plot_weights(self, w: np.ndarray) -> None:
        side = int(np.sqrt(w.size))
        if side >= 8 and side * side == w.size:
            self.weight_bars.setOpts(x=[], height=[])
            lim = float(np.abs(w).max()) or 1.0
            self.weight_image.setImage(w.reshape(side, side).T[:, ::-1], levels=(-lim, lim))
            self.weight_image.show()
            self.weight_plot.setAspectLocked(True)
        else:
            self.weight_image.hide()
            self.weight_plot.setAspectLocked(False)
            brushes = [pg.mkBrush(*(POSITIVE if v >= 0 else NEGATIVE)) for v in w]
            self.weight_bars.setOpts(x=np.arange(w.size), height=w, width=0.8, brushes=brushes)
        self.weight_plot.autoRange()
