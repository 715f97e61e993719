"""Model files written by real Keras 3 open in Propscope with the same weights, outputs, compile settings
and optimizer state, and the opened model's next step is Keras's next step."""

import numpy as np
import pytest

import core
from core.model_loading import open_model
from core.stepper import TrainingSession

from .conftest import LABELS, X

FORMATS = ("keras", "h5")


def every_layer_model(keras, functional: bool):
    """A chain of every layer type core opens (Normalization with adapted statistics)."""
    norm = keras.layers.Normalization()
    norm.adapt(X)
    layers = [norm, keras.layers.Rescaling(0.5, offset=0.1), keras.layers.Dense(7, activation="tanh"),
              keras.layers.ReLU(max_value=2.0), keras.layers.Dense(6), keras.layers.LeakyReLU(negative_slope=0.1),
              keras.layers.Dense(6, activation="gelu", use_bias=False), keras.layers.ELU(alpha=0.5),
              keras.layers.Flatten(), keras.layers.Activation("sigmoid"), keras.layers.Dense(3),
              keras.layers.Softmax()]
    if not functional:
        return keras.Sequential([keras.Input((5,)), *layers])
    t = inputs = keras.Input((5,), name="pixels")
    for layer in layers:
        t = layer(t)
    return keras.Model(inputs, t, name="chain")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("functional", [False, True], ids=["sequential", "functional"])
def test_every_layer_type_opens_with_keras_weights_and_outputs(keras, tmp_path, fmt, functional):
    km = every_layer_model(keras, functional)
    km.save(tmp_path / f"m.{fmt}")
    opened = open_model(tmp_path / f"m.{fmt}")
    pm = opened.model
    assert [type(la).__name__ for la in pm.compute_layers] == [type(la).__name__ for la in km.layers
                                                               if type(la).__name__ != "InputLayer"]
    assert [la.name for la in pm.layers] == [la.name for la in km.layers]
    assert pm.name == km.name and pm.count_params() == km.count_params()
    for a, b in zip(km.get_weights(), pm.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(pm.predict(X, verbose=0), np.asarray(km.predict(X, verbose=0)), rtol=1e-5,
                               atol=1e-6)
    assert not opened.compiled and opened.format == fmt and opened.keras_version == keras.__version__


def test_frozen_layers_and_a_frozen_model_stay_frozen(keras, tmp_path):
    km = keras.Sequential([keras.Input((5,)), keras.layers.Dense(4, trainable=False), keras.layers.Dense(2)])
    km.compile(optimizer="sgd", loss="mse")
    km.save(tmp_path / "m.keras")
    pm = open_model(tmp_path / "m.keras").model
    assert [la.trainable for la in pm.compute_layers] == [False, True]
    assert len(pm.trainable_weights) == len(km.trainable_weights) == 2


OPTIMIZERS = [
    ("SGD", {}), ("SGD", {"momentum": 0.9}), ("SGD", {"momentum": 0.9, "nesterov": True}),
    ("RMSprop", {}), ("RMSprop", {"momentum": 0.5, "centered": True}), ("Adagrad", {}),
    ("Adadelta", {"learning_rate": 1.0}), ("Adam", {}), ("Adam", {"amsgrad": True}), ("AdamW", {}), ("Nadam", {}),
    ("Adamax", {}), ("Lion", {}), ("SGD", {"momentum": 0.5, "clipnorm": 0.1}),
]


def trained_keras_model(keras, optimizer, functional=False):
    keras.utils.set_random_seed(1)
    name, kwargs = optimizer
    if functional:
        t = inputs = keras.Input((5,))
        for layer in (keras.layers.Dense(7, activation="tanh"), keras.layers.ReLU(), keras.layers.Dense(3),
                      keras.layers.Activation("softmax")):
            t = layer(t)
        km = keras.Model(inputs, t)
    else:
        km = keras.Sequential([keras.Input((5,)), keras.layers.Dense(7, activation="tanh"), keras.layers.ReLU(),
                               keras.layers.Dense(3, activation="softmax")])
    km.compile(optimizer=getattr(keras.optimizers, name)(**kwargs), loss="sparse_categorical_crossentropy",
               metrics=["accuracy"])
    km.train_on_batch(X[:16], LABELS[:16])  # the optimizer has state: moments, an iteration count
    km.train_on_batch(X[16:32], LABELS[16:32])
    return km


def relative_error(a, b) -> float:
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(a))), 1e-12))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("optimizer", OPTIMIZERS, ids=[f"{n}{k or ''}" for n, k in OPTIMIZERS])
def test_one_step_of_the_opened_model_is_keras_train_on_batch(keras, tmp_path, fmt, optimizer):
    km = trained_keras_model(keras, optimizer, functional=fmt == "h5")
    km.save(tmp_path / f"m.{fmt}")
    opened = open_model(tmp_path / f"m.{fmt}")
    assert opened.compiled and opened.optimizer_state and not opened.notes
    pm = opened.model
    assert type(pm.optimizer).__name__ == optimizer[0] and int(pm.optimizer.iterations) == 2
    session = TrainingSession(pm, X[32:], LABELS[32:], batch_size=16, shuffle=False)
    snapshots = [session.step_phase() for _ in session.phases]  # phase by phase, like any other model
    assert [s.phase for s in snapshots] == [kind for kind, _ in session.phases]
    logs = km.train_on_batch(X[32:], LABELS[32:], return_dict=True)
    for a, b in zip(km.get_weights(), pm.get_weights()):
        assert relative_error(a, b) < 1e-5
    assert session.history.scalar("loss")[1][-1] == pytest.approx(logs["loss"], rel=1e-5)
    assert int(pm.optimizer.iterations) == 3 and session.step == 1


def test_rewinding_an_opened_model_goes_back_to_its_saved_optimizer_state(keras, tmp_path):
    km = trained_keras_model(keras, ("Adam", {}))
    km.save(tmp_path / "m.keras")
    pm = open_model(tmp_path / "m.keras").model
    session = TrainingSession(pm, X, LABELS, batch_size=16, shuffle=False)
    session.step_batch()
    first = [w.copy() for w in pm.get_weights()]
    session.step_batch()
    session.seek(1)
    for a, b in zip(first, pm.get_weights()):
        np.testing.assert_array_equal(a, b)
    session.reset()
    assert int(pm.optimizer.iterations) == 2
    assert session.get_state().initial_iterations == 2


def test_compile_settings_come_across(keras, tmp_path):
    km = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation="softmax")])
    schedule = keras.optimizers.schedules.ExponentialDecay(0.05, 10, 0.5)
    km.compile(optimizer=keras.optimizers.Adam(schedule, beta_1=0.8, epsilon=1e-6),
               loss=keras.losses.SparseCategoricalCrossentropy(from_logits=False),
               metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc"), "sparse_top_k_categorical_accuracy"],
               weighted_metrics=["accuracy"], loss_weights=[0.5])
    km.save(tmp_path / "m.keras")
    pm = open_model(tmp_path / "m.keras").model
    opt = pm.optimizer
    assert (opt.beta_1, opt.epsilon) == (0.8, 1e-6)
    assert opt.current_learning_rate() == pytest.approx(0.05)
    assert type(opt.get_config()["learning_rate"]) is dict
    assert type(pm.loss).__name__ == "SparseCategoricalCrossentropy"
    history = pm.fit(X, LABELS, epochs=1, batch_size=16, verbose=0)
    assert set(history.history) == {"loss", "acc", "sparse_top_k_categorical_accuracy", "accuracy"}


@pytest.mark.parametrize("optimizer", OPTIMIZERS, ids=[f"{n}{k or ''}" for n, k in OPTIMIZERS])
def test_a_model_saved_by_propscope_opens_in_keras_and_steps_alike(keras, tmp_path, optimizer):
    """The other direction: core trains, saves; real Keras loads it and takes the same next step."""
    km = trained_keras_model(keras, optimizer)
    km.save(tmp_path / "from_keras.keras")
    pm = open_model(tmp_path / "from_keras.keras").model
    pm.train_on_batch(X[32:], LABELS[32:])  # Propscope moves on one step
    pm.save(tmp_path / "from_propscope.keras")
    back = keras.models.load_model(tmp_path / "from_propscope.keras")
    for a, b in zip(pm.get_weights(), back.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(back.optimizer.iterations) == 3
    back.train_on_batch(X[:16], LABELS[:16])
    pm.train_on_batch(X[:16], LABELS[:16])
    for a, b in zip(back.get_weights(), pm.get_weights()):
        assert relative_error(a, b) < 1e-5


def test_what_propscope_builds_round_trips_through_keras_and_back(keras, tmp_path):
    pm = core.Sequential([core.Input((5,)), core.layers.Dense(4, activation="relu", name="hidden"),
                          core.layers.Dense(3, activation="softmax", name="out")], name="mine")
    pm.compile(optimizer=core.optimizers.RMSprop(0.01, momentum=0.3), loss="sparse_categorical_crossentropy",
               metrics=["accuracy"])
    pm.fit(X, LABELS, batch_size=16, epochs=1, verbose=0)
    pm.save(tmp_path / "a.keras")
    keras.models.load_model(tmp_path / "a.keras").save(tmp_path / "b.keras")
    again = open_model(tmp_path / "b.keras").model
    assert again.name == "mine" and [la.name for la in again.compute_layers] == ["hidden", "out"]
    for a, b in zip(pm.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(pm.optimizer.variables, again.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_load_model_and_model_from_json_are_keras_names(keras, tmp_path):
    km = trained_keras_model(keras, ("SGD", {}))
    km.save(tmp_path / "m.keras")
    assert isinstance(core.models.load_model(tmp_path / "m.keras"), core.Sequential)
    assert core.saving.load_model(tmp_path / "m.keras", compile=False).compiled is False
    rebuilt = core.models.model_from_json(km.to_json())
    assert [la.name for la in rebuilt.compute_layers] == [la.name for la in km.layers]
    with pytest.raises(NotImplementedError, match="custom"):
        core.models.load_model(tmp_path / "m.keras", custom_objects={"x": object})
    assert keras.models.model_from_json(core.models.load_model(tmp_path / "m.keras").to_json()).count_params() \
        == km.count_params()


def test_load_weights_reads_keras_weights_files_through_the_guarded_reader(keras, tmp_path):
    import h5py

    km = trained_keras_model(keras, ("SGD", {}))
    km.save_weights(tmp_path / "w.weights.h5")
    pm = core.Sequential([core.Input((5,)), core.layers.Dense(7, activation="tanh"), core.layers.ReLU(),
                          core.layers.Dense(3, activation="softmax")])
    pm.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(km.get_weights(), pm.get_weights()):
        np.testing.assert_array_equal(a, b)
    with h5py.File(tmp_path / "w.weights.h5", "r+") as h5:  # a link to another file where a kernel should be
        del h5["layers/dense/vars/0"]
        h5["layers/dense/vars/0"] = h5py.ExternalLink(str(tmp_path / "elsewhere.h5"), "/secret")
    before = [w.copy() for w in pm.get_weights()]
    with pytest.raises(core.model_loading.UnsafeModelError, match="is a link"):
        pm.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(before, pm.get_weights()):
        np.testing.assert_array_equal(a, b)
