"""The current model, compile and fit settings written as Keras code and as PyTorch code.

The Keras code runs unchanged with ``import core as keras`` (and with Keras
itself); the PyTorch code builds the same network (same parameter count) and
trains it with the same optimizer defaults. A model opened from a file gets
code that loads that file (:func:`keras_file_code`): the same weights,
compile settings and optimizer state, then the same ``fit``.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core import initializers
from core.export.weights import TORCH_ACTIVATIONS, sequential_lines, torch_modules_by_layer

_TORCH_OPTIMIZERS = {
    "SGD": "torch.optim.SGD(model.parameters(), lr={learning_rate}, momentum={momentum}, nesterov={nesterov})",
    "Adam": "torch.optim.Adam(model.parameters(), lr={learning_rate}, betas=({beta_1}, {beta_2}), eps={epsilon}, "
            "amsgrad={amsgrad})",
    "AdamW": "torch.optim.AdamW(model.parameters(), lr={learning_rate}, betas=({beta_1}, {beta_2}), eps={epsilon}, "
             "weight_decay={weight_decay}, amsgrad={amsgrad})",
    "RMSprop": "torch.optim.RMSprop(model.parameters(), lr={learning_rate}, alpha={rho}, eps={epsilon}, "
               "momentum={momentum}, centered={centered})",
    "Adagrad": "torch.optim.Adagrad(model.parameters(), lr={learning_rate}, "
               "initial_accumulator_value={initial_accumulator_value}, eps={epsilon})",
}
# Models imported from PyTorch keep PyTorch's optimizer: the same call, with its own arguments.
_TORCH_OPTIMIZERS.update({
    "TorchSGD": "torch.optim.SGD(model.parameters(), lr={learning_rate}, momentum={momentum}, "
                "dampening={dampening}, weight_decay={weight_decay}, nesterov={nesterov})",
    "TorchAdagrad": "torch.optim.Adagrad(model.parameters(), lr={learning_rate}, lr_decay={lr_decay}, "
                    "weight_decay={weight_decay}, initial_accumulator_value={initial_accumulator_value}, "
                    "eps={epsilon})",
    "TorchRMSprop": "torch.optim.RMSprop(model.parameters(), lr={learning_rate}, alpha={alpha}, eps={epsilon}, "
                    "weight_decay={weight_decay}, momentum={momentum}, centered={centered})",
    "TorchAdam": "torch.optim.Adam(model.parameters(), lr={learning_rate}, betas=({beta_1}, {beta_2}), "
                 "eps={epsilon}, weight_decay={weight_decay}, amsgrad={amsgrad})",
    "TorchAdamW": "torch.optim.AdamW(model.parameters(), lr={learning_rate}, betas=({beta_1}, {beta_2}), "
                  "eps={epsilon}, weight_decay={weight_decay}, amsgrad={amsgrad})",
})
_TORCH_LOSSES = {
    "sparse_categorical_crossentropy": ("nn.NLLLoss()", "torch.log(output.clamp_min(1e-7))", "long"),
    "categorical_crossentropy": ("nn.CrossEntropyLoss()", None, "float"),
    "binary_crossentropy": ("nn.BCELoss()", None, "float"),
    "mean_squared_error": ("nn.MSELoss()", None, "float"),
    "mean_absolute_error": ("nn.L1Loss()", None, "float"),
    "huber_loss": ("nn.HuberLoss(delta=1.0)", None, "float"),
}


@dataclass(frozen=True)
class DataCode:
    """How the data was prepared, so the Keras code does exactly the same.

    Attributes
    ----------
    normalization : {"none", "divide255", "standardize", "minmax"}
        Fitted on the training part, applied to every part.
    validation : {"split", "test", "none"}
        ``"split"``: ``train_test_split(x, y, test_size, random_state)`` holds out
        validation data; ``"test"``: the test set validates; ``"none"``: no validation.
    test_size, random_state : float, int
        Of the split.
    has_test : bool
        ``x_test, y_test`` exist (evaluated at the end, as the course does).
    one_hot : bool
        Targets one-hot encoded for ``categorical_crossentropy``, with ``num_classes``.
    seed : int, optional
        ``keras.utils.set_random_seed(seed)`` before building: the same initial weights.
    """

    normalization: str = "none"
    validation: str = "none"
    test_size: float = 0.2
    random_state: int = 42
    has_test: bool = False
    one_hot: bool = False
    num_classes: int = 0
    seed: int | None = None


def data_lines(data: DataCode) -> list[str]:
    """The data preparation: split, scaling (fitted on the training part), targets."""
    parts = ["x_train", "x_val"] if data.validation == "split" else ["x_train"]
    if data.has_test:
        parts.append("x_test")
    source = "# x, y: the training samples and labels" + ("; x_test, y_test: the separate test set"
                                                           if data.has_test else "")
    lines = [source]
    if data.validation == "split":
        lines = ["from sklearn.model_selection import train_test_split", "", *lines,
                 "x_train, x_val, y_train, y_val = train_test_split(",
                 f"    x, y, test_size={_value(data.test_size)}, random_state={data.random_state})"]
    else:
        lines.append("x_train, y_train = x, y")
    if data.normalization == "divide255":
        lines.append(f"{', '.join(parts)} = {', '.join(p + ' / 255.0' for p in parts)}")
    elif data.normalization == "standardize":
        lines += ["mean, std = x_train.mean(axis=0), x_train.std(axis=0)", "std[std == 0] = 1.0",
                  f"{', '.join(parts)} = {', '.join(f'({p} - mean) / std' for p in parts)}"]
    elif data.normalization == "minmax":
        lines += ["low, span = x_train.min(axis=0), x_train.max(axis=0) - x_train.min(axis=0)",
                  "span[span == 0] = 1.0",
                  f"{', '.join(parts)} = {', '.join(f'({p} - low) / span' for p in parts)}"]
    if data.one_hot:
        targets = [p.replace("x_", "y_") for p in parts]
        lines.append(f"{', '.join(targets)} = " + ", ".join(
            f"keras.utils.to_categorical({t}, {data.num_classes})" for t in targets))
    if data.seed is not None:
        lines.append(f"keras.utils.set_random_seed({data.seed})  # the same initial weights")
    return lines + [""]


def _value(v: Any) -> str:
    return repr(round(v, 10)) if isinstance(v, float) else repr(v)


def _code(value: Any) -> str:
    """A config value as Keras code: serialized regularizers and initializers as constructor calls."""
    if isinstance(value, dict) and value.get("module") in ("keras.regularizers", "keras.initializers"):
        args = ", ".join(f"{k}={_code(v)}" for k, v in value.get("config", {}).items() if v is not None)
        return f"{value['module']}.{value['class_name']}({args})"
    if isinstance(value, list):
        value = tuple(value)
    if isinstance(value, float) and value and float(np.float32(value)) == value:
        return repr(float(str(np.float32(value))))  # a float32 config value (L1's factor) as typed: 0.01
    return _value(value)


def _is_default(name: str, value: Any, default: Any) -> bool:
    if name == "activation" and default is None:
        return value in (None, "linear")
    if isinstance(value, dict) and value.get("module") == "keras.initializers" and default is not None:
        return value == initializers.serialize(initializers.get(default))
    if name == "data_format" and default is None:
        return value in (None, "channels_last")
    return value == default or (isinstance(value, (list, tuple)) and list(value) == [default])


def layer_code(layer) -> str:
    """``keras.layers.Dense(100, activation='relu', kernel_regularizer=keras.regularizers.L2(l2=0.01))``:
    the layer's class with its required arguments and every argument that differs from Keras's default."""
    config = layer.get_config()
    params = inspect.signature(type(layer).__init__).parameters
    args = []
    for name, p in params.items():
        if name in ("self", "name", "trainable", "dtype") or p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL) \
                or name not in config:
            continue
        if p.default is p.empty:
            args.append(_code(config[name]))
        elif not _is_default(name, config[name], p.default):
            args.append(f"{name}={_code(config[name])}")
    if "activity_regularizer" in config and "activity_regularizer" not in params:
        args.append(f"activity_regularizer={_code(config['activity_regularizer'])}")
    note = "  # then: model.layers[…].adapt(x_train)" if type(layer).__name__ == "Normalization" else ""
    return f"keras.layers.{type(layer).__name__}({', '.join(args)}){note}"


def keras_code(model, batch_size: int = 32, epochs: int = 1, validation_split: float = 0.0,
               data: DataCode | None = None) -> str:
    """Keras code for this model, its compile() and a fit() call; with ``data``, also the
    split and scaling that ran, ``validation_data`` and the test set's ``evaluate``."""
    lines = ["import keras  # or: import core as keras", ""]
    if data is not None:
        lines += data_lines(data)
    lines.append("model = keras.Sequential([")
    lines.append(f"    keras.Input(shape={tuple(model.input_shape[1:])!r}),")
    for layer in model.compute_layers:
        lines.append(f"    {layer_code(layer)},")
    lines.append("])")
    lines.append("model.summary()")
    opt = model.optimizer
    if opt is not None:
        name, args, note = _keras_optimizer(opt)
        loss = model.loss.name if model.loss is not None else None
        lines += ["", *note, "model.compile(", f"    optimizer=keras.optimizers.{name}({', '.join(args)}),",
                  f"    loss={loss!r},"]
        if model.metric_identifiers:
            lines.append(f"    metrics={list(model.metric_identifiers)!r},")
        lines.append(")")
    lines += ["history = model.fit(", "    x_train, y_train,", f"    batch_size={batch_size},", f"    epochs={epochs},"]
    if data is not None and data.validation != "none":
        lines.append("    validation_data=(x_val, y_val)," if data.validation == "split"
                     else "    validation_data=(x_test, y_test),  # the test set validates (chosen in Data)")
    elif data is None and validation_split:
        lines.append(f"    validation_split={validation_split},")
    lines.append(")")
    if data is not None and data.has_test:
        names = ["test_loss"] + [f"test_{m if isinstance(m, str) else getattr(m, 'name', 'metric')}"
                                 for m in model.metric_identifiers]
        lines.append(f"{', '.join(names)} = model.evaluate(x_test, y_test)")
    return "\n".join(lines) + "\n"


def _keras_optimizer(opt) -> tuple[str, list[str], list[str]]:
    """``(class name, arguments, comment lines)`` of the Keras optimizer to write for ``opt``: itself, or for a
    PyTorch-rule optimizer the Keras one of the same name and settings, with a comment on what differs."""
    cfg = dict(opt.get_config())
    note: list[str] = []
    cls = type(opt)
    if getattr(opt, "update_rule", "keras") == "torch":
        from core import optimizers

        name = cls.__name__.removeprefix("Torch")
        cls = optimizers.optimizer_class(name)
        keep = set(inspect.signature(cls.__init__).parameters)
        cfg = {k: v for k, v in cfg.items() if k in keep and k != "weight_decay"}
        note = [f"# Propscope steps this model with {opt.describe_rule()}; Keras's {name} differs (see",
                "# core/optimizers/torch_rules.py), so Keras's numbers drift from the PyTorch ones."]
    defaults = cls().get_config()
    args = [f"{k}={_value(v)}" for k, v in cfg.items() if k != "name" and v != defaults.get(k)]
    return cls.__name__, args, note


def keras_file_code(path: str | Path, batch_size: int = 32, epochs: int = 1, validation_split: float = 0.0,
                    data_path: str | None = None) -> str:
    """Keras code that loads the model file the session was opened from and trains it as the session does:
    the file's weights, compile settings and optimizer state, then ``fit`` with the session's settings."""
    lines = ["import keras  # or: import core as keras", "",
             f"model = keras.models.load_model({str(path)!r})  # weights, compile settings, optimizer state",
             "model.summary()", ""]
    if data_path:
        lines.append(f"# x_train, y_train: the data of {str(data_path)!r}, prepared as in Propscope's Data panel")
    lines += ["history = model.fit(", "    x_train, y_train,", f"    batch_size={batch_size},", f"    epochs={epochs},"]
    if validation_split:
        lines.append(f"    validation_split={validation_split},")
    lines.append(")")
    return "\n".join(lines) + "\n"


def torch_code(model, batch_size: int = 32, epochs: int = 1) -> str:
    """PyTorch code building the same network and training it with the same optimizer."""
    lines = ["import torch", "from torch import nn", "", "model = nn.Sequential("]
    lines += sequential_lines(model)
    lines.append(")")
    lines.append("print(sum(p.numel() for p in model.parameters()), 'trainable parameters')")
    opt = model.optimizer
    if opt is not None and type(opt).__name__ in _TORCH_OPTIMIZERS:
        cfg = dict(opt.get_config())
        lines += ["", "optimizer = " + _TORCH_OPTIMIZERS[type(opt).__name__].format(**{
            k: _value(v) for k, v in cfg.items()})]
    loss_name = model.loss.name if model.loss is not None else "mean_squared_error"
    loss_expr, transform, target_type = _TORCH_LOSSES.get(loss_name, ("nn.MSELoss()", None, "float"))
    last_activation = getattr(model.compute_layers[-1], "activation", None)
    softmax_last = loss_name == "categorical_crossentropy" and last_activation is not None and \
        last_activation.name == "softmax"
    weight_penalties, activity = _torch_penalties(model)
    lines += [f"loss_fn = {loss_expr}", "",
              "x = torch.as_tensor(x_train, dtype=torch.float32)",
              f"y = torch.as_tensor(y_train).{target_type}()",
              f"for epoch in range({epochs}):",
              "    order = torch.randperm(len(x))",
              f"    for start in range(0, len(x), {batch_size}):",
              f"        idx = order[start:start + {batch_size}]"]
    if activity:  # an activity penalty needs a layer's output: run the modules one by one
        lines += ["        h, penalty = x[idx], 0.0", "        for i, module in enumerate(model):",
                  "            h = module(h)"]
        for index, (label, expr) in sorted(activity.items()):
            lines += [f"            if i == {index}:  # {label}",
                      f"                penalty = penalty + {expr.format(w='h')} / len(h)"]
        lines.append("        output = h")
    else:
        lines.append("        output = model(x[idx])")
    if transform:
        lines.append(f"        loss = loss_fn({transform}, y[idx])")
    elif softmax_last:
        lines.append("        loss = -(y[idx] * torch.log(output.clamp_min(1e-7))).sum(dim=1).mean()")
    else:
        lines.append("        loss = loss_fn(output, y[idx].reshape(output.shape))")
    if activity:
        lines.append("        loss = loss + penalty")
    for label, target, expr in weight_penalties:
        lines.append(f"        loss = loss + {expr.format(w=target)}  # {label}")
    lines += ["        optimizer.zero_grad()", "        loss.backward()", "        optimizer.step()",
              "    print(f'epoch {epoch + 1}: loss {loss.item():.4f}')"]
    return "\n".join(lines) + "\n"


def _penalty_expression(reg) -> str:
    """A Keras regularizer as a torch expression of ``{w}``: ``0.01 * {w}.pow(2).sum()``."""
    terms = []
    l1, l2 = getattr(reg, "l1", 0.0), getattr(reg, "l2", 0.0)
    if l1:
        terms.append(f"{_value(float(str(np.float32(l1))))} * {{w}}.abs().sum()")
    if l2:
        terms.append(f"{_value(l2)} * {{w}}.pow(2).sum()")
    return "(" + " + ".join(terms) + ")" if len(terms) > 1 else (terms[0] if terms else "0.0")


def _torch_penalties(model):
    """Weight penalties as ``(label, "model[i].weight", expression)`` and activity penalties as
    ``{module index: (label, expression)}`` (index of the module whose output is the layer's output)."""
    weights, activity, last = [], {}, {}
    index = -1
    for code, holder, source in torch_modules_by_layer(model):
        comment = code.startswith("#")  # not a module: an identity layer's output is the module's before it
        index += 0 if comment else 1
        last[id(source)] = index
        if holder is None or comment:
            continue
        for name, reg in holder.regularizers.items():
            attr = {"kernel": "weight", "gamma": "weight", "bias": "bias", "beta": "bias"}[name]
            if name in [holder.param_names[j] for j in holder.trainable_indices]:
                weights.append((f"{name}_regularizer {reg.describe()} of {holder.name}", f"model[{index}].{attr}",
                                _penalty_expression(reg)))
    for layer in model.compute_layers:
        if layer.activity_regularizer is not None and last.get(id(layer), -1) >= 0:
            activity[last[id(layer)]] = (f"activity_regularizer {layer.activity_regularizer.describe()} of "
                                         f"{layer.name}", _penalty_expression(layer.activity_regularizer))
    return weights, activity


__all__ = ["DataCode", "keras_code", "keras_file_code", "layer_code", "torch_code", "TORCH_ACTIVATIONS"]
