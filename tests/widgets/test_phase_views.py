"""Views follow the phase: per phase of a 784-100-10 batch, each view's layer and quantity; pinning; the loss phase."""

import numpy as np
import pytest

from core.stepper.chain import neuron_chain
from tests.widgets.conftest import frame_for, session_for
from widgets.distribution_view import DistributionView
from widgets.inspector_view import InspectorView
from widgets.matrix_view import MatrixView
from widgets.network_view import NetworkView

# phase label → (layer shown, Matrices' quantities)
EXPECTED = {
    "forward · dense": ("dense", ("W", "z", "a")),
    "forward · dense_1": ("dense_1", ("W", "z", "a")),
    "loss": ("dense_1", ("a", "∂L/∂a")),
    "backward · dense_1": ("dense_1", ("δ", "∂L/∂W")),
    "backward · dense": ("dense", ("δ", "∂L/∂W")),
    "update": ("dense", ("ΔW (applied)", "optimizer: momentum", "optimizer: velocity")),
}


@pytest.fixture
def fashion_shaped():
    return session_for(hidden=((100, "relu"),), out=(10, "softmax"), loss="sparse_categorical_crossentropy",
                       image=True)


def test_each_phase_shows_its_layer_and_quantities(qtbot, fashion_shaped):
    s = fashion_shaped
    matrices, distributions, network = MatrixView(), DistributionView(), NetworkView()
    for view in (matrices, distributions, network):
        qtbot.addWidget(view)
    seen = []
    for k in range(len(s.phases)):
        snap = s.step_phase()
        frame = frame_for(s, snap)
        for view in (matrices, distributions, network):
            view.render(frame)
        layer, quantities = EXPECTED[snap.phase_label]
        seen.append(snap.phase_label)
        assert matrices.shown_layer == layer and matrices.shown == quantities, snap.phase_label
        assert distributions.layer_box.currentText() == layer, snap.phase_label
        for panel, quantity in zip(matrices.panels, quantities):
            expected = {"W": snap.layer(layer).W, "z": snap.layer(layer).z, "a": snap.layer(layer).a,
                        "∂L/∂a": snap.layer(layer).grad_a, "δ": snap.layer(layer).delta,
                        "∂L/∂W": snap.layer(layer).dW, "ΔW (applied)": snap.layer(layer).dW_applied}.get(quantity)
            if expected is not None:
                np.testing.assert_array_equal(panel.matrix, expected)
        assert f"Phase {k + 1} of 6" in network.headline.text()
        column = {"dense": 1, "dense_1": 2}[layer]
        assert network.highlighted_column == (None if snap.phase == "update" else column)
        assert network.colored_by == {"backward": "δ", "loss": "∂L/∂ŷ"}.get(snap.phase, "activation")
    assert seen == list(EXPECTED)


def test_choosing_a_layer_or_quantity_pins_the_view(qtbot, fashion_shaped):
    s = fashion_shaped
    matrices = MatrixView()
    qtbot.addWidget(matrices)
    matrices.render(frame_for(s, s.step_phase()))  # forward · dense
    matrices.pin(layer="dense_1", quantity="W")
    assert not matrices.follow.isChecked()
    for _ in range(3):
        matrices.render(frame_for(s, s.step_phase()))
    assert matrices.shown_layer == "dense_1" and matrices.shown == ("W",)
    matrices.follow.setChecked(True)  # follow again: the phase's layer (backward · dense_1)
    assert matrices.shown == ("δ", "∂L/∂W")


def test_the_loss_phase_shows_y_hat_against_y_and_the_formula(qtbot, fashion_shaped):
    s = fashion_shaped
    network = NetworkView()
    qtbot.addWidget(network)
    network.set_sample(2)
    while True:
        snap = s.step_phase()
        if snap.phase == "loss":
            break
    network.render(frame_for(s, snap))
    panel = network.loss_panel
    assert not panel.isHidden() and network.canvas.isHidden()
    c = int(snap.y[2])
    assert panel.heatmap.image.shape == (10, len(snap.output))  # classes × samples of the batch
    np.testing.assert_array_equal(panel.truth.data["x"] - 0.5, snap.loss_terms.true_class)
    text = "\n".join(panel.lines)
    assert snap.loss_terms.expression(2) in text and f"−log ŷ[{c}]" in text
    assert snap.loss_terms.mean_expression in text and "∂L/∂ŷ" in text
    network.render(frame_for(s, s.step_phase()))  # backward: the graph again
    assert panel.isHidden() and not network.canvas.isHidden()


def test_inspector_terms_equal_the_snapshot(qtbot, fashion_shaped):
    s = fashion_shaped
    view = InspectorView()
    qtbot.addWidget(view)
    view.select(1, 7)  # dense, unit 7
    view.set_sample(5)
    while True:
        snap = s.step_phase()
        if snap.phase_label == "backward · dense":
            break
    view.render(frame_for(s, snap))
    hidden, out = snap.layers[1], snap.layers[2]  # layers[0] is the Flatten
    terms = {t.key: t for t in view.terms}
    expected = float(np.asarray(out.W[7], dtype=float) @ np.asarray(out.delta[5], dtype=float))
    assert terms["grad_a"].value == pytest.approx(expected, rel=1e-6)
    fprime = 1.0 if hidden.z[5, 7] > 0 else 0.0  # relu′
    assert terms["delta"].value == pytest.approx(expected * fprime, abs=1e-12)
    i = terms["grad_w"].args["i"]
    assert terms["grad_w"].value == pytest.approx(float(hidden.x[:, i] @ hidden.delta[:, 7]), rel=1e-5)
    assert [t.key for t in view.terms] == [t.key for t in neuron_chain(snap, 1, 7, 5)]
    assert "Σ_k w_jk·δ_k" in "\n".join(view.lines)


def test_inspector_draws_weights_as_an_image_only_for_image_inputs(qtbot, fashion_shaped):
    s = fashion_shaped
    view = InspectorView()
    qtbot.addWidget(view)
    frame = frame_for(s, s.step_batch())
    view.select(1, 0)
    view.render(frame)
    assert view.shows_image  # 784 pixel weights of a first-layer neuron
    view.select(2, 0)
    assert not view.shows_image  # an output neuron's 100 weights: a bar chart, not a 10×10 "image"
    assert len(view.weight_bars.opts["height"]) == 100


def test_inspector_follows_the_phase_until_a_neuron_is_clicked(qtbot, fashion_shaped):
    s = fashion_shaped
    view = InspectorView()
    qtbot.addWidget(view)
    for _ in range(4):  # backward · dense_1
        snap = s.step_phase()
    view.render(frame_for(s, snap))
    assert view.layer_index == 2 and view.unit == int(np.argmax(np.abs(snap.layers[2].delta[0])))
    view.select(1, 3)
    view.render(frame_for(s, s.step_phase()))
    assert (view.layer_index, view.unit) == (1, 3)


@pytest.mark.parametrize("presentation", [False, True])
def test_samples_view_pages_through_every_sample_and_a_click_selects_one(qtbot, fashion_shaped, presentation):
    from PySide6.QtCore import Qt

    from settings.display import DisplaySettings
    from widgets.display import display
    from widgets.samples_view import SamplesView

    s = fashion_shaped
    view = SamplesView()
    qtbot.addWidget(view)
    display().apply(DisplaySettings(presentation=presentation))
    try:
        view.resize(1000, 600)
        view.show()
        qtbot.waitExposed(view)
        snap = s.step_batch()
        view.render(frame_for(s, snap))
        assert view.per_page == (8 if presentation else 16)
        seen = []
        for page in range(view.pages):
            qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton) if page else None
            assert view.page == page
            seen += view.marks
        pred = snap.output.argmax(axis=1)
        assert seen == list(pred == snap.y.astype(int)) and len(seen) == len(snap.x) == 16
        cell = view.cells[1][0]  # the second sample's image on the last page
        where = view.plots.mapFromScene(cell.sceneBoundingRect().center())
        with qtbot.waitSignal(view.sample_selected) as blocker:
            qtbot.mouseClick(view.plots.viewport(), Qt.MouseButton.LeftButton, pos=where)
        assert blocker.args == [view.page * view.per_page + 1] and view.selected == blocker.args[0]
    finally:
        display().apply(DisplaySettings())


@pytest.mark.parametrize("width, per_row", [(525, 4), (1000, 8)])
def test_samples_view_keeps_its_confusion_matrix_in_view_and_gives_2d_data_their_bars_only(qtbot, width, per_row):
    from widgets.samples_view import SamplesView

    flat = session_for()  # 2-D points: no images to show, only the probability bars
    view = SamplesView()
    qtbot.addWidget(view)
    view.resize(width, 560)  # 525 px: the central area of the first window on a 1366-px screen
    view.show()
    qtbot.waitExposed(view)
    view.render(frame_for(flat, flat.step_batch()))
    assert view.per_row == per_row and not view.images
    assert all(image_plot is None for image_plot, *_ in view.cells)  # no empty image rows above the bars
    viewport = view.plots.viewport()
    matrix = view.plots.mapFromScene(view.cm_plot.sceneBoundingRect()).boundingRect()
    assert 0 <= matrix.left() and matrix.right() <= viewport.width() + 1 and matrix.width() > 100
    bars = view.plots.mapFromScene(view.cells[0][2].sceneBoundingRect()).boundingRect()
    assert bars.height() > 0.3 * viewport.height()  # the bars have the rows the images would have had
    images = session_for(hidden=((16, "relu"),), out=(10, "softmax"), loss="sparse_categorical_crossentropy",
                         image=True)
    view.render(frame_for(images, images.step_batch()))
    assert view.images and all(image_plot is not None and image_plot.isVisible() for image_plot, *_ in view.cells)
    # Ten classes: a narrow view has no room for the matrix beside the samples; it shows on request.
    assert view.show_confusion.isChecked() == (width >= 900)
    samples = view.plots.mapFromScene(view.cells[per_row - 1][2].sceneBoundingRect()).boundingRect()
    assert samples.right() <= viewport.width() + 1  # the row's last sample is in view
    view.show_confusion.setChecked(True)
    assert view.cm_plot.isVisible() and view.per_row == per_row
