"""Layers as plain data — the entries of a session file's ``model.json`` and of the app's model descriptions.

One entry per computing layer, ``{"class": ..., "name": ..., "trainable": ...}``
plus the class's own fields::

    {"class": "Dense", "name": "dense", "units": 100, "activation": "relu", "use_bias": true,
     "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.01}}, "bias_regularizer": null}
    {"class": "BatchNormalization", "axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": true,
     "scale": true, "gamma_regularizer": null, "beta_regularizer": null}
    {"class": "Dropout", "rate": 0.3, "seed": null, "noise_shape": null}

Regularizers are stored as Keras serializes them. An entry from outside
(a file) is checked by :mod:`core.export.layer_schema` before it is built here.
"""

from __future__ import annotations

from typing import Any

from core import regularizers
from core.layers.core_layers import Activation, Dense, Flatten
from core.layers.normalization import BatchNormalization
from core.layers.regularization import ActivityRegularization, Dropout

LAYER_CLASSES = ("Dense", "Flatten", "Activation", "Dropout", "BatchNormalization", "ActivityRegularization")
#: Regularizer classes an entry may name, with the arguments each takes.
REGULARIZERS = {"L1": ("l1",), "L2": ("l2",), "L1L2": ("l1", "l2")}
#: Weight regularizers each class may carry.
WEIGHT_REGULARIZERS = {"Dense": ("kernel_regularizer", "bias_regularizer"),
                       "BatchNormalization": ("gamma_regularizer", "beta_regularizer")}
_REGULARIZER_KEYS = ("kernel_regularizer", "bias_regularizer", "gamma_regularizer", "beta_regularizer",
                     "activity_regularizer")


def layer_entry(layer) -> dict[str, Any]:
    """The entry of ``layer`` (refuses a layer type the descriptions do not cover)."""
    kind = type(layer).__name__
    if kind not in LAYER_CLASSES:
        raise ValueError(f"Layer type {kind} cannot be saved yet (a session keeps {', '.join(LAYER_CLASSES)}).")
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
        entry[key] = regularizers.serialize(layer.regularizers.get(key.split("_")[0]))
    if layer.activity_regularizer is not None and kind != "ActivityRegularization":
        entry["activity_regularizer"] = regularizers.serialize(layer.activity_regularizer)
    return entry


def layer_from_entry(entry: dict[str, Any]):
    """The layer an entry describes (a missing name gets Keras's automatic one)."""
    cls, name = entry["class"], entry.get("name")
    regs = {key: None if entry.get(key) is None else regularizers.deserialize(entry[key])
            for key in _REGULARIZER_KEYS if key in entry}
    if cls == "Dense":
        layer = Dense(int(entry["units"]), activation=entry.get("activation"),
                      use_bias=bool(entry.get("use_bias", True)), name=name, **regs)
    elif cls == "Flatten":
        layer = Flatten(name=name, **regs)
    elif cls == "Activation":
        layer = Activation(entry["activation"], name=name, **regs)
    elif cls == "Dropout":
        layer = Dropout(entry["rate"], noise_shape=entry.get("noise_shape"), seed=entry.get("seed"), name=name,
                        **regs)
    elif cls == "BatchNormalization":
        layer = BatchNormalization(axis=entry.get("axis", -1), momentum=entry.get("momentum", 0.99),
                                   epsilon=entry.get("epsilon", 1e-3), center=entry.get("center", True),
                                   scale=entry.get("scale", True), name=name, **regs)
    elif cls == "ActivityRegularization":
        layer = ActivityRegularization(l1=entry.get("l1", 0.0), l2=entry.get("l2", 0.0), name=name)
    else:
        raise ValueError(f"unknown layer class {cls!r}")
    layer.trainable = bool(entry.get("trainable", True))
    return layer
