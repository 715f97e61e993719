"""Legacy HDF5 model files (``model.save("m.h5")``), as Keras 3 and tf.keras 2.x wrote them.

The layout (Keras's ``legacy_h5_format``)::

    /                    attrs: model_config (JSON), training_config (JSON), keras_version, backend
    /model_weights       attrs: layer_names (a list of names, possibly split as layer_names0, layer_names1…)
    /model_weights/<layer>            attrs: weight_names (trainable weights first)
    /model_weights/<layer>/<weight name>   one dataset per weight ("dense/kernel:0" in tf.keras 2.x,
                                           "sequential/dense/kernel" in Keras 3)
    /optimizer_weights   attrs: weight_names; a dataset per optimizer variable

The whole file is read once by the guarded reader (numeric datasets, short
attributes; no links, external storage or references). Keras 3 writes the
optimizer's variables in its ``optimizer.variables`` order; tf.keras 2.x names
them (``Adam/dense/kernel/m:0``, or ``Adam/m/dense/kernel:0`` from 2.11 on),
so they are matched by name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from core import safeio
from core.model_loading.architecture import build_model, read_architecture
from core.model_loading.compile_settings import compile_model, read_compile_settings
from core.model_loading.errors import DamagedModelError, InvalidModelError, fail
from core.model_loading.opened import OpenedModel
from core.model_loading.weights import legacy_order, set_layer_weights, set_optimizer_slots, set_optimizer_variables

#: tf.keras 2.x slot names → core's (both the OptimizerV2 names and the 2.11+ ones).
SLOT_NAMES = {"m": "momentum", "v": "velocity", "vhat": "velocity_hat", "momentum": "momentum", "rms": "velocity",
              "mg": "average_gradient", "accumulator": "accumulator", "accum_grad": "accumulated_grad",
              "accum_var": "accumulated_delta_var", "velocity": "velocity", "velocity_hat": "velocity_hat",
              "average_gradient": "average_gradient", "accumulated_grad": "accumulated_grad",
              "accumulated_delta_var": "accumulated_delta_var", "u": "norm"}
#: Where one optimizer's slot means another core name.
SLOT_OVERRIDES = {"Adamax": {"v": "norm", "u": "norm"}}


def read_legacy_h5(path: Path, compile: bool = True) -> OpenedModel:
    """The model in the legacy ``.h5`` file at ``path`` (see :func:`core.model_loading.open_model`)."""
    contents = safeio.read_h5(path)
    root = contents.attrs.get("", {})
    raw = root.get("model_config")
    if raw is None:
        if "layers" in contents.groups or "layer_names" in root:
            raise fail(InvalidModelError, path, None, "this is a weights file (model.save_weights), not a whole "
                       "model: it holds no architecture. Open the model it belongs to, then load these weights "
                       "with model.load_weights.")
        raise fail(DamagedModelError, path, None, "not a Keras model file (an HDF5 file without 'model_config').")
    config = safeio.parse_json(_text(raw, "model_config", path), path, "attribute 'model_config'")
    version = root.get("keras_version")
    version = version if isinstance(version, str) and len(version) <= 40 else None
    backend = root.get("backend") if isinstance(root.get("backend"), str) else None
    plan = read_architecture(config, path, "model_config")
    model = build_model(plan, path)
    keras3 = bool(version and version.startswith("3"))
    saved_by = (f"Keras {version}" if keras3 else f"tf.keras {version}" if backend == "tensorflow"
                else f"Keras {version}") if version else "Keras"
    opened = OpenedModel(model=model, path=Path(path), format="h5", keras_version=version, saved_by=saved_by)
    _set_weights(model, contents, path)
    training = root.get("training_config")
    if compile and training is not None:
        doc = safeio.parse_json(_text(training, "training_config", path), path, "attribute 'training_config'")
        settings = read_compile_settings(doc, path, "training_config", optimizer_key="optimizer_config")
        if settings is not None:
            compile_model(model, settings, path, "training_config")
            opened.compiled = True
            _set_optimizer(opened, contents, keras3, path)
    return opened


def _text(value: Any, name: str, path: Path) -> str:
    if not isinstance(value, str):
        raise fail(InvalidModelError, path, None, f"the attribute {name!r} is {type(value).__name__}, not JSON text.")
    return value


def names_attribute(attrs: dict[str, Any], name: str, path: Path, where: str) -> list[str]:
    """A list-of-names attribute, joined from ``name0``, ``name1``… when Keras split it."""
    if name in attrs:
        parts = [attrs[name]]
    else:
        parts, k = [], 0
        while f"{name}{k}" in attrs:
            parts.append(attrs[f"{name}{k}"])
            k += 1
    out: list[str] = []
    for part in parts:
        if isinstance(part, np.ndarray) and part.size == 0:
            continue  # Keras writes an empty list as an empty float array
        if not isinstance(part, list):
            raise fail(InvalidModelError, path, where, f"the attribute {name!r} is not a list of names.")
        out.extend(part)
    return out


def _set_weights(model, contents: safeio.H5Contents, path: Path) -> None:
    if "model_weights" not in contents.groups:
        raise fail(InvalidModelError, path, None, "the file has no 'model_weights' group.")
    layer_names = names_attribute(contents.attrs["model_weights"], "layer_names", path, "model_weights")
    saved = []
    for name in layer_names:
        group = f"model_weights/{name}"
        if group not in contents.attrs:
            raise fail(InvalidModelError, path, "model_weights", f"lists layer {name[:60]!r} but has no group for it.")
        weight_names = names_attribute(contents.attrs[group], "weight_names", path, group)
        if weight_names:
            saved.append((name, group, weight_names))
    layers = [layer for layer in model.compute_layers if layer.params]
    if len(saved) != len(layers):
        raise fail(InvalidModelError, path, "model_weights", f"holds weights for {len(saved)} layers; the model has "
                   f"{len(layers)} layers with weights ({', '.join(la.name for la in layers)}).")
    for layer, (_name, group, weight_names) in zip(layers, saved):
        arrays = []
        for weight in weight_names:
            key = f"{group}/{weight}"
            if key not in contents.arrays:
                raise fail(InvalidModelError, path, group, f"lists weight {weight[:80]!r} but holds no such dataset.")
            arrays.append(contents.arrays[key])
        set_layer_weights(layer, legacy_order(layer, arrays), path, group)


def _set_optimizer(opened: OpenedModel, contents: safeio.H5Contents, keras3: bool, path: Path) -> None:
    if "optimizer_weights" not in contents.groups:
        return
    names = names_attribute(contents.attrs["optimizer_weights"], "weight_names", path, "optimizer_weights")
    arrays = []
    for name in names:
        key = f"optimizer_weights/{name}"
        if key not in contents.arrays:
            raise fail(InvalidModelError, path, "optimizer_weights", f"lists {name[:80]!r} but holds no such "
                       "dataset.")
        arrays.append(contents.arrays[key])
    if not arrays:
        return
    model = opened.model
    if keras3:
        note = set_optimizer_variables(model, arrays, path, "optimizer_weights")
    else:
        note = _named_state(model, names, arrays, path)
    if note:
        opened.notes.append(note)
    else:
        opened.optimizer_state = True


def _named_state(model, names: list[str], arrays: list[np.ndarray], path: Path) -> str | None:
    """tf.keras 2.x optimizer weights, matched by name to core's slots; a note when they do not fit."""
    optimizer = model.optimizer
    kind = type(optimizer).__name__
    tokens = {**SLOT_NAMES, **SLOT_OVERRIDES.get(kind, {})}
    trained = [(layer.name, layer.param_names[j]) for layer in model.compute_layers
               for j in layer.trainable_indices]
    index = {key: k for k, key in enumerate(trained)}
    slots: dict[str, dict[int, np.ndarray]] = {}
    iterations = 0
    prefixes = {kind.lower(), str(optimizer.name).lower()}
    for name, arr in zip(names, arrays):
        parts = name.rsplit(":", 1)[0].split("/")
        if parts[-1] in ("iter", "iteration"):
            safeio.check_array(arr, name, kinds="iu", shape=(), path=path, where="optimizer_weights")
            iterations = int(arr)
            continue
        if len(parts) == 4 and parts[0].lower() in prefixes:
            parts = parts[1:]
        if len(parts) == 3 and parts[2] in tokens:      # OptimizerV2: Adam/dense/kernel/m
            slot, key = tokens[parts[2]], (parts[0], parts[1])
        elif len(parts) == 3 and parts[0] in tokens:    # 2.11+: Adam/m/dense/kernel
            slot, key = tokens[parts[0]], (parts[1], parts[2])
        elif np.ndim(arr) == 0:
            continue  # a scalar of the old update rules (Nadam's momentum_cache): derived from the step here
        else:
            return f"the saved optimizer variable {name[:80]!r} is not one {kind} keeps; the optimizer starts " \
                   "with a fresh state."
        if key not in index:
            return f"the saved optimizer variable {name[:80]!r} belongs to no trainable weight of the model; the " \
                   "optimizer starts with a fresh state."
        slots.setdefault(slot, {})[index[key]] = arr
    expected = set(optimizer.active_slots())
    complete = all(len(slots.get(s, {})) == len(trained) for s in expected)
    if set(slots) != expected or not complete:
        return (f"the saved optimizer state holds {sorted(slots)} where {kind} keeps {sorted(expected)} for each "
                "weight; the optimizer starts with a fresh state.")
    set_optimizer_slots(model, {s: [slots[s][k] for k in range(len(trained))] for s in expected}, iterations, path,
                        "optimizer_weights")
    return None
