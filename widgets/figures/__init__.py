"""Figures of the views: the view's plot items on a clean canvas with title, legend and caption.

Each view has a small figure class here, next to (not inside) the view's own
logic: :func:`make_figure` renders a fresh view through ``render(frame)``,
and the figure moves its plot items onto a
:class:`~widgets.figures.canvas.FigureCanvas`. The app writes a figure as
PNG, SVG or PDF (``app/figure_export.py``).
"""

from __future__ import annotations

from widgets.figures.base import Figure, FigureContext, ViewFigure, make_figure
from widgets.figures.canvas import SIZES, FigureCanvas, FigureSize
from widgets.figures.curves import DistributionFigure, GradientFlowFigure, MetricsFigure
from widgets.figures.data_views import DecisionFigure, SamplesFigure
from widgets.figures.layers import LayersFigure
from widgets.figures.matrices import MatrixFigure
from widgets.figures.network import NetworkFigure

#: View key → its figure class (the keys of ``widgets.view_tabs.VIEWS``, and the Metrics dock).
FIGURES: dict[str, type[ViewFigure]] = {cls.key: cls for cls in (
    NetworkFigure, LayersFigure, MatrixFigure, DistributionFigure, GradientFlowFigure, DecisionFigure, SamplesFigure,
    MetricsFigure)}


def figure_class(key: str) -> type[ViewFigure]:
    return FIGURES[key]


def view_class(key: str) -> type:
    """The widget class of view ``key`` (a central view, or ``"metrics"``)."""
    from widgets.metrics_view import MetricsView
    from widgets.view_tabs import VIEWS

    if key == "metrics":
        return MetricsView
    return next(cls for k, _, cls in VIEWS if k == key)


__all__ = ["FIGURES", "Figure", "FigureCanvas", "FigureContext", "FigureSize", "SIZES", "ViewFigure", "figure_class",
           "make_figure", "view_class"]
