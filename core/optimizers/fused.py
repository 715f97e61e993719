"""One pass over the parameters per optimizer step: the update rules compiled with numba, bit-identical.

Why: an optimizer step written with NumPy is a dozen whole-array operations
(Adam: 13), each a pass over every parameter, gradient and slot — at batch 32
on 784-100-10 that is over a third of a training step. Compiled, the same
arithmetic runs element by element in one pass.

The numbers do not change. Each kernel below performs, for every element,
exactly the IEEE operations of its optimizer's ``update_step`` in the same
order and the same dtype: every scalar is rounded to the model dtype first
(NumPy 2 casts a Python float to the array's dtype), numba keeps
``fastmath`` off (no reassociation, no fused multiply-add) and uses NumPy's
error model (division by zero gives Inf/NaN, as in NumPy). The tests check
bit-identity for every optimizer and option (``tests/core/test_fused_update.py``).

Start-up stays fast: numba is imported and the kernels compiled (or loaded
from numba's on-disk cache, ~1 s of CPU) on a background thread — at once in
the app's training process, which is idle until the first run, elsewhere once
a process has made :data:`AUTO_START_UPDATES` updates (a run long enough to
repay it). Until they are ready, and wherever numba is missing, the NumPy
``update_step`` runs. ``PROPSCOPE_FUSED=0`` turns the kernels off,
``PROPSCOPE_FUSED=sync`` compiles them on first use in the calling thread.
"""

from __future__ import annotations

import math
import os
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import numpy as np

# --- the kernels: plain Python that numba compiles (they also run, slowly, without it) -------------------


def _adam(w, g, m, v, vh, wd, lr, one_minus_b1, one_minus_b2, eps, alpha, decay, amsgrad):  # pragma: no cover
    bad = 0
    for i in range(w.shape[0]):
        wi = w[i]
        if decay:
            wi = wi - wi * wd * lr
        gi = g[i]
        mi = m[i] + (gi - m[i]) * one_minus_b1
        vi = v[i] + (gi * gi - v[i]) * one_minus_b2
        m[i] = mi
        v[i] = vi
        if amsgrad:
            h = vh[i]
            vi = h if (h >= vi or h != h) else vi  # np.maximum(v_hat, v)
            vh[i] = vi
        nw = wi - (mi * alpha) / (math.sqrt(vi) + eps)
        w[i] = nw
        if nw - nw != 0.0 or gi - gi != 0.0:  # NaN or ±Inf: counted for the batch's probe
            bad += 1
    return bad


def _nadam(w, g, m, v, wd, lr, b1, one_minus_b1, b2, one_minus_b2, u_t1, denom_m, one_minus_u_t, denom_g, bias_v,
           eps, decay):  # pragma: no cover
    bad = 0
    for i in range(w.shape[0]):
        wi = w[i]
        if decay:
            wi = wi - wi * wd * lr
        gi = g[i]
        mi = m[i] * b1 + gi * one_minus_b1
        vi = v[i] * b2 + gi * gi * one_minus_b2
        m[i] = mi
        v[i] = vi
        m_hat = (mi * u_t1) / denom_m + (gi * one_minus_u_t) / denom_g
        v_hat = vi / bias_v
        nw = wi - (m_hat * lr) / (math.sqrt(v_hat) + eps)
        w[i] = nw
        if nw - nw != 0.0 or gi - gi != 0.0:  # NaN or ±Inf: counted for the batch's probe
            bad += 1
    return bad


def _adamax(w, g, m, u, wd, lr, b1, one_minus_b1, b2, eps, bias, decay):  # pragma: no cover
    bad = 0
    for i in range(w.shape[0]):
        wi = w[i]
        if decay:
            wi = wi - wi * wd * lr
        gi = g[i]
        mi = m[i] * b1 + gi * one_minus_b1
        a = u[i] * b2
        b = abs(gi)
        ui = a if (a >= b or a != a) else b  # np.maximum(u·β₂, |g|)
        m[i] = mi
        u[i] = ui
        nw = wi - (mi * lr) / ((ui + eps) * bias)
        w[i] = nw
        if nw - nw != 0.0 or gi - gi != 0.0:  # NaN or ±Inf: counted for the batch's probe
            bad += 1
    return bad


def _adagrad(w, g, acc, wd, lr, eps, decay):  # pragma: no cover
    bad = 0
    for i in range(w.shape[0]):
        wi = w[i]
        if decay:
            wi = wi - wi * wd * lr
        gi = g[i]
        ai = acc[i] + gi * gi
        acc[i] = ai
        nw = wi - (lr * gi) / math.sqrt(ai + eps)
        w[i] = nw
        if nw - nw != 0.0 or gi - gi != 0.0:  # NaN or ±Inf: counted for the batch's probe
            bad += 1
    return bad


def _rmsprop(w, g, v, avg, mom, wd, lr, rho, one_minus_rho, eps, momentum, decay, centered,
             use_momentum):  # pragma: no cover
    bad = 0
    for i in range(w.shape[0]):
        wi = w[i]
        if decay:
            wi = wi - wi * wd * lr
        gi = g[i]
        vi = rho * v[i] + one_minus_rho * (gi * gi)
        v[i] = vi
        if centered:
            ai = rho * avg[i] + one_minus_rho * gi
            avg[i] = ai
            denominator = vi - ai * ai + eps
        else:
            denominator = vi + eps
        increment = (lr * gi) / math.sqrt(denominator)
        if use_momentum:
            mi = momentum * mom[i] + increment
            mom[i] = mi
            nw = wi - mi
            w[i] = nw
            if nw - nw != 0.0 or gi - gi != 0.0:  # NaN or ±Inf: counted for the batch's probe
                bad += 1
        else:
            nw = wi - increment
            w[i] = nw
            if nw - nw != 0.0 or gi - gi != 0.0:  # NaN or ±Inf: counted for the batch's probe
                bad += 1
    return bad


def _adadelta(w, g, acc_g, acc_d, wd, lr, rho, one_minus_rho, eps, minus_one, decay):  # pragma: no cover
    bad = 0
    for i in range(w.shape[0]):
        wi = w[i]
        if decay:
            wi = wi - wi * wd * lr
        gi = g[i]
        ag = acc_g[i] * rho + gi * gi * one_minus_rho
        acc_g[i] = ag
        delta = ((math.sqrt(acc_d[i] + eps) * gi) / math.sqrt(ag + eps)) * minus_one
        acc_d[i] = acc_d[i] * rho + delta * delta * one_minus_rho
        nw = wi + delta * lr
        w[i] = nw
        if nw - nw != 0.0 or gi - gi != 0.0:  # NaN or ±Inf: counted for the batch's probe
            bad += 1
    return bad


def _sgd(w, g, m, wd, lr, momentum, decay, use_momentum, nesterov):  # pragma: no cover
    bad = 0
    for i in range(w.shape[0]):
        wi = w[i]
        if decay:
            wi = wi - wi * wd * lr
        gi = g[i]
        if not use_momentum:
            nw = wi - gi * lr
            w[i] = nw
            if nw - nw != 0.0 or gi - gi != 0.0:  # NaN or ±Inf: counted for the batch's probe
                bad += 1
            continue
        mi = m[i] * momentum - gi * lr
        m[i] = mi
        if nesterov:
            nw = wi + (mi * momentum - gi * lr)
            w[i] = nw
            if nw - nw != 0.0 or gi - gi != 0.0:  # NaN or ±Inf: counted for the batch's probe
                bad += 1
        else:
            nw = wi + mi
            w[i] = nw
            if nw - nw != 0.0 or gi - gi != 0.0:  # NaN or ±Inf: counted for the batch's probe
                bad += 1
    return bad


def _lion(w, g, m, wd, lr, b1, one_minus_b1, b2, one_minus_b2, one, zero, decay):  # pragma: no cover
    bad = 0
    for i in range(w.shape[0]):
        wi = w[i]
        if decay:
            wi = wi - wi * wd * lr
        gi = g[i]
        c = m[i] * b1 + gi * one_minus_b1
        if c > zero:
            s = one
        elif c < zero:
            s = -one
        elif c == zero:
            s = zero
        else:
            s = c  # np.sign(NaN) is NaN
        nw = wi - s * lr
        w[i] = nw
        if nw - nw != 0.0 or gi - gi != 0.0:  # NaN or ±Inf: counted for the batch's probe
            bad += 1
        m[i] = m[i] * b2 + gi * one_minus_b2
    return bad


KERNELS: dict[str, Callable] = {"adam": _adam, "nadam": _nadam, "adamax": _adamax, "adagrad": _adagrad,
                                "rmsprop": _rmsprop, "adadelta": _adadelta, "sgd": _sgd, "lion": _lion}

# --- compiling them, off the start path ---------------------------------------------------------------------

_compiled: dict[tuple[str, np.dtype], Callable] = {}  # (kernel, dtype) → ready to call
_dispatchers: dict[str, Callable] = {}
_state = {"started": False, "failed": None, "suspended": 0, "updates": 0}
#: Updates after which a process that did not ask for the kernels starts making them: importing numba
#: and loading the kernels costs ~1 s of CPU, which pays off only in a run that lasts (a one-epoch
#: ``propscope train`` is over first). The app's training process asks at once (:func:`start`).
AUTO_START_UPDATES = 3000
_lock = threading.Lock()
_done = threading.Event()


def mode() -> str:
    """``"off"``, ``"sync"`` or ``"background"`` (the default), from ``PROPSCOPE_FUSED``."""
    value = os.environ.get("PROPSCOPE_FUSED", "").strip().lower()
    if value in ("0", "off", "false", "no"):
        return "off"
    return "sync" if value == "sync" else "background"


def available() -> bool:
    """Whether numba can be imported here (without importing it)."""
    import importlib.util

    return importlib.util.find_spec("numba") is not None


#: Arrays and flags each kernel takes (the rest of its arguments are scalars).
_SHAPES = {"adam": (5, 2), "nadam": (4, 1), "adamax": (4, 1), "adagrad": (3, 1), "rmsprop": (5, 3), "adadelta": (4, 1),
           "sgd": (3, 3), "lion": (3, 1)}


def _compile_all() -> None:
    """Make every kernel for float32, then float64: compiled once, then loaded from numba's disk cache.

    Each is called once on a one-element array here, on this thread, because numba compiles (or loads
    from its cache) at the first call of a signature — which would otherwise be a training step.
    """
    import inspect

    try:
        import numba

        jit = numba.njit(cache=True, error_model="numpy", fastmath=False, nogil=True)
        for dtype in (np.float32, np.float64):
            for name, fn in KERNELS.items():
                compiled = jit(fn) if name not in _dispatchers else _dispatchers[name]
                _dispatchers[name] = compiled
                n_arrays, n_flags = _SHAPES[name]
                n_scalars = len(inspect.signature(fn).parameters) - n_arrays - n_flags
                with np.errstate(all="ignore"):
                    compiled(*(np.zeros(1, dtype) for _ in range(n_arrays)), *(dtype(0) for _ in range(n_scalars)),
                             *(False for _ in range(n_flags)))
                _compiled[(name, np.dtype(dtype))] = compiled
    except Exception as exc:  # noqa: BLE001 — any failure means: keep using NumPy
        _state["failed"] = f"{type(exc).__name__}: {exc}"
    finally:
        _done.set()


def start() -> None:
    """Begin importing numba and making the kernels (once; in the background unless ``sync``)."""
    with _lock:
        if _state["started"]:
            return
        _state["started"] = True
    if mode() == "off" or not available():
        _state["failed"] = "off" if mode() == "off" else "numba is not installed"
        _done.set()
        return
    if mode() == "sync":
        _compile_all()
    else:
        threading.Thread(target=_compile_all, name="propscope-fused-compile", daemon=True).start()


def wait_ready(timeout: float | None = None) -> bool:
    """Start if needed and wait until the kernels are usable; False when they never will be (or not yet)."""
    start()
    _done.wait(timeout)
    return bool(_compiled) and _state["failed"] is None


def failure() -> str | None:
    """Why the kernels are not used (``"off"``, ``"numba is not installed"``, a compile error), or None."""
    return _state["failed"]


@contextmanager
def suspended() -> Iterator[None]:
    """Within: every update takes the NumPy path (tests and benchmarks compare the two)."""
    _state["suspended"] += 1
    try:
        yield
    finally:
        _state["suspended"] -= 1


def kernel(name: str, dtype=np.float32) -> Callable | None:
    """The compiled kernel ``name`` for ``dtype`` when ready, else None (and compiling starts)."""
    if _state["suspended"]:
        return None
    fn = _compiled.get((name, np.dtype(dtype)))
    if fn is None and not _state["started"]:
        _state["updates"] += 1
        if _state["updates"] >= AUTO_START_UPDATES or mode() == "sync":
            start()
    return fn


def usable(*arrays: Any) -> bool:
    """Kernels take 1-D, C-contiguous, writable NumPy arrays of one float dtype."""
    first = arrays[0]
    if not isinstance(first, np.ndarray) or first.dtype not in (np.float32, np.float64):
        return False
    return all(isinstance(a, np.ndarray) and a.dtype == first.dtype and a.ndim == 1 and a.flags.c_contiguous
               and a.shape == first.shape for a in arrays)


def run(name: str, arrays: tuple, scalars: tuple, flags: tuple) -> int | None:
    """Run kernel ``name`` if it is ready: ``kernel(*arrays, *scalars, *flags)``, the scalars rounded to the
    arrays' dtype first (as NumPy rounds a Python float it combines with an array).

    Returns how many elements had a non-finite new weight or gradient (the pass sees every one, so
    the batch's NaN probe need not look at them again), or None: not ready.
    """
    fn = kernel(name, arrays[0].dtype)
    if fn is None:
        return None
    t = arrays[0].dtype.type
    return int(fn(*arrays, *(t(s) for s in scalars), *(bool(f) for f in flags)))
