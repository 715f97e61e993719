"""A preview of a dataset: a scatter for 2-D data or a grid of images, and the class balance."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from widgets.common import plot_area
from widgets.i18n import Texts, class_names_shown, tr
from core.datasets import Dataset

# Colour-blind-safe qualitative palette (Okabe–Ito), readable on a projector.
PALETTE = [(0, 114, 178), (230, 159, 0), (0, 158, 115), (204, 121, 167), (86, 180, 233),
           (213, 94, 0), (240, 228, 66), (0, 0, 0), (153, 153, 153), (117, 112, 179)]
GRID = 8  # images per side in the mosaic
#: Points a scatter preview draws at most (every k-th point of a larger set).
MAX_PREVIEW_POINTS = 5000
# Dark ink on white paper: bright pixels print dark, readable on a projector and in handouts.
INK = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (20, 20, 20)])


class DataPreview(QWidget):
    """Entry point: :meth:`set_dataset`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plots = plot_area(self, layout, 1)
        self.sample_plot = self.plots.addPlot(row=0, col=0)
        self.sample_plot.setAspectLocked(True)
        self.scatter = pg.ScatterPlotItem(size=6, pen=None)
        self.image = pg.ImageItem()
        self.sample_plot.addItem(self.scatter)
        self.sample_plot.addItem(self.image)
        self.balance_plot = self.plots.addPlot(row=1, col=0)
        texts = Texts(self)
        texts.bind(lambda t: self.balance_plot.setLabel("left", t), "samples")
        self.balance_plot.setMaximumHeight(150)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=(0, 114, 178))
        self.balance_plot.addItem(self.bars)
        self.class_key = QLabel(self)
        self.class_key.setWordWrap(True)
        layout.addWidget(self.class_key)
        self.kind = "none"
        self._data: Dataset | None = None
        texts.on_change(lambda: self._data is not None and self.set_dataset(self._data))

    def set_dataset(self, data: Dataset) -> None:
        """Show samples (scatter or images) and how many samples each class has."""
        self._data = data
        if data.is_image:
            self._show_images(data)
        elif data.x.ndim == 2 and data.x.shape[1] == 2:
            self._show_scatter(data)
        else:
            self._show_features(data)
        counts = data.class_counts()
        names = class_names_shown(data.class_names)  # Fashion-MNIST's in the UI language
        if counts.size:
            self.bars.setOpts(x=np.arange(len(counts)), height=counts, width=0.8)
            axis = self.balance_plot.getAxis("bottom")
            if len(counts) <= 5:
                axis.setTicks([list(enumerate(n if len(n) <= 10 else n[:9] + "…" for n in names))])
                self.balance_plot.setTitle(tr("Class balance"))
                self.class_key.setText("")
            else:  # many classes: numbers on the axis, names below (a long plot title would squash the plots)
                axis.setTicks([[(i, str(i)) for i in range(len(counts))]])
                self.balance_plot.setTitle(tr("Class balance"))
                self.class_key.setText(" · ".join(f"{i} {n}" for i, n in enumerate(names[:20]))
                                       + (" …" if len(counts) > 20 else ""))
            self.balance_plot.show()
        else:
            self.bars.setOpts(x=[], height=[])
            self.balance_plot.hide()
            self.class_key.setText("")

    def _show_scatter(self, data: Dataset) -> None:
        self.kind = "scatter"
        self.image.clear()
        self.image.hide()
        self.scatter.show()
        # A preview needs a few thousand points, not all: 100,000 per-point brushes took seconds and a
        # gigabyte. Every k-th point keeps the shape of the set; one shared brush per class, not one per point.
        shown = np.arange(0, len(data), max(1, -(-len(data) // MAX_PREVIEW_POINTS)))
        x, y = data.x[shown], data.y[shown]
        if data.task == "regression":
            y = y.reshape(len(y), -1)[:, 0]
            span = max(float(np.abs(y).max()), 1e-9)
            levels = np.clip(np.round((y / span + 1) / 2 * 63), 0, 63).astype(int)
            colors = pg.colormap.get("CET-D1").map(np.linspace(0, 1, 64), mode="qcolor")
            palette = [pg.mkBrush(c) for c in colors]
            brushes = [palette[k] for k in levels]
        else:
            palette = [pg.mkBrush(*PALETTE[k % len(PALETTE)], 200) for k in range(len(PALETTE))]
            brushes = [palette[int(c) % len(PALETTE)] for c in y]
        self.scatter.setData(x=x[:, 0], y=x[:, 1], brush=brushes)
        title = tr("{name}: {n} points").format(name=data.name, n=f"{len(data):,}")
        if len(shown) < len(data):
            title += " " + tr("({k} shown)").format(k=f"{len(shown):,}")
        self.sample_plot.setTitle(title)
        self.sample_plot.showAxes(True)
        self.sample_plot.autoRange()

    def _show_images(self, data: Dataset) -> None:
        self.kind = "images"
        self.scatter.clear()
        self.scatter.hide()
        x = data.x[: GRID * GRID]
        if x.ndim == 4:
            x = x.mean(axis=3)
        h, w = x.shape[1:3]
        mosaic = np.full((GRID * (h + 1), GRID * (w + 1)), float(x.max()) if x.size else 0.0)
        for k, img in enumerate(x):
            r, c = divmod(k, GRID)
            mosaic[r * (h + 1): r * (h + 1) + h, c * (w + 1): c * (w + 1) + w] = img
        # ImageItem takes (x, y): transpose and flip so the first image sits top-left, upright.
        self.image.setImage(mosaic.T[:, ::-1], levels=(float(x.min()), float(x.max()) or 1.0))
        self.image.setColorMap(INK)
        self.image.show()
        self.sample_plot.setTitle(tr("first {k} of {n} images").format(k=len(x), n=f"{len(data):,}"))
        self.sample_plot.showAxes(False)
        self.sample_plot.autoRange()

    def _show_features(self, data: Dataset) -> None:
        self.kind = "features"
        self.image.hide()
        self.scatter.show()
        x = data.x.reshape(len(data), -1)
        brushes = [pg.mkBrush(*PALETTE[int(c) % len(PALETTE)], 200) for c in data.y] \
            if data.task != "regression" else None
        self.scatter.setData(x=x[:, 0], y=x[:, 1] if x.shape[1] > 1 else np.zeros(len(x)), brush=brushes)
        names = data.feature_names or (tr("feature 1"), tr("feature 2"))
        self.sample_plot.setTitle(tr("{name}: {a} vs {b}").format(name=data.name, a=names[0],
                                                                   b=names[1] if len(names) > 1 else ""))
        self.sample_plot.showAxes(True)
        self.sample_plot.autoRange()
