"""Choosing a backend and device at run time, never at import time.

``get_backend("auto")`` picks the fastest backend available for the device:
torch on a GPU when one is present, otherwise NumPy, which measured 1.9× faster
than torch on this class of CPU at batch 32 (see ``benchmarks/``). A missing
torch or an unavailable device falls back to NumPy with a message, never a
crash.
"""

from __future__ import annotations

import glob
import importlib
import os
import sys
from dataclasses import dataclass
from typing import Any, Callable

from core.backend.config import floatx
from core.backend.ops import NumpyOps, Ops

BACKENDS = ("auto", "numpy", "torch")
DEVICES = ("auto", "cpu", "cuda", "mps")


class BackendUnavailable(RuntimeError):
    """A backend or device was requested strictly and cannot be provided."""


@dataclass(frozen=True)
class BackendChoice:
    """The result of backend selection.

    Attributes
    ----------
    ops : Ops
        The operations object to compute with.
    requested : str
        What was asked for, e.g. ``"torch/cuda"``.
    message : str
        Empty when the request was met; otherwise why another backend was used.
    """

    ops: Ops
    requested: str
    message: str = ""

    @property
    def fell_back(self) -> bool:
        return bool(self.message)


def _import_torch() -> Any | None:
    try:
        return importlib.import_module("torch")
    except Exception:  # a broken torch install must not take the app down
        return None


def _gpu_may_exist() -> bool:
    """Cheap check, without importing torch (~1 s), for a GPU torch could use."""
    if sys.platform == "darwin":
        return True  # Apple MPS
    return any(glob.glob(p) for p in ("/dev/nvidia[0-9]*", "/dev/dxg", "/dev/kfd"))


# Tests replace these to simulate machines with and without torch or a GPU.
torch_importer: Callable[[], Any | None] = _import_torch
gpu_may_exist: Callable[[], bool] = _gpu_may_exist


def _cuda_ok(torch: Any) -> bool:
    try:
        return bool(torch.cuda.is_available()) and torch.cuda.device_count() > 0
    except Exception:
        return False


def _mps_ok(torch: Any) -> bool:
    try:
        return bool(torch.backends.mps.is_available())
    except Exception:
        return False


def available_backends() -> list[dict[str, str]]:
    """List what can run here, as shown in the training panel.

    Returns
    -------
    list of dict
        Each with ``backend``, ``device`` and ``label`` such as
        ``"torch · cuda: NVIDIA A100"``, ``"torch · cpu"`` or ``"numpy · cpu"``.
    """
    found = []
    torch = torch_importer()
    if torch is not None:
        if _cuda_ok(torch):
            for i in range(torch.cuda.device_count()):
                name = torch.cuda.get_device_name(i)
                dev = "cuda" if i == 0 else f"cuda:{i}"
                found.append({"backend": "torch", "device": dev, "label": f"torch · {dev}: {name}"})
        if _mps_ok(torch):
            found.append({"backend": "torch", "device": "mps", "label": "torch · mps: Apple GPU"})
        found.append({"backend": "torch", "device": "cpu", "label": "torch · cpu"})
    found.append({"backend": "numpy", "device": "cpu", "label": "numpy · cpu"})
    return found


def get_backend(
    name: str | None = None,
    device: str | None = None,
    dtype: str | None = None,
    strict: bool = False,
) -> BackendChoice:
    """Return the :class:`Ops` to compute with.

    Parameters
    ----------
    name : {"auto", "numpy", "torch"}, optional
        Defaults to the ``PROPSCOPE_BACKEND`` environment variable, else ``"auto"``.
    device : {"auto", "cpu", "cuda", "cuda:N", "mps"}, optional
        Defaults to ``PROPSCOPE_DEVICE``, else ``"auto"``.
    dtype : {"float32", "float64"}, optional
        Defaults to :func:`core.backend.floatx`.
    strict : bool
        Raise :class:`BackendUnavailable` instead of falling back to NumPy.
    """
    name = (name or os.environ.get("PROPSCOPE_BACKEND") or "auto").lower()
    device = (device or os.environ.get("PROPSCOPE_DEVICE") or "auto").lower()
    dtype = dtype or floatx()
    if name not in BACKENDS:
        raise ValueError(f"Unknown backend {name!r}: expected one of {BACKENDS}.")
    if device.split(":")[0] not in DEVICES:
        raise ValueError(f"Unknown device {device!r}: expected one of {DEVICES} (or 'cuda:N').")
    requested = f"{name}/{device}"

    if name == "numpy":
        if device not in ("auto", "cpu"):
            return _fallback(requested, dtype, strict, f"The NumPy backend runs on the CPU only, not on {device!r}.")
        return BackendChoice(NumpyOps(dtype), requested)

    if name == "auto" and device in ("auto", "cpu") and (device == "cpu" or not gpu_may_exist()):
        # On a CPU, NumPy beats torch for these small MLPs (benchmarks/), and
        # not importing torch keeps start-up fast.
        return BackendChoice(NumpyOps(dtype), requested)
    torch = torch_importer()
    if torch is None:
        if name == "torch":
            return _fallback(requested, dtype, strict, "torch is not installed; using NumPy on the CPU.")
        return BackendChoice(NumpyOps(dtype), requested)

    if device == "auto":
        if _cuda_ok(torch):
            device = "cuda:0"
        elif name == "torch" and _mps_ok(torch) and dtype == "float32":
            device = "mps"
        elif name == "auto":
            # On a CPU, NumPy beats torch for these small MLPs (benchmarks/).
            return BackendChoice(NumpyOps(dtype), requested)
        else:
            device = "cpu"
    if device.startswith("cuda"):
        if not _cuda_ok(torch):
            return _fallback(requested, dtype, strict, "CUDA is not available on this machine; using NumPy on the CPU.")
        index = int(device.split(":")[1]) if ":" in device else 0
        if index >= torch.cuda.device_count():
            return _fallback(requested, dtype, strict, f"There is no CUDA device {index}; using NumPy on the CPU.")
        device = f"cuda:{index}"
    elif device == "mps":
        if not _mps_ok(torch):
            return _fallback(requested, dtype, strict, "Apple MPS is not available here; using NumPy on the CPU.")
        if dtype == "float64":
            return _fallback(requested, dtype, strict, "MPS does not support float64; using NumPy on the CPU.")

    from core.backend.torch_ops import TorchOps

    try:
        ops = TorchOps(torch, device=device, dtype=dtype)
        ops.zeros((1,))  # touch the device now so a broken driver fails here
    except Exception as exc:  # device failures must degrade, not crash
        return _fallback(requested, dtype, strict, f"torch could not use {device!r} ({exc}); using NumPy on the CPU.")
    return BackendChoice(ops, requested)


def _fallback(requested: str, dtype: str, strict: bool, message: str) -> BackendChoice:
    if strict:
        raise BackendUnavailable(message)
    return BackendChoice(NumpyOps(dtype), requested, message)


def set_num_threads(n: int) -> None:
    """Limit BLAS (and torch, if loaded) to ``n`` compute threads.

    One thread is the default in the app and CLI: at batch 32 two threads are
    slower, and they collapse when anything else holds the second core.
    """
    if n < 1:
        raise ValueError("The number of threads must be at least 1.")
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=n)
    except ImportError:  # optional: environment variables still work
        pass
    import sys

    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(n)
