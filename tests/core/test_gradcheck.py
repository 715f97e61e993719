"""Backprop against central differences, float64, every sensible activation × loss pair."""

import zlib

import numpy as np
import pytest

import core
from core.gradcheck import gradcheck, max_relative_error

HIDDEN = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu", "swish"]

# loss -> (output units, output activations that make sense with it, target kind)
PAIRS = {
    "mse": (3, ["linear", "sigmoid", "tanh"], "regression"),
    "mae": (3, ["linear", "tanh"], "regression"),
    "huber": (3, ["linear", "tanh"], "regression"),
    "binary_crossentropy": (2, ["sigmoid"], "binary"),
    "categorical_crossentropy": (4, ["softmax"], "onehot"),
    "sparse_categorical_crossentropy": (4, ["softmax"], "sparse"),
}


def _batch(kind, units, rng):
    x = rng.normal(size=(6, 3))
    if kind == "regression":
        return x, rng.normal(size=(6, units))
    if kind == "binary":
        return x, rng.integers(0, 2, size=(6, units)).astype(float)
    labels = rng.integers(0, units, 6)
    return x, (labels if kind == "sparse" else np.eye(units)[labels])


CASES = [(loss, out, hidden) for loss, (_, outs, _) in PAIRS.items() for out in outs for hidden in HIDDEN]


@pytest.mark.parametrize("loss,out_act,hidden", CASES)
def test_backprop_matches_central_differences(loss, out_act, hidden):
    units, _, kind = PAIRS[loss]
    rng = np.random.default_rng(zlib.crc32(f"{loss}-{out_act}-{hidden}".encode()))
    model = core.Sequential([
        core.Input(shape=(3,)),
        core.layers.Dense(5, activation=hidden),
        core.layers.Dense(4, activation=hidden),
        core.layers.Dense(units, activation=out_act),
    ])
    model.compile(loss=loss, dtype="float64")
    model.initialize_weights(seed=1)
    x, y = _batch(kind, units, rng)
    # A finite difference that straddles a kink (ReLU at 0, |e| at 0) measures the
    # kink, not backprop: keep every pre-activation and residual away from them.
    out = model.predict(x, verbose=0)
    if kind == "regression":
        y = np.where(np.abs(y - out) < 1e-3, y + 0.1, y)
    entries = gradcheck(model, x, y, h=1e-6, max_checks=None)
    assert len(entries) == 6
    assert max_relative_error(entries) < 1e-6, entries


def test_from_logits_losses_gradcheck():
    rng = np.random.default_rng(3)
    for loss, units, kind in [
        (core.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1), 4, "onehot"),
        (core.losses.SparseCategoricalCrossentropy(from_logits=True), 4, "sparse"),
        (core.losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.2), 2, "binary"),
    ]:
        model = core.Sequential([core.Input(shape=(3,)), core.layers.Dense(5, activation="tanh"),
                                 core.layers.Dense(units)])
        model.compile(loss=loss, dtype="float64")
        x, y = _batch(kind, units, rng)
        assert max_relative_error(gradcheck(model, x, y, max_checks=None)) < 1e-6


def test_gradcheck_detects_a_wrong_derivative():
    broken = core.activations.Activation(
        "broken_tanh", lambda ops, z: ops.tanh(z), lambda ops, z, a, g: g * (1.0 - a),  # wrong f'
        "a = tanh(z)", "wrong")
    model = core.Sequential([core.Input(shape=(3,)), core.layers.Dense(4, activation=broken),
                             core.layers.Dense(2)])
    model.compile(loss="mse", dtype="float64")
    rng = np.random.default_rng(0)
    entries = gradcheck(model, rng.normal(size=(5, 3)), rng.normal(size=(5, 2)))
    by_param = {(e.layer, e.param): e.relative_error for e in entries}
    first = model.compute_layers[0].name
    assert by_param[(first, "kernel")] > 1e-2
    assert by_param[(model.compute_layers[1].name, "kernel")] < 1e-6


def test_gradcheck_leaves_the_model_untouched():
    model = core.Sequential([core.Input(shape=(3,)), core.layers.Dense(2, activation="sigmoid")])
    model.compile(loss="mse")
    before = model.get_weights()
    gradcheck(model, np.ones((2, 3)), np.zeros((2, 2)))
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert model.ops.dtype == "float32"
