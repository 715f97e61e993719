"""Numbers derived at capture (views compute none): norms, ratios, the chain rule's terms, the decision plane,
and frames (snapshot, history slice, data) that never change once made."""

import numpy as np
import pytest

import core
from core.inference import forward_layers
from core.stepper import TrainingSession, derived
from core.stepper.frame import DataContext, HistorySlice, confusion_for, frame_of


def _session(hidden="tanh", d=2, out=(1, "sigmoid"), loss="binary_crossentropy"):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, d)).astype("float32")
    y = (x[:, 0] > 0).astype("float32") if out[0] == 1 else rng.integers(0, out[0], 80)
    model = core.Sequential([core.Input(shape=(d,)), core.layers.Dense(6, activation=hidden),
                             core.layers.Dense(5, activation=hidden), core.layers.Dense(*out[:1], activation=out[1])])
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    return TrainingSession(model, x, y, batch_size=16, seed=0, validation_split=0.25)


def test_layer_stats_are_the_norms_and_moments_of_the_captured_arrays():
    snap = _session().step_batch()
    for layer in snap.layers:
        s = layer.stats
        assert s.act_mean == pytest.approx(float(layer.a.mean())) and s.act_std == pytest.approx(float(layer.a.std()))
        assert s.delta_norm == pytest.approx(float(np.linalg.norm(layer.delta)))
        assert s.grad_norm == pytest.approx(float(np.linalg.norm(layer.dW)))
        assert s.update_ratio == pytest.approx(float(np.linalg.norm(layer.W_after - layer.W) / np.linalg.norm(layer.W)))
    first = _session().step_phase()  # only the first layer's forward pass: nothing else is known yet
    assert first.layers[0].stats.act_mean is not None and first.layers[0].stats.delta_norm is None
    assert first.layers[1].stats.act_mean is None and first.layers[0].stats.update_ratio is None


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "elu"])
def test_the_chain_rule_terms_multiply_to_delta_and_sum_to_the_gradient(activation):
    snap = _session(activation).step_batch()
    for k, layer in enumerate(snap.layers):
        nxt = snap.layers[k + 1].grad_input if k + 1 < len(snap.layers) else snap.grad_output
        np.testing.assert_array_equal(layer.grad_a, nxt)  # ∂L/∂a is what the next layer passed back
        if layer.fprime is not None:  # δ = ∂L/∂a · f′(z), element by element
            np.testing.assert_allclose(layer.grad_a * layer.fprime, layer.delta, rtol=1e-4, atol=1e-7)
        units = layer.dW.shape[1]
        top = np.abs(layer.dW).argmax(axis=0)
        np.testing.assert_array_equal(layer.top_input, top)
        np.testing.assert_allclose(layer.top_terms.sum(axis=0), layer.dW[top, np.arange(units)], rtol=1e-4,
                                   atol=1e-7)  # ∂L/∂w = Σ_n a_prev·δ
        assert not layer.top_terms.flags.writeable


def test_the_decision_surface_is_the_forward_pass_over_the_plane_and_only_on_request():
    session = _session()
    assert session.step_batch().decision is None  # nobody looks at it: not computed
    session.capture_options.decision_surface = True
    snap = session.step_batch()
    surface = snap.decision
    bounds, points = derived.decision_grid(session.xs, session.validation_data[0])
    assert surface.bounds == bounds and surface.value.shape == (derived.GRID, derived.GRID)
    expected = 2 * forward_layers(snap.layers, points)[-1][:, 0] - 1  # sigmoid p → 2p − 1
    np.testing.assert_allclose(surface.value.ravel(), expected)
    assert len(surface.first_layer_maps) == 6 and surface.levels == (-1.0, 1.0)
    wide = _session(d=3)
    wide.capture_options.decision_surface = True
    assert wide.step_batch().decision is None  # three inputs: no plane


def test_confusion_counts_every_validation_sample_by_true_and_predicted_class():
    session = _session(out=(3, "softmax"), loss="sparse_categorical_crossentropy")
    snap = session.step_batch()
    data = DataContext.of(session, "classification", ("a", "b", "c"))
    cm = confusion_for(snap, data)
    out = forward_layers(snap.layers, data.x_val)[-1]
    assert cm.sum() == len(data.x_val) == 20 and np.trace(cm) == int((out.argmax(axis=1) == data.y_val).sum())
    assert confusion_for(snap, DataContext.of(session, "regression", ())) is None


def test_a_frame_never_changes_while_training_goes_on():
    session = _session()
    session.step_batch()
    data = DataContext.of(session, "binary", ("no", "yes"))
    frame = frame_of(session, data=data)
    steps, loss = frame.history.scalar("loss")
    for arr in (steps, loss, data.x, data.y, data.x_val):
        assert not arr.flags.writeable
    for _ in range(5):
        session.step_batch()
    assert len(frame.history.scalar("loss")[0]) == 1 and frame.history.last_step == 1
    assert len(HistorySlice.of(session.history).scalar("loss")[0]) == 6
    with pytest.raises(TypeError):
        frame.history.scalars["loss"] = (steps, loss)  # a mapping that cannot be changed
