"""Dropout, BatchNormalization and the regularizers against Keras 3 (torch backend): weights after an epoch for
every course optimizer, the reported losses, summaries, configs and files."""

import json

import numpy as np
import pytest

import core
from core.summary import summary_text

from .helpers import LABELS, X, assert_same_history, max_weight_error

#: The course's optimizers, with learning rates that move the weights visibly in one epoch.
COURSE_OPTIMIZERS = {
    "sgd": ("SGD", {"learning_rate": 0.1}),
    "momentum": ("SGD", {"learning_rate": 0.05, "momentum": 0.9}),
    "nesterov": ("SGD", {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True}),
    "adagrad": ("Adagrad", {"learning_rate": 0.1}),
    "rmsprop": ("RMSprop", {"learning_rate": 0.01}),
    "adam": ("Adam", {"learning_rate": 0.01}),
}


def _middle(lib, kind):
    reg = lib.regularizers
    if kind == "batchnorm":
        return [lib.layers.Dense(8, activation="sigmoid"), lib.layers.BatchNormalization(momentum=0.9),
                lib.layers.Dense(6, activation="sigmoid"), lib.layers.BatchNormalization()]
    if kind == "l2":
        return [lib.layers.Dense(8, activation="relu", kernel_regularizer=reg.L2(0.01),
                                 bias_regularizer=reg.l2(0.02))]
    if kind == "l1":
        return [lib.layers.Dense(8, activation="relu", kernel_regularizer=reg.L1(0.01), bias_regularizer="l1")]
    if kind == "l1_l2_activity":
        return [lib.layers.Dense(8, activation="tanh", kernel_regularizer=reg.l1_l2(l1=0.001, l2=0.01),
                                 activity_regularizer=reg.L2(0.05)),
                lib.layers.BatchNormalization(gamma_regularizer="l2", beta_regularizer=reg.L1(0.01)),
                lib.layers.ActivityRegularization(l1=0.01)]
    if kind == "every_layer":
        return _middle(lib, "l1_l2_activity") + [lib.layers.Dropout(0.25, seed=7, noise_shape=(None, 8))]
    if kind == "dropout_rate_0":
        return [lib.layers.Dense(8, activation="relu"), lib.layers.Dropout(0.0), lib.layers.BatchNormalization(
            center=False), lib.layers.Dense(6, activation="relu"), lib.layers.BatchNormalization(scale=False)]
    raise KeyError(kind)


def _pair(keras, kind):
    keras.utils.set_random_seed(0)
    km = keras.Sequential([keras.Input((5,)), *_middle(keras, kind), keras.layers.Dense(4, activation="softmax")])
    pm = core.Sequential([core.Input((5,)), *_middle(core, kind), core.layers.Dense(4, activation="softmax")])
    pm.set_weights(km.get_weights())
    return km, pm


def _compile(km, pm, keras, optimizer):
    name, kwargs = optimizer
    for lib, model in ((keras, km), (core, pm)):
        extra = {"backend": "numpy"} if lib is core else {}
        model.compile(optimizer=getattr(lib.optimizers, name)(**kwargs), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], **extra)


@pytest.mark.parametrize("optimizer", sorted(COURSE_OPTIMIZERS))
@pytest.mark.parametrize("kind", ["batchnorm", "l2", "l1", "l1_l2_activity", "dropout_rate_0"])
def test_one_epoch_matches_keras_within_1e_5(keras, kind, optimizer):
    km, pm = _pair(keras, kind)
    start = pm.get_weights()
    _compile(km, pm, keras, COURSE_OPTIMIZERS[optimizer])
    kh = km.fit(X, LABELS, batch_size=8, epochs=1, shuffle=False, validation_split=0.25, verbose=0)
    ph = pm.fit(X, LABELS, batch_size=8, epochs=1, shuffle=False, validation_split=0.25, verbose=0)
    moved = max(float(np.abs(a - b).max()) for a, b in zip(start, pm.get_weights()))
    assert moved > 1e-3  # the epoch really trained
    assert max_weight_error(km, pm) < 1e-5
    assert_same_history(kh, ph, rtol=1e-5)  # the loss includes every penalty, training and validation


def test_evaluate_and_single_batches_report_the_penalties_as_keras(keras):
    km, pm = _pair(keras, "l1_l2_activity")
    _compile(km, pm, keras, COURSE_OPTIMIZERS["adam"])
    np.testing.assert_allclose(pm.evaluate(X, LABELS, verbose=0), km.evaluate(X, LABELS, verbose=0), rtol=1e-5)
    np.testing.assert_allclose(pm.train_on_batch(X[:16], LABELS[:16]), km.train_on_batch(X[:16], LABELS[:16]),
                               rtol=1e-5)
    np.testing.assert_allclose(pm.test_on_batch(X[:16], LABELS[:16]), km.test_on_batch(X[:16], LABELS[:16]),
                               rtol=1e-5)
    np.testing.assert_allclose(pm.losses, [float(v) for v in km.losses[-len(pm.losses):]], rtol=1e-6)
    np.testing.assert_allclose(pm.predict(X, verbose=0), km.predict(X, verbose=0), atol=1e-6)


def test_a_frozen_batchnorm_runs_in_inference_mode_as_in_keras(keras):
    km, pm = _pair(keras, "batchnorm")
    for m in (km, pm):
        m.layers[1].trainable = False
    _compile(km, pm, keras, COURSE_OPTIMIZERS["sgd"])
    frozen = pm.layers[1].get_weights()
    km.fit(X, LABELS, batch_size=16, shuffle=False, verbose=0)
    pm.fit(X, LABELS, batch_size=16, shuffle=False, verbose=0)
    assert max_weight_error(km, pm) < 1e-5
    for a, b in zip(frozen, pm.layers[1].get_weights()):
        np.testing.assert_array_equal(a, b)


def test_calling_a_model_in_training_mode_moves_the_moving_statistics_as_keras(keras):
    km, pm = _pair(keras, "batchnorm")
    np.testing.assert_allclose(pm(X, training=True), km(X, training=True).detach().numpy(), atol=1e-5)
    assert max_weight_error(km, pm) < 1e-6
    assert not np.allclose(pm.layers[1].moving_mean.numpy(), 0.0)


def test_dropout_is_deterministic_with_set_random_seed_in_both(keras):
    def train(lib, seed):
        lib.utils.set_random_seed(seed)
        model = lib.Sequential([lib.Input((5,)), lib.layers.Dense(16, activation="relu"), lib.layers.Dropout(0.5),
                                lib.layers.Dense(4, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(X, LABELS, epochs=2, verbose=0)
        return model.get_weights()

    for lib in (keras, core):
        first, again, other = train(lib, 3), train(lib, 3), train(lib, 4)
        assert all(np.array_equal(a, b) for a, b in zip(first, again))
        assert not np.array_equal(first[0], other[0])


def test_dropout_masks_have_the_same_mean_and_variance_as_keras(keras):
    ones = np.ones((500, 40), dtype="float32")
    keep = {}
    for lib in (keras, core):
        lib.utils.set_random_seed(0)
        layer = lib.layers.Dropout(0.3)
        draws = [np.asarray(layer(ones, training=True)) for _ in range(20)]
        keep[lib.__name__] = np.stack(draws)
    for out in keep.values():  # kept units scaled by 1/(1 − rate), dropped ones 0
        np.testing.assert_allclose(np.unique(out), [0.0, 1 / 0.7], rtol=1e-6)
    k, p = (keep[name] > 0 for name in ("keras", "core"))
    se = np.sqrt(2 * 0.21 / k.size)  # the standard error of a difference of two means of 400,000 Bernoulli(0.7)
    assert abs(k.mean() - p.mean()) < 5 * se and abs(p.mean() - 0.7) < 5 * se / np.sqrt(2)
    assert abs(k.var() - p.var()) < 0.003
    assert abs(keep["keras"].mean() - keep["core"].mean()) < 0.01  # both keep E[a] = x


def test_summary_with_batchnorm_and_dropout_matches_keras(keras):
    km, pm = _pair(keras, "batchnorm")
    for m in (km, pm):
        m.add(m.__class__.__module__.startswith("keras") and keras.layers.Dropout(0.2) or core.layers.Dropout(0.2))
    got = []
    km.summary(print_fn=got.append, line_length=90, show_trainable=True)
    assert summary_text(pm, line_length=90, show_trainable=True) == got[0]
    assert "Non-trainable params: 28" in got[0]


def test_keras_files_carry_the_layers_and_regularizers_both_ways(keras, tmp_path):
    km, pm = _pair(keras, "every_layer")
    _compile(km, pm, keras, COURSE_OPTIMIZERS["adam"])
    pm.fit(X, LABELS, epochs=2, verbose=0)
    pm.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(X, verbose=0), pm.predict(X, verbose=0), atol=1e-6)
    np.testing.assert_allclose(loaded.evaluate(X, LABELS, verbose=0), pm.evaluate(X, LABELS, verbose=0), rtol=1e-5)
    for klayer, player in zip(loaded.layers, pm.layers):  # Keras's configs build Propscope's layers, and back
        config = klayer.get_config()
        again = type(player).from_config(config).get_config()
        assert json.dumps(again, sort_keys=True, default=list) == json.dumps(config, sort_keys=True, default=list)
    pm.save_weights(tmp_path / "p.weights.h5")
    km.load_weights(tmp_path / "p.weights.h5")
    assert max_weight_error(km, pm) == 0.0
    km.fit(X, LABELS, epochs=1, verbose=0)
    km.save_weights(tmp_path / "k.weights.h5")
    pm.load_weights(tmp_path / "k.weights.h5")
    assert max_weight_error(km, pm) == 0.0


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_keras_model_files_with_the_new_layers_open_in_propscope_and_train_on_alike(keras, tmp_path, suffix):
    km, _ = _pair(keras, "every_layer")
    km.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    km.fit(X, LABELS, epochs=2, verbose=0)
    path = tmp_path / f"m{suffix}"
    km.save(path)
    pm = core.models.load_model(path)
    assert [type(la).__name__ for la in pm.layers] == [type(la).__name__ for la in km.layers]
    assert pm.layers[0].kernel_regularizer.get_config() == km.layers[0].kernel_regularizer.get_config()
    assert pm.layers[1].momentum == km.layers[1].momentum and pm.layers[3].noise_shape == (None, 8)
    np.testing.assert_allclose(pm.predict(X, verbose=0), km.predict(X, verbose=0), atol=1e-6)
    np.testing.assert_allclose(pm.evaluate(X, LABELS, verbose=0), km.evaluate(X, LABELS, verbose=0), rtol=1e-5)
    assert [v.path.split("/", 1)[1] for v in pm.non_trainable_weights] == [
        v.path.split("/", 1)[1] for v in km.non_trainable_weights]
