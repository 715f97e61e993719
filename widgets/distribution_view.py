"""Distributions per layer: z, a, W and ∂L/∂W now, and their percentile bands over time.

The layer follows the phase (the layer in process) unless the user picks one.

Saturated sigmoid/tanh units (|f′| nearly 0) and dead ReLUs are counted and
marked, since they are why a layer stops learning. A BatchNormalization
layer shows x̂, its output, γ and β now, and over time also its moving
statistics.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from core.stepper import Snapshot, stats
from core.stepper.frame import Frame, HistorySlice
from widgets import phase_focus
from widgets.common import plot_area, sync_items
from widgets.display import display
from widgets.fitting import shrinkable_combos
from widgets.i18n import Texts, tr, tr_noop
from widgets.layer_text import layer_detail
from widgets.palette import BACKWARD, FORWARD, NEGATIVE, POSITIVE

KINDS = [(tr_noop("pre-activation z"), "preactivations", FORWARD), (tr_noop("activation a"), "activations", FORWARD),
         (tr_noop("weights W"), "weights", POSITIVE), (tr_noop("gradient ∂L/∂W"), "gradients", BACKWARD)]
#: A BatchNormalization layer's panels (the history keeps each weight under its own name).
NORMALIZATION_KINDS = [(tr_noop("normalized x̂"), "preactivations", FORWARD),
                       (tr_noop("output γ·x̂ + β"), "activations", FORWARD), ("γ", "gamma", POSITIVE),
                       ("β", "beta", POSITIVE)]
NORMALIZATION_BANDS = NORMALIZATION_KINDS + [(tr_noop("moving mean"), "moving_mean", POSITIVE),
                                             (tr_noop("moving variance"), "moving_variance", POSITIVE)]


class DistributionView(QWidget):
    """Entry point: :meth:`render` (histograms of the snapshot now, the history's bands over time)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = Texts(self)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.layer_box = QComboBox(self)
        bar.addWidget(texts.label("Layer", self))
        bar.addWidget(self.layer_box)
        self.band_kind = QComboBox(self)
        shrinkable_combos(self.layer_box, self.band_kind)  # presentation mode: the bar must fit a 1366-px screen
        sync_items(self.band_kind, [key for _, key, _ in KINDS], [tr(label) for label, _, _ in KINDS])
        self.band_kind.setCurrentIndex(1)
        bar.addWidget(texts.label("Over time", self))
        bar.addWidget(self.band_kind)
        self.follow = QCheckBox(self)
        self.follow.setChecked(True)
        texts.bind(self.follow.setText, "Follow the phase")
        texts.bind(self.follow.setToolTip, "Show the layer in process; choosing a layer pins the view")
        bar.addWidget(self.follow)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.plots = plot_area(self, layout)
        self.hist_plots, self.hist_curves = [], []
        for k, (label, _, color) in enumerate(KINDS):
            plot = display().style_plot(self.plots.addPlot(row=0, col=k, title=tr(label)))
            curve = plot.plot(stepMode="center", fillLevel=0, brush=(*color, 120), pen=pg.mkPen(color, width=1.5))
            self.hist_plots.append(plot)
            self.hist_curves.append(curve)
        self.band_plot = display().style_plot(self.plots.addPlot(row=1, col=0, colspan=4))
        texts.bind(self.band_plot.setTitle, "Percentiles over time")
        texts.bind(lambda t: self.band_plot.setLabel("bottom", t), "step")
        self.band_curves = [self.band_plot.plot(pen=pg.mkPen((*NEGATIVE, 160), width=1)) for _ in range(9)]
        self.band_fills = []
        for k, alpha in ((0, 40), (1, 70), (2, 110), (3, 160)):
            fill = pg.FillBetweenItem(self.band_curves[k], self.band_curves[8 - k], brush=(*NEGATIVE, alpha))
            self.band_plot.addItem(fill)
            self.band_fills.append(fill)
        self.band_curves[4].setPen(pg.mkPen((0, 0, 0), width=2))
        self.note = QLabel(self)
        layout.addWidget(self.note)
        self.snapshot: Snapshot | None = None
        self.history: HistorySlice | None = None
        self.layer_box.activated.connect(lambda _: self._pin())
        self.follow.toggled.connect(lambda on: on and self.snapshot is not None and self._follow_phase()
                                    and self._redraw())
        self.kinds = KINDS
        self.band_kind.activated.connect(lambda _: self._redraw())
        self.last_counts: dict[str, np.ndarray] = {}
        texts.on_change(self._retranslate)
        display().on_change(self, self._restyle)

    def _restyle(self) -> None:
        """Thicker curves in presentation mode."""
        for (_, _, color), curve in zip(self.kinds, self.hist_curves):
            curve.setPen(pg.mkPen(color, width=display().line(1.5)))
        self.band_curves[4].setPen(pg.mkPen((0, 0, 0), width=display().line(2)))

    def _pin(self) -> None:
        self.follow.blockSignals(True)
        self.follow.setChecked(False)
        self.follow.blockSignals(False)
        self._redraw()

    def _follow_phase(self) -> bool:
        """Show the phase's layer (when following and the view offers it); True when the view follows."""
        if not self.follow.isChecked():
            return False
        previous = next((k for k, la in enumerate(self.snapshot.layers) if la.name == self.layer_box.currentText()),
                        None)
        f = phase_focus.focus(self.snapshot, previous)
        if f is not None:
            index = self.layer_box.findText(self.snapshot.layers[f.layer].name)
            if index >= 0:
                self.layer_box.setCurrentIndex(index)
        return True

    def _retranslate(self) -> None:
        bands = NORMALIZATION_BANDS if self.kinds is NORMALIZATION_KINDS else KINDS
        sync_items(self.band_kind, [key for _, key, _ in bands], [tr(label) for label, _, _ in bands])
        for k, (label, _, _) in enumerate(self.kinds):
            self.hist_plots[k].setTitle(tr(label))
        self._redraw()

    def render(self, frame: Frame) -> None:
        snap_changed = frame.snapshot is not None and frame.snapshot is not self.snapshot
        if snap_changed:
            self.snapshot = frame.snapshot
            sync_items(self.layer_box, [la.name for la in frame.snapshot.layers
                                        if la.W is not None or "gamma" in la.params or "moving_mean" in la.params])
            self._follow_phase()
            self._redraw_now()
        if snap_changed or frame.history is not self.history:
            self.history = frame.history
            self._redraw_bands()

    def _redraw(self) -> None:
        self._redraw_now()
        self._redraw_bands()

    def _layer(self):
        if self.snapshot is None:
            return None
        return next((la for la in self.snapshot.layers if la.name == self.layer_box.currentText()), None)

    def _redraw_now(self) -> None:
        layer = self._layer()
        if layer is None:
            return
        if layer.W is None:  # BatchNormalization: x̂, γ·x̂ + β, γ, β
            kinds, arrays = NORMALIZATION_KINDS, [layer.z, layer.a, layer.weight("gamma"), layer.weight("beta")]
            bands = NORMALIZATION_BANDS
        else:
            kinds, bands = KINDS, KINDS
            arrays = [layer.z, layer.a, layer.W_after if layer.W_after is not None else layer.W, layer.dW]
        if kinds is not self.kinds:
            self.kinds = kinds
            sync_items(self.band_kind, [key for _, key, _ in bands], [tr(label) for label, _, _ in bands])
            if self.band_kind.currentIndex() < 0:
                self.band_kind.setCurrentIndex(1)
            for (_, _, color), curve in zip(kinds, self.hist_curves):
                curve.setBrush((*color, 120))
                curve.setPen(pg.mkPen(color, width=display().line(1.5)))
        self.last_counts = {}
        for (label, key, _), plot, curve, arr in zip(kinds, self.hist_plots, self.hist_curves, arrays):
            if arr is None:
                curve.setData([0, 1], [0])
                plot.setTitle(tr("{quantity}: not yet").format(quantity=tr(label)))
                continue
            counts, lo, hi = stats.histogram(arr)
            edges = np.linspace(lo, hi, len(counts) + 1)
            curve.setData(edges, counts)
            plot.setTitle(tr(label))
            self.last_counts[key] = counts
        notes = []
        if layer.regularization is not None:
            notes.append(layer_detail(layer, {}))
        if layer.a is not None:
            sat, dead = layer.stats.saturation, layer.stats.dead_relu  # computed at capture
            if np.isfinite(sat):
                notes.append(tr("saturated {activation} outputs: {share} (f′ ≈ 0 there: little gradient flows)")
                             .format(activation=layer.activation, share=f"{sat:.1%}"))
            if np.isfinite(dead):
                notes.append(tr("dead ReLU units (0 for the whole batch): {share}").format(share=f"{dead:.1%}"))
        self.note.setText(f"{layer.name}: " + ("; ".join(notes) if notes else tr("no saturation measure for {what}")
                                               .format(what=layer.activation or tr("this layer"))))

    def _redraw_bands(self) -> None:
        if self.history is None or not self.layer_box.currentText():
            return
        key = f"{self.layer_box.currentText()}/{self.band_kind.currentData()}"
        steps, bands = self.history.percentile_band(key)
        if not len(steps):
            for c in self.band_curves:
                c.setData([], [])
            return
        for k, curve in enumerate(self.band_curves):
            curve.setData(steps, bands[:, k])
        self.band_plot.setTitle(tr("{key}: percentiles 0, 7, 16, 31, 50 (black), 69, 84, 93, 100 over time")
                                .format(key=key))
