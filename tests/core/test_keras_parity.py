"""Train the same model in Keras 3 and in Propscope from identical weights and
batch order, for every optimizer and loss, and compare weights after an epoch.

Runs when keras (with its torch backend) is installed, as in CI.
"""

import os

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")
pytest.importorskip("torch")

import core  # noqa: E402

OPTIMIZERS = {
    "sgd": ("SGD", {}),
    "sgd_momentum": ("SGD", {"momentum": 0.9}),
    "sgd_nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}),
    "adagrad": ("Adagrad", {"learning_rate": 0.05}),
    "rmsprop": ("RMSprop", {}),
    "rmsprop_momentum_centered": ("RMSprop", {"momentum": 0.5, "centered": True}),
    "adam": ("Adam", {}),
    "adam_amsgrad": ("Adam", {"amsgrad": True, "learning_rate": 0.01}),
    "adamw": ("AdamW", {"weight_decay": 0.05, "learning_rate": 0.01}),
    "sgd_clipnorm": ("SGD", {"learning_rate": 0.1, "clipnorm": 0.5}),
    "adam_global_clipnorm": ("Adam", {"global_clipnorm": 0.3}),
    "sgd_clipvalue": ("SGD", {"learning_rate": 0.1, "clipvalue": 0.01}),
    "nadam": ("Nadam", {"learning_rate": 0.01}),
    "adamax": ("Adamax", {"learning_rate": 0.01}),
    "adadelta": ("Adadelta", {"learning_rate": 1.0}),
    "lion": ("Lion", {"learning_rate": 0.003}),
    "adamw_schedule": ("AdamW", {"learning_rate": "schedule"}),
}

# (loss, output units, output activation, target kind)
LOSSES = {
    "mse": ("mse", 3, "linear", "regression"),
    "mae": ("mae", 3, "linear", "regression"),
    "huber": ("huber", 3, "tanh", "regression"),
    "binary_crossentropy": ("binary_crossentropy", 1, "sigmoid", "binary"),
    "categorical_crossentropy": ("categorical_crossentropy", 4, "softmax", "onehot"),
    "sparse_categorical_crossentropy": ("sparse_categorical_crossentropy", 4, "softmax", "sparse"),
    "crossentropy": ("crossentropy", 4, "softmax", "sparse"),
    "mape": ("mape", 3, "linear", "regression"),
    "msle": ("msle", 3, "softplus", "positive"),
    "log_cosh": ("log_cosh", 3, "linear", "regression"),
    "kl_divergence": ("kl_divergence", 4, "softmax", "onehot"),
    "poisson": ("poisson", 3, "softplus", "positive"),
    "hinge": ("hinge", 1, "tanh", "binary"),
    "squared_hinge": ("squared_hinge", 1, "tanh", "binary"),
    "categorical_hinge": ("categorical_hinge", 4, "linear", "onehot"),
}


def _data(kind, units, n=96, d=5, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    if kind in ("regression", "positive"):
        y = rng.normal(size=(n, units)).astype("float32")
        y = np.abs(y) if kind == "positive" else y
    elif kind == "binary":
        y = (x[:, :1] + 0.3 * rng.normal(size=(n, 1)) > 0).astype("float32")
    else:
        labels = rng.integers(0, units, n)
        y = labels if kind == "sparse" else np.eye(units, dtype="float32")[labels]
    return x, y


def _build(lib, units, out_act, hidden_act):
    return lib.Sequential([
        lib.layers.Input(shape=(5,)),
        lib.layers.Dense(7, activation=hidden_act),
        lib.layers.Dense(6, activation="relu"),
        lib.layers.Dense(units, activation=out_act),
    ])


def _train_both(opt_name, opt_kwargs, loss, units, out_act, kind, hidden_act="tanh", epochs=1):
    # Seeded: a hinge loss switches a sample off where its margin crosses 0, so an unlucky draw could put a
    # margin within float rounding (1e-7) of 0 and let the two libraries' last bits decide differently.
    keras.utils.set_random_seed(1)
    x, y = _data(kind, units)
    km = _build(keras, units, out_act, hidden_act)
    pm = _build(core, units, out_act, hidden_act)
    pm.set_weights(km.get_weights())
    k_kwargs, p_kwargs = dict(opt_kwargs), dict(opt_kwargs)
    if opt_kwargs.get("learning_rate") == "schedule":
        k_kwargs["learning_rate"] = keras.optimizers.schedules.CosineDecay(0.01, 5, warmup_target=0.02, warmup_steps=2)
        p_kwargs["learning_rate"] = core.optimizers.schedules.CosineDecay(0.01, 5, warmup_target=0.02, warmup_steps=2)
    km.compile(optimizer=getattr(keras.optimizers, opt_name)(**k_kwargs), loss=loss, metrics=["accuracy"])
    pm.compile(optimizer=getattr(core.optimizers, opt_name)(**p_kwargs), loss=loss, metrics=["accuracy"],
               backend="numpy")
    kh = km.fit(x, y, batch_size=16, epochs=epochs, shuffle=False, verbose=0)
    ph = pm.fit(x, y, batch_size=16, epochs=epochs, shuffle=False, verbose=0)
    return km, pm, kh, ph


def _assert_close(km, pm, rtol=1e-5):
    # Relative to the model's weight scale: a bias whose few updates cancel to
    # ~1e-4 cannot be compared relative to itself, since summation order
    # (NumPy's vs torch's) decides the last bits of a near-zero gradient.
    kws = km.get_weights()
    scale = max(float(np.abs(w).max()) for w in kws)
    for kw, pw in zip(kws, pm.get_weights()):
        np.testing.assert_allclose(pw, kw, rtol=0, atol=rtol * scale)


@pytest.mark.parametrize("opt", sorted(OPTIMIZERS))
def test_optimizers_match_keras_after_an_epoch(opt):
    name, kwargs = OPTIMIZERS[opt]
    km, pm, kh, ph = _train_both(name, kwargs, "sparse_categorical_crossentropy", 4, "softmax", "sparse")
    _assert_close(km, pm)
    assert ph.history["loss"][0] == pytest.approx(kh.history["loss"][0], rel=1e-5)
    assert ph.history["accuracy"][0] == pytest.approx(kh.history["accuracy"][0], abs=1e-6)


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("opt", ["sgd_momentum", "adam", "rmsprop"])
def test_losses_match_keras_after_an_epoch(loss, opt):
    name, kwargs = OPTIMIZERS[opt]
    loss_name, units, out_act, kind = LOSSES[loss]
    km, pm, kh, ph = _train_both(name, kwargs, loss_name, units, out_act, kind)
    _assert_close(km, pm)
    assert ph.history["loss"][0] == pytest.approx(kh.history["loss"][0], rel=1e-5)


@pytest.mark.parametrize("act", ["sigmoid", "relu", "leaky_relu", "elu", "selu", "gelu", "swish", "linear", "softplus",
                                 "softsign", "hard_sigmoid", "relu6", "mish", "exponential", "celu", "hard_silu",
                                 "log_sigmoid", "hard_tanh"])
def test_hidden_activations_match_keras(act):
    km, pm, _, _ = _train_both("Adam", {}, "categorical_crossentropy", 4, "softmax", "onehot", hidden_act=act)
    _assert_close(km, pm)


def test_evaluate_and_predict_match_keras():
    km, pm, _, _ = _train_both("Adam", {}, "sparse_categorical_crossentropy", 4, "softmax", "sparse", epochs=2)
    x, y = _data("sparse", 4, seed=1)
    np.testing.assert_allclose(pm.predict(x, verbose=0), km.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    kl, ka = km.evaluate(x, y, verbose=0)
    pl, pa = pm.evaluate(x, y, verbose=0)
    assert pl == pytest.approx(kl, rel=1e-5)
    assert pa == pytest.approx(ka, abs=1e-6)
