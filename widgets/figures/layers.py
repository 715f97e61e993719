"""The Layers view as a figure: the phase strip, each layer's numbers as a table, and its norms as bars.

The view is made of Qt widgets (labels and a table), which a figure does not
grab; this figure draws the same snapshot's numbers (computed at capture)
as rich text and bar charts, filling the slide instead of leaving it white.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg

from core.export.figure_data import Table
from core.stepper.frame import Frame
from widgets.figures.base import ViewFigure
from widgets.figures.canvas import INK, FigureCanvas, font
from widgets.i18n import phase_text, tr, tr_noop
from widgets.palette import BACKWARD, FORWARD

#: (column title, statistic attribute), as the Layers view's table.
STATS = [(tr_noop("mean a"), "act_mean"), (tr_noop("std a"), "act_std"), ("‖δ‖", "delta_norm"),
         ("‖∂L/∂W‖", "grad_norm"), ("‖ΔW‖ / ‖W‖", "update_ratio")]
BARS = [("‖δ‖", "delta_norm", BACKWARD), ("‖∂L/∂W‖", "grad_norm", BACKWARD), ("‖ΔW‖ / ‖W‖", "update_ratio",
                                                                             FORWARD)]


def _fmt(x) -> str:
    if x is None or not np.isfinite(x):
        return "—"
    return f"{x:.3g}" if abs(x) >= 1e-3 or x == 0 else f"{x:.2e}"


def _hex(rgb) -> str:
    return "#%02x%02x%02x" % tuple(rgb)


class LayersFigure(ViewFigure):
    key = "propagation"

    def compose(self, canvas: FigureCanvas, frame: Frame) -> None:
        self.strip = pg.LabelItem("", justify="left")
        self.table = pg.LabelItem("", justify="left")
        canvas.body.addItem(self.strip, row=0, col=0, colspan=len(BARS))
        canvas.body.addItem(self.table, row=1, col=0, colspan=len(BARS))
        self.bar_plots, self.empty_notes = [], []
        for k, (label, _, _) in enumerate(BARS):
            plot = canvas.body.addPlot(row=2, col=k)
            plot.setTitle(label)
            plot.setLogMode(y=True)
            plot.setMouseEnabled(False, False)
            plot.hideButtons()
            plot.showGrid(y=True, alpha=0.2)
            bars = pg.BarGraphItem(x=[], height=[], width=0.7)
            plot.addItem(bars)
            empty = pg.TextItem("", color=INK, anchor=(0.5, 0.5))
            plot.addItem(empty)
            self.empty_notes.append(empty)
            self.bar_plots.append((plot, bars))
        canvas.body.layout.setRowStretchFactor(2, 1)

    def update(self, canvas: FigureCanvas, frame: Frame) -> None:
        snap = frame.snapshot
        if snap is None:
            return
        px = canvas.fonts.text
        for item in (self.strip, self.table):
            item.item.setFont(font(px))
        self.strip.item.setHtml(self._strip_html(snap, px))
        self.table.item.setHtml(self._table_html(snap, px))
        for item in (self.strip, self.table):
            item.updateMin()
            item.updateGeometry()
        layers = [la for la in snap.weighted_layers if la.stats is not None]
        ticks = [[(k, la.name) for k, la in enumerate(layers)]]
        for (plot, bars), (label, attr, color), empty in zip(self.bar_plots, BARS, self.empty_notes):
            values = np.array([getattr(la.stats, attr) for la in layers], float)
            ok = np.isfinite(values) & (values > 0)
            logs = np.log10(values[ok]) if ok.any() else np.array([-0.5, 0.5])
            bottom = float(np.floor(logs.min() - 0.3))  # bars rise from the bottom of the range, never below it
            empty.setText("" if ok.any() else tr("not computed yet at this phase"))
            empty.setFont(font(canvas.fonts.text))
            empty.setPos(len(layers) / 2 - 0.5, 0.0)
            # A log axis: the bars are drawn in log10 units, from the bottom of the range up to the value.
            heights = np.where(ok, np.log10(np.where(ok, values, 1.0)) - bottom, 0.0)
            bars.setOpts(x=np.arange(len(layers)), height=heights, y0=bottom * np.ones(len(layers)), width=0.7,
                         brush=pg.mkBrush(*color), pen=pg.mkPen(INK, width=1))
            plot.getAxis("bottom").setTicks(ticks)
            plot.setYRange(bottom, float(logs.max()) + 0.3, padding=0)
            plot.setXRange(-0.6, len(layers) - 0.4, padding=0)
            canvas.style_plot(plot, label)

    @staticmethod
    def _strip_html(snap, px: int) -> str:
        names = [la.name for la in snap.layers]
        labels = ([phase_text("forward", n) for n in names] + [phase_text("loss")]
                  + [phase_text("backward", n) for n in reversed(names)] + [phase_text("update")])
        first_backward = len(names) + 1
        cells = []
        for k, text in enumerate(labels):
            if k == snap.phase_index:
                color = _hex(BACKWARD if k >= first_backward else FORWARD)
                cells.append(f"<td bgcolor='{color}' style='color:white; font-weight:bold'>{html.escape(text)}</td>")
            else:
                ink = "#9a9a9a" if k < snap.phase_index else INK
                cells.append(f"<td style='color:{ink}'>{html.escape(text)}</td>")
        return (f"<table cellpadding='6' cellspacing='3' style='font-size:{px}px'><tr>" + "".join(cells)
                + "</tr></table>")

    @staticmethod
    def _table_html(snap, px: int) -> str:
        head = [tr("Layer"), tr("Output")] + [tr(title) for title, _ in STATS]
        rows = ["<tr>" + "".join(f"<th align='left' style='border-bottom:1px solid {INK}'>{html.escape(h)}</th>"
                                 for h in head) + "</tr>"]
        for r, layer in enumerate(snap.layers):
            s = layer.stats
            cells = [f"{layer.name} ({layer.kind}{', ' + layer.activation if layer.activation else ''})",
                     "—" if layer.a is None else str(tuple(layer.a.shape))]
            cells += ["—" if s is None else _fmt(getattr(s, attr)) for _, attr in STATS]
            current = r == snap.phase_layer
            bg = (f" bgcolor='{_hex(BACKWARD if snap.phase == 'backward' else FORWARD)}'"
                  " style='color:white; font-weight:bold'" if current else "")
            rows.append(f"<tr{bg}>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        loss = "" if snap.loss is None else tr("batch loss {value}").format(value=f"{snap.loss:.4f}")
        metrics = " · ".join(f"{k} {v:.3f}" for k, v in snap.metrics.items())
        foot = " · ".join(p for p in (loss, metrics, f"{snap.optimizer}, lr {snap.learning_rate:g}") if p)
        return (f"<table cellpadding='5' cellspacing='0' style='font-size:{px}px; color:{INK}'>" + "".join(rows)
                + f"</table><p style='font-size:{px}px; color:{INK}'>{html.escape(foot)}</p>")

    def title(self, frame: Frame) -> str:
        return tr("Where the batch is, and each layer's numbers")

    def layer_and_quantity(self, frame: Frame) -> tuple[str, str]:
        snap = frame.snapshot
        layer = snap.layers[snap.phase_layer].name if snap is not None and snap.phase_layer is not None else ""
        return layer, ""

    def tables(self, frame: Frame) -> dict[str, Table]:
        snap = frame.snapshot
        if snap is None:
            return {}
        columns = {"layer": [la.name for la in snap.layers], "kind": [la.kind for la in snap.layers],
                   "activation": [la.activation or "" for la in snap.layers]}
        for _, attr in STATS:
            columns[attr] = [np.nan if la.stats is None else getattr(la.stats, attr) for la in snap.layers]
        return {"layers": Table.of_columns(**columns)}

