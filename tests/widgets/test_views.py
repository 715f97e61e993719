"""Each view fed with snapshots: item counts, levels, shapes, highlighted layer, top-k selection."""

import numpy as np

from core.stepper.derived import GRID
from core.stepper.loss_terms import num
from tests.widgets.conftest import frame_for, session_for
from widgets.decision_view import DecisionView
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
    view.render(frame_for(small_session, snap))
    assert len(view.nodes.data) == 2 + 8 + 6 + 1
    assert view.edge_count == 2 * 8 + 8 * 6 + 6 * 1  # small layers: every edge
    assert view.highlighted_column == 2 and view.colored_by == "activation"
    snap = phases_until(small_session, "backward · dense_2")
    view.render(frame_for(small_session, snap))
    assert view.highlighted_column == 3 and view.colored_by == "δ"
    brushes = [spot.brush().color().getRgb() for spot in view.nodes.points()]
    assert len(set(brushes)) > 3  # coloured by value, not uniform


def test_network_for_784_100_10_collapses_and_keeps_top_k(qtbot, mnist_session):
    view = NetworkView()
    qtbot.addWidget(view)
    snap = mnist_session.step_batch()
    view.render(frame_for(mnist_session, snap))
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
    view.render(frame_for(session, snap))
    units, _ = shown_units(100)
    W = snap.layers[1].W_after  # 100 → 100: 15 × 15 shown pairs, more than TOP_K
    expected = np.sort(np.abs(W[np.ix_(units, units)]).ravel())[-TOP_K:]
    drawn = np.sort([abs(float(t.rsplit("= ", 1)[1])) for t in view.edge_tips.data["data"]
                     if t.startswith("dense → dense_1")])
    assert len(drawn) == TOP_K
    np.testing.assert_allclose(drawn, expected, rtol=1e-3)  # tooltips show 4 significant digits


def test_network_click_selects_a_neuron(qtbot, small_session):
    from PySide6.QtCore import QPointF, Qt

    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    view.render(frame_for(small_session, small_session.step_batch()))
    x, y = view.nodes.points()[3].pos()  # the second neuron of the first Dense layer
    where = view.mapFromScene(view.plot.vb.mapViewToScene(QPointF(x, y)))
    with qtbot.waitSignal(view.neuron_selected) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert blocker.args == [1, 1] and view.selected == (1, 1)


def test_matrix_view_levels_shapes_and_slots(qtbot, small_session):
    view = MatrixView(follow=False)  # pinned: the first layer's W until another quantity is chosen
    qtbot.addWidget(view)
    snap = small_session.step_batch()
    view.render(frame_for(small_session, snap))
    assert view.image.image.shape == (8, 2)  # W (2×8) drawn as [x = output unit, y = input]
    lo, hi = view.levels
    assert lo == -hi and hi == np.abs(snap.layers[0].W_after).max()
    items = [view.quantity_box.itemText(i) for i in range(view.quantity_box.count())]
    assert "optimizer: momentum" in items and "optimizer: velocity" in items
    view.select_quantity("ΔW (applied)")
    np.testing.assert_array_equal(view.matrix, snap.layers[0].dW_applied)
    view.fixed.setChecked(True)
    fixed = view.levels
    view.render(frame_for(small_session, small_session.step_batch()))
    assert view.levels == fixed


def test_matrix_view_tiles_for_image_input(qtbot, mnist_session):
    view = MatrixView(follow=False)
    qtbot.addWidget(view)
    view.render(frame_for(mnist_session, mnist_session.step_batch()))
    assert view.tiles_possible()
    assert "neuron tiles (W)" in [view.quantity_box.itemText(i) for i in range(view.quantity_box.count())]
    view.select_quantity("neuron tiles (W)")
    assert view.matrix.shape == (10 * 29 - 1, 10 * 29 - 1)
    mosaic = tile_mosaic(np.arange(784 * 3, dtype=float).reshape(784, 3), 28, per_row=3)
    np.testing.assert_array_equal(mosaic[:28, 29:57], np.arange(784 * 3).reshape(784, 3)[:, 1].reshape(28, 28))


def test_distribution_view_histograms_and_saturation(qtbot):
    session = session_for(hidden=((8, "sigmoid"),))
    view = DistributionView()
    qtbot.addWidget(view)
    for _ in range(3):
        snap = session.step_batch()
    view.render(frame_for(session, snap))
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
        view.render(frame_for(session))
        assert list(view.curves) == names and view.plot.ctrl.logYCheck.isChecked()
        first, last = (view.curves[name].yData for name in (names[0], names[-1]))  # the values, not their logs
        ratios[act] = float(np.mean(first) / np.mean(last))  # the first layer's ‖∂L/∂W‖ against the last's
    assert ratios["sigmoid"] < 0.1 * ratios["relu"]


def test_decision_view_surface_for_2d_and_off_for_images(qtbot, small_session):
    view = DecisionView()
    qtbot.addWidget(view)
    s = small_session
    s.capture_options.decision_surface = True  # the window asks for it while this view is in front
    snap = s.step_batch()
    view.render(frame_for(s, snap))
    assert view.active and view.surface.shape == (GRID, GRID)
    assert np.abs(view.surface).max() <= 1.0 and view.surface is snap.decision.value
    assert len(view.train_points.data) == s.n and len(view.val_points.data) == 16
    images = session_for(hidden=((4, "relu"),), out=(10, "softmax"), loss="sparse_categorical_crossentropy",
                         image=True)
    images.capture_options.decision_surface = True
    snap = images.step_batch()
    assert snap.decision is None  # no plane for 784 inputs
    view.render(frame_for(images, snap))
    assert not view.active and "2 input features" in view.message.text()


def test_propagation_view_highlights_the_phase(qtbot, small_session):
    view = PropagationView()
    qtbot.addWidget(view)
    snap = phases_until(small_session, "loss")
    view.render(frame_for(small_session, snap))
    assert view.phase_labels[snap.phase_index].text() == "loss"
    assert "batch loss" in view.loss_label.text()
    assert view.table.rowCount() == 3


def test_samples_view_marks_right_and_wrong_and_counts_the_confusion(qtbot, mnist_session):
    from widgets.samples_view import SamplesView

    view = SamplesView()
    qtbot.addWidget(view)
    s = mnist_session
    snap = s.step_batch()
    view.render(frame_for(s, snap))
    pred = snap.output.argmax(axis=1)
    shown = view.per_page  # the first page of the batch
    assert view.marks == list(pred[:shown] == snap.y[:shown].astype(int))
    assert view.confusion.shape == (10, 10) and view.confusion.sum() == len(s.validation_data[0])
    assert len(view.cm_texts) == 100 and view.cm_texts[0].toPlainText() == str(view.confusion[0, 0])


def test_inspector_shows_the_chain_rule_with_numbers(qtbot, small_session):
    from widgets.inspector_view import InspectorView

    view = InspectorView()
    qtbot.addWidget(view)
    view.select(1, 2)  # first Dense layer (tanh), unit 2
    snap = small_session.step_batch()
    view.render(frame_for(small_session, snap))
    layer = snap.layers[0]
    text = "\n".join(view.lines)
    assert f"    = {num(float(layer.z[0, 2]))}" in text  # z_j = Σ_i a_i·w_ij + b_j = … = z
    # δ = ∂L/∂a · f′(z), with ∂L/∂a from the next layer and tanh′ = 1 − a², worked out here by hand
    grad_a = float(snap.layers[1].grad_input[0, 2])
    fprime = 1 - float(layer.a[0, 2]) ** 2
    assert np.isclose(grad_a * fprime, float(layer.delta[0, 2]), rtol=1e-4)
    assert "δ_j = ∂L/∂a_j · f′(z_j)" in text and "Δw = −α·m/(√v + ε)" in text and "m = β₁·m + (1 − β₁)·g" in text


def test_metrics_view_curves_and_hover_values(qtbot, small_session):
    from widgets.metrics_view import MetricsView

    view = MetricsView()
    qtbot.addWidget(view)
    for _ in range(small_session.batches_per_epoch * 2):
        small_session.step_batch()
    h = small_session.history
    view.render(frame_for(small_session))
    steps, loss = h.scalar("loss")
    assert list(view.batch_loss.getData()[0]) == list(steps)
    assert len(view.val_loss.getData()[0]) == 2
    text = view.hover_at(2)
    assert f"step 2 · batch loss {loss[1]:.4f}" in text
    assert f"val loss (epoch 1) {h.epochs[0]['val_loss']:.4f}" in text


def test_samples_view_keeps_its_confusion_matrix_until_a_frame_brings_a_new_one(qtbot, mnist_session):
    from widgets.samples_view import SamplesView

    view = SamplesView()
    qtbot.addWidget(view)
    s = mnist_session
    view.render(frame_for(s, s.step_batch()))
    first = view.confusion
    view.render(frame_for(s, s.step_batch(), confusion=False))  # curves not due: no new matrix in this frame
    assert view.confusion is first
    newer = frame_for(s, s.step_batch())
    view.render(newer)
    assert view.confusion is newer.confusion and view.confusion.sum() == first.sum()
