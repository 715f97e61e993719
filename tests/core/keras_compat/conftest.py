"""Real Keras 3 (torch backend) for the parity tests; skipped where it is not installed."""

import os
import warnings

import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")


@pytest.fixture(scope="session")
def keras():
    keras = pytest.importorskip("keras")
    pytest.importorskip("torch")
    return keras


@pytest.fixture(autouse=True)
def _quiet_keras_names(request):
    """Keras's automatic names restart too, so both libraries call layers dense, dense_1…"""
    if "keras" in request.fixturenames:
        keras = request.getfixturevalue("keras")
        keras.backend.clear_session(free_memory=False)  # names restart; no slow garbage collection
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield
