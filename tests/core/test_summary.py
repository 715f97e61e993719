"""Parameter counts and summaries of the course models, as Keras prints them."""

import pytest

import core as keras
from core import layers, models
from core.summary import summary_text

# Printed by Keras 3.15 (torch backend) for the same model, copied verbatim.
KERAS_784_100_10 = """Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (None, 100)            │        78,500 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 10)             │         1,010 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 79,510 (310.59 KB)
 Trainable params: 79,510 (310.59 KB)
 Non-trainable params: 0 (0.00 B)"""


def test_input3_dense2_has_8_params():
    x = layers.Input(shape=(3,))
    y = layers.Dense(2)(x)
    model = models.Model(x, y)
    assert model.count_params() == 8
    w, b = model.get_weights()
    assert w.shape == (3, 2) and b.shape == (2,)
    text = summary_text(model)
    assert "input_layer (InputLayer)" in text and "(None, 3)" in text
    assert " Total params: 8 (32.00 B)" in text


def test_4_8_8_3_has_139_params_with_int_shape():
    x = layers.Input(shape=4)  # the course notes pass an int
    z1 = layers.Dense(8)(x)
    z2 = layers.Dense(8)(z1)
    y = layers.Dense(3)(z2)
    model = models.Model(x, y)
    assert model.count_params() == 139
    assert [w.shape for w in model.get_weights()] == [(4, 8), (8,), (8, 8), (8,), (8, 3), (3,)]
    assert [la.name for la in model.layers] == ["input_layer", "dense", "dense_1", "dense_2"]


def test_784_100_10_summary_matches_keras_verbatim():
    model = keras.Sequential([
        keras.layers.Dense(100, activation="sigmoid", input_shape=(784,)),
        keras.layers.Dense(10, activation="softmax"),
    ])
    assert model.count_params() == 79_510
    assert summary_text(model) == KERAS_784_100_10 + "\n"


def test_summary_prints_and_returns_none_or_calls_print_fn_once(capsys):
    model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(100, activation="sigmoid"),
                              keras.layers.Dense(10, activation="softmax")])
    got = []
    assert model.summary(print_fn=got.append, line_length=76) is None
    assert got == [summary_text(model)] and capsys.readouterr().out == ""
    assert model.summary(line_length=76) is None
    assert capsys.readouterr().out == summary_text(model)


def test_deep_784_100_100_100_10_has_99710_params():
    model = keras.Sequential([
        keras.layers.Dense(100, activation="sigmoid", input_shape=(784,), name="hidden1"),
        keras.layers.Dense(100, activation="sigmoid", name="hidden2"),
        keras.layers.Dense(100, activation="relu", name="hidden3"),
        keras.layers.Dense(10, activation="softmax", name="output"),
    ])
    assert model.count_params() == 99_710
    rows = model.summary_rows()
    assert [(r["name"], r["params"]) for r in rows] == [
        ("hidden1", 78_500), ("hidden2", 10_100), ("hidden3", 10_100), ("output", 1_010)]


def test_flatten_28x28_100_10_has_79510_params():
    model = keras.Sequential()
    model.add(keras.layers.Flatten(input_shape=(28, 28)))
    model.add(keras.layers.Dense(100, activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    assert model.count_params() == 79_510
    text = summary_text(model)
    assert "│ flatten (Flatten)               │ (None, 784)            │             0 │" in text


def test_unbuilt_model_summary_and_count_params():
    model = keras.Sequential([keras.layers.Dense(3)])
    text = summary_text(model)
    assert "│ dense (Dense)                   │ ?                      │   0 (unbuilt) │" in text
    with pytest.raises(ValueError, match="not built"):
        model.count_params()


def test_float64_summary_counts_bytes():
    keras.backend.set_floatx("float64")
    try:
        model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
        assert "Total params: 8 (64.00 B)" in summary_text(model)
    finally:
        keras.backend.set_floatx("float32")


def test_automatic_names_number_like_keras():
    a = keras.Sequential([keras.layers.Dense(2, input_shape=(3,)), keras.layers.Dense(1)])
    b = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    assert [la.name for la in a.layers] == ["dense", "dense_1"]
    assert b.layers[0].name == "dense_2"
    assert (a.name, b.name) == ("sequential", "sequential_1")
    assert [w.path for w in a.weights] == ["sequential/dense/kernel", "sequential/dense/bias",
                                           "sequential/dense_1/kernel", "sequential/dense_1/bias"]
