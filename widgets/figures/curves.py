"""Figures of the views that plot curves and histograms: Distributions, Gradient flow, Metrics."""

from __future__ import annotations

import numpy as np

from core.export.figure_data import Table
from core.stepper.frame import Frame
from widgets.figures.base import ViewFigure
from widgets.figures.canvas import FigureCanvas
from widgets.figures.legend import note
from widgets.i18n import tr


class DistributionFigure(ViewFigure):
    """Four histograms of the chosen layer now, and one quantity's percentile bands over the steps."""

    key = "distributions"

    def compose(self, canvas: FigureCanvas, frame: Frame) -> None:
        view = self.view
        canvas.adopt_layout(view.plots.ci)
        for plot in view.hist_plots:
            plot.setLabel("bottom", tr("value"))
            plot.setLabel("left", tr("count"))
        view.band_plot.setLabel("left", view.band_kind.currentText())
        canvas.body.layout.setRowStretchFactor(0, 1)
        canvas.body.layout.setRowStretchFactor(1, 1)

    def update(self, canvas: FigureCanvas, frame: Frame) -> None:
        super().update(canvas, frame)
        canvas.clear_legend()
        text = self.view.note.text()
        if text:
            canvas.add_legend_item(note(canvas, text))

    def title(self, frame: Frame) -> str:
        return tr("Distributions in {layer}: now, and percentiles over the steps").format(
            layer=self.view.layer_box.currentText())

    def layer_and_quantity(self, frame: Frame) -> tuple[str, str]:
        return self.view.layer_box.currentText(), tr("over time: {kind}").format(kind=self.view.band_kind.currentText())

    def tables(self, frame: Frame) -> dict[str, Table]:
        from widgets.distribution_view import KINDS

        view = self.view
        kinds, lefts, rights, counts = [], [], [], []
        for (_, key, _), curve in zip(KINDS, view.hist_curves):
            if key not in view.last_counts:
                continue
            edges, values = curve.getData()
            if edges is None or len(edges) != len(values) + 1:
                continue
            kinds += [key] * len(values)
            lefts += list(edges[:-1])
            rights += list(edges[1:])
            counts += list(values)
        tables = {"histograms": Table.of_columns(quantity=kinds, bin_left=lefts, bin_right=rights, count=counts)}
        key = f"{view.layer_box.currentText()}/{view.band_kind.currentData()}"
        steps, bands = frame.history.percentile_band(key)
        if len(steps):
            names = ("p0", "p7", "p16", "p31", "p50", "p69", "p84", "p93", "p100")
            tables["percentiles"] = Table.of_columns(step=steps, **{n: bands[:, k] for k, n in enumerate(names)})
        return tables


class GradientFlowFigure(ViewFigure):
    """‖∂L/∂W‖ of each layer over the steps, log scale."""

    key = "gradient_flow"

    def compose(self, canvas: FigureCanvas, frame: Frame) -> None:
        canvas.adopt(self.view.plot, 0, 0)
        self.view.plot.setLabel("left", tr("‖∂L/∂W‖ (log scale)"))

    def update(self, canvas: FigureCanvas, frame: Frame) -> None:
        self.view.plot.setTitle(None)  # the figure's title says it
        super().update(canvas, frame)
        canvas.style_legend(self.view.legend)

    def title(self, frame: Frame) -> str:
        return tr("Gradient flow: ‖∂L/∂W‖ per layer over the steps")

    def layer_and_quantity(self, frame: Frame) -> tuple[str, str]:
        return "", "‖∂L/∂W‖"

    def tables(self, frame: Frame) -> dict[str, Table]:
        names = list(self.view.curves)
        if not names:
            return {}
        series = {name: frame.history.scalar(f"{name}/grad_norm") for name in names}
        steps = np.unique(np.concatenate([s for s, _ in series.values()])) if series else np.zeros(0)
        columns = {"step": steps}
        for name, (s, v) in series.items():
            column = np.full(len(steps), np.nan)
            column[np.searchsorted(steps, s)] = v
            columns[name] = column
        return {"grad_norm": Table.of_columns(**columns)}


class MetricsFigure(ViewFigure):
    """Loss (and accuracy) per batch and per epoch, training against validation."""

    key = "metrics"

    def compose(self, canvas: FigureCanvas, frame: Frame) -> None:
        view = self.view
        canvas.adopt(view.loss_plot, 0, 0)
        canvas.adopt(view.acc_plot, 1, 0)
        view.loss_plot.setLabel("left", tr("loss"))
        view.acc_plot.setLabel("left", tr("accuracy"))

    def update(self, canvas: FigureCanvas, frame: Frame) -> None:
        super().update(canvas, frame)
        canvas.style_legend(self.view.legend)

    def title(self, frame: Frame) -> str:
        return tr("Loss and accuracy: each batch, and each epoch on training and validation data")

    def tables(self, frame: Frame) -> dict[str, Table]:
        h = frame.history
        steps, loss = h.scalar("loss")
        columns = {"step": steps, "loss": loss}
        for key in sorted(h.scalars):
            if key != "loss" and "/" not in key:
                s, v = h.scalar(key)
                if len(s) == len(steps):
                    columns[key] = v
        tables = {"per_step": Table.of_columns(**columns)}
        logs = h.epoch_logs()
        if logs:
            keys = sorted({k for e in logs for k in e})
            tables["per_epoch"] = Table.of_columns(epoch=np.arange(1, len(logs) + 1),
                                                   **{k: [e.get(k, np.nan) for e in logs] for k in keys})
        return tables
