"""Figures of the views that draw the data: Decision boundary and Samples."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from core.export.figure_data import Table
from core.stepper.derived import class_indices
from core.stepper.frame import Frame
from widgets.figures.base import ViewFigure
from widgets.figures.canvas import FigureCanvas, font
from widgets.figures.legend import colour_key, note, style_key
from widgets.i18n import tr
from widgets.palette import DIVERGING


class DecisionFigure(ViewFigure):
    """The model's output over the input plane with the points, and each first-layer neuron's own map."""

    key = "decision"

    def compose(self, canvas: FigureCanvas, frame: Frame) -> None:
        """The plane on the left, the first layer's neurons as square maps beside it."""
        view = self.view
        minis = [(plot, image) for plot, image in view.minis if plot.isVisible()]
        columns = 4 if len(minis) > 4 else max(1, len(minis))
        rows = max(1, -(-len(minis) // columns))
        canvas.adopt(view.plot, 0, 0, rowspan=rows)
        for k, (plot, _) in enumerate(minis):
            canvas.adopt(plot, k // columns, 1 + k % columns)
            plot.setAspectLocked(True)
        view.plot.setLabel("bottom", "x₁")
        view.plot.setLabel("left", "x₂")
        canvas.body.layout.setColumnStretchFactor(0, 14)  # the plane about square, the maps filling the rest
        for c in range(columns):
            canvas.body.layout.setColumnStretchFactor(1 + c, 4)

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
        maps = [np.asarray(m).ravel() for m in surface.first_layer_maps]
        if maps:
            tables["first_layer"] = Table.of_columns(
                neuron=np.repeat(np.arange(len(maps)), gx.size), x1=np.tile(gx.ravel(), len(maps)),
                x2=np.tile(gy.ravel(), len(maps)), value=np.concatenate(maps))
        return tables


class SamplesFigure(ViewFigure):
    """The batch's samples with their predicted probabilities, and the confusion matrix."""

    key = "samples"

    def compose(self, canvas: FigureCanvas, frame: Frame) -> None:
        """The samples on the left (image over bars), the square confusion matrix on the right."""
        view = self.view
        # A cell of data that are no images has no image plot (None): its bars only.
        shown = [cell for cell in view.cells if cell[2].isVisible() or (cell[0] is not None and cell[0].isVisible())]
        for k, (img_plot, _, bar_plot, _) in enumerate(shown):
            if img_plot is not None and img_plot.isVisible():
                canvas.adopt(img_plot, 0, k)
            canvas.adopt(bar_plot, 1, k)
        self.shown = shown
        columns = max(1, len(shown))
        canvas.adopt(view.cm_plot, 0, columns, rowspan=2)
        # Equal columns (a long class name must not widen its sample), the matrix square beside them.
        width = (canvas.size.width - 2 * canvas.MARGIN) * 0.5 / columns
        for k in range(columns):
            canvas.body.layout.setColumnFixedWidth(k, width)

    def update(self, canvas: FigureCanvas, frame: Frame) -> None:
        super().update(canvas, frame)
        cm = self.view.cm_plot
        if cm.titleLabel.isVisible():
            cm.titleLabel.item.setFont(font(canvas.fonts.tick))
            cm.setTitle(cm.titleLabel.text, size=f"{canvas.fonts.tick}px")
        self._titles(canvas, frame.snapshot)
        canvas.style_texts(self.view.cm_plot, canvas.fonts.tick)
        canvas.clear_legend()
        text = self.view.message.text()
        if text:
            canvas.add_legend_item(note(canvas, text))

    def _titles(self, canvas: FigureCanvas, snap) -> None:
        """Each sample's true class over its image (✓ green), and what the model said when it was wrong
        (✗ orange, on a second line): short lines that fit a column."""
        if snap is None or snap.output is None or snap.y is None:
            return
        probs = np.asarray(snap.output)
        predicted = (probs[:, 0] > 0.5).astype(int) if probs.shape[1] == 1 else probs.argmax(axis=1)
        truth = class_indices(snap.y)
        names = self.view.class_names
        name = lambda c: names[int(c)] if int(c) < len(names) else str(int(c))  # noqa: E731
        for k, (img_plot, _, bar_plot, _) in enumerate(self.shown):
            if k >= len(truth):
                break
            right = truth[k] == predicted[k]
            text = f"✓ {name(truth[k])}" if right else f"✗ {name(truth[k])}<br>→ {name(predicted[k])}"
            color = "#009E73" if right else "#D55E00"
            target = img_plot if img_plot is not None and img_plot.scene() is canvas.scene else bar_plot
            target.titleLabel.item.setFont(font(canvas.fonts.tick))
            target.setTitle(text, size=f"{canvas.fonts.tick}px", color=color)

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
