"""The Inspector's chain rule: every term recomputed here, independently, from the snapshot's numbers."""

import numpy as np
import pytest

import core
from core.stepper import TrainingSession
from core.stepper.chain import LayerWriter, Term, neuron_chain, register, writer_for


def session_for(optimizer, n=32, batch_size=8):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = rng.integers(0, 3, n)
    model = core.Sequential([core.Input((4,)), core.layers.Dense(6, "tanh", name="hidden"),
                             core.layers.Dense(3, "softmax", name="out")])
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    return TrainingSession(model, x, y, batch_size=batch_size, seed=0)


def terms_by_key(terms):
    return {t.key: t for t in terms}


def test_hidden_neuron_in_backward_writes_the_whole_chain():
    s = session_for("sgd")
    while True:
        snap = s.step_phase()
        if snap.phase_label == "backward · hidden":
            break
    hidden, out = snap.layers
    j, n = 4, 3
    terms = terms_by_key(neuron_chain(snap, 0, j, n))
    # ∂L/∂a_j = Σ_k w_jk·δ_k with the next layer's numbers
    expected = sum(float(out.W[j, k]) * float(out.delta[n, k]) for k in range(out.W.shape[1]))
    assert terms["grad_a"].value == pytest.approx(expected, rel=1e-6)
    assert terms["grad_a"].value == pytest.approx(float(hidden.grad_a[n, j]), rel=1e-5, abs=1e-9)
    assert terms["grad_a"].args == {"count": 3, "layer": "out", "largest": terms["grad_a"].args["largest"]}
    # δ_j = ∂L/∂a_j · f′(z_j), tanh′ = 1 − tanh²
    slope = 1 - np.tanh(float(hidden.z[n, j])) ** 2
    assert terms["delta"].value == pytest.approx(expected * slope, rel=1e-5)
    assert terms["delta"].value == pytest.approx(float(hidden.delta[n, j]), rel=1e-4, abs=1e-9)
    # ∂L/∂w_ij = Σ_n a_i[n]·δ_j[n] over the batch (δ carries the mean's 1/N)
    i = terms["grad_w"].args["i"]
    grad = sum(float(hidden.x[m, i]) * float(hidden.delta[m, j]) for m in range(len(hidden.x)))
    assert terms["grad_w"].value == pytest.approx(grad, rel=1e-6)
    assert terms["grad_w"].value == pytest.approx(float(hidden.dW[i, j]), rel=1e-5)
    assert i == int(np.argmax(np.abs(hidden.dW[:, j])))
    assert "update" not in terms  # the update has not happened in this phase


def test_the_forward_terms_are_the_weighted_sum_and_the_activation():
    s = session_for("sgd")
    snap = s.step_phase()  # forward · hidden
    hidden = snap.layers[0]
    terms = terms_by_key(neuron_chain(snap, 0, 2, 1))
    z = float(hidden.x[1] @ hidden.W[:, 2] + hidden.b[2])
    assert terms["z"].value == pytest.approx(z, rel=1e-5)
    assert terms["a"].value == pytest.approx(np.tanh(z), rel=1e-5)
    assert set(terms) == {"z", "a"}


OPTIMIZERS = [core.optimizers.SGD(learning_rate=0.1), core.optimizers.SGD(learning_rate=0.1, momentum=0.9),
              core.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True), core.optimizers.Adam(),
              core.optimizers.Adam(amsgrad=True), core.optimizers.AdamW(), core.optimizers.RMSprop(),
              core.optimizers.RMSprop(momentum=0.5, centered=True), core.optimizers.Adagrad()]


@pytest.mark.parametrize("optimizer", OPTIMIZERS, ids=lambda o: f"{type(o).__name__}{o.get_config()}")
def test_the_update_formula_gives_the_applied_change_at_every_step(optimizer):
    s = session_for(optimizer)
    for _ in range(3):  # the third update: the optimizer's state is no longer its initial value
        snap = s.step_batch()
    for li, j in ((0, 1), (1, 2)):
        layer = snap.layers[li]
        terms = terms_by_key(neuron_chain(snap, li, j, 0))
        i = terms["grad_w"].args["i"]
        # ΔW applied is W_after − W in float32: exact to a few units in the last place of w, not of Δw
        ulp = float(np.spacing(np.float32(max(abs(layer.W[i, j]), abs(layer.W_after[i, j])))))
        assert terms["update"].value == pytest.approx(float(layer.dW_applied[i, j]), rel=2e-4, abs=4 * ulp)
        assert terms["update"].args["optimizer"] == type(optimizer).__name__


def test_state_before_the_update_is_kept_with_the_snapshot():
    s = session_for(core.optimizers.Adam())
    s.step_batch()
    snap = s.step_batch()
    layer = snap.layers[0]
    g = layer.dW
    m_before = layer.optimizer_state_before["momentum"][0]
    m_after = layer.optimizer_state["momentum"][0]
    np.testing.assert_allclose(m_after, 0.9 * m_before + 0.1 * g, rtol=1e-5, atol=1e-9)


def test_a_new_layer_kind_registers_its_own_writer():
    class Doubling(LayerWriter):
        def backward(self, snap, li, j, n, grad_a):
            return [Term("doubled", ("δ_j = 2",), 2.0)]

    s = session_for("sgd")
    for _ in range(5):
        snap = s.step_phase()
    register("Dense", Doubling())
    try:
        assert [t.key for t in neuron_chain(snap, 0, 0, 0)][-1] == "doubled"
    finally:
        from core.stepper.chain import DenseWriter

        register("Dense", DenseWriter())
    assert type(writer_for("Dropout")) is LayerWriter  # unknown kinds: their arrays, without a formula
