"""Compare mode's plots: two runs' curves over epochs and their activation histograms, overlaid."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from core.compare import ComparisonFrame
from widgets.common import plot_area, sync_items
from widgets.grid_axis import grid_plot
from widgets.i18n import Texts, tr

#: Side colours (Okabe–Ito blue, vermilion, bluish green, reddish purple: distinct for
#: colour-blind viewers and on a projector).
SIDE_COLORS = ((0, 114, 178), (213, 94, 0), (0, 158, 115), (204, 121, 167))


def running_mean(x, y, points: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Mean over windows of ~1/``points`` of the series (3 values at least, an 8th of it at
    most), at the windows' centres."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    width = max(1, min(len(y) // 8, max(len(y) // points, 3)))
    if len(y) < width or width == 1:
        return x, y
    def window_means(v: np.ndarray) -> np.ndarray:  # O(n) by cumulative sums (np.convolve is O(n·width))
        c = np.concatenate([[0.0], np.cumsum(v)])
        return (c[width:] - c[:-width]) / width

    return window_means(x), window_means(y)


class CompareView(QWidget):
    """Entry point: :meth:`render` with a :class:`~core.compare.ComparisonFrame`. Plot items are made once per
    side and updated with ``setData``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = Texts(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary)
        self.plots = plot_area(self, layout, 1)
        self.loss_plot = grid_plot(self.plots, row=0, col=0)
        self.acc_plot = grid_plot(self.plots, row=0, col=1)
        self.grad_plot = grid_plot(self.plots, row=1, col=0, log_left=True)
        self.hist_plot = self.plots.addPlot(row=1, col=1)
        texts.bind(self.loss_plot.setTitle, "Loss (faint: each batch · solid: running mean, ● each epoch · "
                                            "dashed: validation)")
        texts.bind(self.acc_plot.setTitle, "Accuracy (faint: each batch · solid: running mean · dashed: validation)")
        texts.bind(self.grad_plot.setTitle, "‖∂L/∂W‖, running mean, log scale (solid: first layer · dashed: last)")
        texts.bind(self.hist_plot.setTitle, "Activations on the same 512 inputs (share per bin)")
        for plot in (self.loss_plot, self.acc_plot, self.grad_plot):
            texts.bind(lambda t, p=plot: p.setLabel("bottom", t), "epoch")
            plot.setClipToView(True)
            plot.setDownsampling(auto=True, mode="peak")
        self.acc_plot.setXLink(self.loss_plot)
        self.grad_plot.setXLink(self.loss_plot)
        self.grad_plot.setLogMode(y=True)
        texts.bind(lambda t: self.hist_plot.setLabel("bottom", t), "activation a")
        self.legend = self.loss_plot.addLegend(offset=(-10, 10))
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 220))
        self.legend.setLabelTextColor((40, 40, 40))
        self.items: list[dict[str, pg.PlotDataItem]] = []
        for color in SIDE_COLORS:
            # Batch values are noisy: faint, with a running mean on top that four sides can share a plot with.
            faint = pg.mkPen((*color, 45), width=1)
            solid = pg.mkPen(color, width=2.5)
            dashed = pg.mkPen(color, width=2.5, style=Qt.PenStyle.DashLine)
            self.items.append({
                "loss": self._faint(self.loss_plot, faint),
                "loss_mean": self.loss_plot.plot(pen=solid),
                "epoch/val_loss": self.loss_plot.plot(pen=dashed, symbol="s", symbolSize=7, symbolBrush=color),
                "epoch/loss": self.loss_plot.plot(pen=None, symbol="o", symbolSize=7, symbolBrush=color),
                "accuracy": self._faint(self.acc_plot, faint),
                "accuracy_mean": self.acc_plot.plot(pen=solid),
                "epoch/val_accuracy": self.acc_plot.plot(pen=dashed, symbol="s", symbolSize=7, symbolBrush=color),
                "grad_first": self.grad_plot.plot(pen=pg.mkPen(color, width=2)),
                "grad_last": self.grad_plot.plot(pen=pg.mkPen(color, width=2, style=Qt.PenStyle.DashLine)),
                "hist": self.hist_plot.plot(stepMode="center", fillLevel=0, brush=(*color, 60),
                                            pen=pg.mkPen(color, width=2)),
            })
        bar = QHBoxLayout()
        bar.addWidget(texts.label("Histogram of layer", self))
        self.layer_box = QComboBox(self)
        bar.addWidget(self.layer_box)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.frame: ComparisonFrame | None = None
        self._legend_labels: tuple[str, ...] = ()
        self.layer_box.activated.connect(lambda _: self._draw_histograms())
        texts.on_change(lambda: self.frame is not None and self._draw(self.frame))

    @staticmethod
    def _faint(plot, pen) -> pg.PlotDataItem:
        """A batch curve that does not set the plot's range: its spikes would squeeze the epoch curves (where
        training and validation part ways, the sign of overfitting) into a thin band."""
        item = pg.PlotDataItem(pen=pen)
        plot.addItem(item, ignoreBounds=True)
        return item

    def render(self, frame: ComparisonFrame) -> None:
        """Show every side of ``frame`` (up to four)."""
        if frame is not self.frame:
            self._draw(frame)

    def _draw(self, frame: ComparisonFrame) -> None:
        self.frame = frame
        labels = tuple(side.label for side in frame.sides[:len(self.items)])
        if labels != self._legend_labels:  # the legend lists the sides shown, in their colours
            self.legend.clear()
            for items, label in zip(self.items, labels):
                self.legend.addItem(items["loss_mean"], label)
            self._legend_labels = labels
        for items in self.items[len(frame.sides):]:
            for item in items.values():
                item.setData([], [])
        for side, items in zip(frame.sides, self.items):
            for key in ("loss", "epoch/loss", "epoch/val_loss", "accuracy", "epoch/val_accuracy"):
                x, y = side.curves.get(key, ((), ()))
                items[key].setData(np.asarray(x), np.asarray(y))
            for key in ("loss", "accuracy"):
                items[f"{key}_mean"].setData(*running_mean(*side.curves.get(key, ((), ()))))
            n = len(side.layer_names)
            for key, k in (("grad_first", 0), ("grad_last", n - 1)):
                x, y = side.curves.get(f"grad_norm/{k}", ((), ()))
                x, y = np.asarray(x), np.asarray(y)
                keep = y > 0  # log scale
                items[key].setData(*running_mean(x[keep], y[keep]))
        self.acc_plot.setVisible(any(len(s.curves.get("accuracy", ((),))[0]) for s in frame.sides))
        names = frame.sides[0].layer_names
        keys = [str(k) for k in range(len(frame.edges))]
        sync_items(self.layer_box, keys, [tr("layer {k} ({name})").format(k=int(k) + 1, name=names[int(k)])
                                          for k in keys])
        if self.layer_box.currentIndex() < 0 and keys:
            self.layer_box.setCurrentIndex(0)
        self._draw_histograms()
        self.summary.setText(self._summary(frame))

    def _draw_histograms(self) -> None:
        frame = self.frame
        k = self.layer_box.currentData()
        if frame is None or k is None or int(k) not in frame.edges:
            return
        edges = frame.edges[int(k)]
        for side, items in zip(frame.sides, self.items):
            items["hist"].setData(edges, side.histograms[int(k)])

    @staticmethod
    def _summary(frame: ComparisonFrame) -> str:
        parts = []
        for side, color in zip(frame.sides, SIDE_COLORS):
            text = tr("epoch {done} of {total}").format(done=f"{side.epochs_done:.2f}", total=frame.target_epochs)
            logs = {key[len("epoch/"):]: y for key, (_, y) in side.curves.items()
                    if key.startswith("epoch/") and len(y)}
            if "loss" in logs:
                text += " · " + tr("loss {value}").format(value=f"{logs['loss'][-1]:.4f}")
            if "val_loss" in logs and "gap" in logs:
                text += " · " + tr("val loss {value} (gap {gap})").format(value=f"{logs['val_loss'][-1]:.4f}",
                                                                         gap=f"{logs['gap'][-1]:+.4f}")
            if "val_accuracy" in logs:
                text += " · " + tr("val accuracy {value}").format(value=f"{logs['val_accuracy'][-1]:.1%}")
            if side.diverged:
                text += " · ⚠ " + tr("diverged")
            parts.append(f"<span style='color:rgb{color}'><b>{side.label}</b></span>: {text}")
        return "<br>".join(parts)
