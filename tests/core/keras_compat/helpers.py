"""Building the same small model in Keras 3 and in Propscope, from the same weights."""

from __future__ import annotations

import re

import numpy as np

import core

RNG = np.random.default_rng(0)
X = RNG.normal(size=(64, 5)).astype("float32")
LABELS = RNG.integers(0, 4, 64)
ONE_HOT = np.eye(4, dtype="float32")[LABELS]
BINARY = (X[:, :1] > 0).astype("float32")
REGRESSION = RNG.normal(size=(64, 3)).astype("float32")
WEIGHTS = RNG.random(64).astype("float32")


def build(lib, units=4, out="softmax", hidden="tanh", extra=()):
    return lib.Sequential([lib.Input((5,)), lib.layers.Dense(7, activation=hidden), *extra,
                           lib.layers.Dense(units, activation=out)])


def pair(keras, units=4, out="softmax", hidden="tanh", extra_keras=(), extra_core=()):
    keras.utils.set_random_seed(0)  # the same starting weights every run: no test depends on a lucky draw
    km = build(keras, units, out, hidden, extra_keras)
    pm = build(core, units, out, hidden, extra_core)
    pm.set_weights(km.get_weights())
    return km, pm


def compile_both(km, pm, keras, optimizer=("Adam", {}), **kwargs):
    km.compile(optimizer=getattr(keras.optimizers, optimizer[0])(**optimizer[1]), **kwargs)
    pm.compile(optimizer=getattr(core.optimizers, optimizer[0])(**optimizer[1]), backend="numpy", **kwargs)


def max_weight_error(km, pm) -> float:
    return max(float(np.abs(a - b).max()) for a, b in zip(km.get_weights(), pm.get_weights()))


def assert_same_history(kh, ph, rtol=2e-5):
    assert list(ph.history) == list(kh.history)
    for key in kh.history:
        np.testing.assert_allclose(ph.history[key], kh.history[key], rtol=rtol, atol=1e-6, err_msg=key)
    assert ph.epoch == kh.epoch and ph.params == kh.params


def final_lines(text: str) -> list[str]:
    """What a terminal shows after the output is done: each line's last redraw, times masked."""
    out = []
    for line in text.split("\n"):
        shown = line.split("\r")[-1].replace("\b", "")
        shown = re.sub(r"\d+(ms|us|s)/step", "T/step", shown)
        shown = re.sub(r"\x1b\[1m\d+s\x1b\[0m", "\x1b[1mTs\x1b[0m", shown)
        shown = re.sub(r" - \d+s - ", " - Ts - ", shown)
        out.append(shown.rstrip())
    return out
