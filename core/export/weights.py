"""Weights at the current step in the formats lecture material and other tools read.

- NPZ with Keras variable paths (``dense/kernel``, ``dense/bias``);
- one CSV per matrix; JSON;
- a PyTorch ``state_dict`` (``.pt``) for the equivalent ``nn.Sequential`` (see
  :func:`torch_sequential_code`), loadable with ``torch.load(weights_only=True)``;
- Keras's ``.weights.h5`` (when h5py is installed), which ``model.load_weights``
  and Netron open.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from core.export.atomic import atomic_path, write_text
from core.layers import Dense, Flatten

TORCH_ACTIVATIONS = {"relu": "nn.ReLU()", "sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()",
                     "leaky_relu": "nn.LeakyReLU(0.2)", "elu": "nn.ELU()", "selu": "nn.SELU()",
                     "gelu": "nn.GELU()", "swish": "nn.SiLU()", "softmax": "nn.Softmax(dim=1)"}


def named_weights(model) -> list[tuple[str, np.ndarray]]:
    """``("dense/kernel", array), ("dense/bias", array), …`` in Keras order."""
    return [(f"{layer.name}/{pname}", w) for layer in model.compute_layers
            for pname, w in zip(layer.param_names, layer.get_weights())]


def export_npz(model, path: str | Path) -> Path:
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            np.savez(fh, **dict(named_weights(model)))
    return Path(path)


def export_csv(model, folder: str | Path) -> list[Path]:
    """One CSV per matrix or vector: ``dense_kernel.csv`` (rows = inputs), ``dense_bias.csv``."""
    folder = Path(folder)
    out = []
    for name, w in named_weights(model):
        target = folder / (name.replace("/", "_") + ".csv")
        with atomic_path(target) as tmp:
            np.savetxt(tmp, np.atleast_2d(w) if w.ndim == 1 else w, delimiter=",", fmt="%.9g")
        out.append(target)
    return out


def export_json(model, path: str | Path) -> Path:
    doc = {"model": model.name, "layers": [
        {"name": layer.name, "type": type(layer).__name__, **layer.get_config(),
         **{p: w.tolist() for p, w in zip(layer.param_names, layer.get_weights())}}
        for layer in model.compute_layers]}
    return write_text(path, json.dumps(doc, indent=1))


def torch_modules(model) -> list[tuple[str, Any]]:
    """The ``nn.Sequential`` modules equivalent to the model, as (code, layer or None)."""
    modules = []
    for layer in model.compute_layers:
        if isinstance(layer, Flatten):
            modules.append(("nn.Flatten()", None))
        elif isinstance(layer, Dense):
            modules.append((f"nn.Linear({layer.input_shape[-1]}, {layer.units}, bias={layer.use_bias})", layer))
            act = layer.activation.name
            if act != "linear":
                modules.append((TORCH_ACTIVATIONS[act], None))
    return modules


def torch_sequential_code(model) -> str:
    """PyTorch code building the same network (weights load with :func:`export_torch`'s file)."""
    lines = ["import torch", "from torch import nn", "", "model = nn.Sequential("]
    lines += [f"    {code}," for code, _ in torch_modules(model)]
    lines += [")"]
    return "\n".join(lines)


def torch_state_dict(model) -> dict[str, np.ndarray]:
    """``{"0.weight": (out, in), "0.bias": (out,), …}`` — torch stores Linear weights transposed."""
    state = {}
    for index, (_, layer) in enumerate(torch_modules(model)):
        if layer is not None:
            weights = layer.get_weights()
            state[f"{index}.weight"] = np.ascontiguousarray(weights[0].T)
            if layer.use_bias:
                state[f"{index}.bias"] = weights[1]
    return state


def export_torch(model, path: str | Path) -> Path:
    """A ``state_dict`` file for the ``nn.Sequential`` of :func:`torch_sequential_code`."""
    try:
        import torch
    except ImportError:
        raise RuntimeError("Exporting a PyTorch state_dict needs torch installed.") from None
    state = {k: torch.from_numpy(np.array(v)) for k, v in torch_state_dict(model).items()}
    with atomic_path(path) as tmp:
        torch.save(state, tmp)
    return Path(path)


def export_keras_h5(model, path: str | Path) -> Path:
    """Keras 3's ``.weights.h5`` layout: ``layers/<dense|dense_1…>/vars/<i>``."""
    try:
        import h5py
    except ImportError:
        raise RuntimeError("Exporting Keras .weights.h5 needs h5py (pip install h5py).") from None
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as h5:
            write_keras_weights(h5, model)
    return Path(path)


def write_keras_weights(h5, model, optimizer=None) -> None:
    """Keras 3's weight groups into an open h5py file (plus ``optimizer/vars`` when given)."""
    layers = h5.create_group("layers")
    for key, layer in keras_h5_keys(model):
        vars_group = layers.create_group(key).create_group("vars")
        vars_group.attrs["name"] = layer.name
        for i, w in enumerate(layer.get_weights()):
            vars_group.create_dataset(str(i), data=w)
    if optimizer is not None:
        opt_vars = h5.create_group("optimizer").create_group("vars")
        opt_vars.attrs["name"] = optimizer.name
        for i, v in enumerate(optimizer.variables):
            opt_vars.create_dataset(str(i), data=v.numpy())
    h5.create_group("vars").attrs["name"] = model.name


def keras_h5_keys(model) -> list[tuple[str, Any]]:
    """Each layer with the group name Keras 3 gives it in ``.weights.h5`` (the snake-case
    class name, numbered per class: ``dense``, ``dense_1``, ``re_lu``…; a functional
    model's InputLayer has its own, empty, group)."""
    from core.layers.base import _snake

    counts: dict[str, int] = {}
    out = []
    for layer in model.layers:
        kind = _snake(type(layer).__name__)
        n = counts.get(kind, 0)
        counts[kind] = n + 1
        out.append((kind if n == 0 else f"{kind}_{n}", layer))
    return out


def export_all(model, folder: str | Path) -> dict[str, Any]:
    """Every format into ``folder``; formats whose library is missing are reported, not fatal."""
    folder = Path(folder)
    done: dict[str, Any] = {"npz": export_npz(model, folder / "weights.npz"),
                            "json": export_json(model, folder / "weights.json"),
                            "csv": export_csv(model, folder / "csv")}
    for key, fn, name in (("pt", export_torch, "weights.pt"), ("h5", export_keras_h5, "model.weights.h5")):
        try:
            done[key] = fn(model, folder / name)
        except RuntimeError as exc:
            done[key] = str(exc)
    write_text(folder / "torch_model.py", torch_sequential_code(model) + "\nmodel.load_state_dict("
               "torch.load('weights.pt', weights_only=True))\n")
    return done
