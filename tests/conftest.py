"""Test-wide setup: Qt offscreen, one compute thread, torch required in CI."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KERAS_BACKEND", "torch")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import pytest  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "torch: needs torch (required when PROPSCOPE_REQUIRE_TORCH=1)")


@pytest.fixture
def torch_module():
    """torch, or a skip — except in CI, where a missing torch is a failure."""
    if os.environ.get("PROPSCOPE_REQUIRE_TORCH") == "1":
        import torch  # noqa: F401  (an ImportError fails the test, as it should in CI)

        return torch
    return pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _fresh_names():
    """Each test starts with Keras's automatic names at dense, dense_1, ..."""
    from core.backend import clear_session

    clear_session()
    yield


# `HYPOTHESIS_PROFILE=thorough pytest tests/core/datasets/test_fuzz.py` for a long fuzzing run.
from hypothesis import settings as _hyp_settings  # noqa: E402

_hyp_settings.register_profile("thorough", max_examples=3000, deadline=None)
if os.environ.get("HYPOTHESIS_PROFILE"):
    _hyp_settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
