"""The one builder: a model from its description, compiled alike, with the targets its loss wants."""

import numpy as np
import pytest

import core
from core.stepper import builder
from core.stepper.builder import CompileSpec


def test_a_description_round_trips_with_names_and_shapes():
    config = builder.dense_stack((28, 28), [(16, "relu"), (10, "softmax")])
    model = builder.build_model(config, CompileSpec("sparse_categorical_crossentropy", "adam"), seed=3)
    assert [la.name for la in model.compute_layers] == ["flatten", "dense", "dense_1"]
    again = builder.model_config(model)
    assert again["input_shape"] == [28, 28]
    assert [row["class"] for row in again["layers"]] == ["Flatten", "Dense", "Dense"]
    rebuilt = builder.model_from_config(again)
    assert [la.name for la in rebuilt.compute_layers] == ["flatten", "dense", "dense_1"]
    assert rebuilt.count_params() == model.count_params() == 784 * 16 + 16 + 16 * 10 + 10


def test_the_seed_decides_the_initial_weights_and_names_restart():
    config = builder.dense_stack((2,), [(4, "tanh"), (1, "sigmoid")])
    spec = CompileSpec("binary_crossentropy", "sgd")
    first, second, other = (builder.build_model(config, spec, seed=s) for s in (7, 7, 8))
    assert [la.name for la in second.compute_layers] == ["dense", "dense_1"]
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first.get_weights()[0], other.get_weights()[0])


def test_categorical_crossentropy_gets_one_hot_targets_from_labels():
    config = builder.dense_stack((3,), [(5, "relu"), (3, "softmax")])
    model = builder.build_model(config, CompileSpec("categorical_crossentropy", "adam", ("accuracy",)), seed=0)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(30, 3)).astype("float32"), rng.integers(0, 3, 30)
    session = builder.build_session(model, x, y, validation=(x[:6], y[:6]), batch_size=10, epochs=1, seed=0)
    session.step_epoch()
    targets = session.engine.ops.to_numpy(session.y_metric)
    assert targets.shape == (30, 3) and np.array_equal(targets.argmax(axis=1), y)
    assert session.validation_data[1].shape == (6, 3)
    assert np.isfinite(session.history.epochs[0]["val_loss"])
    one_hot = builder.training_targets(model, core.utils.to_categorical(y, 3))
    assert one_hot.shape == (30, 3)  # already one-hot: left as it is
    with pytest.raises(ValueError, match="class labels 0…2 for an output layer of 3 units"):
        builder.training_targets(model, np.array([0, 1, 5]))


def test_other_losses_keep_their_targets():
    config = builder.dense_stack((2,), [(1, "sigmoid")])
    model = builder.build_model(config, CompileSpec("sparse_categorical_crossentropy", "adam"), seed=0)
    y = np.array([0, 1, 1])
    assert builder.training_targets(model, y) is not None and builder.training_targets(model, y).shape == (3,)
