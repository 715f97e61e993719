"""Legacy ``.h5`` model files as tf.keras 2.x wrote them, made by hand with h5py (tf.keras is not installed).

The layout follows tf.keras's ``hdf5_format.save_model_to_hdf5`` (TF 2.4–2.15):
root attributes ``keras_version``, ``backend``, ``model_config`` and
``training_config`` as UTF-8 bytes; ``model_weights`` with ``layer_names``
(a fixed-length byte-string array), one group per layer with its
``weight_names`` and one dataset per weight (``dense/kernel:0``); and
``optimizer_weights`` named as the optimizer named its variables — OptimizerV2
(TF ≤ 2.10: ``Adam/iter:0``, ``Adam/dense/kernel/m:0``, every ``m`` before
every ``v``) or the 2.11+ optimizers (``iteration:0``, ``Adam/m/dense/kernel:0``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

RNG = np.random.default_rng(7)


def _dense(name: str, units: int, activation: str, modern: bool, input_shape=None) -> dict:
    init = {"class_name": "GlorotUniform", "config": {"seed": None}}
    zeros = {"class_name": "Zeros", "config": {}}
    if modern:
        init = {"module": "keras.initializers", **init, "registered_name": None}
        zeros = {"module": "keras.initializers", **zeros, "registered_name": None}
    config = {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
              "use_bias": True, "kernel_initializer": init, "bias_initializer": zeros, "kernel_regularizer": None,
              "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
              "bias_constraint": None}
    if input_shape is not None:
        config = {"name": name, "trainable": True, "batch_input_shape": [None, *input_shape],
                  **{k: v for k, v in config.items() if k not in ("name", "trainable")}}
    entry = {"class_name": "Dense", "config": config}
    return {"module": "keras.layers", **entry, "registered_name": None} if modern else entry


def weights_for(sizes: list[int]) -> list[np.ndarray]:
    out = []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        out += [RNG.normal(0, 0.4, (fan_in, fan_out)).astype("float32"), RNG.normal(0, 0.1, fan_out).astype("float32")]
    return out


def sequential_tf24(path: Path, weights: list[np.ndarray], optimizer_state: dict | None = None,
                    iterations: int = 0, input_layer: bool = True) -> Path:
    """TF 2.4 style: a Sequential (an InputLayer, then a first Dense that also carries ``batch_input_shape``;
    without ``input_layer``, as Keras 2.2 wrote it, only the Dense has it), an OptimizerV2 Adam, loss and
    metrics by name. ``optimizer_state``: {"m": [arrays], "v": [arrays]} in weight order."""
    layers = [_dense("dense", 6, "relu", False, input_shape=(4,)), _dense("dense_1", 3, "softmax", False)]
    if input_layer:
        layers.insert(0, {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32",
                                                                 "sparse": False, "ragged": False,
                                                                 "name": "dense_input"}})
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
    training = {"loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"], "weighted_metrics": None,
                "loss_weights": None, "optimizer_config": {"class_name": "Adam", "config": {
                    "name": "Adam", "learning_rate": 0.01, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999,
                    "epsilon": 1e-07, "amsgrad": False}}}
    names = []
    if optimizer_state is not None:
        names.append(("Adam/iter:0", np.int64(iterations)))
        for slot in ("m", "v"):
            for (layer, param), arr in zip(_weight_keys(["dense", "dense_1"]), optimizer_state[slot]):
                names.append((f"Adam/{layer}/{param}/{slot}:0", arr))
    return _write(path, config, training, ["dense", "dense_1"], weights, names, "2.4.0")


def functional_tf215(path: Path, weights: list[np.ndarray], optimizer_state: dict | None = None,
                     iterations: int = 0) -> Path:
    """TF 2.15 style: a functional model (nested-list inbound nodes), ``module`` keys, a 2.11+ SGD with
    momentum (``Custom>SGD`` is not written: plain ``SGD``), a loss object with ``reduction: auto`` and a
    ``MeanMetricWrapper`` metric per output list."""
    dense = _dense("dense", 6, "tanh", True)
    dense["name"], dense["inbound_nodes"] = "dense", [[["input_1", 0, 0, {}]]]
    act = {"module": "keras.layers", "class_name": "Activation", "config": {
        "name": "activation", "trainable": True, "dtype": "float32", "activation": "relu"},
        "registered_name": None, "name": "activation", "inbound_nodes": [[["dense", 0, 0, {}]]]}
    out = _dense("dense_1", 3, "linear", True)
    out["name"], out["inbound_nodes"] = "dense_1", [[["activation", 0, 0, {}]]]
    config = {"class_name": "Functional", "config": {"name": "model", "trainable": True, "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {
            "batch_input_shape": [None, 4], "dtype": "float32", "sparse": False, "ragged": False, "name": "input_1"},
         "registered_name": None, "name": "input_1", "inbound_nodes": []}, dense, act, out],
        "input_layers": [["input_1", 0, 0]], "output_layers": [["dense_1", 0, 0]]}}
    training = {"loss": {"module": "keras.losses", "class_name": "SparseCategoricalCrossentropy", "config": {
        "reduction": "auto", "name": "sparse_categorical_crossentropy", "from_logits": True, "ignore_class": None},
        "registered_name": None},
        "metrics": [[{"module": "keras.metrics", "class_name": "MeanMetricWrapper", "config": {
            "name": "accuracy", "dtype": "float32", "fn": "sparse_categorical_accuracy"}, "registered_name": None}]],
        "weighted_metrics": None, "loss_weights": None,
        "optimizer_config": {"module": "keras.optimizers", "class_name": "SGD", "config": {
            "name": "SGD", "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
            "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None, "jit_compile": False,
            "is_legacy_optimizer": False, "learning_rate": 0.05, "momentum": 0.9, "nesterov": False},
            "registered_name": None}}
    names = []
    if optimizer_state is not None:
        names.append(("iteration:0", np.int64(iterations)))
        for (layer, param), arr in zip(_weight_keys(["dense", "dense_1"]), optimizer_state["m"]):
            names.append((f"SGD/m/{layer}/{param}:0", arr))
    return _write(path, config, training, ["input_1", "dense", "activation", "dense_1"], weights, names, "2.15.0")


def _weight_keys(layers: list[str]) -> list[tuple[str, str]]:
    return [(layer, param) for layer in layers for param in ("kernel", "bias")]


def _write(path: Path, config: dict, training: dict | None, layer_names: list[str], weights: list[np.ndarray],
           optimizer: list[tuple[str, np.ndarray]], version: str) -> Path:
    import h5py

    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = version.encode("utf8")
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
        if training is not None:
            f.attrs["training_config"] = json.dumps(training).encode("utf8")
        group = f.create_group("model_weights")
        group.attrs["layer_names"] = np.array([n.encode("utf8") for n in layer_names])
        group.attrs["backend"] = b"tensorflow"
        group.attrs["keras_version"] = version.encode("utf8")
        arrays = iter(weights)
        for name in sorted(layer_names):
            layer = group.create_group(name)
            has_weights = name.startswith("dense")
            names = [f"{name}/kernel:0", f"{name}/bias:0"] if has_weights else []
            layer.attrs["weight_names"] = np.array([n.encode("utf8") for n in names]) if names else np.array([])
        for name in layer_names:  # weights in model order, groups in sorted order (as tf.keras)
            if name.startswith("dense"):
                for param in ("kernel", "bias"):
                    group[name].create_dataset(f"{name}/{param}:0", data=next(arrays))
        if optimizer:
            opt = f.create_group("optimizer_weights")
            opt.attrs["weight_names"] = np.array([n.encode("utf8") for n, _ in optimizer])
            for name, arr in optimizer:
                opt.create_dataset(name, data=arr)
    return path
