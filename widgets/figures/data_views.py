"""Figures of the views that draw the data: Decision boundary and Samples."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from core.export.figure_data import Table
from core.stepper.derived import class_indices
from core.stepper.frame import Frame
from widgets.figures.base import ViewFigure
from widgets.figures.canvas import FigureCanvas
from widgets.figures.legend import colour_key, note, style_key
from widgets.i18n import tr
from widgets.palette import DIVERGING


class DecisionFigure(ViewFigure):
    """The model's output over the input plane with the points, and each first-layer neuron's own map."""

    key = "decision"

    def compose(self, canvas: FigureCanvas, frame: Frame) -> None:
        view = self.view
        canvas.adopt_layout(view.plots.ci, keep=lambda item: item.isVisible() or item is view.plot)
        view.plot.setLabel("bottom", "x₁")
        view.plot.setLabel("left", "x₂")
        canvas.body.layout.setRowStretchFactor(0, 4)
        canvas.body.layout.setRowStretchFactor(1, 1)

    def update(self, canvas: FigureCanvas, frame: Frame) -> None:
        super().update(canvas, frame)
        canvas.clear_legend()
        snap = frame.snapshot
        if snap is None or snap.decision is None:
            canvas.add_legend_item(note(canvas, self.view.message.text()))
            return
        lo, hi = snap.decision.levels
        canvas.add_legend_item(colour_key(canvas, DIVERGING, (float(lo), float(hi)), tr("model output")))
        canvas.add_legend_item(style_key(canvas, [
            ({"symbol": "o", "brush": (120, 120, 120), "pen": pg.mkPen("w")}, tr("training points")),
            ({"symbol": "s", "brush": (120, 120, 120), "pen": pg.mkPen("k")}, tr("validation points"))]))

    def title(self, frame: Frame) -> str:
        return tr("Decision boundary: the model's output over the input plane")

    def layer_and_quantity(self, frame: Frame) -> tuple[str, str]:
        snap = frame.snapshot
        if snap is None or snap.decision is None:
            return "", ""
        return "", tr("small maps: each neuron of {layer}").format(layer=snap.decision.first_layer)

    def tables(self, frame: Frame) -> dict[str, Table]:
        snap = frame.snapshot
        if snap is None or snap.decision is None:
            return {}
        surface = snap.decision
        value = np.asarray(surface.value)
        x0, x1, y0, y1 = surface.bounds
        # ImageItem draws value[ix, iy]: x along the first axis.
        xs, ys = np.linspace(x0, x1, value.shape[0]), np.linspace(y0, y1, value.shape[1])
        gx, gy = np.meshgrid(xs, ys, indexing="ij")
        tables = {"surface": Table.of_columns(x1=gx.ravel(), x2=gy.ravel(), output=value.ravel())}
        for k, m in enumerate(surface.first_layer_maps):
            tables[f"neuron_{k}"] = Table.of_columns(x1=gx.ravel(), x2=gy.ravel(), value=np.asarray(m).ravel())
        return tables


class SamplesFigure(ViewFigure):
    """The batch's samples with their predicted probabilities, and the confusion matrix."""

    key = "samples"

    def compose(self, canvas: FigureCanvas, frame: Frame) -> None:
        """The samples on the left (image over bars), the square confusion matrix on the right."""
        view = self.view
        shown = [cell for cell in view.cells if cell[0].isVisible() or cell[2].isVisible()]
        for k, (img_plot, _, bar_plot, _) in enumerate(shown):
            if img_plot.isVisible():
                canvas.adopt(img_plot, 0, k)
            canvas.adopt(bar_plot, 1, k)
        columns = max(1, len(shown))
        canvas.adopt(view.cm_plot, 0, columns, rowspan=2)
        for k in range(columns):
            canvas.body.layout.setColumnStretchFactor(k, 1)
        canvas.body.layout.setColumnStretchFactor(columns, columns)

    def update(self, canvas: FigureCanvas, frame: Frame) -> None:
        super().update(canvas, frame)
        canvas.style_texts(self.view.cm_plot, canvas.fonts.tick)
        canvas.clear_legend()
        text = self.view.message.text()
        if text:
            canvas.add_legend_item(note(canvas, text))

    def title(self, frame: Frame) -> str:
        return tr("A batch with its predictions, and the confusion matrix on validation data")

    def layer_and_quantity(self, frame: Frame) -> tuple[str, str]:
        return "", tr("predicted probability per class")

    def tables(self, frame: Frame) -> dict[str, Table]:
        snap = frame.snapshot
        tables = {}
        if snap is not None and snap.output is not None and snap.y is not None:
            probs = np.asarray(snap.output)
            if probs.shape[1] == 1:
                probs = np.hstack([1 - probs, probs])
            columns = {"sample": np.arange(len(probs)),
                       "index_in_data": (snap.sample_indices if snap.sample_indices is not None
                                         else np.full(len(probs), -1)),
                       "true_class": class_indices(snap.y), "predicted_class": probs.argmax(axis=1)}
            columns.update({f"p_{c}": probs[:, c] for c in range(probs.shape[1])})
            tables["predictions"] = Table.of_columns(**columns)
        if frame.confusion is not None:
            tables["confusion"] = Table.of_matrix(frame.confusion, rows="true class", cols="predicted class")
        return tables
