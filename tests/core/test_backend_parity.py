"""NumPy ↔ torch parity: the same model from the same weights over 50 steps."""

import numpy as np
import pytest

import core

CASES = [
    ("adam", "sparse_categorical_crossentropy", "relu", "softmax", 4),
    ("sgd", "mse", "sigmoid", "linear", 2),
    (core.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True), "binary_crossentropy", "tanh",
     "sigmoid", 1),
    (core.optimizers.RMSprop(momentum=0.3, centered=True), "categorical_crossentropy", "elu", "softmax", 4),
    ("adagrad", "huber", "leaky_relu", "linear", 2),
    (core.optimizers.AdamW(amsgrad=True), "mae", "gelu", "linear", 2),
]


def _data(loss, units, n=400, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 6))
    if loss == "sparse_categorical_crossentropy":
        y = rng.integers(0, units, n)
    elif loss == "categorical_crossentropy":
        y = np.eye(units)[rng.integers(0, units, n)]
    elif loss == "binary_crossentropy":
        y = (x[:, :1] > 0).astype(float)
    else:
        y = rng.normal(size=(n, units))
    return x, y


def _model(units, hidden, out, optimizer, loss, backend, dtype):
    model = core.Sequential([core.Input(shape=(6,)), core.layers.Dense(16, activation=hidden),
                             core.layers.Dense(8, activation=hidden), core.layers.Dense(units, activation=out)])
    opt = core.optimizers.get(optimizer) if isinstance(optimizer, str) else type(optimizer)(**{
        k: v for k, v in optimizer.get_config().items() if k != "name"})
    model.compile(optimizer=opt, loss=loss, metrics=["accuracy"], backend=backend, device="cpu", dtype=dtype)
    return model


@pytest.mark.parametrize("dtype,tol", [("float32", 1e-5), ("float64", 1e-10)])
@pytest.mark.parametrize("case", range(len(CASES)))
def test_numpy_and_torch_agree_over_50_steps(torch_module, case, dtype, tol):
    optimizer, loss, hidden, out, units = CASES[case]
    x, y = _data(loss, units)
    ref = _model(units, hidden, out, optimizer, loss, "numpy", dtype)
    ref.initialize_weights(seed=7)
    tor = _model(units, hidden, out, optimizer, loss, "torch", dtype)
    assert tor.ops.name == "torch", tor.backend_message
    tor.set_weights(ref.get_weights())
    h_np = ref.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)  # 2 × 25 = 50 steps
    h_t = tor.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    assert ref.optimizer.iterations == tor.optimizer.iterations == 50
    for a, b in zip(ref.get_weights(), tor.get_weights()):
        scale = max(1.0, float(np.abs(a).max()))
        np.testing.assert_allclose(b, a, rtol=0, atol=tol * scale)
    np.testing.assert_allclose(h_t.history["loss"], h_np.history["loss"], rtol=max(tol, 1e-6))


def test_switching_backend_keeps_weights_and_optimizer_state(torch_module):
    x, y = _data("mse", 2, n=64)
    a = _model(2, "tanh", "linear", "adam", "mse", "numpy", "float32")
    a.initialize_weights(seed=1)
    b = _model(2, "tanh", "linear", "adam", "mse", "numpy", "float32")
    b.set_weights(a.get_weights())
    a.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    b.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    b.set_backend("torch", "cpu")  # mid-training: Adam's m and v must move along
    assert b.ops.name == "torch"
    b.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wb, wa, atol=1e-5)
