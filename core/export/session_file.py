"""``.propscope`` session files: a versioned zip of JSON and NPZ, never pickle.

Reopening restores the model, its weights, the optimizer's state, the step,
the history and the data (stored in the file when small, else referenced), so
training continues bit-identically.

Opening goes through the guarded reader (:mod:`core.safeio`) and the schema
(:mod:`core.export.session_schema`): a regular file only, every zip member
checked before unpacking, every JSON field's type and range, every array's
dtype, shape and finiteness against the model it belongs to. The new session
is built aside; nothing that existed before is touched until it is complete,
and on any failure the global state (automatic layer names, the random
generator) is put back. The only exceptions that leave :func:`load_session`
are :class:`SessionFileError` subclasses and, when the caller's progress
callback asks for it, :class:`core.safeio.LoadCancelled`.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from pathlib import Path
from typing import Any, Callable

import numpy as np

import core
from core import limits, safeio
from core import random as prandom
from core.datasets.errors import DatasetError
from core.datasets.limits import memory_budget
from core.export import session_schema as schema
from core.export.atomic import atomic_path
from core.export.fingerprint import lesson_fingerprint
from core.stepper import SessionState, TrainingSession
from core.stepper.builder import model_config, restore_session, training_targets

FORMAT = "propscope-session"
VERSION = 1
MEMBERS = ("manifest.json", "model.json", "compile.json", "session.json", "weights.npz", "initial.npz",
           "optimizer.npz", "history.npz")
INLINE_DATA_BYTES = 64 * 1024 * 1024  # data up to this size is stored in the file itself


class SessionFileError(Exception):
    """A session file cannot be opened; the message says which file and why (base of the errors below)."""


class UnsafeSessionError(SessionFileError):
    """Not a regular file, or content Propscope never reads: pickle, encryption, unsafe member names."""


class DamagedSessionError(SessionFileError):
    """Not a valid zip, JSON or NPZ where one should be: bit flips, truncation, foreign files."""


class UnsupportedSessionError(SessionFileError):
    """Another format, or a version this Propscope does not read."""


class SessionLimitError(SessionFileError):
    """Something is over a named limit of :mod:`core.limits` (sizes, units, steps, history)."""


class InvalidSessionError(SessionFileError):
    """Well-formed, but a value is wrong: a type, a range, a shape, NaN/Inf, parts that do not fit together."""


class SessionDataError(SessionFileError):
    """The session's data is not in the file and cannot be found, loaded, or is not the data it was trained on."""


_TRANSLATION = (
    (safeio.MissingFileError, SessionFileError),
    (safeio.NotRegularFileError, UnsafeSessionError),
    (safeio.UnsafeContentError, UnsafeSessionError),
    (safeio.ReadLimitError, SessionLimitError),
    (safeio.CorruptFileError, DamagedSessionError),
    (safeio.UnreadableError, DamagedSessionError),
    (safeio.ReadRejected, InvalidSessionError),
)


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def fingerprint(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Shape and sums of the training arrays: reopening with referenced data checks it is the same data."""
    return {"shape": list(x.shape), "x_sum": float(np.sum(x, dtype=np.float64)),
            "y_sum": float(np.sum(y, dtype=np.float64))}


build_model = schema.build_model


def describe_model(session: TrainingSession) -> dict[str, Any]:
    """``{"model.json": …, "compile.json": …}``: the session's model and how it was compiled, as plain data.

    What a session file stores, and what the app's training process gets to
    build the same model (:func:`rebuild_session`). Raises ``ValueError`` for
    what plain data cannot describe (a metric given as an object).
    """
    model, loss = session.model, session.model.loss
    for metric in model.metric_identifiers + model.weighted_metric_identifiers:
        if not isinstance(metric, str):
            raise ValueError(f"A session file stores metrics by name; {metric!r} is an object or function. "
                             "Compile with its name (e.g. 'auc', 'precision') to save the session.")
    return {"model.json": model_config(model),
            "compile.json": {"loss": {"class": type(loss).__name__, "config": loss.get_config()},
                             "optimizer": core.optimizers.serialize(model.optimizer),
                             "metrics": list(model.metric_identifiers),
                             "weighted_metrics": list(model.weighted_metric_identifiers),
                             "loss_weight": model.loss_weight, "dtype": session.engine.ops.dtype}}


def rebuild_session(description: dict[str, Any], x, y, validation, sample_weight, state: SessionState,
                    backend: str = "numpy") -> TrainingSession:
    """The session :func:`describe_model` described, on ``x, y`` (as ``session.xs`` / ``session.y_metric``),
    continuing exactly from ``state`` — as a session file reopens, every part checked first."""
    model_cfg = schema.read_model_config(description["model.json"], None)
    compile_cfg = schema.read_compile_config(description["compile.json"], None)
    core.backend.clear_session()
    model = schema.build_model(model_cfg)
    schema.compile_model(model, compile_cfg, None, backend=backend)
    return restore_session(model, x, y, state, validation, None, sample_weight=sample_weight)


def save_session(session: TrainingSession, path: str | Path, data_ref: dict[str, Any] | None = None,
                 settings: dict[str, Any] | None = None, include_data: bool | None = None) -> Path:
    """Write ``session`` to ``path`` atomically (see :func:`core.export.atomic.atomic_path`)."""
    ops = session.engine.ops
    x, y = ops.to_numpy(session.xs), ops.to_numpy(session.y_metric)
    data: dict[str, np.ndarray] = {"x": x, "y": y}
    if session.validation_data is not None:
        data.update(x_val=np.asarray(session.validation_data[0]), y_val=np.asarray(session.validation_data[1]))
    if include_data is None:
        include_data = sum(a.nbytes for a in data.values()) <= INLINE_DATA_BYTES or not data_ref
    state_fields, state_arrays = session.get_state().to_parts()
    members = {
        "manifest.json": {"format": FORMAT, "version": VERSION, "propscope": core.__version__,
                          "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")},
        **describe_model(session),
        "session.json": {**state_fields, "data_included": bool(include_data), "data_ref": data_ref or {},
                         "data_fingerprint": fingerprint(x, y), "settings": settings or {},
                         "fingerprint": lesson_fingerprint(session).as_dict()},
    }
    arrays = {"weights.npz": state_arrays["weights"], "initial.npz": state_arrays["initial"],
              "optimizer.npz": state_arrays["optimizer"], "history.npz": state_arrays["history"]}
    if state_arrays["initial_optimizer"]:  # a model opened with its optimizer's state (see SessionState)
        arrays["initial_optimizer.npz"] = state_arrays["initial_optimizer"]
    if include_data:
        arrays["data.npz"] = data
    weights_of_samples = {k: ops.to_numpy(v) for k, v in (("train", session.loop.arrays.sample_weight),
                                                           ("validation", session.validation_sample_weight))
                          if v is not None}
    if weights_of_samples:  # one number a sample: kept even when the data itself is only referenced
        arrays["sample_weights.npz"] = weights_of_samples
    with atomic_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, doc in members.items():
                zf.writestr(name, json.dumps(doc, indent=1))
            for name, content in arrays.items():
                zf.writestr(name, _npz_bytes(content))
    return Path(path)


def load_session(path: str | Path, data_loader: Callable[[dict], tuple] | None = None,
                 max_bytes: int | None = None) -> tuple[TrainingSession, dict[str, Any]]:
    """Rebuild the session saved in ``path``; returns it and ``{"data_ref", "settings", "fingerprint"}``
    (the lesson fingerprint the file was saved with, or None in files older than it).

    ``data_loader(data_ref)`` must return ``(x, y, x_val, y_val)`` when the
    file references its data instead of containing it; whatever it raises
    comes out as :class:`SessionDataError`. ``max_bytes`` bounds what the
    file may unpack to (default: ``MAX_UNPACKED_BYTES`` or the memory
    available, whichever is smaller).

    Raises
    ------
    SessionFileError
        A subclass saying what kind of problem; nothing was changed.
    """
    path = Path(path)
    budget = max_bytes if max_bytes is not None else min(limits.MAX_UNPACKED_BYTES, memory_budget() // 2)
    try:
        with prandom.global_state_kept():
            return _load(path, data_loader, budget)
    except (SessionFileError, safeio.LoadCancelled):
        raise
    except schema.UnsupportedVersion as exc:
        raise UnsupportedSessionError(f"{path.name}: {exc}") from None
    except safeio.ReadRejected as exc:
        cls = next(target for source, target in _TRANSLATION if isinstance(exc, source))
        message = str(exc) if exc.path else f"{path.name}, {exc}"
        if isinstance(exc, safeio.CorruptFileError) and not exc.where:  # the file itself is no zip
            message = f"{path.name}: not a Propscope session file ({exc.detail})"
        raise cls(message) from None
    except limits.LimitError as exc:
        raise SessionLimitError(f"{path.name}: {exc}") from None
    except MemoryError:
        raise SessionLimitError(f"{path.name}: ran out of memory while opening it.") from None
    except Exception as exc:  # the promise: a message, never a traceback, whatever the bytes
        raise InvalidSessionError(f"{path.name}: inconsistent session file ({type(exc).__name__}: "
                                  f"{str(exc)[:300]}).") from None


def _load(path: Path, data_loader, budget: int) -> tuple[TrainingSession, dict[str, Any]]:
    with safeio.SafeZip.open(path, max_unpacked=budget, what="session file") as archive:
        if "manifest.json" not in archive.names():
            raise DamagedSessionError(f"{path.name}: not a Propscope session file (no manifest.json).")
        schema.read_manifest(_json(archive, "manifest.json", path), path, VERSION, FORMAT)
        missing = [m for m in MEMBERS if m not in archive.names()]
        if missing:
            raise DamagedSessionError(f"{path.name}: damaged session file, missing {', '.join(missing)}.")
        model_cfg = schema.read_model_config(_json(archive, "model.json", path), path)
        compile_cfg = schema.read_compile_config(_json(archive, "compile.json", path), path)
        info = safeio.Fields(_json(archive, "session.json", path), "session.json", path)
        extras = schema.read_extras(info, path)
        arrays = {group: _npz(archive, f"{member}.npz", path, budget)
                  for group, member in (("weights", "weights"), ("initial", "initial"),
                                        ("optimizer", "optimizer"), ("history", "history"))}
        if "initial_optimizer.npz" in archive.names():
            arrays["initial_optimizer"] = _npz(archive, "initial_optimizer.npz", path, budget)
        state = SessionState.from_parts(info.doc, arrays, path, "session.json")
        data = None
        if extras["data_included"]:
            if "data.npz" not in archive.names():
                raise DamagedSessionError(f"{path.name}: says its data is inside but has no data.npz.")
            data = _npz(archive, "data.npz", path, budget)
        sample_weights = (_npz(archive, "sample_weights.npz", path, budget, kinds="f")
                          if "sample_weights.npz" in archive.names() else {})
    core.backend.clear_session()
    model = schema.build_model(model_cfg)
    schema.compile_model(model, compile_cfg, path)
    x, y, x_val, y_val = _data(path, model, data, extras, data_loader)
    sw, sw_val = schema.read_sample_weights(sample_weights, len(x), None if x_val is None else len(x_val), path)
    # from_state checks every array against the model before using any of them.
    session = restore_session(model, x, y, state, (x_val, y_val, sw_val), path, sample_weight=sw)
    return session, {"data_ref": extras["data_ref"], "settings": extras["settings"],
                     "fingerprint": extras.get("fingerprint")}


def _data(path: Path, model, data, extras, data_loader):
    """``(x, y, x_val, y_val)`` from the file, or from the referenced source, checked against the model."""
    if data is None:
        if data_loader is None:
            raise SessionDataError(f"{path.name}: the session's data is not in the file; its source is "
                                   f"{str(extras['data_ref'])[:300]} — open that data first.")
        try:
            loaded = data_loader(extras["data_ref"])
            x, y, x_val, y_val = (None if a is None else np.asarray(a) for a in loaded)
            # The targets trained on, as the builder makes them (one-hot for categorical crossentropy).
            y = training_targets(model, y)
            y_val = None if y_val is None else training_targets(model, y_val)
        except safeio.LoadCancelled:
            raise
        except (DatasetError, SessionFileError, ValueError, TypeError, KeyError, OSError,
                limits.LimitError) as exc:
            raise SessionDataError(f"{path.name}: its data could not be loaded from {_ref(extras)}: {exc}") from None
        expected = extras.get("data_fingerprint")
        if expected:
            got = fingerprint(x, y)
            same = got["shape"] == expected["shape"] and all(
                np.isclose(got[k], expected[k], rtol=1e-9, atol=1e-6) for k in ("x_sum", "y_sum"))
            if not same:
                raise SessionDataError(f"{path.name}: the data found now is not the data this session was trained on "
                                       f"(expected samples {expected['shape']}, found {got['shape']} or other "
                                       "values); training could not continue exactly.")
    else:
        unknown = set(data) - {"x", "y", "x_val", "y_val"}
        if unknown or "x" not in data or "y" not in data or ("x_val" in data) != ("y_val" in data):
            raise InvalidSessionError(f"{path.name}: data.npz holds {sorted(data)}; expected x, y and optionally "
                                      "x_val with y_val.")
        x, y, x_val, y_val = data["x"], data["y"], data.get("x_val"), data.get("y_val")
    try:
        schema.check_data(model, x, y, path, "training data")
        if x_val is not None:
            schema.check_data(model, x_val, y_val, path, "validation data")
    except safeio.ReadRejected as exc:
        if data is None:  # the source gave data that does not fit: a data problem, not a damaged file
            raise SessionDataError(str(exc)) from None
        raise
    return x, y, x_val, y_val


def _ref(extras: dict) -> str:
    ref = extras.get("data_ref") or {}
    text = ref.get("path") or ref.get("builtin") or ref.get("source") or "its reference"
    return str(text)[:200]


def _json(archive: safeio.SafeZip, name: str, path: Path) -> Any:
    return safeio.parse_json(archive.read(name, limits.MAX_JSON_BYTES, "MAX_JSON_BYTES"), path, name)


def _npz(archive: safeio.SafeZip, name: str, path: Path, budget: int, kinds: str = "biufcUS") -> dict[str, np.ndarray]:
    """Every array of the ``.npz`` member ``name``; any plain dtype is read (never objects: pickle), and the
    schema then says what each must be."""
    with safeio.SafeZip.from_bytes(archive.read(name, budget), path, name, budget, npz=True) as inner:
        return inner.arrays(kinds, budget)
