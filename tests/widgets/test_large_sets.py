"""Large 2-D sets: the preview and the decision view draw a bounded sample of the points, with shared brushes."""

import numpy as np

from core.datasets import generate
from core.stepper.frame import DataContext, Frame, HistorySlice
from widgets.data_preview import MAX_PREVIEW_POINTS, DataPreview
from widgets.decision_view import MAX_POINTS, DecisionView


def test_the_preview_draws_at_most_a_few_thousand_points_of_a_100k_set(qtbot):
    data = generate("spiral", 100_000, 0.1, 0)
    preview = DataPreview()
    qtbot.addWidget(preview)
    preview.set_dataset(data)
    points = preview.scatter.points()
    assert 0 < len(points) <= MAX_PREVIEW_POINTS
    assert len({id(p.brush()) for p in points}) <= 2  # one brush per class
    assert "100,000 points" in preview.sample_plot.titleLabel.text and "shown" in preview.sample_plot.titleLabel.text
    xs = np.array([p.pos().x() for p in points])
    assert xs.min() < -3 and xs.max() > 3  # every k-th point: the whole spiral, not its first arm
    small = generate("circle", 200, 0.0, 0)
    preview.set_dataset(small)
    assert len(preview.scatter.points()) == 200 and "shown" not in preview.sample_plot.titleLabel.text


def test_the_decision_view_draws_a_bounded_sample_of_the_points(qtbot):
    data = generate("spiral", 100_000, 0.1, 0)
    view = DecisionView()
    qtbot.addWidget(view)
    context = DataContext(data.x[:80_000], data.y[:80_000], data.x[80_000:], data.y[80_000:], "binary", ("a", "b"))
    view.render(Frame(None, HistorySlice(), context))
    assert 0 < len(view.train_points.points()) <= MAX_POINTS
    assert 0 < len(view.val_points.points()) <= MAX_POINTS
