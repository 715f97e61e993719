"""Dropout, BatchNormalization and penalties in the views: dropped units crossed out, γ/β/moving statistics in
Matrices and Distributions, their chain rule in the Inspector, the penalties beside the data loss."""

import numpy as np
import pytest

import core
from core.stepper import TrainingSession
from tests.widgets.conftest import frame_for
from widgets.distribution_view import DistributionView
from widgets.inspector_view import InspectorView
from widgets.matrix_view import MatrixView
from widgets.network_view import NetworkView
from widgets.propagation_view import PropagationView


@pytest.fixture
def session():
    core.utils.set_random_seed(3)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 4)).astype("float32"), rng.integers(0, 3, 64)
    model = core.Sequential([core.Input((4,)),
                             core.layers.Dense(6, activation="relu", kernel_regularizer=core.regularizers.L2(0.01)),
                             core.layers.BatchNormalization(), core.layers.Dropout(0.5),
                             core.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return TrainingSession(model, x, y, batch_size=16, seed=0, validation_split=0.25)


def until(session, label):
    while True:
        snap = session.step_phase()
        if snap.phase_label == label:
            return snap


def test_network_crosses_out_the_units_dropout_dropped_and_shows_its_phase(qtbot, session):
    view = NetworkView()
    qtbot.addWidget(view)
    snap = until(session, "forward · batch_normalization")
    view.render(frame_for(session, snap))
    assert view.dropped == {} and len(view.crosses.data) == 0  # no mask before Dropout's forward phase
    assert "dense\nrelu → BN · Dropout 0.5\n6 units" in [t.toPlainText() for t in view.texts]
    assert view.highlighted_column == 1  # BN's phase lights its Dense layer's column
    snap = until(session, "forward · dropout")
    view.render(frame_for(session, snap))
    mask = snap.layers[2].record["mask"][0]
    np.testing.assert_array_equal(view.dropped[1], np.flatnonzero(mask == 0))
    assert len(view.crosses.data) == int((mask == 0).sum()) > 0
    shown = [spot.data()[2] for spot in view.nodes.points() if spot.data()[0] == 1]
    for u, tip in enumerate(shown):  # the column shows Dropout's output: 0 where dropped, ×2 where kept
        expected = snap.layers[2].a[0, u]
        assert f"a = {expected:.4g}" in tip and (("dropped" in tip) == (mask[u] == 0))
    snap = until(session, "backward · dropout")
    view.render(frame_for(session, snap))
    assert view.colored_by == "δ" and len(view.crosses.data) == int((mask == 0).sum())


def test_propagation_view_writes_the_penalty_beside_the_data_loss_and_each_layers_doing(qtbot, session):
    view = PropagationView()
    qtbot.addWidget(view)
    snap = until(session, "loss")
    view.render(frame_for(session, snap))
    text = view.loss_label.text()
    assert f"batch loss {snap.loss:.4f} = data loss {snap.data_loss:.4f} + dense/kernel" in text
    rows = [view.table.item(r, 7).text() for r in range(view.table.rowCount())]
    assert "penalty on kernel" in rows[0]
    assert rows[1].startswith("batch μ") and "moving μ" in rows[1]
    assert rows[2].startswith("dropped") and "× 2" in rows[2]


def test_matrices_offer_gamma_beta_and_the_moving_statistics(qtbot, session):
    view = MatrixView()
    qtbot.addWidget(view)
    snap = session.step_batch()
    view.render(frame_for(session, snap))
    names = [view.layer_box.itemText(i) for i in range(view.layer_box.count())]
    assert names == ["dense", "batch_normalization", "dropout", "dense_1"]  # Dropout: its z, a and δ
    view.layer_box.setCurrentIndex(1)
    view.layer_box.activated.emit(1)
    keys = [view.quantity_box.itemData(i) for i in range(view.quantity_box.count())]
    assert {"weight: gamma", "weight: beta", "weight: moving_mean", "weight: moving_variance", "gradient: gamma",
            "change: moving_mean", "optimizer: momentum"} <= set(keys)
    labels = [view.quantity_box.itemText(i) for i in range(view.quantity_box.count())]
    assert "γ" in labels and "moving mean" in labels and "∂L/∂β" in labels
    view.select_quantity("weight: moving_variance")
    np.testing.assert_array_equal(view.matrix, snap.layers[1].params_after["moving_variance"])
    view.select_quantity("change: moving_mean")
    np.testing.assert_allclose(view.matrix, snap.layers[1].params_after["moving_mean"]
                               - snap.layers[1].params["moving_mean"])
    view.select_quantity("optimizer: momentum")
    assert view.matrix.shape == (2, 6)  # one row for γ, one for β


def test_distributions_of_a_batchnorm_layer_show_x_hat_output_gamma_and_beta(qtbot, session):
    view = DistributionView()
    qtbot.addWidget(view)
    for _ in range(3):
        snap = session.step_batch()
    view.render(frame_for(session, snap))
    view.layer_box.setCurrentIndex(1)
    view.layer_box.activated.emit(1)
    assert [view.hist_plots[k].titleLabel.text for k in range(4)] == ["normalized x̂", "output γ·x̂ + β", "γ", "β"]
    bands = [view.band_kind.itemData(i) for i in range(view.band_kind.count())]
    assert bands[-2:] == ["moving_mean", "moving_variance"]
    assert view.last_counts["gamma"].sum() == 6
    assert view.note.text().startswith("batch_normalization: batch μ")


def test_inspector_writes_batchnorm_and_dropout_chain_rule_with_numbers(qtbot, session):
    view = InspectorView()
    qtbot.addWidget(view)
    snap = session.step_batch()
    view.select(1, 2)
    view.render(frame_for(session, snap))
    text = "\n".join(view.lines)
    bn, drop = snap.layers[1], snap.layers[2]
    assert "batch_normalization (BatchNormalization), feature 2:" in text
    assert f"= {float(bn.z[0, 2]):.6g}" in text  # x̂ of sample 0
    assert f"∂L/∂γ = Σ_n ∂L/∂a·x̂ = {float(bn.grads['gamma'][2]):.6g}" in text
    assert "∂L/∂x = (δ − mean δ − x̂·mean(δ·x̂))" in text and f"= {float(bn.grad_input[0, 2]):.6g}" in text
    line = next(x for x in view.lines if "moving_mean ←" in x)
    assert f"{abs(float(bn.params['moving_mean'][2])):.6g}" in line  # 0.99·old + 0.01·batch mean = new
    assert line.endswith(f"= {float(bn.params_after['moving_mean'][2]):.6g}")
    kept = drop.record["mask"][0, 2] == 1
    assert ("kept (mask 1)" in text) == kept and ("dropped (mask 0)" in text) == (not kept)
    dense = snap.layers[0]
    assert "+ ∂R/∂w_ij = " in text and "L2(l2=0.01)" in text
    i = int(dense.top_input[2])  # the terms and the penalty add up to the stored gradient
    assert dense.top_terms[:, 2].sum() + dense.top_penalty[2] == pytest.approx(float(dense.dW[i, 2]), rel=1e-4)
    grad_w = next(t for t in view.terms if t.key == "grad_w")
    assert grad_w.args["i"] == i and grad_w.value == pytest.approx(float(dense.dW[i, 2]), rel=1e-4)
