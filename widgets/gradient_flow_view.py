"""Per-layer gradient norms ‖∂L/∂W‖ over the steps, on a log scale.

A deep sigmoid network shows its first layers' gradients orders of magnitude
below the last layer's (the vanishing gradient); a ReLU network does not.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from core.stepper.frame import Frame, HistorySlice
from widgets.common import plot_area
from widgets.display import display
from widgets.grid_axis import grid_plot
from widgets.i18n import Texts
from widgets.palette import DEPTH


def depth_colors(n: int) -> list[tuple[int, int, int]]:
    """From dark blue (first layer) through purple and red to dark orange (last): every colour with
    good contrast on white (no yellow or lime, which vanish on a projector)."""
    return [tuple(int(v) for v in DEPTH.map(k / max(n - 1, 1), mode="byte")[:3]) for k in range(n)]


class GradientFlowView(QWidget):
    """Entry point: :meth:`render` (the history's ‖∂L/∂W‖ of the snapshot's Dense layers, in order)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plots = plot_area(self, layout, 1)
        texts = Texts(self)
        self.plot = display().style_plot(grid_plot(self.plots, log_left=True))
        texts.bind(self.plot.setTitle, "Gradient flow: ‖∂L/∂W‖ per layer (log scale)")
        self.plot.setLogMode(y=True)
        texts.bind(lambda t: self.plot.setLabel("bottom", t), "step")
        self.plot.setLabel("left", "‖∂L/∂W‖")
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.plot.setClipToView(True)
        self.plot.setDownsampling(auto=True, mode="peak")
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.history: HistorySlice | None = None
        display().on_change(self, self._restyle)

    def _restyle(self) -> None:
        """Thicker curves in presentation mode."""
        for item, color in zip(self.curves.values(), depth_colors(len(self.curves))):
            item.setPen(pg.mkPen(color, width=display().line(2.5)))
    def render(self, frame: Frame) -> None:
        if frame.snapshot is None or frame.history is self.history:
            return
        self.history = frame.history
        self._draw(frame.history, [la.name for la in frame.snapshot.weighted_layers])

    def _draw(self, history: HistorySlice, layer_names: list[str]) -> None:
        if list(self.curves) != list(layer_names):
            for item in self.curves.values():
                self.plot.removeItem(item)
            self.legend.clear()
            self.curves = {}
            for name, color in zip(layer_names, depth_colors(len(layer_names))):
                self.curves[name] = self.plot.plot(pen=pg.mkPen(color, width=display().line(2.5)), name=name)
        for name, item in self.curves.items():
            steps, values = history.scalar(f"{name}/grad_norm")
            keep = values > 0
            item.setData(steps[keep], values[keep])
