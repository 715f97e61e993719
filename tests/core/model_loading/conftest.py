"""Real Keras 3 (torch backend) makes the model files these tests open; skipped where it is not installed."""

import os
import warnings

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")

RNG = np.random.default_rng(0)
X = RNG.normal(size=(48, 5)).astype("float32")
LABELS = RNG.integers(0, 3, 48)


@pytest.fixture(scope="session")
def keras():
    keras = pytest.importorskip("keras")
    pytest.importorskip("torch")
    return keras


@pytest.fixture(autouse=True)
def _quiet_keras(request):
    if "keras" in request.fixturenames:
        request.getfixturevalue("keras").backend.clear_session(free_memory=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
