"""The schema of a ``.propscope`` session file: what each JSON member and array must be.

Each reader here takes parsed JSON (or arrays) and either returns something
safe to build from or raises the guarded reader's errors, naming the member
and the field. Nothing is constructed from a name that is not on a list:
layer classes, activations, loss classes, optimizer classes, their arguments.
Sizes are checked against :mod:`core.limits` *before* anything is allocated
(a Dense layer of 3e9 units is refused from its JSON, not by ``MemoryError``).
"""

from __future__ import annotations

import inspect
import math
from typing import Any

import numpy as np

import core
from core.export.fingerprint import check_fingerprint
from core import limits
from core.export.layer_schema import LAYER_CLASSES, MAX_NAME, read_layer
from core.safeio import (FLOAT32_MAX, CorruptFileError, Fields, InvalidValueError, ReadLimitError,
                         UnsafeContentError, check_array)
from core.stepper.builder import model_from_config

__all__ = ["LAYER_CLASSES", "MAX_NAME", "build_model", "compile_model", "read_compile_config", "read_model_config"]
DTYPES = ("float32", "float64")
#: Loss classes a session may name (looked up here, never with getattr on a module).
LOSS_CLASSES = {cls.__name__: cls for cls in (
    core.losses.MeanSquaredError, core.losses.MeanAbsoluteError, core.losses.Huber, core.losses.BinaryCrossentropy,
    core.losses.CategoricalCrossentropy, core.losses.SparseCategoricalCrossentropy,
    core.losses.MeanAbsolutePercentageError, core.losses.MeanSquaredLogarithmicError, core.losses.LogCosh,
    core.losses.KLDivergence, core.losses.Poisson, core.losses.Hinge, core.losses.SquaredHinge,
    core.losses.CategoricalHinge)}


def read_manifest(doc: Any, path, supported: int, fmt: str) -> int:
    """The version of a manifest that says it is a session file this Propscope reads."""
    fields = Fields(doc, "manifest.json", path)
    found = fields.get("format", str, default=None, max_length=200)
    if found != fmt:
        raise InvalidValueError(f"not a Propscope session file (format {found!r}).", path, "manifest.json")
    version = fields.doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= supported:
        made_by = fields.doc.get("propscope", "?")
        raise UnsupportedVersion(f"session file version {fields.doc.get('version')!r} is not supported by this "
                                 f"Propscope (it reads version 1 to {supported}); it was made by Propscope "
                                 f"{str(made_by)[:40]}.")
    return version


class UnsupportedVersion(Exception):
    """A manifest of another version: the caller turns it into its own error."""


def read_model_config(doc: Any, path) -> dict[str, Any]:
    """``model.json`` checked: names, classes, activations, units and the parameter count within the limits;
    a model described by its Keras config (``"keras"``) is checked as a model file's config.json is."""
    if isinstance(doc, dict) and "keras" in doc:
        return {"keras_plan": _keras_plan(doc["keras"])}
    fields = Fields(doc, "model.json", path)
    name = fields.get("name", str, max_length=MAX_NAME)
    shape = fields.list_of("input_shape", int, max_items=limits.MAX_SAMPLE_DIMS, items_limit="MAX_SAMPLE_DIMS",
                           minimum=1, limit="MAX_FEATURES")
    if not shape:
        raise InvalidValueError("'input_shape' is empty.", path, "model.json")
    features = math.prod(shape)
    if features > limits.MAX_FEATURES:
        raise ReadLimitError(f"inputs of {features:,} values, over the limit of {limits.MAX_FEATURES:,} "
                             "(MAX_FEATURES).", path, "model.json", limit="MAX_FEATURES")
    entries = fields.list_of("layers", dict, max_items=limits.MAX_LAYERS, items_limit="MAX_LAYERS")
    if not entries:
        raise InvalidValueError("the model has no layers.", path, "model.json")
    layers, seen, params = [], set(), 0
    current = tuple(shape)
    for i, entry in enumerate(entries):
        out, current, count = read_layer(Fields(entry, f"model.json: layers[{i}]", path), current, path)
        if not out["name"] or out["name"] in seen:
            raise InvalidValueError(f"layer name {out['name']!r} is empty or used twice.", path, "model.json")
        seen.add(out["name"])
        params += count
        layers.append(out)
    if params > limits.MAX_PARAMS:
        raise ReadLimitError(f"the model has {params:,} parameters, over the limit of {limits.MAX_PARAMS:,} "
                             "(MAX_PARAMS).", path, "model.json", limit="MAX_PARAMS")
    return {"name": name, "input_shape": shape, "layers": layers}


def _keras_plan(doc: Any):
    """The checked architecture of a Keras config (:mod:`core.model_loading`: known classes only, no code, one
    chain, the limits), its errors as the guarded reader's, so that the session file's own follow."""
    from core import model_loading
    from core.model_loading.architecture import read_architecture

    try:
        return read_architecture(doc, None, "model.json: keras")
    except model_loading.ModelFileError as exc:
        kind = {model_loading.UnsafeModelError: UnsafeContentError, model_loading.ModelLimitError: ReadLimitError,
                model_loading.DamagedModelError: CorruptFileError}.get(type(exc), InvalidValueError)
        raise kind(str(exc)) from None


def build_model(config: dict[str, Any]):
    """The (uncompiled) model a checked ``model.json`` describes (built by the one builder, or, for a Keras
    config, by :mod:`core.model_loading`)."""
    if "keras_plan" in config:
        from core import model_loading
        from core.model_loading.architecture import build_model as build_keras

        try:
            return build_keras(config["keras_plan"])
        except model_loading.ModelFileError as exc:
            raise (ReadLimitError if isinstance(exc, model_loading.ModelLimitError) else InvalidValueError)(
                str(exc)) from None
    return model_from_config(config)


def read_compile_config(doc: Any, path) -> dict[str, Any]:
    """``compile.json`` checked: a known loss class with its own arguments, a known optimizer with its own
    arguments (plain numbers and flags), metric names, a dtype."""
    fields = Fields(doc, "compile.json", path)
    loss = fields.object("loss")
    loss_cls = LOSS_CLASSES[loss.get("class", str, choices=sorted(LOSS_CLASSES))]
    loss_args = _arguments(loss.object("config", default={}), loss_cls, path)
    optimizer = fields.object("optimizer")
    names = core.optimizers.names() + list(core.optimizers.TORCH_RULES)
    class_name = optimizer.get("class_name", str, max_length=64)
    opt_cls = core.optimizers.optimizer_class(class_name)
    if opt_cls is None:
        raise InvalidValueError(f"optimizer {class_name[:40]!r} is not one of {', '.join(names)}.", path,
                                "compile.json")
    opt_args = _arguments(optimizer.object("config", default={}), opt_cls, path)
    metrics = fields.list_of("metrics", str, max_items=8, default=[], max_length=64)
    weighted = fields.list_of("weighted_metrics", str, max_items=8, default=[], max_length=64)
    loss_weight = None if fields.doc.get("loss_weight") is None else fields.get("loss_weight", float)
    dtype = fields.get("dtype", str, default="float32", choices=DTYPES)
    return {"loss_class": loss_cls, "loss_args": loss_args, "optimizer_class": class_name,
            "optimizer_args": opt_args, "metrics": metrics, "weighted_metrics": weighted, "loss_weight": loss_weight,
            "dtype": dtype}


#: Ranges the loss classes do not check themselves.
LOSS_RANGES = {"label_smoothing": (0.0, 1.0), "delta": (1e-12, 1e12)}


def _arguments(config: Fields, cls: type, path) -> dict[str, Any]:
    """Keyword arguments for ``cls`` from a JSON object: only names its ``__init__`` (or a base's) takes,
    each of the type its default has (a flag must be true/false, a number a number), ranges the
    class does not check itself checked here; the class's own checks run when it is built."""
    defaults: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if klass is object or "__init__" not in vars(klass):
            continue
        for name, p in inspect.signature(klass.__init__).parameters.items():
            if name != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
                defaults[name] = p.default
    args = {}
    for key, value in config.doc.items():
        if key not in defaults:
            raise InvalidValueError(f"{cls.__name__} takes no argument {key[:40]!r}.", path, config.name)
        default = defaults[key]
        if key == "name" or isinstance(default, str):
            ok = isinstance(value, str) and len(value) <= MAX_NAME or (value is None and key == "name")
            want = "a name"
        elif isinstance(default, bool):
            ok, want = isinstance(value, bool), "true or false"
        else:  # numbers; None means "off" (clipnorm…)
            ok = value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))
            want = "a number"
        if not ok:
            note = " (learning-rate schedules are not restored)" if isinstance(value, dict) else ""
            raise InvalidValueError(f"{cls.__name__} argument {key!r} should be {want}, not {_show(value)}{note}.",
                                    path, config.name)
        if key in LOSS_RANGES and value is not None:
            lo, hi = LOSS_RANGES[key]
            if not lo <= value <= hi:
                raise InvalidValueError(f"{cls.__name__} argument {key!r} is {value}; it must lie in [{lo:g}, "
                                        f"{hi:g}].", path, config.name)
        args[key] = value
    return args


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def compile_model(model, compile_cfg: dict[str, Any], path=None, backend: str = "auto") -> None:
    """Compile ``model`` as the checked ``compile.json`` says (on ``backend``); what the classes' own checks
    refuse (a learning rate below 0, ``beta_1`` of 2, an unknown metric) is reported against ``compile.json``."""
    loss_args = {k: v for k, v in compile_cfg["loss_args"].items() if k != "name"}
    try:
        optimizer = core.optimizers.get({"class_name": compile_cfg["optimizer_class"],
                                         "config": compile_cfg["optimizer_args"]})
        model.compile(optimizer=optimizer, loss=compile_cfg["loss_class"](**loss_args),
                      metrics=compile_cfg["metrics"] or None, weighted_metrics=compile_cfg["weighted_metrics"] or None,
                      loss_weights=compile_cfg["loss_weight"], dtype=compile_cfg["dtype"], backend=backend)
        for metric in model.metric_identifiers + model.weighted_metric_identifiers:  # as the session resolves them
            core.metrics.resolve(metric, (1,) + tuple(model.output_shape[1:]), model.output_shape)
    except (ValueError, TypeError) as exc:
        raise InvalidValueError(str(exc), path, "compile.json") from None


def read_sample_weights(arrays: dict[str, np.ndarray], n: int, n_val: int | None, path):
    """``(train, validation)`` per-sample weights of ``sample_weights.npz``: finite, one per sample."""
    unknown = set(arrays) - {"train", "validation"}
    if unknown or ("validation" in arrays and n_val is None):
        raise InvalidValueError(f"holds {sorted(arrays)[:6]}; expected train and, with validation data, "
                                "validation.", path, "sample_weights.npz")
    out = []
    for key, count in (("train", n), ("validation", n_val)):
        if key in arrays:
            check_array(arrays[key], key, kinds="f", shape=(count,), max_abs=FLOAT32_MAX, path=path,
                        where="sample_weights.npz")
        out.append(arrays.get(key))
    return tuple(out)


def read_extras(fields: Fields, path) -> dict[str, Any]:
    """The rest of ``session.json``: where the data is, its fingerprint, the app's settings."""
    data_ref = fields.get("data_ref", dict, default={})
    settings = fields.object("settings", default={})
    settings.list_of("class_names", str, max_items=limits.MAX_CLASSES, default=[], max_length=200,
                     items_limit="MAX_CLASSES")
    settings.get("data", str, default="", max_length=2000)
    extras: dict[str, Any] = {"data_ref": data_ref, "settings": settings.doc,
                              "data_included": fields.get("data_included", bool, default=False)}
    if fields.has("fingerprint"):
        lesson = check_fingerprint(fields.doc.get("fingerprint"))
        if lesson is None:
            raise InvalidValueError("'fingerprint' is not a lesson fingerprint ({\"code\": \"XXXX-XXXX\", \"step\": "
                                    "a whole number, \"loss\": a number or null}).", path, "session.json")
        extras["fingerprint"] = lesson
    if fields.has("data_fingerprint"):
        fp = fields.object("data_fingerprint")
        extras["data_fingerprint"] = {
            "shape": fp.list_of("shape", int, max_items=limits.MAX_SAMPLE_DIMS + 1, minimum=0),
            "x_sum": fp.get("x_sum", float), "y_sum": fp.get("y_sum", float)}
    return extras


def check_data(model, x: np.ndarray, y: np.ndarray, path, where: str) -> None:
    """Training (or validation) arrays that fit ``model``: finite samples of its input shape, targets its
    loss can take (class indices within the outputs, binary targets in [0, 1])."""
    n = len(x) if isinstance(x, np.ndarray) and x.ndim else 0
    if n > limits.MAX_SAMPLES:
        raise ReadLimitError(f"{n:,} samples, over the limit of {limits.MAX_SAMPLES:,} (MAX_SAMPLES).", path, where,
                             limit="MAX_SAMPLES")
    check_array(x, "x", kinds="biuf", shape=(None,) + tuple(model.input_shape[1:]), max_abs=FLOAT32_MAX, path=path,
                where=where)
    if n == 0:
        raise InvalidValueError("holds no samples.", path, where)
    outputs = int(model.output_shape[-1])
    loss = model.loss
    check_array(y, "y", kinds="biuf", finite=True, max_abs=FLOAT32_MAX, path=path, where=where)
    if y.ndim == 0 or len(y) != n or y.ndim > 2:
        raise InvalidValueError(f"has {n:,} samples but targets of shape {y.shape}.", path, where)
    values = y.astype(np.float64, copy=False)
    if isinstance(loss, core.losses.SparseCategoricalCrossentropy):
        if y.ndim == 2 and y.shape[1] != 1:
            raise InvalidValueError(f"sparse targets must be one class index per sample, not {y.shape}.", path,
                                    where)
        if np.any(values != np.floor(values)) or values.min() < 0 or values.max() >= outputs:
            raise InvalidValueError(f"class indices must be whole numbers from 0 to {outputs - 1} (the model has "
                                    f"{outputs} outputs).", path, where)
    elif isinstance(loss, (core.losses.CategoricalCrossentropy, core.losses.BinaryCrossentropy)):
        width = 1 if y.ndim == 1 else y.shape[1]
        if width != outputs and not (isinstance(loss, core.losses.BinaryCrossentropy) and y.ndim == 1):
            raise InvalidValueError(f"targets have {width} columns but the model has {outputs} outputs.", path,
                                    where)
        if values.min() < 0 or values.max() > 1:
            raise InvalidValueError("crossentropy targets must lie between 0 and 1 (binary labels are 0 or 1).",
                                    path, where)
    else:
        width = 1 if y.ndim == 1 else y.shape[1]
        if width != outputs:
            raise InvalidValueError(f"targets have {width} columns but the model has {outputs} outputs.", path,
                                    where)
