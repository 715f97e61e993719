"""Hyper-parameters changed mid-training: as in Keras (``model.optimizer.learning_rate = x``), the next
update uses them and the optimizer keeps its state; rewinding replays each step with what was in force."""

import os

import numpy as np
import pytest

import core
from core.stepper import TrainingSession


def data(n=96, d=5, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    return x, rng.integers(0, 4, n)


def build(lib):
    return lib.Sequential([lib.layers.Input(shape=(5,)), lib.layers.Dense(7, activation="tanh"),
                           lib.layers.Dense(4, activation="softmax")])


def session(optimizer, seed=0, checkpoint_every=4, weights=None, backend="numpy"):
    core.utils.set_random_seed(seed)
    model = build(core)
    if weights is not None:
        model.set_weights(weights)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  backend=backend)
    x, y = data()
    return TrainingSession(model, x, y, batch_size=16, shuffle=False, checkpoint_every=checkpoint_every)


CHANGES = [("Adam", {}, {"learning_rate": 0.05}), ("SGD", {"momentum": 0.9}, {"learning_rate": 0.1, "momentum": 0.5}),
           ("RMSprop", {}, {"rho": 0.5, "learning_rate": 0.01}), ("Adagrad", {}, {"epsilon": 1e-3})]


@pytest.mark.parametrize("name,kwargs,change", CHANGES, ids=[c[0] for c in CHANGES])
def test_a_change_mid_run_matches_keras_assigning_the_attribute(name, kwargs, change):
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    pytest.importorskip("torch")
    x, y = data()
    km = build(keras)
    km.compile(optimizer=getattr(keras.optimizers, name)(**kwargs), loss="sparse_categorical_crossentropy")
    s = session(getattr(core.optimizers, name)(**kwargs), weights=km.get_weights())
    km.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    for _ in range(6):
        s.step_batch()
    for key, value in change.items():
        setattr(km.optimizer, key, value)
    s.set_hyperparameters(**change)
    km.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    for _ in range(6):
        s.step_batch()
    scale = max(float(np.abs(w).max()) for w in km.get_weights())
    for kw, pw in zip(km.get_weights(), s.model.get_weights()):
        np.testing.assert_allclose(pw, kw, rtol=0, atol=1e-5 * scale)
    assert int(km.optimizer.iterations) == int(s.model.optimizer.iterations) == 12


@pytest.mark.parametrize("name,kwargs,change", CHANGES + [("SGD", {}, {"momentum": 0.9}),
                                                          ("Adam", {}, {"amsgrad": True}),
                                                          ("RMSprop", {}, {"centered": True, "momentum": 0.3})])
def test_replays_after_a_change_are_bit_identical(name, kwargs, change):
    s = session(getattr(core.optimizers, name)(**kwargs))
    for _ in range(5):
        s.step_batch()
    s.set_hyperparameters(**change)
    for _ in range(6):
        s.step_batch()
    after = [w.copy() for w in s.model.get_weights()]
    losses = s.history.scalar("loss")[1].copy()
    for target in (2, 5, 6, 11, 3, 11):
        s.seek(target)
        expected_lr = change.get("learning_rate", getattr(core.optimizers, name)(**kwargs).current_learning_rate())
        if target > 5:
            assert s.model.optimizer.current_learning_rate() == pytest.approx(expected_lr)
    assert all(np.array_equal(a, b) for a, b in zip(after, s.model.get_weights()))
    np.testing.assert_array_equal(s.history.scalar("loss")[1], losses)
    s.seek(3)
    for key in change:  # back before the change: the old values are in force
        default = getattr(getattr(core.optimizers, name)(**kwargs), key)
        assert float(getattr(s.model.optimizer, key)) == float(default)


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_flat_buffers_and_torch_take_the_change(backend, torch_module):
    """The one-call flat update (core.flat) and the torch backend read the new values too."""
    reference = session(core.optimizers.SGD(learning_rate=0.01, momentum=0.5), backend="numpy")
    s = session(core.optimizers.SGD(learning_rate=0.01, momentum=0.5), backend=backend)
    assert reference.engine.flat is not None  # the reference takes the one-call flat path
    for target in (reference, s):
        for _ in range(3):
            target.step_batch()
        target.set_hyperparameters(learning_rate=0.3, momentum=0.0)
        for _ in range(3):
            target.step_batch()
    assert s.model.optimizer.current_learning_rate() == 0.3
    for a, b in zip(reference.model.get_weights(), s.model.get_weights()):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    slow = session(core.optimizers.SGD(learning_rate=0.01, momentum=0.5), backend="numpy")
    for _ in range(3):
        slow.step_batch()
    for layer in slow.engine.layers:  # the per-array path, without flat buffers
        layer.params = [p.copy() for p in layer.params]
    slow.engine.flat = None
    slow.set_hyperparameters(learning_rate=0.3, momentum=0.0)
    for _ in range(3):
        slow.step_batch()
    for a, b in zip(reference.model.get_weights(), slow.model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_the_learning_rate_history_shows_the_change():
    s = session(core.optimizers.SGD(learning_rate=0.01))
    for _ in range(3):
        s.step_batch()
    s.set_hyperparameters(learning_rate=0.2)
    s.step_batch()
    assert list(s.history.scalar("learning_rate")[1]) == pytest.approx([0.01, 0.01, 0.01, 0.2])


def test_a_change_at_a_rewound_step_starts_a_new_future():
    s = session(core.optimizers.Adam(), checkpoint_every=2)
    for _ in range(10):
        s.step_batch()
    s.seek(4)
    s.set_hyperparameters(learning_rate=0.1)
    assert s.max_step == 4 and s.history.last_step == 4
    assert list(s.history.scalar("loss")[0]) == [1, 2, 3, 4]
    assert max(s.checkpoints.steps) <= 4
    s.step_batch()
    assert s.max_step == 5 and s.history.scalar("learning_rate")[1][-1] == pytest.approx(0.1)


def test_a_session_continuing_a_model_keeps_its_iteration_count():
    s = session(core.optimizers.Adam())
    for _ in range(5):
        s.step_batch()
    x, y = data()
    follow = TrainingSession(s.model, x, y, batch_size=32, shuffle=False)
    assert follow.step == 0 and int(s.model.optimizer.iterations) == 5
    follow.step_batch()
    assert int(s.model.optimizer.iterations) == 6
    follow.seek(0)
    assert int(s.model.optimizer.iterations) == 5
