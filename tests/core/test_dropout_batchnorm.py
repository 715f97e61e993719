"""Dropout and BatchNormalization: Keras 3's semantics, computed by hand here (Keras itself: keras_compat)."""

import numpy as np
import pytest

import core
from core.backend.ops import NumpyOps
from core.gradcheck import gradcheck, max_relative_error

OPS = NumpyOps("float64")
RNG = np.random.default_rng(7)
X = RNG.normal(1.5, 2.0, size=(32, 6))


# --- Dropout ------------------------------------------------------------------------------------
def test_dropout_is_the_identity_at_inference_and_for_rate_zero():
    layer = core.layers.Dropout(0.4)
    layer.build((None, 6))
    np.testing.assert_array_equal(layer(X.astype("float32")), X.astype("float32"))
    np.testing.assert_array_equal(layer.forward(OPS, X, training=False)[1], X)
    zero = core.layers.Dropout(0.0)
    zero.build((None, 6))
    np.testing.assert_array_equal(zero.forward(OPS, X, training=True, record={})[1], X)
    assert zero.noise_streams() == []


def test_dropout_drops_and_scales_the_kept_units_by_one_over_keep():
    layer = core.layers.Dropout(0.25, seed=3)
    layer.build((None, 6))
    record = {}
    z, a = layer.forward(OPS, X, training=True, record=record)
    mask = record["mask"]
    assert set(np.unique(mask)) == {0.0, 1.0}
    assert record["scale"] == pytest.approx(1 / 0.75)
    np.testing.assert_allclose(a, X * mask / 0.75)
    np.testing.assert_array_equal(z, X)
    grad = RNG.normal(size=X.shape)
    delta, grads, grad_x = layer.backward(OPS, X, z, a, grad, record=record)
    np.testing.assert_allclose(delta, grad * mask / 0.75)
    assert grads == [] and grad_x is delta


def test_dropout_rate_one_gives_zeros_as_keras():
    layer = core.layers.Dropout(1.0)
    layer.build((None, 6))
    np.testing.assert_array_equal(layer.forward(OPS, X, training=True, record={})[1], np.zeros_like(X))


def test_dropout_masks_have_the_bernoulli_mean_and_variance_over_many_draws():
    rate, n = 0.3, 400
    layer = core.layers.Dropout(rate, seed=11)
    layer.build((None, 50))
    ones = np.ones((n, 50))
    outputs = np.stack([layer.forward(OPS, ones, training=True, record={})[1] for _ in range(40)])
    keep = outputs > 0
    # 800,000 Bernoulli(0.7) draws: the mean is within 5 standard errors of 0.7, the variance of 0.21.
    se = np.sqrt(rate * (1 - rate) / keep.size)
    assert abs(keep.mean() - (1 - rate)) < 5 * se
    assert abs(keep.var() - rate * (1 - rate)) < 0.002
    # Inverted dropout keeps the expected value: E[a] = x, Var[a] = rate/(1−rate)·x².
    assert abs(outputs.mean() - 1.0) < 5 * np.sqrt(rate / (1 - rate) / outputs.size)
    assert abs(outputs.var() - rate / (1 - rate)) < 0.01
    # Every draw is a new mask; units are dropped independently.
    assert not np.array_equal(keep[0], keep[1])
    assert abs(np.corrcoef(keep[:, :, 0].ravel(), keep[:, :, 1].ravel())[0, 1]) < 0.02


def test_dropout_noise_shape_drops_whole_rows():
    layer = core.layers.Dropout(0.5, noise_shape=(None, 1), seed=2)
    layer.build((None, 6))
    record = {}
    a = layer.forward(OPS, X, training=True, record=record)[1]
    assert record["mask"].shape == (32, 1)
    for row, x_row, kept in zip(a, X, record["mask"][:, 0]):
        np.testing.assert_allclose(row, x_row * kept * 2.0)
    assert 0 < record["mask"].sum() < 32
    with pytest.raises(ValueError, match="noise_shape"):
        core.layers.Dropout(0.5, noise_shape="all")
    with pytest.raises(ValueError, match="rate"):
        core.layers.Dropout(1.5)


def test_dropout_masks_are_reproducible_from_the_seed_and_the_global_seed():
    def masks(**kwargs):
        layer = core.layers.Dropout(0.5, **kwargs)
        layer.build((None, 6))
        return [layer.forward(OPS, X, training=True, record={})[1] for _ in range(3)]

    for a, b in zip(masks(seed=5), masks(seed=5)):
        np.testing.assert_array_equal(a, b)
    core.utils.set_random_seed(1)
    first = masks()
    core.utils.set_random_seed(1)
    again = masks()
    core.utils.set_random_seed(2)
    other = masks()
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(first[0], other[0])


def test_a_dropout_layer_does_not_change_the_other_layers_initial_weights():
    def weights(extra):
        core.utils.set_random_seed(4)
        model = core.Sequential([core.Input((6,)), core.layers.Dense(5), *extra, core.layers.Dense(3)])
        return [w for w in model.get_weights()]

    plain, dropped = weights([]), weights([core.layers.Dropout(0.3)])
    assert len(plain) == len(dropped) == 4
    for a, b in zip(plain, dropped):
        np.testing.assert_array_equal(a, b)


# --- BatchNormalization -----------------------------------------------------------------------------
def _bn(**kwargs):
    layer = core.layers.BatchNormalization(**kwargs)
    layer.ops = OPS
    layer.build((None, 6))
    return layer


def test_batchnorm_counts_four_weights_per_feature_two_of_them_non_trainable():
    model = core.Sequential([core.Input((4,)), core.layers.Dense(100), core.layers.BatchNormalization()])
    bn = model.layers[-1]
    assert bn.count_params() == 400
    assert [v.name for v in bn.trainable_weights] == ["gamma", "beta"]
    assert [v.name for v in bn.non_trainable_weights] == ["moving_mean", "moving_variance"]
    counts = model.parameter_counts()
    assert counts["Non-trainable params"][0] == 200 and counts["Trainable params"][0] == 500 + 200
    assert [w.name for w in _bn(center=False).weights] == ["gamma", "moving_mean", "moving_variance"]


def test_batchnorm_training_forward_normalizes_by_the_batch_and_inference_by_the_moving_statistics():
    layer = _bn()
    gamma, beta = RNG.normal(size=6), RNG.normal(size=6)
    layer.set_weights([gamma, beta, np.full(6, 0.5), np.full(6, 4.0)])
    record = {}
    x_hat, a = layer.forward(OPS, X, training=True, record=record)
    mu, var = X.mean(axis=0), X.var(axis=0)
    np.testing.assert_allclose(record["mean"][0], mu)
    np.testing.assert_allclose(record["variance"][0], var, rtol=1e-10)
    np.testing.assert_allclose(x_hat, (X - mu) / np.sqrt(var + 1e-3), rtol=1e-9)
    np.testing.assert_allclose(a, gamma * x_hat + beta, rtol=1e-9)
    assert record["batch_statistics"] is True
    inference = layer.forward(OPS, X, training=False, record={})[1]
    np.testing.assert_allclose(inference, gamma * (X - 0.5) / np.sqrt(4.0 + 1e-3) + beta)
    layer.trainable = False  # as Keras: a frozen BatchNormalization runs in inference mode
    np.testing.assert_allclose(layer.forward(OPS, X, training=True, record={})[1], inference)


def test_batchnorm_moves_its_statistics_in_the_update_only_after_a_training_forward():
    layer = _bn(momentum=0.9)
    record = {}
    layer.forward(OPS, X, training=True, record=record)
    layer.update_state(OPS, record)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.1 * X.mean(axis=0))
    np.testing.assert_allclose(layer.moving_variance.numpy(), 0.9 + 0.1 * X.var(axis=0))
    before = layer.get_weights()
    inference = {}
    layer.forward(OPS, X, training=False, record=inference)
    layer.update_state(OPS, inference)
    for a, b in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_batchnorm_backward_is_the_textbook_formula():
    layer = _bn()
    layer.set_weights([RNG.normal(size=6), RNG.normal(size=6), np.zeros(6), np.ones(6)])
    record = {}
    x_hat, a = layer.forward(OPS, X, training=True, record=record)
    g = RNG.normal(size=X.shape)
    delta, (d_gamma, d_beta), dx = layer.backward(OPS, X, x_hat, a, g, record=record)
    gamma = layer.gamma.numpy()
    np.testing.assert_allclose(delta, g * gamma)
    np.testing.assert_allclose(d_gamma, (g * x_hat).sum(axis=0))
    np.testing.assert_allclose(d_beta, g.sum(axis=0))
    n = len(X)
    expected = (n * delta - delta.sum(axis=0) - x_hat * (delta * x_hat).sum(axis=0)) / (n * np.sqrt(
        X.var(axis=0) + 1e-3))
    np.testing.assert_allclose(dx, expected, rtol=1e-8, atol=1e-12)


def test_batchnorm_refuses_what_it_does_not_compute():
    with pytest.raises(NotImplementedError, match="renorm"):
        core.layers.BatchNormalization(renorm=True)
    with pytest.raises(NotImplementedError, match="gamma_constraint"):
        core.layers.BatchNormalization(gamma_constraint="non_neg")
    with pytest.raises(ValueError, match="synchronized=True"):
        core.layers.BatchNormalization(synchronized=True)
    with pytest.raises(ValueError, match="out of bounds"):
        core.Sequential([core.Input((4,)), core.layers.BatchNormalization(axis=3)])


# --- gradient check --------------------------------------------------------------------------------
def _model(*middle, trainable_bn=True):
    core.utils.set_random_seed(0)
    model = core.Sequential([core.Input((5,)), core.layers.Dense(7, activation="tanh"), *middle,
                             core.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    return model


@pytest.mark.parametrize("middle", [
    lambda: [core.layers.BatchNormalization()],
    lambda: [core.layers.BatchNormalization(center=False, gamma_regularizer="l2")],
    lambda: [core.layers.Dropout(0.5, seed=1)],
    lambda: [core.layers.BatchNormalization(), core.layers.Dropout(0.3, seed=2), core.layers.Dense(4),
             core.layers.BatchNormalization(scale=False)],
])
def test_gradient_check_covers_batchnorm_and_dropout_with_its_mask_fixed(middle):
    model = _model(*middle())
    x, y = RNG.normal(size=(16, 5)), RNG.integers(0, 3, 16)
    model.fit(x, y, epochs=2, verbose=0)  # moving statistics away from their start
    entries = gradcheck(model, x, y, max_checks=None)
    assert {e.param for e in entries} >= {"kernel", "bias"}
    assert max_relative_error(entries) < 1e-6


def test_a_bias_before_batchnorm_has_zero_gradient_and_passes_the_check():
    model = _model(core.layers.Dense(4), core.layers.BatchNormalization())  # a linear layer, then BN
    x, y = RNG.normal(size=(16, 5)), RNG.integers(0, 3, 16)
    bias = next(e for e in gradcheck(model, x, y, max_checks=None) if e.layer == model.layers[1].name
                and e.param == "bias")
    assert bias.numeric_norm < 1e-9 and bias.backprop_norm < 1e-12
    assert bias.relative_error < 1e-6


def test_gradient_check_through_a_frozen_batchnorm_uses_its_moving_statistics():
    model = _model(core.layers.BatchNormalization())
    x, y = RNG.normal(size=(16, 5)), RNG.integers(0, 3, 16)
    model.fit(x, y, epochs=2, verbose=0)
    model.layers[1].trainable = False
    entries = gradcheck(model, x, y, max_checks=None)
    assert "gamma" not in {e.param for e in entries}
    assert max_relative_error(entries) < 1e-6
