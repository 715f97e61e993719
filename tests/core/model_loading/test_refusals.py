"""Real Keras models Propscope does not step through are refused with the layer or class named and what is
supported listed; nothing that existed before changes."""

import numpy as np
import pytest

import core
import propscope
from core import random as prandom
from core.backend import config as backend_config
from core.model_loading import UnsafeModelError, UnsupportedModelError, open_model

from .conftest import X

SUPPORTED = "models made of: InputLayer, Dense, Flatten, Activation"


def conv(keras):
    return keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3, name="conv"), keras.layers.Flatten(),
                             keras.layers.Dense(2)])


def lstm(keras):
    return keras.Sequential([keras.Input((4, 3)), keras.layers.LSTM(5, name="memory"), keras.layers.Dense(2)])


def lambda_layer(keras):
    return keras.Sequential([keras.Input((5,)), keras.layers.Lambda(lambda t: t * 2, name="double"),
                             keras.layers.Dense(2)])


def custom_layer(keras):
    @keras.saving.register_keras_serializable(package="course")
    class Scale(keras.layers.Layer):
        def call(self, x):
            return x * 3

    return keras.Sequential([keras.Input((5,)), Scale(name="scale"), keras.layers.Dense(2)])


def subclassed_model(keras):
    @keras.saving.register_keras_serializable(package="course")
    class MyNet(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    model = MyNet()
    model(X[:2])
    return model


def two_inputs(keras):
    a, b = keras.Input((5,), name="a"), keras.Input((3,), name="b")
    return keras.Model([a, b], keras.layers.Dense(2)(keras.layers.Concatenate()([a, b])))


def two_outputs(keras):
    t = keras.Input((5,))
    h = keras.layers.Dense(4, name="hidden")(t)
    return keras.Model(t, [keras.layers.Dense(2, name="left")(h), keras.layers.Dense(1, name="right")(h)])


def shared_layer(keras):
    t = keras.Input((5,))
    shared = keras.layers.Dense(5, name="shared")
    return keras.Model(t, shared(shared(t)))


def nested_model(keras):
    inner = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3)], name="inner")
    t = keras.Input((5,))
    return keras.Model(t, keras.layers.Dense(2)(inner(t)))


def custom_activation(keras):
    @keras.saving.register_keras_serializable(package="course")
    def wiggle(x):
        return x * 0.5

    return keras.Sequential([keras.Input((5,)), keras.layers.Dense(2, activation=wiggle, name="out")])


CASES = [
    (conv, UnsupportedModelError, "layer 'conv': Propscope cannot open Conv2D layers: Propscope steps through "
                                  "multi-layer perceptrons"),
    (lstm, UnsupportedModelError, "layer 'memory': Propscope cannot open LSTM layers: .*text and sequence"),
    (lambda_layer, UnsafeModelError, "layer 'double': Propscope cannot open Lambda layers: .*never runs code"),
    (custom_layer, UnsupportedModelError, "layer 'scale': (the layer class is a custom class 'course>Scale'|"
                                          "Propscope cannot open course>Scale layers: it is not a Keras layer)"),
    (subclassed_model, UnsupportedModelError, "the model (class is a custom class 'course>MyNet'|is a custom or "
                                              "subclassed model class 'MyNet')"),
    (two_inputs, UnsupportedModelError, "the model has 2 inputs"),
    (two_outputs, UnsupportedModelError, "the model has 2 outputs"),
    (shared_layer, UnsupportedModelError, "layer 'shared': the layer is called 2 times"),
    (nested_model, UnsupportedModelError, "layer 'inner': Propscope cannot open Sequential layers: it is a whole "
                                          "model nested"),
    (custom_activation, UnsupportedModelError, "layer 'out': activation 'course>wiggle' is not one Propscope "
                                               "computes \\(custom activations are never loaded\\)"),
]


@pytest.mark.parametrize("fmt", ["keras", "h5"])
@pytest.mark.parametrize("case", CASES, ids=[c[0].__name__ for c in CASES])
def test_refused_with_the_layer_named_and_nothing_changed(keras, tmp_path, case, fmt):
    make, error, message = case
    model = make(keras)
    try:
        model.save(tmp_path / f"m.{fmt}")
    except Exception as exc:  # noqa: BLE001 - a model Keras cannot write in this format is not a case here
        pytest.skip(f"Keras cannot save it as .{fmt}: {type(exc).__name__}")
    names, rng = backend_config.name_counts(), prandom.global_generator().bit_generator.state
    with pytest.raises(error, match=message) as info:
        open_model(tmp_path / f"m.{fmt}")
    assert str(info.value).startswith(f"m.{fmt}")
    if make in (conv, lstm, lambda_layer, custom_layer, nested_model, subclassed_model):
        assert SUPPORTED in str(info.value)
    assert backend_config.name_counts() == names and prandom.global_generator().bit_generator.state == rng


def test_a_live_keras_model_is_refused_under_its_own_name(keras):
    model = lstm(keras)
    with pytest.raises(UnsupportedModelError, match=f"^Keras model {model.name!r}, config.json: layer 'memory'"):
        propscope.session(model, np.zeros((4, 4, 3), "float32"), np.zeros(4))


def test_a_sequential_never_built_is_built_on_the_data_first(keras):
    model = keras.Sequential([keras.layers.Dense(3, activation="relu"), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    session = propscope.session(model, X, np.zeros((48, 2), "float32"), batch_size=16)
    assert session.model.input_shape == (None, 5) and model.built
    for a, b in zip(model.get_weights(), session.model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_model_files_that_are_not_whole_models_say_what_they_are(keras, tmp_path):
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2)])
    model.save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(core.model_loading.InvalidModelError, match="weights file"):
        open_model(tmp_path / "w.weights.h5")
    (tmp_path / "notes.keras").write_text("hello")
    with pytest.raises(core.model_loading.DamagedModelError, match="not a Keras model file"):
        open_model(tmp_path / "notes.keras")
