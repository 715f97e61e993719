"""Each view fed with snapshots: item counts, levels, shapes, highlighted layer, top-k selection."""

import numpy as np

from tests.widgets.conftest import session_for
from widgets.decision_view import GRID, DecisionView
from widgets.distribution_view import DistributionView
from widgets.gradient_flow_view import GradientFlowView
from widgets.matrix_view import MatrixView, tile_mosaic
from widgets.network_view import MAX_NODES, TOP_K, NetworkView, shown_units
from widgets.propagation_view import PropagationView


def phases_until(session, label):
    while True:
        snap = session.step_phase()
        if snap.phase_label == label:
            return snap


def test_network_nodes_edges_and_highlight_for_a_small_net(qtbot, small_session):
    view = NetworkView()
    qtbot.addWidget(view)
    snap = phases_until(small_session, "forward · dense_1")
    view.set_snapshot(snap)
    assert len(view.nodes.data) == 2 + 8 + 6 + 1
    assert view.edge_count == 2 * 8 + 8 * 6 + 6 * 1  # small layers: every edge
    assert view.highlighted_column == 2 and view.colored_by == "activation"
    snap = phases_until(small_session, "backward · dense_2")
    view.set_snapshot(snap)
    assert view.highlighted_column == 3 and view.colored_by == "δ"
    brushes = [spot.brush().color().getRgb() for spot in view.nodes.points()]
    assert len(set(brushes)) > 3  # coloured by value, not uniform


def test_network_for_784_100_10_collapses_and_keeps_top_k(qtbot, mnist_session):
    view = NetworkView()
    qtbot.addWidget(view)
    snap = mnist_session.step_batch()
    view.set_snapshot(snap)
    units, collapsed = shown_units(100)
    assert collapsed and len(units) == MAX_NODES - 1 and units[-1] == 99
    assert len(view.nodes.data) == len(units) + 10  # the input is a thumbnail, not 784 nodes
    assert view.thumbnail.isVisible() and view.thumbnail.image.shape == (28, 28)
    assert view.edge_count == len(units) + min(TOP_K, len(units) * 10)
    assert view.edge_count == len(units) + len(units) * 10  # 150 edges: all fit under TOP_K


def test_network_draws_only_the_top_k_edges_between_wide_layers(qtbot):
    session = session_for(hidden=((100, "relu"), (100, "relu")), out=(3, "softmax"),
                          loss="sparse_categorical_crossentropy", d=4)
    view = NetworkView()
    qtbot.addWidget(view)
    snap = session.step_batch()
    view.set_snapshot(snap)
    units, _ = shown_units(100)
    W = snap.layers[1].W_after  # 100 → 100: 15 × 15 shown pairs, more than TOP_K
    expected = np.sort(np.abs(W[np.ix_(units, units)]).ravel())[-TOP_K:]
    drawn = np.sort([abs(float(t.rsplit("= ", 1)[1])) for t in view.edge_tips.data["data"]
                     if t.startswith("dense → dense_1")])
    assert len(drawn) == TOP_K
    np.testing.assert_allclose(drawn, expected, rtol=1e-3)  # tooltips show 4 significant digits


def test_network_click_selects_a_neuron(qtbot, small_session):
    view = NetworkView()
    qtbot.addWidget(view)
    view.set_snapshot(small_session.step_batch())
    with qtbot.waitSignal(view.neuron_selected) as blocker:
        view._clicked(view.nodes, [view.nodes.points()[3]])
    assert blocker.args == [1, 1]


def test_matrix_view_levels_shapes_and_slots(qtbot, small_session):
    view = MatrixView()
    qtbot.addWidget(view)
    snap = small_session.step_batch()
    view.set_snapshot(snap)
    assert view.image.image.shape == (8, 2)  # W (2×8) drawn as [x = output unit, y = input]
    lo, hi = view.levels
    assert lo == -hi and hi == np.abs(snap.layers[0].W_after).max()
    items = [view.quantity_box.itemText(i) for i in range(view.quantity_box.count())]
    assert "optimizer: momentum" in items and "optimizer: velocity" in items
    view.quantity_box.setCurrentText("ΔW (applied)")
    view._redraw()
    np.testing.assert_array_equal(view.matrix, snap.layers[0].dW_applied)
    view.fixed.setChecked(True)
    fixed = view.levels
    view.set_snapshot(small_session.step_batch())
    assert view.levels == fixed


def test_matrix_view_tiles_for_image_input(qtbot, mnist_session):
    view = MatrixView()
    qtbot.addWidget(view)
    view.set_snapshot(mnist_session.step_batch())
    assert "neuron tiles (W)" in [view.quantity_box.itemText(i) for i in range(view.quantity_box.count())]
    view.quantity_box.setCurrentText("neuron tiles (W)")
    view._redraw()
    assert view.matrix.shape == (10 * 29 - 1, 10 * 29 - 1)
    mosaic = tile_mosaic(np.arange(784 * 3, dtype=float).reshape(784, 3), 28, per_row=3)
    np.testing.assert_array_equal(mosaic[:28, 29:57], np.arange(784 * 3).reshape(784, 3)[:, 1].reshape(28, 28))


def test_distribution_view_histograms_and_saturation(qtbot):
    session = session_for(hidden=((8, "sigmoid"),))
    view = DistributionView()
    qtbot.addWidget(view)
    for _ in range(3):
        snap = session.step_batch()
    view.set_snapshot(snap)
    view.set_history(session.history)
    assert view.last_counts["activations"].sum() == 16 * 8
    assert view.last_counts["weights"].sum() == 2 * 8
    assert "saturated sigmoid outputs" in view.note.text()
    steps = view.band_curves[4].xData
    assert list(steps) == [1]  # distributions recorded at step 1 (then every 50)


def test_gradient_flow_shows_the_vanishing_gradient_of_deep_sigmoid_nets(qtbot):
    ratios = {}
    for act in ("sigmoid", "relu"):
        session = session_for(hidden=tuple((16, act) for _ in range(5)), out=(4, "softmax"),
                              loss="sparse_categorical_crossentropy", d=8, n=128, optimizer="sgd")
        for _ in range(20):
            session.step_batch()
        view = GradientFlowView()
        qtbot.addWidget(view)
        names = [la.name for la in session.model.compute_layers]
        view.set_history(session.history, names)
        assert list(view.curves) == names and view.plot.ctrl.logYCheck.isChecked()
        ratios[act] = view.ratio_first_to_last()
    assert ratios["sigmoid"] < 0.1 * ratios["relu"]


def test_decision_view_surface_for_2d_and_off_for_images(qtbot, small_session):
    view = DecisionView()
    qtbot.addWidget(view)
    s = small_session
    view.set_data(s.xs, s.y_metric, *s.validation_data)
    view.set_snapshot(s.step_batch())
    assert view.active and view.surface.shape == (GRID, GRID)
    assert np.abs(view.surface).max() <= 1.0
    assert len(view.train_points.data) == s.n and len(view.val_points.data) == 16
    view.set_data(np.zeros((4, 784)), np.zeros(4))
    assert not view.active and "2 input features" in view.message.text()


def test_propagation_view_highlights_the_phase(qtbot, small_session):
    view = PropagationView()
    qtbot.addWidget(view)
    snap = phases_until(small_session, "loss")
    view.set_snapshot(snap)
    assert view.phase_labels[snap.phase_index].text() == "loss"
    assert "batch loss" in view.loss_label.text()
    assert view.table.rowCount() == 3


def test_samples_view_marks_right_and_wrong_and_counts_the_confusion(qtbot, mnist_session):
    from widgets.samples_view import SHOWN, SamplesView

    view = SamplesView()
    qtbot.addWidget(view)
    s = mnist_session
    names = tuple(str(i) for i in range(10))
    view.set_validation(s.validation_data[0], s.validation_data[1], names)
    snap = s.step_batch()
    view.set_snapshot(snap)
    pred = snap.output.argmax(axis=1)
    assert view.marks == list(pred[:SHOWN] == snap.y[:SHOWN].astype(int))
    assert view.confusion.shape == (10, 10) and view.confusion.sum() == len(s.validation_data[0])
    assert len(view.cm_texts) == 100 and view.cm_texts[0].toPlainText() == str(view.confusion[0, 0])


def test_inspector_shows_the_chain_rule_with_numbers(qtbot, small_session):
    from widgets.inspector_view import InspectorView

    view = InspectorView()
    qtbot.addWidget(view)
    view.select(1, 2)  # first Dense layer (tanh), unit 2
    snap = small_session.step_batch()
    view.set_snapshot(snap)
    layer = snap.layers[0]
    text = "\n".join(view.lines)
    assert f"z = Σ_i a_prev[i]·w[i] + b = {float(layer.z[0, 2]):.6g}" in text
    # δ = ∂L/∂a · f′(z), with ∂L/∂a from the next layer and tanh′ = 1 − a², worked out here by hand
    grad_a = float(snap.layers[1].grad_input[0, 2])
    fprime = 1 - float(layer.a[0, 2]) ** 2
    assert np.isclose(grad_a * fprime, float(layer.delta[0, 2]), rtol=1e-4)
    assert "δ = ∂L/∂a · f′(z)" in text and "update: Δw[" in text and "momentum[" in text


def test_metrics_view_curves_and_hover_values(qtbot, small_session):
    from widgets.metrics_view import MetricsView

    view = MetricsView()
    qtbot.addWidget(view)
    for _ in range(small_session.batches_per_epoch * 2):
        small_session.step_batch()
    h = small_session.history
    view.set_history(h, small_session.batches_per_epoch)
    steps, loss = h.scalar("loss")
    assert list(view.batch_loss.getData()[0]) == list(steps)
    assert len(view.val_loss.getData()[0]) == 2
    text = view.hover_at(2)
    assert f"step 2 · batch loss {loss[1]:.4f}" in text
    assert f"val loss (epoch 1) {h.epochs[0]['val_loss']:.4f}" in text


def test_confusion_matrix_is_throttled_but_catches_up(qtbot, mnist_session, monkeypatch):
    import widgets.samples_view as samples_view
    from widgets.samples_view import SamplesView

    monkeypatch.setattr(samples_view, "CONFUSION_INTERVAL_S", 1.5)  # wide margin on a loaded machine
    view = SamplesView()
    qtbot.addWidget(view)
    s = mnist_session
    view.set_validation(s.validation_data[0], s.validation_data[1], tuple(str(i) for i in range(10)))
    view.set_snapshot(s.step_batch())
    first = view.confusion.copy()
    snap = None
    for _ in range(3):
        snap = s.step_batch()
        view.set_snapshot(snap)
    assert view._confusion_step != snap.step  # throttled while steps arrive fast
    qtbot.waitUntil(lambda: view._confusion_step == snap.step, timeout=5000)
    assert view.confusion.sum() == first.sum()
