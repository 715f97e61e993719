"""Checking the layers of a session file's ``model.json`` before any layer exists.

The entries are those of :mod:`core.layers.description` (which writes and
builds them). Reading accepts nothing that is not on a list here (layer
classes, activations, regularizer classes and their arguments) and checks
every number's type and range, so a file cannot ask for a dropout rate of 7
or an L2 factor of "os.system".
"""

from __future__ import annotations

import math
from typing import Any

import core
from core import limits
from core.layers.description import LAYER_CLASSES, REGULARIZERS, WEIGHT_REGULARIZERS
from core.safeio import Fields, InvalidValueError

__all__ = ["LAYER_CLASSES", "MAX_FACTOR", "MAX_NAME", "read_layer", "read_regularizer"]
#: Largest regularization factor accepted (a penalty 10⁶ times the weights' norm is no lesson, only a blow-up).
MAX_FACTOR = 1e6
#: Longest layer name accepted.
MAX_NAME = 128


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
