"""Loss and accuracy per batch and per epoch, training against validation."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from core.stepper.frame import Frame, HistorySlice
from widgets.common import plot_area
from widgets.display import display
from widgets.grid_axis import grid_plot
from widgets.i18n import Texts, tr

TRAIN = (0, 114, 178)
VAL = (213, 94, 0)


class MetricsView(QWidget):
    """Entry point: :meth:`render` (the frame's history). Items are created once and updated with ``setData``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plots = plot_area(self, layout, 1)
        texts = Texts(self)
        self.loss_plot = display().style_plot(grid_plot(self.plots, row=0, col=0))
        texts.bind(self.loss_plot.setTitle, "Loss")
        legend = self.legend = self.loss_plot.addLegend(offset=(-10, 10))
        legend.setBrush(pg.mkBrush(255, 255, 255, 220))  # readable over the curves on a projector
        legend.setLabelTextColor((40, 40, 40))
        texts.bind(lambda t: self.loss_plot.setLabel("bottom", t), "step")
        self.batch_loss = self.loss_plot.plot(pen=pg.mkPen((*TRAIN, 90), width=1), name="batch")
        self.epoch_loss = self.loss_plot.plot(pen=pg.mkPen(TRAIN, width=3), symbol="o", symbolSize=7,
                                              symbolBrush=TRAIN, name="train (epoch)")
        self.val_loss = self.loss_plot.plot(pen=pg.mkPen(VAL, width=3), symbol="s", symbolSize=7,
                                            symbolBrush=VAL, name="validation (epoch)")
        self.acc_plot = display().style_plot(grid_plot(self.plots, row=1, col=0))
        texts.bind(self.acc_plot.setTitle, "Accuracy")
        texts.bind(lambda t: self.acc_plot.setLabel("bottom", t), "step")
        texts.bind(lambda t: self.legend.getLabel(self.batch_loss).setText(t), "batch")
        texts.bind(lambda t: self.legend.getLabel(self.epoch_loss).setText(t), "train (epoch)")
        texts.bind(lambda t: self.legend.getLabel(self.val_loss).setText(t), "validation (epoch)")
        self.acc_plot.setXLink(self.loss_plot)
        self.batch_acc = self.acc_plot.plot(pen=pg.mkPen((*TRAIN, 90), width=1))
        self.epoch_acc = self.acc_plot.plot(pen=pg.mkPen(TRAIN, width=3), symbol="o", symbolSize=7, symbolBrush=TRAIN)
        self.val_acc = self.acc_plot.plot(pen=pg.mkPen(VAL, width=3), symbol="s", symbolSize=7, symbolBrush=VAL)
        for plot in (self.loss_plot, self.acc_plot):
            # Thousands of batch points: draw only what is visible, one point per pixel column.
            plot.setClipToView(True)
            plot.setDownsampling(auto=True, mode="peak")
        self.steps_per_epoch = 1
        self.history: HistorySlice | None = None
        self.hover = QLabel(self)
        texts.bind(self.hover.setText, "Hover over a curve to read its values")
        layout.addWidget(self.hover)
        self._mouse = pg.SignalProxy(self.plots.scene().sigMouseMoved, rateLimit=30, slot=self._mouse_moved)
        display().on_change(self, self._restyle)

    def _restyle(self) -> None:
        """Thicker curves and larger points in presentation mode."""
        d = display()
        self.batch_loss.setPen(pg.mkPen((*TRAIN, d.alpha(90)), width=d.line(1)))
        self.batch_acc.setPen(pg.mkPen((*TRAIN, d.alpha(90)), width=d.line(1)))
        for item, color in ((self.epoch_loss, TRAIN), (self.val_loss, VAL), (self.epoch_acc, TRAIN),
                            (self.val_acc, VAL)):
            item.setPen(pg.mkPen(color, width=d.line(3)))
            item.setSymbolSize(d.point(7))

    def render(self, frame: Frame) -> None:
        if frame.history is not self.history:
            self._draw(frame.history, frame.batches_per_epoch)

    def _draw(self, history: HistorySlice, steps_per_epoch: int) -> None:
        self.history = history
        self.steps_per_epoch = max(1, steps_per_epoch)
        steps, loss = history.scalar("loss")
        self.batch_loss.setData(steps, loss)
        self._epoch(history, "loss", self.epoch_loss)
        self._epoch(history, "val_loss", self.val_loss)
        acc_steps, acc = history.scalar("accuracy")
        self.acc_plot.setVisible(len(acc_steps) > 0)
        self.batch_acc.setData(acc_steps, acc)
        self._epoch(history, "accuracy", self.epoch_acc)
        self._epoch(history, "val_accuracy", self.val_acc)

    def _epoch(self, history: HistorySlice, key: str, item) -> None:
        epochs, values = history.epoch_series(key)
        item.setData(np.asarray(epochs) * self.steps_per_epoch, values)

    def _mouse_moved(self, event) -> None:
        pos = event[0]
        for plot in (self.loss_plot, self.acc_plot):
            if plot.isVisible() and plot.sceneBoundingRect().contains(pos):
                self.hover_at(plot.vb.mapSceneToView(pos).x())
                return

    def hover_at(self, step: float) -> str:
        """Show (and return) the values nearest to ``step``: batch loss and accuracy, and the epoch's."""
        parts = []
        for label, item in ((tr("batch loss"), self.batch_loss), (tr("batch accuracy"), self.batch_acc)):
            xs, ys = item.getData()
            if xs is not None and len(xs):
                k = int(np.argmin(np.abs(np.asarray(xs) - step)))
                if not parts:
                    parts.append(tr("step {n}").format(n=int(xs[k])))
                parts.append(f"{label} {ys[k]:.4f}")
        for label, item in ((tr("epoch loss"), self.epoch_loss), (tr("val loss"), self.val_loss),
                            (tr("epoch accuracy"), self.epoch_acc), (tr("val accuracy"), self.val_acc)):
            xs, ys = item.getData()
            if xs is not None and len(xs):
                k = int(np.argmin(np.abs(np.asarray(xs) - step)))
                parts.append(tr("{label} (epoch {k}) {value}").format(label=label, k=k + 1, value=f"{ys[k]:.4f}"))
        text = " · ".join(parts) if parts else tr("no values yet")
        self.hover.setText(text)
        return text
