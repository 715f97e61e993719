"""The loss phase shown: ŷ against y for the whole batch, and the loss written out for one sample.

For classification, the batch's predicted probabilities as a samples × classes
heatmap with the true class of each sample framed; for regression, each
prediction against its target beside the line ŷ = y. Below, the selected
sample's loss as its formula with the numbers (:mod:`core.stepper.loss_terms`),
the batch mean, and ∂L/∂ŷ — the first quantity of the backward pass.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsRectItem, QHBoxLayout, QLabel, QWidget

from core.stepper.loss_terms import num
from widgets.common import plot_area
from widgets.display import display
from widgets.fitting import scrollable
from widgets.i18n import Texts, tr
from widgets.palette import BACKWARD, FORWARD

PROBABILITY = pg.ColorMap([0.0, 1.0], [(255, 255, 255), FORWARD])
MAX_ROWS = 64  # samples drawn in the heatmap (a larger batch is summed up by its mean all the same)
SHOWN_GRAD = 3  # entries of ∂L/∂ŷ written out (the largest; equal others are summed up)


class LossPanel(QWidget):
    """Entry points: :meth:`show_loss` (a snapshot, the class names) and :meth:`set_sample`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = Texts(self)
        layout = QHBoxLayout(self)  # ŷ against y on the left, the loss written out on the right
        layout.setContentsMargins(0, 0, 0, 0)
        self.setAutoFillBackground(True)
        self.setStyleSheet("LossPanel { background: white; }")
        self.canvas = plot_area(self, layout, 3)
        self.plot = display().style_plot(self.canvas.addPlot())
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.heatmap = pg.ImageItem()
        self.heatmap.setColorMap(PROBABILITY)
        self.plot.addItem(self.heatmap)
        self.truth = pg.ScatterPlotItem(symbol="s", brush=None)
        self.plot.addItem(self.truth)
        self.points = pg.ScatterPlotItem(brush=pg.mkBrush(*FORWARD, 200), pen=None)
        self.plot.addItem(self.points)
        self.diagonal = pg.PlotCurveItem(pen=pg.mkPen((120, 120, 120), width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine))
        self.plot.addItem(self.diagonal)
        self.selected_row = QGraphicsRectItem()
        self.selected_row.setBrush(pg.mkBrush(None))
        self.plot.addItem(self.selected_row)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(pg.QtCore.Qt.TextFormat.RichText)
        self.text.setContentsMargins(6, 0, 6, 4)
        # It scrolls rather than growing: wrapped at presentation size in Korean, the loss written
        # out asked for more height than a 768-px screen leaves the views.
        area = scrollable(self.text)
        area.viewport().setStyleSheet("background: white;")
        layout.addWidget(area, 3)
        self.text.setAlignment(pg.QtCore.Qt.AlignmentFlag.AlignTop | pg.QtCore.Qt.AlignmentFlag.AlignLeft)
        self.snapshot = None
        self.class_names: tuple[str, ...] = ()
        self.sample = 0
        self.lines: list[str] = []
        texts.on_change(self._redraw)
        display().on_change(self, self._restyle)
        self._restyle()

    def _restyle(self) -> None:
        self.text.setFont(display().font())
        self._redraw()

    def set_sample(self, sample: int) -> None:
        self.sample = max(0, int(sample))
        self._redraw()

    def show_loss(self, snapshot, class_names: tuple[str, ...]) -> None:
        self.snapshot, self.class_names = snapshot, tuple(class_names)
        self._redraw()

    def _redraw(self) -> None:
        snap = self.snapshot
        terms = None if snap is None else snap.loss_terms
        if terms is None:
            self.text.setText("")
            return
        n = min(self.sample, len(terms.per_sample) - 1)
        if terms.true_class is not None:
            self._draw_classes(terms, n)
        else:
            self._draw_regression(terms, n)
        self._write(snap, terms, n)

    def _draw_classes(self, terms, n: int) -> None:
        p = np.asarray(terms.prediction)
        if p.shape[1] == 1:  # one sigmoid output: the probabilities of class 0 and class 1
            p = np.hstack([1 - p, p])
        rows = min(len(p), MAX_ROWS)
        self.points.setData([], [])
        self.diagonal.setData([], [])
        self.heatmap.setImage(p[:rows].T, levels=(0.0, 1.0))
        self.heatmap.setRect(QRectF(0, 0, p.shape[1], rows))
        self.heatmap.show()
        truth = np.asarray(terms.true_class)[:rows]
        pen = pg.mkPen((0, 0, 0), width=display().line(2.5))
        self.truth.setData(x=truth + 0.5, y=np.arange(rows) + 0.5, size=display().point(11), pen=pen)
        self.plot.invertY(True)
        self.plot.getViewBox().setAspectLocked(False)
        if n < rows:
            self.selected_row.setRect(QRectF(-0.05, n, p.shape[1] + 0.1, 1))
            self.selected_row.setPen(pg.mkPen(BACKWARD, width=display().line(3)))
            self.selected_row.show()
        else:
            self.selected_row.hide()
        names = self.class_names if len(self.class_names) == p.shape[1] else tuple(str(k) for k in range(p.shape[1]))
        short = p.shape[1] <= 4
        self.plot.getAxis("bottom").setTicks([[(k + 0.5, names[k] if short else str(k)) for k in range(p.shape[1])]])
        line = display().pt("small") * 96 / 72 * 1.6  # a tick label's height in pixels, with space
        step = max(1, int(np.ceil(rows * line / max(self.plot.getViewBox().height(), 50.0))))
        self.plot.getAxis("left").setTicks([[(r + 0.5, str(r)) for r in range(0, rows, step)]])
        self.plot.setLabel("bottom", tr("class"))
        self.plot.setLabel("left", tr("sample"))
        self.plot.setTitle(tr("ŷ of the batch · □ = y"))
        self.plot.setXRange(0, p.shape[1], padding=0.02)
        self.plot.setYRange(0, rows, padding=0.02)

    def _draw_regression(self, terms, n: int) -> None:
        y = np.asarray(terms.target)[:, 0]
        p = np.asarray(terms.prediction)[:, 0]
        self.heatmap.hide()
        self.truth.setData([], [])
        self.plot.invertY(False)
        self.plot.getAxis("bottom").setTicks(None)
        self.plot.getAxis("left").setTicks(None)
        lo, hi = float(min(y.min(), p.min())), float(max(y.max(), p.max()))
        self.diagonal.setData([lo, hi], [lo, hi])
        sizes = np.full(len(y), display().point(9))
        sizes[min(n, len(y) - 1)] = display().point(18)
        brushes = [pg.mkBrush(*FORWARD, 200)] * len(y)
        brushes[min(n, len(y) - 1)] = pg.mkBrush(*BACKWARD, 255)
        self.points.setData(x=y, y=p, size=sizes, brush=brushes)
        self.selected_row.hide()
        self.plot.setLabel("bottom", tr("target y"))
        self.plot.setLabel("left", tr("prediction ŷ"))
        self.plot.setTitle(tr("ŷ against y for the batch (dashed: ŷ = y)"))
        self.plot.autoRange()

    def _write(self, snap, terms, n: int) -> None:
        head = tr("Sample {n} of the batch").format(n=n)
        if terms.true_class is not None:
            c = int(terms.true_class[n])
            name = self.class_names[c] if c < len(self.class_names) else str(c)
            head += " · " + tr("true class y = {c} ({name})").format(c=c, name=name)
        lines = [f"<b>{head}</b>", _code(terms.expression(n)),
                 "<b>" + tr("Loss of the batch: the mean over its {count} samples").format(count=len(terms.per_sample))
                 + "</b>", _code(terms.mean_expression)]
        if terms.total_expression:
            lines += ["<b>" + tr("With the regularization penalties, the loss training minimizes") + "</b>",
                      _code(terms.total_expression)]
        if snap.grad_output is not None:
            g = np.asarray(snap.grad_output).reshape(len(snap.grad_output), -1)[n]
            lines += ["<b>" + tr("∂L/∂ŷ at the output layer: the first quantity of the backward pass") + "</b>",
                      _code(gradient_text(g))]
        self.lines = lines
        self.text.setText("<br>".join(lines))


def gradient_text(g: np.ndarray) -> str:
    """``∂L/∂ŷ_7 = −0.1122 · ∂L/∂ŷ_k = 0.03125 for the other 9`` — the largest entries, the rest summed up."""
    order = [int(k) for k in np.argsort(-np.abs(g), kind="stable")]
    count = min(SHOWN_GRAD, len(order))
    for m in range(1, count):  # stop where the rest are all equal (softmax with crossentropy: all but the true class)
        if np.allclose(g[order[m:]], g[order[m]]):
            count = m
            break
    shown, rest = order[:count], order[count:]
    parts = [f"∂L/∂ŷ_{k} = {num(g[k])}" for k in shown]
    if rest and np.allclose(g[rest], g[rest[0]]):
        return " · ".join(parts) + " · " + tr("the other {count}: {value} each").format(count=len(rest),
                                                                                       value=num(g[rest[0]]))
    return " · ".join(parts) + (" · …" if rest else "")


def _code(text: str) -> str:
    """A formula line: kept on one line where it fits, in the view's colour for numbers."""
    return f"<span style='color:#1e1e1e'>{text.replace('<', '&lt;')}</span>"
