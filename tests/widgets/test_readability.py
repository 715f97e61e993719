"""Readable on a projector: colours with contrast on white, log ticks as powers of ten, points and edges not tiny."""

import math

import pytest

from tests.widgets.conftest import frame_for, session_for
from widgets.gradient_flow_view import depth_colors
from widgets.log_axis import LogAxis, power_of_ten
from widgets.palette import BACKWARD, FORWARD, LOSS, NEGATIVE, POSITIVE, UPDATE, contrast_on_white


@pytest.mark.parametrize("n", [1, 2, 5, 8, 12])
def test_gradient_flow_colours_read_on_white(n):
    assert all(contrast_on_white(c) >= 4.5 for c in depth_colors(n))  # no lime or yellow line
    assert contrast_on_white((173, 220, 48)) < 3  # (what a lime would score)


def test_phase_and_sign_colours_read_on_white():
    assert all(contrast_on_white(c) >= 3 for c in (FORWARD, BACKWARD, LOSS, UPDATE, POSITIVE, NEGATIVE))


def test_log_ticks_are_powers_of_ten(qapp):
    assert power_of_ten(-3) == "10⁻³" and power_of_ten(2) == "10²"
    assert power_of_ten(math.log10(0.004)) == "4·10⁻³"
    axis = LogAxis("left")
    axis.setLogMode(True)
    # across decades only the powers of ten are labelled; within one decade the ticks between too
    assert axis.logTickStrings([-3, math.log10(0.002), -2, -1], 1, 1) == ["10⁻³", "", "10⁻²", "10⁻¹"]
    assert axis.logTickStrings([math.log10(0.002), math.log10(0.005)], 1, 0.1) == ["2·10⁻³", "5·10⁻³"]
    assert not axis.autoSIPrefix  # never "(x0.001)" on the label


def test_decision_points_and_network_edges_are_not_tiny(qtbot):
    from widgets.decision_view import DecisionView
    from widgets.network_view import NetworkView

    s = session_for()
    s.capture_options.decision_surface = True
    view = DecisionView()
    qtbot.addWidget(view)
    view.render(frame_for(s, s.step_batch()))
    for points in (view.train_points, view.val_points):  # −1: a point drawn at the item's size
        assert points.opts["size"] >= 11 and set(points.data["size"]) <= {-1.0}
    network = NetworkView()
    qtbot.addWidget(network)
    network.render(frame_for(s, s.step_batch()))
    pens = [item.opts["pen"] for item in network.edge_items.values()]
    assert min(p.widthF() for p in pens) >= 2 and min(p.color().alpha() for p in pens) >= 150
