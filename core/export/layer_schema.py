"""The layers of a session file's ``model.json``: how each is written, checked and rebuilt.

One entry per computing layer, ``{"class": ..., "name": ..., "trainable": ...}``
plus the class's own fields. Reading builds nothing from a name that is not
on a list here (layer classes, activations, regularizer classes and their
arguments), and checks every number's type and range before a layer exists,
so a file cannot ask for a dropout rate of 7 or an L2 factor of "os.system".

Regularizers are stored as Keras serializes them, ``{"class_name": "L2",
"config": {"l2": 0.01}}``.
"""

from __future__ import annotations

import math
from typing import Any

import core
from core import limits
from core.safeio import Fields, InvalidValueError

LAYER_CLASSES = ("Dense", "Flatten", "Activation", "Dropout", "BatchNormalization", "ActivityRegularization")
#: Regularizer classes a file may name, with the arguments each takes.
REGULARIZERS = {"L1": ("l1",), "L2": ("l2",), "L1L2": ("l1", "l2")}
#: Largest regularization factor accepted (a penalty 10⁶ times the weights' norm is no lesson, only a blow-up).
MAX_FACTOR = 1e6
#: Weight regularizers each class may carry.
WEIGHT_REGULARIZERS = {"Dense": ("kernel_regularizer", "bias_regularizer"),
                       "BatchNormalization": ("gamma_regularizer", "beta_regularizer")}
#: Longest layer name accepted.
MAX_NAME = 128


def layer_entry(layer) -> dict[str, Any]:
    """The ``model.json`` entry of ``layer`` (refuses a layer type session files do not keep)."""
    kind = type(layer).__name__
    if kind not in LAYER_CLASSES:
        raise ValueError(f"Layer type {kind} cannot be saved in a session file yet.")
    entry: dict[str, Any] = {"class": kind, "name": layer.name, "trainable": layer.trainable}
    if kind == "Dense":
        entry.update(units=layer.units, activation=layer.activation.name, use_bias=layer.use_bias)
    elif kind == "Activation":
        entry.update(activation=layer.activation.name)
    elif kind == "Dropout":
        entry.update(rate=float(layer.rate), seed=layer.seed,
                     noise_shape=None if layer.noise_shape is None else list(layer.noise_shape))
    elif kind == "BatchNormalization":
        entry.update(axis=layer.axis, momentum=layer.momentum, epsilon=layer.epsilon, center=bool(layer.center),
                     scale=bool(layer.scale))
    elif kind == "ActivityRegularization":
        entry.update(l1=float(layer.l1), l2=float(layer.l2))
    for key in WEIGHT_REGULARIZERS.get(kind, ()):
        entry[key] = core.regularizers.serialize(layer.regularizers.get(key.split("_")[0]))
    if layer.activity_regularizer is not None and kind != "ActivityRegularization":
        entry["activity_regularizer"] = core.regularizers.serialize(layer.activity_regularizer)
    return entry


def read_layer(layer: Fields, current: tuple[int, ...], path) -> tuple[dict[str, Any], tuple[int, ...], int]:
    """One checked entry: ``(entry, output shape, parameter count)`` for inputs of shape ``current``."""
    activations = sorted(core.activations.names())
    cls = layer.get("class", str, choices=LAYER_CLASSES)
    name = layer.get("name", str, max_length=MAX_NAME)
    out: dict[str, Any] = {"class": cls, "name": name, "trainable": layer.get("trainable", bool, default=True)}
    params = 0
    if cls == "Dense":
        units = layer.get("units", int, minimum=1, limit="MAX_UNITS")
        out.update(units=units, activation=layer.get("activation", str, choices=activations),
                   use_bias=layer.get("use_bias", bool, default=True))
        params = current[-1] * units + (units if out["use_bias"] else 0)
        current = current[:-1] + (units,)
    elif cls == "Activation":
        out["activation"] = layer.get("activation", str, choices=activations)
    elif cls == "Flatten":
        current = (math.prod(current),)
    elif cls == "Dropout":
        out.update(rate=layer.get("rate", float, minimum=0.0, maximum=1.0),
                   seed=_optional_int(layer, "seed"), noise_shape=_noise_shape(layer, len(current) + 1, path))
    elif cls == "BatchNormalization":
        rank = len(current) + 1
        axis = layer.get("axis", int, default=-1, minimum=-rank, maximum=rank - 1)
        if axis % rank == 0:
            raise InvalidValueError(f"BatchNormalization {name!r} normalizes over the batch axis ({axis}).", path,
                                    layer.name)
        momentum = layer.get("momentum", float, default=0.99, minimum=0.0, maximum=1.0)
        epsilon = layer.get("epsilon", float, default=1e-3, minimum=1e-12, maximum=1e3)
        center, scale = layer.get("center", bool, default=True), layer.get("scale", bool, default=True)
        out.update(axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale)
        params = (2 + int(center) + int(scale)) * current[axis % rank - 1]
    else:  # ActivityRegularization
        out.update(l1=layer.get("l1", float, default=0.0, minimum=0.0, maximum=MAX_FACTOR),
                   l2=layer.get("l2", float, default=0.0, minimum=0.0, maximum=MAX_FACTOR))
    keys = WEIGHT_REGULARIZERS.get(cls, ()) + (("activity_regularizer",) if cls != "ActivityRegularization" else ())
    for key in keys:
        out[key] = read_regularizer(layer, key, path)
    unknown = set(layer.doc) - set(out)
    if unknown:
        raise InvalidValueError(f"{cls} layer {name!r} has fields it does not take: {sorted(unknown)[:5]}.", path,
                                layer.name)
    return out, current, params


def read_regularizer(layer: Fields, key: str, path) -> dict[str, Any] | None:
    """A regularizer as Keras serializes it, checked: a listed class and its own finite, bounded factors."""
    raw = layer.doc.get(key)
    if raw is None:
        return None
    where = f"{layer.name}: {key}"
    fields = Fields(raw, where, path)
    cls = fields.get("class_name", str, choices=sorted(REGULARIZERS))
    config = fields.object("config", default={})
    if set(config.doc) - set(REGULARIZERS[cls]):
        raise InvalidValueError(f"{cls} takes only {', '.join(REGULARIZERS[cls])}.", path, where)
    extra = set(fields.doc) - {"class_name", "config", "module", "registered_name"}
    if extra:
        raise InvalidValueError(f"has fields a regularizer does not have: {sorted(extra)[:5]}.", path, where)
    args = {arg: config.get(arg, float, minimum=0.0, maximum=MAX_FACTOR) for arg in REGULARIZERS[cls]
            if config.has(arg)}
    return {"class_name": cls, "config": args}


def build_layer(entry: dict[str, Any]):
    """The layer a checked entry describes."""
    cls, name = entry["class"], entry["name"]
    regs = {key: None if entry.get(key) is None else core.regularizers.deserialize(entry[key])
            for key in ("kernel_regularizer", "bias_regularizer", "gamma_regularizer", "beta_regularizer",
                        "activity_regularizer") if key in entry}
    if cls == "Dense":
        layer = core.layers.Dense(int(entry["units"]), activation=entry["activation"],
                                  use_bias=bool(entry.get("use_bias", True)), name=name, **regs)
    elif cls == "Flatten":
        layer = core.layers.Flatten(name=name, **regs)
    elif cls == "Activation":
        layer = core.layers.Activation(entry["activation"], name=name, **regs)
    elif cls == "Dropout":
        layer = core.layers.Dropout(entry["rate"], noise_shape=entry.get("noise_shape"), seed=entry.get("seed"),
                                    name=name, **regs)
    elif cls == "BatchNormalization":
        layer = core.layers.BatchNormalization(axis=entry["axis"], momentum=entry["momentum"],
                                               epsilon=entry["epsilon"], center=entry["center"],
                                               scale=entry["scale"], name=name, **regs)
    else:
        layer = core.layers.ActivityRegularization(l1=entry["l1"], l2=entry["l2"], name=name)
    layer.trainable = bool(entry.get("trainable", True))
    return layer


def _optional_int(layer: Fields, key: str) -> int | None:
    if layer.doc.get(key) is None:
        return None
    return layer.get(key, int, minimum=0, maximum=2**63 - 1)


def _noise_shape(layer: Fields, rank: int, path) -> list | None:
    raw = layer.doc.get("noise_shape")
    if raw is None:
        return None
    ok = isinstance(raw, list) and len(raw) == rank and all(
        v is None or (isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= limits.MAX_BATCH_SIZE)
        for v in raw)
    if not ok:
        raise InvalidValueError(f"'noise_shape' should list {rank} sizes (whole numbers or null), not "
                                f"{str(raw)[:40]}.", path, layer.name)
    return raw
