"""Legacy ``.h5`` files in tf.keras 2.x's layout open with their weights, compile settings and optimizer state;
real Keras 3 reads the same files to the same weights, and the next step matches a Keras 3 model given the
same state."""

import numpy as np
import pytest

from core.model_loading import open_model
from core.stepper import TrainingSession

from .conftest import LABELS, X
from .tf_keras_files import functional_tf215, sequential_tf24, weights_for

X4 = X[:, :4]


def keras_twin(keras, opened, path, compile=True):
    """Keras 3 reading the same file (its optimizer state is not restored from tf.keras names: set by hand)."""
    km = keras.models.load_model(path, compile=compile)
    for a, b in zip(km.get_weights(), opened.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    return km


def test_a_tf24_sequential_opens_with_weights_and_compile_settings(keras, tmp_path):
    weights = weights_for([4, 6, 3])
    path = sequential_tf24(tmp_path / "tf24.h5", weights)
    opened = open_model(path)
    model = opened.model
    assert opened.saved_by == "tf.keras 2.4.0" and opened.compiled and not opened.optimizer_state
    assert model.input_shape == (None, 4) and [la.name for la in model.compute_layers] == ["dense", "dense_1"]
    for a, b in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    opt = model.optimizer
    assert type(opt).__name__ == "Adam" and opt.current_learning_rate() == pytest.approx(0.01)
    assert model.metric_identifiers == ["accuracy"] and type(model.loss).__name__ == "SparseCategoricalCrossentropy"
    km = keras_twin(keras, opened, path)
    np.testing.assert_allclose(model.predict(X4, verbose=0), np.asarray(km.predict(X4, verbose=0)), rtol=1e-5,
                               atol=1e-6)


def test_a_sequential_without_input_layer_takes_the_first_layers_batch_input_shape(tmp_path):
    weights = weights_for([4, 6, 3])
    model = open_model(sequential_tf24(tmp_path / "old.h5", weights, input_layer=False)).model
    assert model.input_shape == (None, 4)
    for a, b in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_tf24_adam_state_is_matched_by_name_and_the_next_step_is_keras(keras, tmp_path):
    weights = weights_for([4, 6, 3])
    rng = np.random.default_rng(3)
    state = {"m": [rng.normal(0, 0.01, w.shape).astype("float32") for w in weights],
             "v": [rng.random(w.shape).astype("float32") * 1e-3 for w in weights]}
    path = sequential_tf24(tmp_path / "tf24.h5", weights, state, iterations=5)
    opened = open_model(path)
    assert opened.optimizer_state and not opened.notes
    opt = opened.model.optimizer
    assert int(opt.iterations) == 5
    for slot, kind in (("momentum", "m"), ("velocity", "v")):
        for a, b in zip(opt.slots[slot], state[kind]):
            np.testing.assert_array_equal(a, b)
    km = keras_twin(keras, opened, path)
    # Keras 3 cannot read tf.keras's named optimizer state (it warns and starts fresh): give it the same state.
    km.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    km.optimizer.build(km.trainable_variables)
    variables = km.optimizer.variables  # iteration, learning rate, then (momentum, velocity) per weight
    variables[0].assign(5)
    for k in range(len(weights)):
        variables[2 + 2 * k].assign(state["m"][k])
        variables[3 + 2 * k].assign(state["v"][k])
    session = TrainingSession(opened.model, X4[:16], LABELS[:16], batch_size=16, shuffle=False)
    session.step_batch()
    km.train_on_batch(X4[:16], LABELS[:16])
    for a, b in zip(km.get_weights(), opened.model.get_weights()):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)


def test_a_tf215_functional_model_with_sgd_momentum_state(keras, tmp_path):
    weights = weights_for([4, 6, 3])
    momentum = [np.full(w.shape, 0.01 * (k + 1), "float32") for k, w in enumerate(weights)]
    path = functional_tf215(tmp_path / "tf215.h5", weights, {"m": momentum}, iterations=12)
    opened = open_model(path)
    model = opened.model
    assert opened.saved_by == "tf.keras 2.15.0" and opened.optimizer_state
    assert [type(la).__name__ for la in model.layers] == ["InputLayer", "Dense", "Activation", "Dense"]
    assert model.loss.from_logits and model.loss.reduction == "sum_over_batch_size"
    assert model.metric_identifiers == ["accuracy"]
    opt = model.optimizer
    assert (type(opt).__name__, opt.momentum, int(opt.iterations)) == ("SGD", 0.9, 12)
    for a, b in zip(opt.slots["momentum"], momentum):
        np.testing.assert_array_equal(a, b)
    # Keras 3 refuses the 2.11+ optimizer's jit_compile/is_legacy_optimizer keys: its weights only.
    km = keras_twin(keras, opened, path, compile=False)
    km.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9),
               loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    km.optimizer.build(km.trainable_variables)
    variables = km.optimizer.variables  # iteration, learning rate, then the momentum of each weight
    variables[0].assign(12)
    for k in range(len(weights)):
        variables[2 + k].assign(momentum[k])
    session = TrainingSession(model, X4[:16], LABELS[:16], batch_size=16, shuffle=False)
    session.step_batch()
    km.train_on_batch(X4[:16], LABELS[:16])
    for a, b in zip(km.get_weights(), model.get_weights()):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)


def test_an_optimizer_state_that_does_not_fit_starts_fresh_with_a_note(tmp_path):
    weights = weights_for([4, 6, 3])
    state = {"m": [np.zeros(w.shape, "float32") for w in weights][:3], "v": [np.zeros(w.shape, "float32")
                                                                           for w in weights][:3]}
    path = sequential_tf24(tmp_path / "partial.h5", weights, state, iterations=3)
    opened = open_model(path)
    assert not opened.optimizer_state and "fresh state" in opened.notes[0]
    assert not opened.model.optimizer.built and int(opened.model.optimizer.iterations) == 0
