"""The lesson fingerprint: a short code that says "this is the same run" across machines and processes.

The code is made from what decides a run — the model's layers, the loss,
the optimizer and its settings, the batch size, the shuffle seed, the
initial weights (which the weight seed drew) and every training and
validation value — and is shown with the batch loss at a given step::

    Lesson 4F7Q-K2M9 · step 120 · loss 0.4321

A student whose window shows the same code built the same run; the same loss
at the same step says it also trained the same way. The code does not depend
on names Keras makes up per process (``dense_3``), on the backend or on the
number of epochs still to train; it changes when the seed does.

Hashing 60,000 images takes about a tenth of a second, so the data's part is
kept per session (a session's data never changes).
"""

from __future__ import annotations

import hashlib
import json
import re
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand is unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
#: Significant digits of the loss shown: enough to tell runs apart, few enough that two BLAS libraries agree.
LOSS_DIGITS = 4

_data_digests: "weakref.WeakKeyDictionary[Any, bytes]" = weakref.WeakKeyDictionary()
_codes: "weakref.WeakKeyDictionary[Any, tuple[int, str]]" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class LessonFingerprint:
    """A run's code, and its batch loss at ``step`` (None at step 0 or when not recorded)."""

    code: str
    step: int
    loss: float | None

    def loss_text(self) -> str:
        return "—" if self.loss is None else f"{self.loss:.{LOSS_DIGITS}g}"

    def text(self) -> str:
        """``Lesson 4F7Q-K2M9 · step 120 · loss 0.4321`` (English; the window translates its own)."""
        if self.loss is None:
            return f"Lesson {self.code} · step {self.step}"
        return f"Lesson {self.code} · step {self.step} · loss {self.loss_text()}"

    def as_dict(self) -> dict[str, Any]:
        """As written into session files, ``config.json`` and figure metadata."""
        return {"code": self.code, "step": self.step, "loss": None if self.loss is None else float(self.loss)}


def _without_names(value: Any) -> Any:
    """``value`` with every ``name`` key dropped: automatic names differ between processes, runs do not."""
    if isinstance(value, dict):
        return {k: _without_names(v) for k, v in value.items() if k != "name"}
    if isinstance(value, (list, tuple)):
        return [_without_names(v) for v in value]
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value


def _update_array(h, array: np.ndarray | None) -> None:
    """Shape, dtype and bytes (little-endian, C order): equal arrays hash equal on every machine."""
    if array is None:
        h.update(b"none")
        return
    a = np.asarray(array)
    a = np.ascontiguousarray(a.astype(a.dtype.newbyteorder("<"), copy=False))
    h.update(f"{a.dtype.str}{a.shape}".encode())
    h.update(memoryview(a).cast("B"))


def _data_digest(session) -> bytes:
    digest = _data_digests.get(session)
    if digest is None:
        ops = session.engine.ops
        h = hashlib.sha256(b"propscope-data-1")
        _update_array(h, ops.to_numpy(session.xs))
        _update_array(h, ops.to_numpy(session.y_metric))
        val = session.validation_data
        _update_array(h, None if val is None else np.asarray(val[0]))
        _update_array(h, None if val is None else np.asarray(val[1]))
        digest = _data_digests[session] = h.digest()
    return digest


def setup_description(session) -> dict[str, Any]:
    """What decides the run besides the data and the initial weights, without automatic names."""
    from core import optimizers
    from core.stepper.builder import model_config

    model = session.model
    setup = {
        "model": model_config(model),
        "loss": {"class": type(model.loss).__name__, "config": model.loss.get_config()},
        "optimizer": optimizers.serialize(model.optimizer),
        "metrics": [str(m) for m in model.metric_identifiers],
        "dtype": session.engine.ops.dtype,
        "batch_size": session.batch_size, "shuffle": session.shuffle, "shuffle_seed": session.shuffle_seed,
    }
    if session.initial_noise_state:  # Dropout's masks follow from its streams' seeds (models without one: unchanged)
        setup["dropout_streams"] = [list(state) for state in session.initial_noise_state]
    return _without_names(setup)


def _encode(digest: bytes) -> str:
    number = int.from_bytes(digest[:5], "big")  # 40 bits: 8 characters of base 32
    chars = [ALPHABET[(number >> (5 * k)) & 31] for k in reversed(range(8))]
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


def lesson_code(session) -> str:
    """The code of ``session``'s run, e.g. ``"4F7Q-K2M9"``; the same on every machine for the same run."""
    weights = session.initial_weights
    cached = _codes.get(session)
    if cached is not None and cached[0] == id(weights):
        return cached[1]
    h = hashlib.sha256(b"propscope-lesson-1")
    h.update(json.dumps(setup_description(session), sort_keys=True, default=str).encode())
    for w in weights:
        _update_array(h, w)
    h.update(_data_digest(session))
    code = _encode(h.digest())
    _codes[session] = (id(weights), code)
    return code


def loss_at(history, step: int) -> float | None:
    """The batch loss recorded at ``step`` (None when it was not: step 0, or a replay not recorded)."""
    steps, values = history.scalar("loss")
    if not len(steps):
        return None
    k = int(np.searchsorted(steps, step))
    if k < len(steps) and int(steps[k]) == step and np.isfinite(values[k]):
        return float(values[k])
    return None


def lesson_fingerprint(session, step: int | None = None) -> LessonFingerprint:
    """``session``'s code with its batch loss at ``step`` (default: the last completed step)."""
    step = session.step if step is None else int(step)
    return LessonFingerprint(lesson_code(session), step, loss_at(session.history, step))


def check_fingerprint(doc: Any) -> dict[str, Any] | None:
    """A fingerprint read from a file (``{"code", "step", "loss"}``), or None when it is not one."""
    if not isinstance(doc, dict) or set(doc) - {"code", "step", "loss"}:
        return None
    code, step, loss = doc.get("code"), doc.get("step"), doc.get("loss")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        return None
    if not isinstance(step, int) or isinstance(step, bool) or step < 0:
        return None
    if loss is not None and (not isinstance(loss, (int, float)) or isinstance(loss, bool) or not np.isfinite(loss)):
        return None
    return {"code": code, "step": step, "loss": None if loss is None else float(loss)}
