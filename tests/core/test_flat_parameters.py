"""The flat parameter/gradient buffers change speed, never numbers."""

from __future__ import annotations

import numpy as np
import pytest

import core
from core.engine import as_ops_targets
from core.flat import FlatParameters

OPTIMIZERS = [
    lambda: core.optimizers.SGD(0.05),
    lambda: core.optimizers.SGD(0.05, momentum=0.9),
    lambda: core.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
    lambda: core.optimizers.Adagrad(0.05),
    lambda: core.optimizers.RMSprop(0.01, momentum=0.5, centered=True),
    lambda: core.optimizers.Adam(0.01),
    lambda: core.optimizers.Adam(0.01, amsgrad=True),
    lambda: core.optimizers.AdamW(0.01),
    lambda: core.optimizers.Adam(0.01, clipnorm=0.1),  # falls back to per-array updates
]


def _data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(96, 6)).astype(np.float32)
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int64) + (x[:, 2] > 1)
    return x, y


def _engine(make_opt, backend="numpy", flat=True):
    core.random.set_random_seed(3)
    model = core.Sequential([core.Input(shape=(6,)), core.layers.Dense(7, activation="tanh"),
                             core.layers.Dense(5, activation="relu"), core.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=make_opt(), loss="sparse_categorical_crossentropy", backend=backend)
    x, y = _data()
    engine = model.make_engine(y.shape, model.output_shape)
    if not flat:
        engine.flat = None
    return model, engine, x, y


def _train(engine, model, x, y, steps=12):
    ops = engine.ops
    y_loss, y_metric = as_ops_targets(ops, model.loss, y, model.output_shape)
    xs = ops.asarray(x)
    for s in range(steps):
        rows = slice((s * 16) % 96, (s * 16) % 96 + 16)
        engine.train_batch(engine.begin(xs[rows], y_loss[rows], y_metric[rows]))


def _state(model, engine):
    ops = engine.ops
    slots = {k: [ops.copy_numpy(a) for a in v] for k, v in engine.optimizer.slots.items()}
    return model.get_weights(), slots


@pytest.mark.parametrize("make_opt", OPTIMIZERS)
def test_flat_update_is_bit_identical_to_per_array_updates(make_opt):
    model_a, flat_engine, x, y = _engine(make_opt, flat=True)
    model_b, plain_engine, _, _ = _engine(make_opt, flat=False)
    assert flat_engine.flat is not None
    _train(flat_engine, model_a, x, y)
    _train(plain_engine, model_b, x, y)
    (wa, sa), (wb, sb) = _state(model_a, flat_engine), _state(model_b, plain_engine)
    for a, b in zip(wa, wb):
        assert np.array_equal(a, b)
    assert sa.keys() == sb.keys()
    for name in sa:
        for a, b in zip(sa[name], sb[name]):
            assert np.array_equal(a, b), name
    assert not np.array_equal(wa[0], model_a.get_weights()[0] * 0)  # it trained


def test_torch_flat_update_matches_per_array_updates(torch_module):
    make_opt = OPTIMIZERS[5]
    model_a, flat_engine, x, y = _engine(make_opt, backend="torch", flat=True)
    model_b, plain_engine, _, _ = _engine(make_opt, backend="torch", flat=False)
    assert flat_engine.flat is not None
    _train(flat_engine, model_a, x, y)
    _train(plain_engine, model_b, x, y)
    for a, b in zip(model_a.get_weights(), model_b.get_weights()):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-7)


def test_parameters_are_views_of_one_buffer_and_gradients_land_in_the_other():
    model, engine, x, y = _engine(OPTIMIZERS[5])
    flat = engine.flat
    params = engine.parameters()
    assert sum(int(np.prod(p.shape)) for p in params) == flat.params.shape[0] == model.count_params()
    assert all(np.shares_memory(p, flat.params) for p in params)
    _train(engine, model, x, y, steps=1)
    trace = engine.begin(np.asarray(x[:16]), *as_ops_targets(engine.ops, model.loss, y[:16], model.output_shape))
    engine.train_batch(trace)
    assert flat.holds(engine.parameter_gradients(trace))
    assert all(np.shares_memory(s, engine.optimizer.flat_slots["momentum"])
               for s in engine.optimizer.slots["momentum"])


def test_replaced_parameters_are_rebound_with_their_values():
    model, engine, x, y = _engine(OPTIMIZERS[5])
    layer = engine.layers[0]
    replacement = np.full_like(layer.params[0], 0.25)
    layer.params[0] = replacement  # as a backend move would do
    assert not engine.flat.bound()
    _train(engine, model, x, y, steps=1)
    assert engine.flat.bound()
    assert np.shares_memory(layer.params[0], engine.flat.params)
    # The update started from the replacement's values, not the buffer's stale ones.
    assert np.abs(layer.params[0] - 0.25).max() < 0.05


def test_parameters_moved_to_another_backend_fall_back_to_per_array_updates(torch_module):
    model, engine, x, y = _engine(OPTIMIZERS[5])
    layer = engine.layers[0]
    layer.params[0] = torch_module.from_numpy(np.array(layer.params[0]))  # not an ndarray any more
    assert not engine.flat.ensure_bound()
    assert isinstance(layer.params[0], torch_module.Tensor)  # left alone


def test_supported_needs_parameters_of_one_dtype():
    model, engine, *_ = _engine(OPTIMIZERS[0])
    assert FlatParameters.supported(engine.layers, engine.ops)
    assert not FlatParameters.supported([core.layers.Flatten()], engine.ops)
