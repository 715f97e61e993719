"""The decision boundary for 2-D data: the model's output over the input plane, with the points.

The surface comes with the snapshot (computed at capture from its weights,
:func:`core.stepper.derived.decision_surface`, never from the live model);
training points are circles, validation points squares. Below,
TensorFlow-Playground-style mini-maps show what each first-layer neuron
computes over the same plane.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QWidget

from core.stepper import Snapshot
from core.stepper.derived import FIRST_LAYER_MAPS, class_indices
from core.stepper.frame import DataContext, Frame
from widgets.common import message_and_plots
from widgets.display import display
from widgets.i18n import Texts, tr
from widgets.palette import DIVERGING, QUALITATIVE

MINI = FIRST_LAYER_MAPS  # first-layer neurons shown as mini-maps
#: Training (and validation) points drawn at most: every k-th point of a larger set.
MAX_POINTS = 5000
TRAIN_SIZE, VAL_SIZE = 12, 13  # pixels: points a class can see on a projector (×1.5–2 in presentation mode)


class DecisionView(QWidget):
    """Entry point: :meth:`render` (the data's points, and the snapshot's decision surface)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _, self.message, self.plots = message_and_plots(self)
        self.plot = display().style_plot(self.plots.addPlot(row=0, col=0, colspan=MINI))
        self.plot.setAspectLocked(True)
        self.image = pg.ImageItem()
        self.image.setColorMap(DIVERGING)
        self.image.setOpacity(0.85)
        self.plot.addItem(self.image)
        self.train_points = pg.ScatterPlotItem(symbol="o")
        self.val_points = pg.ScatterPlotItem(symbol="s")
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
        self.surface: np.ndarray | None = None
        self.active = False
        self.data: DataContext | None = None
        self.snapshot: Snapshot | None = None
        Texts(self).on_change(self._show_message)
        self._restyle()
        display().on_change(self, self._restyle)

    def _restyle(self) -> None:
        d = display()
        self.train_points.setSize(d.point(TRAIN_SIZE))
        self.train_points.setPen(pg.mkPen(255, 255, 255, d.alpha(220), width=d.line(1.2)))
        self.val_points.setSize(d.point(VAL_SIZE))
        self.val_points.setPen(pg.mkPen(0, 0, 0, d.alpha(220), width=d.line(1.2)))
        if self.snapshot is not None:
            self._draw(self.snapshot)

    def _show_message(self) -> None:
        if not self.active:
            self.message.setText(tr("The decision boundary needs data with 2 input features (the built-in 2-D sets)."))
        else:
            self.message.setText(tr("Model output over the input plane · circles: training points · "
                                    "squares: validation"))

    def render(self, frame: Frame) -> None:
        if frame.data is not self.data and frame.data is not None:
            self._set_data(frame.data)
        snap = frame.snapshot
        if snap is not None and snap is not self.snapshot and self.active and snap.decision is not None:
            self.snapshot = snap
            self._draw(snap)

    def _set_data(self, data: DataContext) -> None:
        """The points to draw; only 2-D inputs have a decision plane."""
        self.data, self.snapshot = data, None
        x_train = data.x
        self.active = x_train.ndim == 2 and x_train.shape[1] == 2
        self.plots.setVisible(self.active)
        self._show_message()
        if not self.active:
            return
        # One shared brush per class (not one per point), and every k-th point of a large set: 100,000
        # points with their own brushes took seconds and a gigabyte, and hid the boundary under them.
        palette = [pg.mkBrush(*color) for color in QUALITATIVE]
        grey = pg.mkBrush(60, 60, 60)
        for item, x, y in ((self.train_points, x_train, data.y), (self.val_points, data.x_val, data.y_val)):
            if x is None:
                item.setData([], [])
                continue
            shown = np.arange(0, len(x), max(1, -(-len(x) // MAX_POINTS)))
            x = x[shown]
            if data.task == "regression":
                brushes = [grey] * len(x)
            else:
                labels = class_indices(np.asarray(y))[shown]
                brushes = [palette[int(c) % len(palette)] for c in labels]
            item.setData(x=x[:, 0], y=x[:, 1], brush=brushes)

    def _draw(self, snap: Snapshot) -> None:
        surface = snap.decision
        self.surface = surface.value
        x0, x1, y0, y1 = surface.bounds
        rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        self.image.setImage(surface.value, levels=surface.levels)
        self.image.setRect(rect)
        for k, (p, img) in enumerate(self.minis):
            if k < len(surface.first_layer_maps):
                m = surface.first_layer_maps[k]
                lim = float(np.abs(m).max()) or 1.0
                img.setImage(m, levels=(-lim, lim))
                img.setRect(rect)
                p.setTitle(f"{surface.first_layer}[{k}]", size=display().css_pt("small"))
                p.show()
            else:
                p.hide()
