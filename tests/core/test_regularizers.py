"""Weight and activity regularizers: Keras's names and configs, penalties in the loss, gradients in ∂L/∂W."""

import numpy as np
import pytest

import core
from core.backend.ops import NumpyOps
from core.engine import as_ops_targets

OPS = NumpyOps("float64")
RNG = np.random.default_rng(3)
W = RNG.normal(size=(4, 3))


def test_names_classes_strings_and_configs_are_keras():
    assert core.regularizers.l2 is core.regularizers.L2 and core.regularizers.l1_l2 is core.regularizers.L1L2
    assert core.regularizers.get("l2").get_config() == {"l2": 0.01}
    assert core.regularizers.get("L1").get_config() == {"l1": float(np.float32(0.01))}  # Keras keeps it in float32
    assert core.regularizers.get("l1l2").get_config() == {"l1": 0.0, "l2": 0.0}
    assert core.regularizers.l1_l2(l1=0.1, l2=0.2).get_config() == {"l1": 0.1, "l2": 0.2}
    assert core.regularizers.serialize(core.regularizers.L2(0.001)) == {
        "module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.001}, "registered_name": None}
    again = core.regularizers.deserialize(core.regularizers.serialize(core.regularizers.L1L2(0.1, 0.3)))
    assert isinstance(again, core.regularizers.L1L2) and again.get_config() == {"l1": 0.1, "l2": 0.3}
    assert core.regularizers.get(None) is None
    for bad in ("l1_l2", "ridge"):
        with pytest.raises(ValueError, match="Could not interpret regularizer identifier"):
            core.regularizers.get(bad)
    with pytest.raises(ValueError, match="non-negative"):
        core.regularizers.L2(-0.1)
    with pytest.raises(NotImplementedError, match="plain function"):
        core.regularizers.get(lambda w: 0.0)


@pytest.mark.parametrize("reg,penalty,gradient", [
    (core.regularizers.L1(0.1), 0.1 * np.abs(W).sum(), 0.1 * np.sign(W)),
    (core.regularizers.L2(0.2), 0.2 * (W ** 2).sum(), 0.4 * W),
    (core.regularizers.L1L2(0.1, 0.2), 0.1 * np.abs(W).sum() + 0.2 * (W ** 2).sum(), 0.1 * np.sign(W) + 0.4 * W),
    (core.regularizers.L1L2(), 0.0, 0.0 * W),
])
def test_penalty_and_gradient_formulas(reg, penalty, gradient):
    assert float(reg.penalty(OPS, W)) == pytest.approx(penalty)
    assert reg(W) == pytest.approx(penalty)
    np.testing.assert_allclose(reg.gradient(OPS, W), gradient)


def _trace(model, x, y):
    engine = model.make_engine(np.asarray(y).shape, model.output_shape)
    y_loss, y_metric = as_ops_targets(engine.ops, engine.loss, y, model.output_shape)
    trace = engine.begin(engine.ops.asarray(x), y_loss, y_metric)
    engine.forward_backward(trace)
    return engine, trace


def test_the_loss_is_the_data_loss_plus_every_penalty_and_the_gradients_get_theirs():
    core.utils.set_random_seed(0)
    model = core.Sequential([
        core.Input((4,)),
        core.layers.Dense(5, activation="tanh", kernel_regularizer=core.regularizers.L2(0.05),
                          bias_regularizer=core.regularizers.L1(0.02), activity_regularizer=core.regularizers.L2(0.1)),
        core.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", dtype="float64")
    x, y = RNG.normal(size=(8, 4)), RNG.integers(0, 2, 8)
    engine, trace = _trace(model, x, y)
    kernel, bias = model.layers[0].get_weights()
    a = np.tanh(x @ kernel + bias)
    assert [label for label, _ in trace.penalties] == ["dense/activity", "dense/kernel", "dense/bias"]
    expected = {"dense/activity": 0.1 * (a ** 2).sum() / 8, "dense/kernel": 0.05 * (kernel ** 2).sum(),
                "dense/bias": 0.02 * np.abs(bias).sum()}
    for label, value in trace.penalties:
        assert float(value) == pytest.approx(expected[label])
    assert float(trace.loss) == pytest.approx(float(trace.data_loss) + sum(expected.values()))
    # Without penalties, the same data gives the data loss and smaller gradients: the difference is the penalties'.
    plain = core.Sequential([core.Input((4,)), core.layers.Dense(5, activation="tanh"),
                             core.layers.Dense(2, activation="softmax")])
    plain.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", dtype="float64")
    plain.set_weights(model.get_weights())
    _, bare = _trace(plain, x, y)
    assert float(bare.loss) == pytest.approx(float(trace.data_loss))
    upstream = (bare.grad_inputs[1] + 0.2 * a / 8) * (1 - a ** 2)  # the activity penalty joins ∂L/∂a
    np.testing.assert_allclose(trace.grads[0][0], x.T @ upstream + 0.1 * kernel, rtol=1e-10)
    np.testing.assert_allclose(trace.grads[0][1], upstream.sum(axis=0) + 0.02 * np.sign(bias), rtol=1e-10)
    assert model.losses == pytest.approx([expected["dense/kernel"], expected["dense/bias"]])


def test_a_frozen_layer_adds_no_weight_penalty_but_keeps_its_activity_penalty():
    model = core.Sequential([core.Input((4,)), core.layers.Dense(3, kernel_regularizer="l2", activity_regularizer="l1",
                                                                 trainable=False),
                             core.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    _, trace = _trace(model, RNG.normal(size=(8, 4)), RNG.integers(0, 2, 8))
    assert [label for label, _ in trace.penalties] == ["dense/activity"]
    assert model.losses == []


def test_fit_and_evaluate_report_the_total_loss_and_the_stepper_keeps_both_parts():
    from core.stepper import TrainingSession

    core.utils.set_random_seed(1)
    model = core.Sequential([core.Input((4,)), core.layers.Dense(6, activation="relu",
                                                                 kernel_regularizer=core.regularizers.L2(0.5)),
                             core.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = RNG.normal(size=(32, 4)).astype("float32"), RNG.integers(0, 2, 32)
    penalty = 0.5 * float((model.layers[0].get_weights()[0] ** 2).sum())
    data_only = core.losses.SparseCategoricalCrossentropy()(y, model.predict(x, verbose=0))
    assert model.evaluate(x, y, verbose=0, batch_size=32)[0] == pytest.approx(data_only + penalty, rel=1e-5)
    session = TrainingSession(model, x, y, batch_size=32, shuffle=False)
    snap = session.step_phase()
    snap = session.step_phase()
    snap = session.step_phase()  # the loss phase
    assert snap.phase == "loss"
    assert snap.penalties == pytest.approx({"dense/kernel": penalty}, rel=1e-5)
    assert snap.loss == pytest.approx(snap.data_loss + penalty, rel=1e-6)
    session.step_batch()
    steps, losses = session.history.scalar("loss")
    _, regularization = session.history.scalar("regularization")
    _, data = session.history.scalar("data_loss")
    assert losses[0] == pytest.approx(data[0] + regularization[0], rel=1e-6)


def test_layer_configs_carry_the_regularizers_as_keras_serializes_them():
    dense = core.layers.Dense(3, kernel_regularizer="l2", activity_regularizer=core.regularizers.L1(0.1))
    config = dense.get_config()
    assert list(config)[:4] == ["name", "trainable", "dtype", "activity_regularizer"]
    assert config["kernel_regularizer"]["class_name"] == "L2" and config["bias_regularizer"] is None
    again = core.layers.Dense.from_config(config)
    assert again.get_config() == config
    act = core.layers.ActivityRegularization(l1=0.1)
    assert "activity_regularizer" not in act.get_config() and act.get_config()["l1"] == 0.1
