"""The course's Keras code runs unchanged with ``import core as keras``."""

import numpy as np
import pytest

import core as keras


def _fashion_like(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 28, 28)).astype("float32")
    y = rng.integers(0, 10, n)
    return x, y


def test_course_fashion_mnist_flow_runs():
    train_input, train_target = _fashion_like()
    train_scaled = train_input.reshape(-1, 28 * 28)
    dense1 = keras.layers.Dense(100, activation="sigmoid", input_shape=(784,))
    dense2 = keras.layers.Dense(10, activation="softmax")
    model = keras.Sequential([dense1, dense2])
    model.compile(loss="sparse_categorical_crossentropy", metrics="accuracy")
    assert isinstance(model.optimizer, keras.optimizers.RMSprop)  # Keras's default
    history = model.fit(train_scaled, train_target, epochs=2, verbose=0)
    assert set(history.history) == {"loss", "accuracy"} and len(history.history["loss"]) == 2
    loss, acc = model.evaluate(train_scaled, train_target, verbose=0)
    assert np.isfinite(loss) and 0.0 <= acc <= 1.0
    assert model.predict(train_scaled[:5], verbose=0).shape == (5, 10)
    np.testing.assert_allclose(model.predict(train_scaled[:5], verbose=0).sum(axis=1), 1.0, rtol=1e-5)


def test_course_optimizer_spellings():
    x, y = _fashion_like(64)
    model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)),
                              keras.layers.Dense(100, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    start = model.get_weights()
    spellings = [("sgd", keras.optimizers.SGD, 0.01), ("adagrad", keras.optimizers.Adagrad, 0.001),
                 ("rmsprop", keras.optimizers.RMSprop, 0.001), ("adam", keras.optimizers.Adam, 0.001),
                 (keras.optimizers.SGD(momentum=0.9, nesterov=True), keras.optimizers.SGD, 0.01),
                 (keras.optimizers.SGD(lr=0.05, momentum=0.9), keras.optimizers.SGD, 0.05),
                 (keras.optimizers.Adagrad(lr=0.02, epsilon=1e-6), keras.optimizers.Adagrad, 0.02),
                 (keras.optimizers.RMSprop(lr=0.003, rho=0.9, epsilon=1e-06), keras.optimizers.RMSprop, 0.003),
                 (keras.optimizers.Adam(lr=0.004), keras.optimizers.Adam, 0.004)]
    for opt, cls, lr in spellings:
        model.set_weights(start)
        model.compile(optimizer=opt, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        assert type(model.optimizer) is cls and model.optimizer.learning_rate == pytest.approx(lr)  # lr= as lr
        history = model.fit(x, y, epochs=1, verbose=0)
        assert np.isfinite(history.history["loss"][0])
        assert not np.array_equal(model.get_weights()[0], start[0])  # it trained


def test_course_typo_activation_gives_a_clear_error():
    with pytest.raises(ValueError, match="Unknown activation function 'oftmasx'.*softmax"):
        keras.layers.Dense(10, activation="oftmasx")


def test_losses_as_classes_and_strings():
    values = []
    for loss in ["mse", keras.losses.MeanSquaredError(), "mean_squared_error", keras.losses.mse]:
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
        model.compile(loss=loss, optimizer="sgd")
        assert isinstance(model.loss, keras.losses.MeanSquaredError)
        values.append(model.fit(np.ones((4, 2)), np.ones(4), verbose=0).history["loss"][0])
    assert values == [values[0]] * 4  # every spelling is the same loss


def test_accuracy_resolution_follows_keras():
    from core.metrics import BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, resolve

    assert isinstance(resolve("accuracy", (8,), (8, 10)), SparseCategoricalAccuracy)
    assert isinstance(resolve("accuracy", (8, 1), (8, 10)), SparseCategoricalAccuracy)
    assert isinstance(resolve("accuracy", (8, 10), (8, 10)), CategoricalAccuracy)
    assert isinstance(resolve("accuracy", (8, 1), (8, 1)), BinaryAccuracy)
    assert isinstance(resolve("acc", (8,), (8, 1)), BinaryAccuracy)


def test_loss_values_by_hand():
    # BCE of p = 0.8 for y = 1 and p = 0.4 for y = 0: −(log 0.8 + log 0.6)/2
    bce = keras.losses.BinaryCrossentropy()
    assert float(bce(np.array([[1.0], [0.0]]), np.array([[0.8], [0.4]]))) == pytest.approx(
        -(np.log(0.8) + np.log(0.6)) / 2, rel=1e-6)
    # CCE renormalizes: (0.2, 0.6) → (0.25, 0.75); −log 0.75
    cce = keras.losses.CategoricalCrossentropy()
    assert float(cce(np.array([[0.0, 1.0]]), np.array([[0.2, 0.6]]))) == pytest.approx(-np.log(0.75), rel=1e-6)
    # Huber δ=1: e = 0.5 → 0.125; e = 2 → 1.5; mean 0.8125
    assert float(keras.losses.Huber()(np.array([[0.0, 0.0]]), np.array([[0.5, 2.0]]))) == pytest.approx(0.8125)
    # sparse CCE of a probability below ε is clipped at −log(1e-7)
    scce = keras.losses.SparseCategoricalCrossentropy()
    assert float(scce(np.array([0]), np.array([[0.0, 1.0]]))) == pytest.approx(-np.log(1e-7), rel=1e-5)


def test_wrong_target_shapes_get_specific_errors():
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(loss="categorical_crossentropy")
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        model.fit(np.ones((5, 4)), np.zeros(5), verbose=0)
    model.compile(loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="label 3 is outside 0..2"):
        model.fit(np.ones((2, 4)), np.array([0, 3]), verbose=0)
    with pytest.raises(ValueError, match="expects samples of shape \\(4,\\)"):
        model.fit(np.ones((2, 5)), np.array([0, 1]), verbose=0)
    with pytest.raises(ValueError, match="1 NaN/Inf"):
        model.fit(np.array([[1, 2, 3, np.nan], [1, 2, 3, 4]]), np.array([0, 1]), verbose=0)
    with pytest.raises(ValueError, match="x has 2 samples but y has 3"):
        model.fit(np.ones((2, 4)), np.array([0, 1, 2]), verbose=0)


def test_fit_before_compile_is_a_clear_error():
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(np.ones((2, 2)), np.ones(2), verbose=0)


def test_validation_split_takes_the_last_fraction():
    x = np.arange(20, dtype="float32").reshape(10, 2)
    y = np.arange(10, dtype="float32")
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=0.0))
    h = model.fit(x, y, validation_split=0.2, epochs=1, verbose=0)
    expected = model.evaluate(x[8:], y[8:], verbose=0)  # lr = 0: weights did not move
    assert h.history["val_loss"][0] == pytest.approx(expected)


def test_seed_makes_runs_identical_and_different_seeds_differ():
    x, y = _fashion_like(128)
    x = x.reshape(-1, 784)

    def run(seed):
        keras.utils.set_random_seed(seed)
        m = keras.Sequential([keras.layers.Dense(20, activation="relu", input_shape=(784,)),
                              keras.layers.Dense(10, activation="softmax")])
        m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        m.fit(x, y, epochs=2, batch_size=16, verbose=0)
        return m.get_weights()

    a, b, c = run(1), run(1), run(2)
    for wa, wb in zip(a, b):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a[0], c[0])


def test_glorot_uniform_limits_and_zero_bias():
    keras.utils.set_random_seed(0)
    layer = keras.layers.Dense(100, input_shape=(784,))
    keras.Sequential([layer])
    kernel, bias = layer.get_weights()
    limit = np.sqrt(6 / (784 + 100))
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.95 * limit
    assert kernel.dtype == np.float32 and not bias.any()


def test_set_weights_validates_shapes_and_values():
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="expected shape \\(3, 2\\), got \\(2, 3\\)"):
        model.set_weights([np.ones((2, 3)), np.ones(2)])
    with pytest.raises(ValueError, match="expects 2 weight arrays"):
        model.set_weights([np.ones((3, 2))])
    with pytest.raises(ValueError, match="NaN"):
        model.set_weights([np.full((3, 2), np.nan), np.ones(2)])


def test_to_categorical_and_onehot_training():
    y = keras.utils.to_categorical([0, 2, 1], num_classes=3)
    np.testing.assert_array_equal(y, np.eye(3)[[0, 2, 1]])
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(loss="categorical_crossentropy", metrics=["accuracy"])
    h = model.fit(np.ones((3, 2)), y, verbose=0)
    assert "accuracy" in h.history


def test_train_on_batch_returns_loss_and_metrics():
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="sgd", metrics=["accuracy"])
    loss, acc = model.train_on_batch(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, 0.0]))
    assert loss > 0 and acc in (0.0, 0.5, 1.0)


def test_xor_is_learned_by_a_2_2_1_mlp():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float32")
    y = np.array([0, 1, 1, 0], dtype="float32")
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(4, activation="tanh"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, y, epochs=300, batch_size=4, verbose=0)
    assert model.evaluate(x, y, verbose=0)[1] == 1.0
