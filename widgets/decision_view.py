"""The decision boundary for 2-D data: the model's output over the input plane, with the points.

Computed from the snapshot's weights (never the live model), on a grid of
``GRID × GRID`` points; training points are circles, validation points squares.
Below, TensorFlow-Playground-style mini-maps show what each first-layer neuron
computes over the same plane.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QWidget

from core.inference import forward_layers
from core.stepper import Snapshot
from widgets.common import message_and_plots
from widgets.i18n import Texts, tr
from widgets.palette import DIVERGING, QUALITATIVE

GRID = 100
#: Training (and validation) points drawn at most: every k-th point of a larger set.
MAX_POINTS = 5000
MINI = 8  # first-layer neurons shown as mini-maps


class DecisionView(QWidget):
    """Entry points: :meth:`set_data` (the points, once per session) and :meth:`set_snapshot`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _, self.message, self.plots = message_and_plots(self)
        self.plot = self.plots.addPlot(row=0, col=0, colspan=MINI)
        self.plot.setAspectLocked(True)
        self.image = pg.ImageItem()
        self.image.setColorMap(DIVERGING)
        self.image.setOpacity(0.85)
        self.plot.addItem(self.image)
        self.train_points = pg.ScatterPlotItem(size=7, symbol="o", pen=pg.mkPen(255, 255, 255, 200))
        self.val_points = pg.ScatterPlotItem(size=8, symbol="s", pen=pg.mkPen(0, 0, 0, 220))
        self.plot.addItem(self.train_points)
        self.plot.addItem(self.val_points)
        self.minis = []
        for k in range(MINI):
            p = self.plots.addPlot(row=1, col=k)
            p.hideAxis("left")
            p.hideAxis("bottom")
            p.setMouseEnabled(False, False)
            img = pg.ImageItem()
            img.setColorMap(DIVERGING)
            p.addItem(img)
            self.minis.append((p, img))
        self.plots.ci.layout.setRowStretchFactor(0, 4)
        self.bounds = (-1.0, 1.0, -1.0, 1.0)
        self.grid = None
        self.surface: np.ndarray | None = None
        self.active = False
        self._data_args: tuple | None = None
        Texts(self).on_change(self._retranslate)

    def _retranslate(self) -> None:
        if self._data_args is not None:
            self._show_message(self._data_args[0])

    def _show_message(self, x_train) -> None:
        if not self.active:
            self.message.setText(tr("The decision boundary needs data with 2 input features (the built-in 2-D sets)."))
        else:
            self.message.setText(tr("Model output over the input plane · circles: training points · "
                                    "squares: validation"))

    def set_data(self, x_train, y_train, x_val=None, y_val=None, task: str = "binary") -> None:
        """The points to draw; only 2-D inputs have a decision plane."""
        self.active = x_train is not None and x_train.ndim == 2 and x_train.shape[1] == 2
        self._data_args = (x_train,)
        self.plots.setVisible(self.active)
        self._show_message(x_train)
        if not self.active:
            return
        pts = x_train if x_val is None else np.vstack([x_train, x_val])
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        pad = 0.1 * (hi - lo + 1e-9)
        self.bounds = (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])
        gx = np.linspace(self.bounds[0], self.bounds[1], GRID)
        gy = np.linspace(self.bounds[2], self.bounds[3], GRID)
        xx, yy = np.meshgrid(gx, gy, indexing="ij")
        self.grid = np.stack([xx.ravel(), yy.ravel()], axis=1)
        # One shared brush per class (not one per point), and every k-th point of a large set: 100,000
        # points with their own brushes took seconds and a gigabyte, and hid the boundary under them.
        palette = [pg.mkBrush(*color) for color in QUALITATIVE]
        grey = pg.mkBrush(60, 60, 60)
        for item, x, y in ((self.train_points, x_train, y_train), (self.val_points, x_val, y_val)):
            if x is None:
                item.setData([], [])
                continue
            shown = np.arange(0, len(x), max(1, -(-len(x) // MAX_POINTS)))
            x = x[shown]
            if task == "regression":
                brushes = [grey] * len(x)
            else:
                brushes = [palette[int(c) % len(palette)] for c in np.asarray(y).reshape(len(y), -1)[shown, 0]]
            item.setData(x=x[:, 0], y=x[:, 1], brush=brushes)

    def set_snapshot(self, snap: Snapshot) -> None:
        if not self.active or self.grid is None or not snap.layers or snap.layers[0].W is None:
            return
        outs = forward_layers(snap.layers, self.grid)
        out = outs[-1]
        if out.shape[1] == 1:
            value = out[:, 0]
            if snap.layers[-1].activation == "sigmoid":
                value = 2 * value - 1  # probability of class 1 → [−1, 1]: white at 0.5
            levels = (-1.0, 1.0) if snap.layers[-1].activation in ("sigmoid", "tanh") else \
                (-float(np.abs(value).max() or 1), float(np.abs(value).max() or 1))
        else:  # several classes: the winning probability, signed by class 0 vs the rest
            value = np.where(out.argmax(axis=1) == 0, -1.0, 1.0) * out.max(axis=1)
            levels = (-1.0, 1.0)
        self.surface = value.reshape(GRID, GRID)
        rect = QRectF(self.bounds[0], self.bounds[2], self.bounds[1] - self.bounds[0], self.bounds[3] - self.bounds[2])
        self.image.setImage(self.surface, levels=levels)
        self.image.setRect(rect)
        first = outs[0]
        for k, (p, img) in enumerate(self.minis):
            if k < first.shape[1]:
                m = first[:, k].reshape(GRID, GRID)
                lim = float(np.abs(m).max()) or 1.0
                img.setImage(m, levels=(-lim, lim))
                img.setRect(rect)
                p.setTitle(f"{snap.layers[0].name}[{k}]", size="8pt")
                p.show()
            else:
                p.hide()
