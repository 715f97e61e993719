"""No Keras argument is silently ignored: typos raise as in Keras, unsupported arguments are refused by name."""

import numpy as np
import pytest

import core
from core.arguments import UnknownArgumentError

from .helpers import LABELS, X, build


def _compiled(lib, **kwargs):
    model = build(lib)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"], **kwargs)
    return model


@pytest.mark.parametrize("call", [
    lambda m: m.fit(X, LABELS, epoch=3, verbose=0),
    lambda m: m.predict(X, verbos=0),
    lambda m: m.summary(line_lenght=80),
    lambda m: m.train_on_batch(X, LABELS, epochs=2),
    lambda m: m.compile(optimizer="adam", loss="mse", metric=["accuracy"]),
])
def test_misspelled_arguments_raise_type_error_as_in_keras(keras, call):
    with pytest.raises(TypeError):
        call(_compiled(keras))
    with pytest.raises(TypeError, match="epoch|verbos|line_lenght|epochs|metric"):
        call(_compiled(core))


@pytest.mark.parametrize("make", [
    lambda lib: lib.layers.Dense(3, activaton="relu"),
    lambda lib: lib.optimizers.Adam(learnig_rate=0.1),
    lambda lib: _compiled(lib).evaluate(X, LABELS, verbose=0, batchsize=8),
])
def test_unknown_constructor_arguments_raise_value_error_as_in_keras(keras, make):
    with pytest.raises(ValueError):
        make(keras)
    with pytest.raises(UnknownArgumentError) as info:  # both a TypeError and a ValueError
        make(core)
    assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)


@pytest.mark.parametrize("make, name", [
    (lambda: core.layers.Dense(3, kernel_constraint="max_norm"), "kernel_constraint"),
    (lambda: core.layers.BatchNormalization(renorm=True), "renorm"),
    (lambda: core.regularizers.get("orthogonal_regularizer"), "OrthogonalRegularizer"),
    (lambda: core.layers.Dense(3, bias_constraint="non_neg"), "bias_constraint"),
    (lambda: core.optimizers.Adam(use_ema=True), "use_ema"),
    (lambda: core.optimizers.SGD(gradient_accumulation_steps=4), "gradient_accumulation_steps"),
    (lambda: core.optimizers.SGD(loss_scale_factor=128.0), "loss_scale_factor"),
    (lambda: _compiled(core, steps_per_execution=4), "steps_per_execution"),
    (lambda: _compiled(core).fit(X, LABELS, shuffle="batch", verbose=0), "shuffle='batch'"),
    (lambda: core.Input(shape=(3,), sparse=True), "sparse"),
    (lambda: core.losses.SparseCategoricalCrossentropy(ignore_class=0), "ignore_class"),
    (lambda: core.callbacks.TensorBoard(log_dir="logs"), "TensorBoard"),
    (lambda: core.metrics.AUC(multi_label=True), "multi_label"),
    (lambda: core.layers.Flatten(data_format="channels_first"), "data_format"),
    (lambda: _compiled(core).fit(iter([X]), verbose=0), "list_iterator"),
    (lambda: _compiled(core).save("model.h5"), "HDF5"),
    (lambda: core.layers.Dense(3, dtype="mixed_float16"), "mixed_float16"),
    (lambda: core.activations.get("glu"), "glu"),
    (lambda: core.losses.get("cosine_similarity"), "cosine_similarity"),
    (lambda: core.optimizers.get("adafactor"), "adafactor"),
])
def test_unsupported_keras_arguments_are_refused_by_name(make, name):
    with pytest.raises(NotImplementedError, match=name):
        make()


def test_execution_options_are_recorded_and_change_no_number():
    a, b = build(core), build(core)
    b.set_weights(a.get_weights())
    a.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", backend="numpy")
    b.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", backend="numpy", run_eagerly=True,
              jit_compile=True, auto_scale_loss=False)
    assert (b.run_eagerly, b.jit_compile, b.auto_scale_loss) == (True, True, False)
    a.fit(X, LABELS, shuffle=False, verbose=0)
    b.fit(X, LABELS, shuffle=False, verbose=0)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)


def test_documented_leniencies_from_older_tutorials_stay():
    assert float(core.optimizers.SGD(lr=0.1).learning_rate) == pytest.approx(0.1)
    model = core.Sequential([core.Input(shape=5), core.layers.Dense(4, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics="accuracy")
    assert list(model.fit(X, LABELS, verbose=0).history) == ["accuracy", "loss"]


def test_class_weight_and_sample_weight_together_are_refused_as_in_keras(keras):
    for lib in (keras, core):
        with pytest.raises(ValueError, match="class_weight"):
            _compiled(lib).fit(X, LABELS, sample_weight=np.ones(64), class_weight={0: 2.0}, verbose=0)
