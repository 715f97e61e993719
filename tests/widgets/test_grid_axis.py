"""Opaque screen grids: the same picture as pyqtgraph's translucent grid, redrawn when the axis changes."""

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter

from tests.widgets.conftest import frame_for
from widgets.grid_axis import OpaqueGridAxis, blended
from widgets.metrics_view import MetricsView


def test_blended_is_the_colour_a_translucent_line_leaves_on_the_background():
    assert blended(QColor(30, 30, 30, 51), QColor(255, 255, 255)).getRgb() == (210, 210, 210, 255)
    assert blended(QColor(0, 114, 178, 255), QColor(255, 255, 255)).getRgb() == (0, 114, 178, 255)
    assert blended(QColor(0, 0, 0, 0), QColor(10, 20, 30)).getRgb() == (10, 20, 30, 255)


def _painted(axis: OpaqueGridAxis, widget, fill: QColor) -> np.ndarray:
    rect = axis.boundingRect().toAlignedRect()
    image = QImage(rect.width(), rect.height(), QImage.Format.Format_ARGB32)
    image.fill(fill)
    painter = QPainter(image)
    painter.translate(QPointF(-rect.x(), -rect.y()))
    axis.paint(painter, None, widget)
    painter.end()
    bits = image.constBits()
    return np.frombuffer(bits, np.uint8).reshape(rect.height(), image.bytesPerLine() // 4, 4)[:, :rect.width()].copy()


def _metrics_view(qtbot, session, steps):
    view = MetricsView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    for _ in range(steps):
        session.step_batch()
    view.render(frame_for(session))
    view.grab()
    return view


def test_the_screen_grid_is_opaque_under_the_curves_and_looks_as_the_translucent_one(qtbot, small_session):
    view = _metrics_view(qtbot, small_session, 12)
    axis = view.loss_plot.getAxis("bottom")
    assert isinstance(axis, OpaqueGridAxis) and axis.grid is not False
    assert axis.zValue() < view.loss_plot.vb.zValue()  # the curves are painted over the grid
    viewport = view.plots.viewport()
    clear = QColor(0, 0, 0, 0)
    on_screen = _painted(axis, viewport, clear)
    exported = _painted(axis, None, clear)  # exports (no widget) keep pyqtgraph's translucent lines
    drawn = on_screen[..., 3] > 0
    assert drawn.sum() > 1000  # grid lines across the plot, not just ticks
    # Opaque but for the tick labels' antialiased edges; pyqtgraph's own grid is translucent.
    assert (on_screen[..., 3][drawn] == 255).mean() > 0.9
    assert (exported[..., 3][exported[..., 3] > 0] == 255).mean() < 0.1
    white = QColor(255, 255, 255)
    difference = np.abs(_painted(axis, viewport, white).astype(int) - _painted(axis, None, white).astype(int))
    # Over the white canvas the two agree to Qt's rounding, everywhere but where two grid lines cross.
    assert (difference.max(axis=2) > 2).sum() < 0.02 * drawn.sum()


def test_a_longer_history_redraws_the_screen_grid(qtbot, small_session):
    view = _metrics_view(qtbot, small_session, 6)
    axis = view.loss_plot.getAxis("bottom")
    first = axis.screen_picture
    assert first is not None
    view.grab()
    assert axis.screen_picture is first  # an unchanged axis replays its recording
    hi = axis.range[1]
    for _ in range(40):
        small_session.step_batch()
    view.render(frame_for(small_session))
    view.grab()  # the view box ranges itself to the new steps when painted
    assert axis.range[1] > hi
    assert axis.screen_picture is not None and axis.screen_picture is not first
