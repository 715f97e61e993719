"""Validation is the held-out share of the training data, exactly as the Code dock's code picks it;
a file's test set stays apart."""

import numpy as np
import pytest

from settings.config import DataConfig, TrainConfig, prepare
from settings.training_changes import describe_change
from core.codegen import DataCode, data_lines
from core.datasets import Dataset
from core.datasets.splits import holdout_indices


def images(n, n_test=None, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, (n, 6, 6)).astype(np.uint8)
    y = rng.integers(0, 10, n)
    test = {} if n_test is None else {"x_test": rng.integers(0, 256, (n_test, 6, 6)).astype(np.uint8),
                                       "y_test": rng.integers(0, 10, n_test)}
    return Dataset(x, y, "classification", tuple(str(k) for k in range(10)), name="imgs", **test)


@pytest.mark.parametrize("n,share,seed", [(60000, 0.2, 42), (400, 0.2, 0), (7, 0.3, 1), (1000, 0.05, 3)])
def test_the_split_is_scikit_learns_train_test_split(n, share, seed):
    sklearn = pytest.importorskip("sklearn.model_selection")
    train, held_out = holdout_indices(n, share, seed)
    expected_train, expected_held_out = sklearn.train_test_split(np.arange(n), test_size=share, random_state=seed)
    np.testing.assert_array_equal(train, expected_train)
    np.testing.assert_array_equal(held_out, expected_held_out)


def test_fashion_mnist_sizes_48000_and_12000_with_the_test_set_apart():
    data = images(60000, 10000)
    prepared = prepare(data, DataConfig(source="file", seed=42))
    assert len(prepared.x_train) == 48000 and len(prepared.x_val) == 12000 and len(prepared.x_test) == 10000
    assert prepared.validation == "split"
    chosen = prepare(data, DataConfig(source="file", seed=42, validation="test"))
    assert len(chosen.x_train) == 60000 and len(chosen.x_val) == 10000 and chosen.validation == "test"
    np.testing.assert_array_equal(chosen.x_val, prepared.x_test)


@pytest.mark.parametrize("normalization", ["auto", "standardize", "minmax", "none"])
@pytest.mark.parametrize("validation", ["split", "test"])
def test_the_generated_data_code_selects_and_scales_exactly_what_trains(normalization, validation):
    pytest.importorskip("sklearn")
    data = images(300, 50, seed=1)
    config = DataConfig(source="file", seed=7, validation_fraction=0.25, normalization=normalization,
                        validation=validation)
    prepared = prepare(data, config)
    code = "\n".join(data_lines(DataCode(prepared.normalizer.method, prepared.validation, 0.25, 7, True)))
    scope = {"x": data.x.astype(np.float64), "y": data.y, "x_test": data.x_test.astype(np.float64),
             "y_test": data.y_test}
    exec(code, scope)
    x_val = scope["x_val"] if validation == "split" else scope["x_test"]
    np.testing.assert_allclose(scope["x_train"], prepared.x_train, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(x_val, prepared.x_val, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(scope["x_test"], prepared.x_test, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(scope["y_train"], prepared.y_train)


def test_tiny_sets_have_no_validation_and_no_test_set():
    gate = DataConfig(source="gate").load()
    prepared = prepare(gate, DataConfig(source="gate"))
    assert prepared.x_val is None and prepared.x_test is None and prepared.validation == "none"


@pytest.mark.parametrize("field,value,kind", [
    ("epochs", 3, "epochs"), ("batch_size", 64, "new_session"), ("dtype", "float64", "new_session"),
    ("backend", "numpy", "new_session"), ("seed", 5, "restart"), ("loss", "mean_squared_error", "restart"),
    ("optimizer", "SGD", "restart")])
def test_what_a_training_change_costs(field, value, kind):
    from dataclasses import replace

    old = TrainConfig(optimizer="Adam", hyper={"learning_rate": 0.01})
    change = describe_change(old, replace(old, **{field: value}))
    assert change.restart == (kind == "restart")
    assert change.new_session == (kind == "new_session")
    assert change.epochs == (kind == "epochs")
    assert change.discards_progress == (kind == "restart")


def test_hyper_parameters_change_in_place_and_defaults_count_as_given():
    old = TrainConfig(optimizer="Adam", hyper={"learning_rate": 0.01})
    same = TrainConfig(optimizer="Adam", hyper={"learning_rate": 0.01, "beta_1": 0.9, "amsgrad": False})
    assert describe_change(old, same).empty
    change = describe_change(old, TrainConfig(optimizer="Adam", hyper={"learning_rate": 0.1, "beta_2": 0.99}))
    assert change.hyper == {"learning_rate": 0.1, "beta_2": 0.99} and not change.restart
