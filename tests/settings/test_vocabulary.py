"""One vocabulary of activations, losses and optimizers, read from core's registries."""

import pytest

import core
from settings import vocabulary
from settings.compare_setup import Variant
from settings.config import TrainConfig


def test_the_vocabulary_is_cores_own():
    assert set(vocabulary.OPTIMIZERS) == set(core.optimizers.names())
    assert set(vocabulary.LOSSES) == {core.losses.get(n).name for n in core.losses.names()}
    assert "huber_loss" in vocabulary.LOSSES and vocabulary.loss_name("huber") == "huber_loss"
    assert vocabulary.loss_name("mse") == "mean_squared_error" == TrainConfig(loss="mse").loss
    assert set(vocabulary.ACTIVATIONS) <= set(core.activations.names())
    assert "silu" not in vocabulary.ACTIVATIONS and "swish" in vocabulary.ACTIVATIONS  # an alias is listed once
    assert "softmax" in vocabulary.ACTIVATIONS and "softmax" not in vocabulary.HIDDEN_ACTIVATIONS
    for name in vocabulary.OPTIMIZERS:  # every name compiles
        assert isinstance(core.optimizers.get(name), vocabulary.optimizer_class(name))


def test_optimizers_have_one_spelling_and_a_label():
    assert [vocabulary.optimizer_key(n) for n in ("Adam", "ADAM", "adam", "SGD", "RMSprop")] == [
        "adam", "adam", "adam", "sgd", "rmsprop"]
    assert vocabulary.optimizer_label("sgd") == "SGD" and vocabulary.optimizer_label("rmsprop") == "RMSprop"
    with pytest.raises(ValueError, match="Unknown optimizer 'adamm'. Known: sgd"):
        vocabulary.optimizer_key("adamm")
    assert TrainConfig(optimizer="Adam").optimizer == "adam"  # an old spelling is read as the one name
    assert Variant(optimizer="RMSprop").optimizer == "rmsprop"
    assert Variant(optimizer="sgd", learning_rate=0.01).optimizer_text() == "SGD (lr 0.01)"


def test_optimizer_defaults_are_keras_defaults_and_foreign_settings_are_dropped():
    assert vocabulary.optimizer_defaults("adam")["learning_rate"] == 0.001
    assert vocabulary.optimizer_defaults("sgd")["learning_rate"] == 0.01
    opt = vocabulary.make_optimizer("sgd", {"learning_rate": 0.5, "beta_1": 0.8})  # beta_1 belongs to Adam
    assert isinstance(opt, core.optimizers.SGD) and opt.learning_rate == pytest.approx(0.5)


@pytest.mark.parametrize("task, fitting", [
    ("regression", {"mean_squared_error", "mean_absolute_error", "huber_loss"}),
    ("binary", set(vocabulary.LOSSES)),
    ("classification", {"sparse_categorical_crossentropy", "categorical_crossentropy"}),
])
def test_which_losses_fit_which_task(task, fitting):
    assert {loss for loss in vocabulary.LOSSES if vocabulary.loss_fits(loss, task)} == fitting
    assert vocabulary.loss_fits(vocabulary.default_loss(task), task)
