"""Keras 3 ``.keras`` archives: ``metadata.json``, ``config.json`` and ``model.weights.h5`` in a zip.

Every member goes through the guarded reader: the zip's members are checked
before anything is unpacked (names, sizes, links, encryption, zip bombs), the
JSON is bounded and strict, and the weights file is read by h5py as plain
numeric datasets only. Weights live at ``layers/<group>/vars/<i>`` (the group
is the snake-case class name, numbered per class, as Keras names it), the
optimizer's variables at ``optimizer/vars/<i>``.
"""

from __future__ import annotations

from pathlib import Path

from core import limits, safeio
from core.model_loading.architecture import ModelPlan, build_model, read_architecture
from core.model_loading.compile_settings import compile_model, read_compile_settings
from core.model_loading.errors import DamagedModelError, InvalidModelError, fail
from core.model_loading.opened import OpenedModel
from core.model_loading.weights import set_layer_weights, set_optimizer_variables

CONFIG, METADATA, WEIGHTS = "config.json", "metadata.json", "model.weights.h5"


def read_keras_archive(path: Path, compile: bool = True) -> OpenedModel:
    """The model in the ``.keras`` file at ``path`` (see :func:`core.model_loading.open_model`)."""
    with safeio.SafeZip.open(path, what="Keras model file") as archive:
        names = archive.names()
        if CONFIG not in names:
            raise fail(DamagedModelError, path, None, "not a Keras model file (a zip without config.json).")
        config = safeio.parse_json(archive.read(CONFIG, limits.MAX_JSON_BYTES, "MAX_JSON_BYTES"), path, CONFIG)
        version = None
        if METADATA in names:
            metadata = safeio.parse_json(archive.read(METADATA, limits.MAX_JSON_BYTES, "MAX_JSON_BYTES"), path,
                                         METADATA)
            version = safeio.Fields(metadata, METADATA, path).get("keras_version", str, default=None, max_length=40)
        weights = None
        if WEIGHTS in names:
            weights = safeio.read_h5_bytes(archive.read(WEIGHTS), path, f"member {WEIGHTS!r}")
    plan = read_architecture(config, path, CONFIG)
    model = build_model(plan, path)
    opened = OpenedModel(model=model, path=Path(path), format="keras", keras_version=version,
                         saved_by=f"Keras {version}" if version else "Keras 3")
    _set_weights(model, plan, weights, path)
    settings = read_compile_settings(config.get("compile_config"), path, f"{CONFIG}: compile_config") \
        if compile and isinstance(config, dict) else None
    if settings is not None:
        compile_model(model, settings, path, f"{CONFIG}: compile_config")
        opened.compiled = True
        saved = _optimizer_arrays(weights)
        if saved:
            note = set_optimizer_variables(model, saved, path, f"member {WEIGHTS!r}, optimizer/vars")
            if note:
                opened.notes.append(note)
            else:
                opened.optimizer_state = True
    return opened


def _set_weights(model, plan: ModelPlan, weights: safeio.H5Contents | None, path: Path) -> None:
    for layer, lp in zip(model.compute_layers, plan.layers):
        if not layer.params:
            continue
        if weights is None:
            raise fail(InvalidModelError, path, None, f"the model has weights (layer {lp.name!r}) but the file has "
                       f"no {WEIGHTS}.")
        group = f"layers/{lp.weights_key}/vars"
        arrays = _numbered(weights, group)
        if not arrays:
            raise fail(InvalidModelError, path, f"member {WEIGHTS!r}", f"the weights of layer {lp.name!r} "
                       f"({group}) are missing.")
        set_layer_weights(layer, arrays, path, f"member {WEIGHTS!r}, {group}")


def _numbered(weights: safeio.H5Contents, group: str) -> list:
    """``group/0``, ``group/1``, … in order, up to the first gap."""
    out = []
    while f"{group}/{len(out)}" in weights.arrays:
        out.append(weights.arrays[f"{group}/{len(out)}"])
    return out


def _optimizer_arrays(weights: safeio.H5Contents | None) -> list:
    return [] if weights is None else _numbered(weights, "optimizer/vars")
