"""The compiled one-pass optimizer update (core.optimizers.fused) gives exactly the NumPy update's bits.

Each case trains the same model twice from the same weights — once with the
fused kernels, once with them switched off — and compares weights and every
optimizer slot bit for bit after several steps (so the slots are non-trivial:
moments, accumulators, AMSGrad's maximum, Nadam's products). Gradients are
scaled up and some made zero, negative zero or tiny (subnormal), so the
kernels meet the edge values the NumPy path meets.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

import core
from core import optimizers
from core.flat import FlatParameters
from core.optimizers import fused

pytest.importorskip("numba")

CASES = [
    ("SGD", {}), ("SGD", {"momentum": 0.9}), ("SGD", {"momentum": 0.9, "nesterov": True}),
    ("SGD", {"learning_rate": 0.1, "weight_decay": 0.01}),
    ("Adam", {}), ("Adam", {"amsgrad": True}), ("Adam", {"learning_rate": 0.01, "beta_1": 0.8, "epsilon": 1e-4}),
    ("AdamW", {}), ("AdamW", {"amsgrad": True, "weight_decay": 0.1}),
    ("Nadam", {}), ("Adamax", {}), ("Adadelta", {"learning_rate": 1.0}), ("Lion", {}),
    ("Adagrad", {}), ("RMSprop", {}), ("RMSprop", {"centered": True}), ("RMSprop", {"momentum": 0.5}),
    ("RMSprop", {"momentum": 0.5, "centered": True, "weight_decay": 0.02}),
]


@pytest.fixture(scope="module", autouse=True)
def kernels_ready():
    assert fused.wait_ready(timeout=300), fused.failure()


def _train(opt_name, kwargs, dtype, use_fused, monkeypatch, steps=7):
    with contextlib.nullcontext() if use_fused else fused.suspended():
        return _train_here(opt_name, kwargs, dtype, steps)


def _train_here(opt_name, kwargs, dtype, steps):
    model = core.Sequential([core.Input(shape=(6,)), core.layers.Dense(5, activation="tanh"),
                             core.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=getattr(optimizers, opt_name)(**kwargs), loss="sparse_categorical_crossentropy",
                  backend="numpy", dtype=dtype)
    rng = np.random.default_rng(3)
    model.set_weights([rng.normal(0, 1, w.shape).astype(dtype) for w in model.get_weights()])
    x = rng.normal(0, 3, (16, 6)).astype(dtype)
    x[:3] = 0.0  # zero inputs: zero gradient rows
    x[3, :2] = np.finfo(dtype).tiny / 4  # subnormal inputs: subnormal gradients
    x[4] = -0.0
    y = rng.integers(0, 3, 16)
    engine = model.make_engine(y.shape, model.output_shape)
    assert engine.flat is not None and FlatParameters.supported(engine.layers, engine.ops)
    from core.loop import BatchArrays, EpochLoop

    loop = EpochLoop(engine, BatchArrays.from_numpy(engine, x, y, model.output_shape, None), 8, True, 5)
    for step in range(steps):
        trace = loop.begin_batch(*divmod(step, 2))
        assert engine.train_batch(trace)
    opt = model.optimizer
    return ([np.array(p) for p in engine.parameters()],
            {k: np.array(v) for k, v in opt.flat_slots.items()})


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("opt_name, kwargs", CASES, ids=[f"{n}-{'-'.join(k)}" for n, k in CASES])
def test_fused_update_is_bit_identical(opt_name, kwargs, dtype, monkeypatch):
    calls = []
    real_run = fused.run
    monkeypatch.setattr(fused, "run", lambda *a: calls.append(a[0]) or real_run(*a))
    w_fused, s_fused = _train(opt_name, kwargs, dtype, True, monkeypatch)
    assert calls, "the fused kernel was not used"
    calls.clear()
    w_numpy, s_numpy = _train(opt_name, kwargs, dtype, False, monkeypatch)
    for a, b in zip(w_fused, w_numpy):
        assert a.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(a.view(np.uint8), b.view(np.uint8))  # bits, so -0.0 ≠ 0.0 and NaN = NaN
    assert s_fused.keys() == s_numpy.keys()
    for k in s_fused:
        np.testing.assert_array_equal(s_fused[k].view(np.uint8), s_numpy[k].view(np.uint8), err_msg=k)


def test_nonfinite_values_propagate_as_in_numpy(monkeypatch):
    """A NaN or Inf gradient gives the same NaN/Inf weights either way (the run then stops on it)."""
    out = {}
    for use in (True, False):
        for name in ("adam", "lion", "adamax"):
            opt = {"adam": optimizers.Adam(amsgrad=True), "lion": optimizers.Lion(),
                   "adamax": optimizers.Adamax()}[name]
            w = np.array([1.0, 2.0, 3.0, 4.0], np.float32)
            g = np.array([np.nan, np.inf, -np.inf, 0.0], np.float32)
            ops = core.backend.ops.NumpyOps("float32")
            with np.errstate(all="ignore"), contextlib.nullcontext() if use else fused.suspended():
                opt.apply_flat(g, w, [g], [w], ops, ["w"])
            out[(name, use)] = w.copy()
    for name in ("adam", "lion", "adamax"):
        np.testing.assert_array_equal(out[(name, True)].view(np.uint8), out[(name, False)].view(np.uint8))


class _TorchRuleAdam(optimizers.Adam):
    """A variant with its own rule (as a bring-your-own-model variant would be): must not use Adam's kernel."""

    def update_step(self, ops, index, gradient, variable, learning_rate):
        ops.assign_sub(variable, gradient * learning_rate)


def test_a_subclass_with_its_own_rule_falls_back_to_its_update_step(monkeypatch):
    calls = []
    monkeypatch.setattr(fused, "run", lambda *a: calls.append(a) or True)
    w = np.ones(4, np.float32)
    g = np.full(4, 0.5, np.float32)
    _TorchRuleAdam(learning_rate=0.1).apply_flat(g, w, [g], [w], core.backend.ops.NumpyOps("float32"), ["w"])
    assert not calls
    np.testing.assert_allclose(w, 0.95)
    optimizers.AdamW().apply_flat(g, w, [g], [w], core.backend.ops.NumpyOps("float32"), ["w"])
    assert calls and calls[0][0] == "adam"  # AdamW's rule is Adam's (with decay): it is fused


def test_without_numba_the_numpy_update_runs(monkeypatch):
    """In a fresh interpreter where numba cannot be imported, training works and takes the NumPy path."""
    import subprocess
    import sys

    code = ("import sys; sys.modules['numba'] = None\n"
            "import numpy as np, core\n"
            "from core.optimizers import fused\n"
            "assert not fused.available() and not fused.wait_ready(30)\n"
            "w = np.ones(4, np.float32); g = np.full(4, 0.5, np.float32)\n"
            "core.optimizers.SGD(learning_rate=0.1).apply_flat(g, w, [g], [w], "
            "core.backend.ops.NumpyOps('float32'), ['w'])\n"
            "assert np.allclose(w, 0.95), w\n"
            "print(fused.failure())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "numba" in out.stdout or "ImportError" in out.stdout or "ModuleNotFoundError" in out.stdout


def test_off_switch(monkeypatch):
    monkeypatch.setenv("PROPSCOPE_FUSED", "0")
    assert fused.mode() == "off"
    monkeypatch.setenv("PROPSCOPE_FUSED", "sync")
    assert fused.mode() == "sync"


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_run_mode_names_the_same_divergence_with_the_compiled_update():
    """The compiled update counts non-finite weights and gradients for the batch's probe: a run that blows
    up stops at the same step, phase, layer and quantity either way."""
    from core.stepper import TrainingSession

    def diverged(use_fused: bool):
        core.backend.clear_session()
        core.random.set_random_seed(3)
        model = core.Sequential([core.Input(shape=(4,)), core.layers.Dense(8, activation="relu"),
                                 core.layers.Dense(1)])
        model.compile(optimizer=optimizers.SGD(learning_rate=1e37), loss="mse", backend="numpy")
        rng = np.random.default_rng(0)  # a finite loss whose update overflows the weights
        x, y = rng.normal(size=(64, 4)).astype(np.float32) * 10, rng.normal(size=64).astype(np.float32) * 100
        session = TrainingSession(model, x, y, batch_size=16, epochs=200, seed=0)
        with contextlib.nullcontext() if use_fused else fused.suspended():
            snaps = list(session.run())
        return session.divergence, snaps[-1].divergence, session.step

    with_fused, without = diverged(True), diverged(False)
    assert with_fused[0] is not None and with_fused[0].phase == "update" and with_fused == without


def test_a_short_run_never_imports_numba():
    """Importing core and a short run leave numba alone (cold start, a one-epoch command): the kernels
    are made only once a process has made enough updates, or when asked (the app's training process)."""
    import subprocess
    import sys

    code = ("import sys, numpy as np, core\n"
            "from core.stepper import TrainingSession\n"
            "m = core.Sequential([core.Input(shape=(3,)), core.layers.Dense(2)])\n"
            "m.compile(optimizer='adam', loss='mse', backend='numpy')\n"
            "s = TrainingSession(m, np.ones((64, 3), np.float32), np.ones((64, 2), np.float32), batch_size=8)\n"
            "list(s.run(max_steps=50))\n"
            "print('numba' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
