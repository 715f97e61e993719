"""``.propscope`` session files: a versioned zip of JSON and NPZ, never pickle.

Reopening restores the model, its weights, the optimizer's state, the step,
the history and the data (stored in the file when small, else referenced), so
training continues bit-identically. Hostile or damaged files — pickled
arrays, a newer or unknown version, missing members, members that would
unpack to more than the memory budget — raise :class:`SessionFileError` and
change nothing.
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
from core.export.atomic import atomic_path
from core.stepper import TrainingHistory, TrainingSession
from core.stepper.checkpoints import Checkpoint

FORMAT = "propscope-session"
VERSION = 1
MEMBERS = ("manifest.json", "model.json", "compile.json", "session.json", "weights.npz", "initial.npz",
           "optimizer.npz", "history.npz")
INLINE_DATA_BYTES = 64 * 1024 * 1024  # data up to this size is stored in the file itself


class SessionFileError(Exception):
    """A session file cannot be opened; the message says which file and why."""


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def fingerprint(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Shape and sums of the training arrays: reopening with referenced data checks it is the same data."""
    return {"shape": list(x.shape), "x_sum": float(np.sum(x, dtype=np.float64)),
            "y_sum": float(np.sum(y, dtype=np.float64))}


def model_config(model) -> dict[str, Any]:
    layers = []
    for layer in model.compute_layers:
        entry = {"class": type(layer).__name__, "name": layer.name, "trainable": layer.trainable}
        if isinstance(layer, core.layers.Dense):
            entry.update(units=layer.units, activation=layer.activation.name, use_bias=layer.use_bias)
        elif isinstance(layer, core.layers.Activation):
            entry.update(activation=layer.activation.name)
        elif not isinstance(layer, core.layers.Flatten):
            raise ValueError(f"Layer type {type(layer).__name__} cannot be saved yet.")
        layers.append(entry)
    return {"name": model.name, "input_shape": list(model._input_shape), "layers": layers}


def build_model(config: dict[str, Any]):
    model = core.Sequential(name=config["name"])
    model.add(core.Input(shape=tuple(config["input_shape"])))
    for entry in config["layers"]:
        if entry["class"] == "Dense":
            model.add(core.layers.Dense(int(entry["units"]), activation=entry["activation"],
                                        use_bias=bool(entry.get("use_bias", True)), name=entry["name"]))
        elif entry["class"] == "Flatten":
            model.add(core.layers.Flatten(name=entry["name"]))
        elif entry["class"] == "Activation":
            model.add(core.layers.Activation(entry["activation"], name=entry["name"]))
        else:
            raise ValueError(f"unknown layer class {entry['class']!r}")
        model.layers[-1].trainable = bool(entry.get("trainable", True))
    return model


def save_session(session: TrainingSession, path: str | Path, data_ref: dict[str, Any] | None = None,
                 settings: dict[str, Any] | None = None, include_data: bool | None = None) -> Path:
    """Write ``session`` to ``path`` atomically (a temporary file, then a rename)."""
    model, engine, ops = session.model, session.engine, session.engine.ops
    opt = engine.optimizer
    epoch_state = session.loop.state()
    loss = model.loss
    x, y = ops.to_numpy(session.xs), ops.to_numpy(session.y_metric)
    data: dict[str, np.ndarray] = {"x": x, "y": y}
    if session.validation_data is not None:
        data.update(x_val=np.asarray(session.validation_data[0]), y_val=np.asarray(session.validation_data[1]))
    if include_data is None:
        include_data = sum(a.nbytes for a in data.values()) <= INLINE_DATA_BYTES or not data_ref
    members = {
        "manifest.json": {"format": FORMAT, "version": VERSION, "propscope": core.__version__,
                          "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")},
        "model.json": model_config(model),
        "compile.json": {"loss": {"class": type(loss).__name__, "config": loss.get_config()},
                         "optimizer": core.optimizers.serialize(opt),
                         "metrics": [_metric_json(m) for m in model.metric_identifiers],
                         "weighted_metrics": [_metric_json(m) for m in model.weighted_metric_identifiers],
                         "loss_weight": model._loss_weight,
                         "dtype": ops.dtype},
        "session.json": {"batch_size": session.batch_size, "epochs": session.epochs, "shuffle": session.shuffle,
                         "shuffle_seed": session.shuffle_seed, "step": session.step,
                         "stats_every": session.stats_every, "distributions_every": session.distributions_every,
                         "epoch_loss_sum": epoch_state[0], "epoch_samples": epoch_state[1],
                         "epoch_metric_stats": [_stats_json(s) for s in epoch_state[2]],
                         "data_included": bool(include_data), "data_ref": data_ref or {},
                         "data_fingerprint": fingerprint(x, y), "settings": settings or {}},
    }
    arrays = {
        "weights.npz": {f"p{i}": ops.copy_numpy(p) for i, p in enumerate(engine.parameters())},
        "initial.npz": {f"p{i}": w for i, w in enumerate(session._initial.weights)},
        "optimizer.npz": {f"{name}|{i}": ops.copy_numpy(a) for name, lst in opt.slots.items()
                          for i, a in enumerate(lst)} if opt.built else {},
        "history.npz": session.history.get_state(),
    }
    if include_data:
        arrays["data.npz"] = data
    weights_of_samples = {k: ops.to_numpy(v) for k, v in (("train", session.loop.arrays.sample_weight),
                                                           ("validation", session.validation_sample_weight))
                          if v is not None}
    if weights_of_samples:  # small (one number a sample), so kept even when the data is only referenced
        arrays["sample_weights.npz"] = weights_of_samples
    with atomic_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, doc in members.items():
                zf.writestr(name, json.dumps(doc, indent=1))
            for name, content in arrays.items():
                zf.writestr(name, _npz_bytes(content))
    return Path(path)


def _metric_json(metric) -> Any:
    """A compile() metric as JSON: its name, or a metric object's serialized config."""
    if isinstance(metric, str):
        return metric
    if isinstance(metric, core.metrics.Metric):
        return core.metrics.serialize(metric)
    raise ValueError(f"The metric {metric!r} (a function) cannot be saved in a session file; use a Keras metric.")


def _metric_from_json(metric) -> Any:
    return core.metrics.deserialize(metric) if isinstance(metric, dict) else metric


def _stats_json(stats) -> list | None:
    """A metric's statistics (floats and arrays) as JSON."""
    return None if stats is None else [np.asarray(v).tolist() if np.ndim(v) else v for v in stats]


def _stats_from_json(stats) -> tuple | None:
    return None if stats is None else tuple(np.asarray(v, dtype=np.float64) if isinstance(v, list) else v
                                            for v in stats)


def _read_npz(zf: zipfile.ZipFile, name: str, path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(io.BytesIO(zf.read(name)), allow_pickle=False) as npz:
            return {k: npz[k] for k in npz.files}
    except ValueError as exc:
        if "pickle" in str(exc):
            raise SessionFileError(f"{path.name}: {name} holds pickled objects, which Propscope never loads "
                                   "(they can run code).") from None
        raise SessionFileError(f"{path.name}: {name} is damaged ({exc}).") from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise SessionFileError(f"{path.name}: {name} is damaged ({exc}).") from None


def _read_json(zf: zipfile.ZipFile, name: str, path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(zf.read(name).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError) as exc:
        raise SessionFileError(f"{path.name}: {name} is not valid JSON ({exc}).") from None
    if not isinstance(doc, dict):
        raise SessionFileError(f"{path.name}: {name} should hold a JSON object.")
    return doc


def load_session(path: str | Path, data_loader: Callable[[dict], tuple] | None = None,
                 max_bytes: int = 4 * 1024**3) -> tuple[TrainingSession, dict[str, Any]]:
    """Rebuild the session saved in ``path``; returns it and ``{"data_ref", "settings"}``.

    ``data_loader(data_ref)`` must return ``(x, y, x_val, y_val)`` when the
    file references its data instead of containing it.
    """
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SessionFileError(f"{path.name}: not a Propscope session file ({exc}).") from None
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        for info in infos:
            if info.filename.startswith("/") or ".." in Path(info.filename).parts:
                raise SessionFileError(f"{path.name}: member {info.filename!r} has an unsafe path.")
        total = sum(i.file_size for i in infos)
        if total > max_bytes:
            raise SessionFileError(f"{path.name}: unpacks to {total / 2**20:,.0f} MiB, over the "
                                   f"{max_bytes / 2**20:,.0f} MiB allowed (a zip bomb?).")
        if "manifest.json" not in names:
            raise SessionFileError(f"{path.name}: not a Propscope session file (no manifest.json).")
        manifest = _read_json(zf, "manifest.json", path)
        if manifest.get("format") != FORMAT:
            raise SessionFileError(f"{path.name}: not a Propscope session file (format {manifest.get('format')!r}).")
        version = manifest.get("version")
        if not isinstance(version, int) or version > VERSION or version < 1:
            raise SessionFileError(f"{path.name}: session file version {version!r} is not supported by this "
                                   f"Propscope (it reads version 1 to {VERSION}); it was made by Propscope "
                                   f"{manifest.get('propscope', '?')}.")
        missing = [m for m in MEMBERS if m not in names]
        if missing:
            raise SessionFileError(f"{path.name}: damaged session file, missing {', '.join(missing)}.")
        model_cfg = _read_json(zf, "model.json", path)
        compile_cfg = _read_json(zf, "compile.json", path)
        info = _read_json(zf, "session.json", path)
        weights = _read_npz(zf, "weights.npz", path)
        initial = _read_npz(zf, "initial.npz", path)
        slots = _read_npz(zf, "optimizer.npz", path)
        history = _read_npz(zf, "history.npz", path)
        data = _read_npz(zf, "data.npz", path) if info.get("data_included") and "data.npz" in names else None
        sample_weights = _read_npz(zf, "sample_weights.npz", path) if "sample_weights.npz" in names else {}
    try:
        return _rebuild(model_cfg, compile_cfg, info, weights, initial, slots, history, data, data_loader,
                        sample_weights)
    except SessionFileError:
        raise
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        raise SessionFileError(f"{path.name}: inconsistent session file ({exc}).") from None


def _rebuild(model_cfg, compile_cfg, info, weights, initial, slots, history_state, data, data_loader,
             sample_weights=None):
    core.backend.clear_session()
    model = build_model(model_cfg)
    loss_cls = getattr(core.losses, compile_cfg["loss"]["class"])
    loss_cfg = {k: v for k, v in compile_cfg["loss"]["config"].items() if k != "name"}
    model.compile(optimizer=core.optimizers.deserialize(compile_cfg["optimizer"]), loss=loss_cls(**loss_cfg),
                  metrics=[_metric_from_json(m) for m in compile_cfg.get("metrics") or []] or None,
                  weighted_metrics=[_metric_from_json(m) for m in compile_cfg.get("weighted_metrics") or []] or None,
                  loss_weights=compile_cfg.get("loss_weight"), dtype=compile_cfg.get("dtype", "float32"))
    n_params = len(model.get_weights())
    ordered = [weights[f"p{i}"] for i in range(n_params)]
    model.set_weights([initial[f"p{i}"] for i in range(n_params)])
    if data is None:
        if data_loader is None:
            raise SessionFileError("the session's data is not in the file; its source is "
                                   f"{info.get('data_ref')!r} — open that data first.")
        x, y, x_val, y_val = data_loader(info.get("data_ref") or {})
        expected = info.get("data_fingerprint")
        if expected:
            got = fingerprint(np.asarray(x), np.asarray(y))
            same = got["shape"] == expected["shape"] and all(
                np.isclose(got[k], expected[k], rtol=1e-9, atol=1e-6) for k in ("x_sum", "y_sum"))
            if not same:
                raise SessionFileError("the data found now is not the data this session was trained on "
                                       f"(expected samples {expected['shape']}, found {got['shape']} or other "
                                       "values); training could not continue exactly.")
    else:
        x, y, x_val, y_val = data["x"], data["y"], data.get("x_val"), data.get("y_val")
    sample_weights = sample_weights or {}
    validation = None if x_val is None else (x_val, y_val, sample_weights.get("validation"))
    session = TrainingSession(model, x, y, batch_size=int(info["batch_size"]), epochs=int(info["epochs"]),
                              shuffle=bool(info["shuffle"]), seed=int(info["shuffle_seed"]), validation_data=validation,
                              sample_weight=sample_weights.get("train"),
                              stats_every=int(info["stats_every"]),
                              distributions_every=int(info["distributions_every"]))
    opt_slots = {}
    for key, arr in slots.items():
        name, index = key.split("|")
        opt_slots.setdefault(name, {})[int(index)] = arr
    step = int(info["step"])
    if "epoch_metric_stats" in info:
        samples = int(info["epoch_samples"])
        stats = tuple(_stats_from_json(s) for s in info["epoch_metric_stats"])
    else:  # files before metric statistics: one sum per (mean) metric, counted over the epoch's samples
        samples = min((step % session.batches_per_epoch) * session.batch_size, session.n)
        stats = tuple((float(v), samples) if samples else None for v in info["epoch_metric_sums"])
    checkpoint = Checkpoint(step, tuple(ordered),
                            {name: tuple(d[i] for i in range(len(d))) for name, d in opt_slots.items()},
                            bool(opt_slots) or step > 0, float(info["epoch_loss_sum"]), stats, samples)
    session._restore(checkpoint)
    if step:
        session.checkpoints.add(checkpoint)
    session.history = TrainingHistory.from_state(history_state)
    return session, {"data_ref": info.get("data_ref", {}), "settings": info.get("settings", {})}
