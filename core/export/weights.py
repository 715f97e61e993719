"""Weights at the current step in the formats lecture material and other tools read.

- NPZ with Keras variable paths (``dense/kernel``, ``dense/bias``);
- one CSV per matrix; JSON;
- a PyTorch ``state_dict`` (``.pt``, when torch is installed) for the equivalent
  ``nn.Sequential`` (see :func:`torch_sequential_code`), loadable with
  ``torch.load(weights_only=True)``;
- Keras's ``.weights.h5`` (h5py is a dependency: always written), which
  ``model.load_weights`` and Netron open.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from core.export.atomic import atomic_path, write_text
from core.layers import Activation, BatchNormalization, Dense, Dropout, Flatten

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
    # One layer a line, each written by json's C encoder: indent= would route 80,000 numbers through the
    # pure-Python encoder, one line each (a third of a lecture pack's time for 784-100-10).
    layers = ",\n  ".join(json.dumps(layer) for layer in doc["layers"])
    return write_text(path, f'{{"model": {json.dumps(doc["model"])},\n "layers": [\n  {layers}\n ]\n}}\n')


def _torch_activation(name: str) -> str:
    return TORCH_ACTIVATIONS.get(name, f"# {name}: PyTorch has no module of this name; write it in forward()")


def _torch_layer(layer) -> str:
    """The module for a weightless layer (a ``#`` comment where PyTorch has none: preprocessing)."""
    kind = type(layer).__name__
    if kind == "LeakyReLU":
        return f"nn.LeakyReLU({layer.negative_slope!r})"
    if kind == "ELU":
        return f"nn.ELU({layer.alpha!r})"
    if kind == "ReLU":
        if layer.threshold == 0 and layer.negative_slope == 0:
            return "nn.ReLU()" if layer.max_value is None else f"nn.Hardtanh(0.0, {float(layer.max_value)!r})"
        return "# ReLU with a threshold or slope: write it in forward()"
    if kind == "Softmax":
        return "nn.Softmax(dim=1)"
    if kind in ("Rescaling", "Normalization"):
        return f"# {kind}: scale the inputs before the model (x_train as Propscope's {kind} layer does)"
    if isinstance(layer, Activation):
        return _torch_activation(layer.activation.name)
    return f"# {kind}: no PyTorch module here"


def torch_modules(model) -> list[tuple[str, Any]]:
    """The ``nn.Sequential`` modules equivalent to the model, as (code, layer with weights or None); a code starting
    with ``#`` is a comment in the Sequential (not a module: it shifts no index of the ``state_dict``).

    BatchNormalization becomes ``nn.BatchNorm1d(features, eps=ε, momentum=1 − momentum)`` (torch's
    momentum is the weight of the new batch; note torch moves its running variance with the unbiased
    batch variance, Keras with the biased one), Dropout ``nn.Dropout(rate)``. Penalties
    (regularizers) are not modules: the training code adds them to the loss.
    """
    return [(code, weights) for code, weights, _ in torch_modules_by_layer(model)]


def torch_modules_by_layer(model) -> list[tuple[str, Any, Any]]:
    """:func:`torch_modules` with the Keras layer each entry comes from: ``(code, layer with weights, layer)``."""
    modules = []
    for layer in model.compute_layers:
        if isinstance(layer, Flatten):
            modules.append(("nn.Flatten()", None, layer))
        elif isinstance(layer, Dropout):
            modules.append((f"nn.Dropout(p={layer.rate!r})", None, layer))
        elif isinstance(layer, BatchNormalization):
            features = int(layer.input_shape[layer.axis])
            momentum = round(1.0 - layer.momentum, 10)
            affine = "" if layer.scale or layer.center else ", affine=False"
            modules.append((f"nn.BatchNorm1d({features}, eps={layer.epsilon!r}, momentum={momentum!r}{affine})",
                            layer, layer))
        elif isinstance(layer, Dense):
            modules.append((f"nn.Linear({layer.input_shape[-1]}, {layer.units}, bias={layer.use_bias})", layer,
                            layer))
            act = layer.activation.name
            if act != "linear":
                modules.append((_torch_activation(act), None, layer))
        else:
            modules.append((_torch_layer(layer), None, layer))
    return modules


def sequential_lines(model) -> list[str]:
    """The lines inside ``nn.Sequential(...)``: modules with commas, comments without."""
    return [f"    {code}" if code.startswith("#") else f"    {code}," for code, _ in torch_modules(model)]


def torch_sequential_code(model) -> str:
    """PyTorch code building the same network (weights load with :func:`export_torch`'s file)."""
    lines = ["import torch", "from torch import nn", "", "model = nn.Sequential("]
    lines += sequential_lines(model)
    lines += [")"]
    return "\n".join(lines)


def torch_state_dict(model) -> dict[str, np.ndarray]:
    """``{"0.weight": (out, in), "0.bias": (out,), …}`` — torch stores Linear weights transposed."""
    state = {}
    modules = [(code, layer) for code, layer in torch_modules(model) if not code.startswith("#")]
    for index, (_, layer) in enumerate(modules):
        if isinstance(layer, BatchNormalization):
            named = dict(zip(layer.param_names, layer.get_weights()))
            features = named["moving_mean"].shape[0]
            if layer.scale or layer.center:  # torch's affine BatchNorm has both; a missing one is the identity
                state[f"{index}.weight"] = named.get("gamma", np.ones(features, named["moving_mean"].dtype))
                state[f"{index}.bias"] = named.get("beta", np.zeros(features, named["moving_mean"].dtype))
            state[f"{index}.running_mean"] = named["moving_mean"]
            state[f"{index}.running_var"] = named["moving_variance"]
            state[f"{index}.num_batches_tracked"] = np.array(0, dtype=np.int64)
        elif layer is not None:
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
    import h5py

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
    from core.backend.config import snake_name

    counts: dict[str, int] = {}
    out = []
    for layer in model.layers:
        kind = snake_name(type(layer).__name__)
        n = counts.get(kind, 0)
        counts[kind] = n + 1
        out.append((kind if n == 0 else f"{kind}_{n}", layer))
    return out


def export_all(model, folder: str | Path) -> dict[str, Any]:
    """Every format into ``folder``: ``{"npz": Path, …}``. The PyTorch ``state_dict`` needs torch; without
    it ``done["pt"]`` is the reason (a string) and ``torch_model.py`` builds the network without loading
    weights. Only what was written is a :class:`Path` (an index must list only files that exist)."""
    folder = Path(folder)
    done: dict[str, Any] = {"npz": export_npz(model, folder / "weights.npz"),
                            "json": export_json(model, folder / "weights.json"),
                            "csv": export_csv(model, folder / "csv"),
                            "h5": export_keras_h5(model, folder / "model.weights.h5")}
    try:
        done["pt"] = export_torch(model, folder / "weights.pt")
    except RuntimeError as exc:
        done["pt"] = str(exc)
    load = "\nmodel.load_state_dict(torch.load('weights.pt', weights_only=True))\n" if isinstance(done["pt"], Path) \
        else "\n# weights.pt was not written: torch was not installed where this was exported.\n"
    done["torch_model"] = write_text(folder / "torch_model.py", torch_sequential_code(model) + load)
    return done


def written_files(done: dict[str, Any]) -> list[str]:
    """The names :func:`export_all` wrote, in its order (``csv/`` for the CSV folder)."""
    names = []
    for key, value in done.items():
        if key == "csv":
            names.append("csv/")
        elif isinstance(value, Path) and value.exists():
            names.append(value.name)
    return names
