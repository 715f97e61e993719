"""Dropout and BatchNormalization as phases of the stepper, regularization in its loss phase, and their state in
rewinds, session states and session files."""

import json

import numpy as np
import pytest

import core
from core.export.session_file import load_session, save_session
from core.inference import forward_layers
from core.safeio import InvalidValueError
from core.stepper import SessionState, TrainingSession

RNG = np.random.default_rng(0)
X = RNG.normal(size=(96, 5)).astype("float32")
Y = RNG.integers(0, 3, 96)


def build(seed=1, backend="numpy"):
    core.utils.set_random_seed(seed)
    model = core.Sequential([
        core.Input((5,)),
        core.layers.Dense(8, activation="relu", kernel_regularizer=core.regularizers.L2(0.01)),
        core.layers.BatchNormalization(momentum=0.9),
        core.layers.Dropout(0.4),
        core.layers.Dense(3, activation="softmax", activity_regularizer=core.regularizers.L1(0.01))])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"], backend=backend)
    return model


def session_of(model, **kwargs):
    return TrainingSession(model, X, Y, batch_size=16, epochs=2, seed=5, **kwargs)


def same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b))


def test_dropout_and_batchnorm_have_their_own_phases_and_stepping_equals_fit():
    fitted = build()  # fit draws its shuffle seed from the global generator right after building: so does the session
    fitted.fit(X, Y, batch_size=16, epochs=2, verbose=0)
    session = TrainingSession(build(), X, Y, batch_size=16, epochs=2)
    assert [(kind, i) for kind, i in session.phases if kind != "loss"][:4] == [
        ("forward", 0), ("forward", 1), ("forward", 2), ("forward", 3)]
    for _ in range(len(session.phases) * 3):
        session.step_phase()
    list(session.run(capture_every_seconds=None))
    assert same(session.model.get_weights(), fitted.get_weights())


def test_forward_backward_update_and_loss_phases_show_what_the_layers_did():
    session = session_of(build())
    snaps = [session.step_phase() for _ in range(len(session.phases))]
    by_label = {s.phase_label: s for s in snaps}
    bn_f = by_label["forward · batch_normalization"].layers[1]
    x = bn_f.x
    np.testing.assert_allclose(bn_f.record["mean"][0], x.mean(axis=0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bn_f.record["variance"][0], x.var(axis=0), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(bn_f.z, (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-3), rtol=1e-3, atol=1e-4)
    assert set(bn_f.params) == {"gamma", "beta", "moving_mean", "moving_variance"} and bn_f.W is None
    assert bn_f.settings["momentum"] == 0.9 and bn_f.settings["epsilon"] == 1e-3

    drop = by_label["forward · dropout"].layers[2]
    np.testing.assert_allclose(drop.a, drop.x * drop.record["mask"] * drop.record["scale"], rtol=1e-6)
    assert drop.record["scale"] == pytest.approx(1 / 0.6) and drop.settings["rate"] == 0.4
    assert set(np.unique(drop.record["mask"])) <= {0.0, 1.0}

    loss = by_label["loss"]
    assert set(loss.penalties) == {"dense_1/activity", "dense/kernel"}
    assert loss.loss == pytest.approx(loss.data_loss + sum(loss.penalties.values()), rel=1e-6)
    kernel = loss.layers[0].W
    assert loss.penalties["dense/kernel"] == pytest.approx(0.01 * float((kernel.astype(float) ** 2).sum()), rel=1e-5)

    back = by_label["backward · dropout"].layers[2]
    upstream = by_label["backward · dense_1"].layers[3].grad_input
    np.testing.assert_allclose(back.delta, upstream * drop.record["multiplier"], rtol=1e-6)
    bn_b = by_label["backward · batch_normalization"].layers[1]
    np.testing.assert_allclose(bn_b.delta, back.grad_input * bn_b.params["gamma"], rtol=1e-6)
    assert set(bn_b.grads) == {"gamma", "beta"}
    np.testing.assert_allclose(bn_b.grads["beta"], back.grad_input.sum(axis=0), rtol=1e-5, atol=1e-7)

    update = snaps[-1].layers[1]
    assert update.params_after["gamma"] is not None and np.any(update.applied["gamma"] != 0)
    expected = 0.9 * update.params["moving_mean"] + 0.1 * bn_f.record["mean"][0]
    np.testing.assert_allclose(update.params_after["moving_mean"], expected, rtol=1e-6)
    np.testing.assert_allclose(update.applied["moving_variance"],
                               0.1 * (bn_f.record["variance"][0] - update.params["moving_variance"]), rtol=1e-4,
                               atol=1e-7)
    assert set(update.optimizer_state) == {"momentum", "velocity"} and len(update.optimizer_state["momentum"]) == 2


def test_rewinding_replays_the_same_masks_and_statistics_bit_for_bit():
    session = session_of(build())
    first = {}
    for _ in range(8):
        snap = session.step_batch()
        first[snap.step] = snap
    end = [w.copy() for w in session.model.get_weights()]
    for step in (3, 7, 1, 8):
        again = session.seek(step)
        for a, b in zip(first[step].layers, again.layers):
            assert a.record.keys() == b.record.keys()
            for key, value in a.record.items():
                np.testing.assert_array_equal(value, b.record[key])
            np.testing.assert_array_equal(a.a, b.a)
    assert same(session.model.get_weights(), end)


def test_session_state_keeps_the_dropout_stream_and_continues_exactly():
    session = session_of(build())
    list(session.run(max_steps=7, capture_every_seconds=None))
    fields, arrays = session.get_state().to_parts()
    assert fields["noise_state"] == [[session.model.layers[2].noise.seed, 7]]
    assert fields["initial_noise_state"] == [[session.model.layers[2].noise.seed, 0]]
    state = SessionState.from_parts(json.loads(json.dumps(fields)), arrays)
    other = session_of(build(seed=9))  # another dropout seed and other weights: the state must bring both
    other.set_state(state)
    list(session.run(capture_every_seconds=None))
    list(other.run(capture_every_seconds=None))
    assert same(session.model.get_weights(), other.model.get_weights())
    other.seek(2)
    session.seek(2)
    assert same(session.model.get_weights(), other.model.get_weights())


@pytest.mark.parametrize("noise,message", [
    ([], "random states for 0 dropout layers"),
    ([[1, 2], [3, 4]], "random states for 2 dropout layers"),
])
def test_a_state_whose_dropout_streams_do_not_fit_is_refused_and_changes_nothing(noise, message):
    session = session_of(build())
    list(session.run(max_steps=3, capture_every_seconds=None))
    fields, arrays = session.get_state().to_parts()
    fields.update(noise_state=noise, initial_noise_state=noise)
    before = [w.copy() for w in session.model.get_weights()]
    with pytest.raises(InvalidValueError, match=message):
        session.set_state(SessionState.from_parts(fields, arrays))
    assert same(before, session.model.get_weights()) and session.step == 3


@pytest.mark.parametrize("bad", [[[1, -2]], [[1]], [["a", 2]], [[1.5, 2]], [[True, 2]], "x"])
def test_malformed_dropout_streams_in_a_state_are_refused(bad):
    session = session_of(build())
    fields, arrays = session.get_state().to_parts()
    fields.update(noise_state=bad, initial_noise_state=bad if isinstance(bad, list) else [])
    with pytest.raises(InvalidValueError):
        SessionState.from_parts(fields, arrays)


def test_a_negative_moving_variance_is_refused():
    session = session_of(build())
    fields, arrays = session.get_state().to_parts()
    arrays["weights"]["p5"] = -np.ones(8, np.float32)  # batch_normalization/moving_variance
    with pytest.raises(InvalidValueError, match="variance is never negative"):
        session.set_state(SessionState.from_parts(fields, arrays))


def test_session_files_carry_the_layers_regularizers_and_streams(tmp_path):
    session = session_of(build())
    list(session.run(max_steps=5, capture_every_seconds=None))
    save_session(session, tmp_path / "s.propscope")
    loaded, _ = load_session(tmp_path / "s.propscope")
    assert [type(la).__name__ for la in loaded.model.compute_layers] == ["Dense", "BatchNormalization", "Dropout",
                                                                         "Dense"]
    assert loaded.model.layers[0].kernel_regularizer.get_config() == {"l2": 0.01}
    assert loaded.model.layers[1].momentum == 0.9 and loaded.model.layers[2].rate == 0.4
    list(session.run(capture_every_seconds=None))
    list(loaded.run(capture_every_seconds=None))
    assert same(session.model.get_weights(), loaded.model.get_weights())


def test_history_keeps_the_batchnorm_weights_and_the_dropped_share():
    session = session_of(build())
    list(session.run(max_steps=6, capture_every_seconds=None))
    _, dropped = session.history.scalar("dropout/dropped")
    assert 0.2 < float(np.mean(dropped)) < 0.6
    _, gamma_grad = session.history.scalar("batch_normalization/gamma_grad_norm")
    assert np.all(np.asarray(gamma_grad) > 0)
    assert "batch_normalization/grad_norm" not in session.history.scalars  # the gradient flow stays with kernels
    steps, _, counts = session.history.distribution("batch_normalization/moving_variance")
    assert len(steps) and counts.sum() > 0


def test_snapshot_inference_equals_predict():
    session = session_of(build())
    snap = session.step_batch()
    np.testing.assert_allclose(forward_layers(snap.layers, X)[-1], session.model.predict(X, verbose=0), atol=1e-6)


def test_numpy_and_torch_draw_the_same_masks_and_agree(torch_module):
    sessions = [session_of(build(backend=b)) for b in ("numpy", "torch")]
    for s in sessions:
        list(s.run(max_steps=12, capture_every_seconds=None))
    for a, b in zip(*(s.model.get_weights() for s in sessions)):
        np.testing.assert_allclose(a, b, atol=2e-5)
