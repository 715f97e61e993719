"""The current model, compile and fit settings written as Keras code and as PyTorch code.

The Keras code runs unchanged with ``import core as keras`` (and with Keras
itself); the PyTorch code builds the same network (same parameter count) and
trains it with the same optimizer defaults. A model opened from a file gets
code that loads that file (:func:`keras_file_code`): the same weights,
compile settings and optimizer state, then the same ``fit``.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from core.export.weights import TORCH_ACTIVATIONS, sequential_lines
from core.layers import Dense, Flatten

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


def _value(v: Any) -> str:
    return repr(round(v, 10)) if isinstance(v, float) else repr(v)


def keras_code(model, batch_size: int = 32, epochs: int = 1, validation_split: float = 0.0) -> str:
    """Keras code for this model, its compile() and a fit() call."""
    lines = ["import keras  # or: import core as keras", "", "model = keras.Sequential(["]
    lines.append(f"    keras.Input(shape={tuple(model.input_shape[1:])!r}),")
    for layer in model.compute_layers:
        lines.append(f"    {_layer_code(layer)},")
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
    if validation_split:
        lines.append(f"    validation_split={validation_split},")
    lines.append(")")
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


def _layer_code(layer) -> str:
    """``keras.layers.Dense(100, activation='relu')``: the layer's class with the arguments that are not defaults."""
    if isinstance(layer, Flatten):
        return "keras.layers.Flatten()"
    if isinstance(layer, Dense):
        act = layer.activation.name
        args = [str(layer.units)] + ([f"activation={act!r}"] if act != "linear" else [])
        if not layer.use_bias:
            args.append("use_bias=False")
        return f"keras.layers.Dense({', '.join(args)})"
    config = layer.get_config()
    args = []
    for klass in type(layer).__mro__:  # the class's own arguments (the base Layer's name/dtype left out)
        if "__init__" not in vars(klass) or klass.__name__ in ("Layer", "WeightlessLayer", "object"):
            continue
        for name, param in inspect.signature(klass.__init__).parameters.items():
            if name in ("self", "kwargs") or name not in config or any(a.startswith(f"{name}=") for a in args):
                continue
            value = config[name]
            if param.default is inspect.Parameter.empty or value != param.default:
                args.append(f"{name}={_value(value)}")
    note = "  # then: model.layers[…].adapt(x_train)" if type(layer).__name__ == "Normalization" else ""
    return f"keras.layers.{type(layer).__name__}({', '.join(args)}){note}"


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
    lines.append("print(sum(p.numel() for p in model.parameters()), 'parameters')")
    opt = model.optimizer
    if opt is not None and type(opt).__name__ in _TORCH_OPTIMIZERS:
        cfg = dict(opt.get_config())
        lines += ["", "optimizer = " + _TORCH_OPTIMIZERS[type(opt).__name__].format(**{
            k: _value(v) for k, v in cfg.items()})]
    loss_name = model.loss.name if model.loss is not None else "mean_squared_error"
    loss_expr, transform, target_type = _TORCH_LOSSES.get(loss_name, ("nn.MSELoss()", None, "float"))
    softmax_last = loss_name == "categorical_crossentropy" and model.compute_layers[-1].activation.name == "softmax"
    lines += [f"loss_fn = {loss_expr}", "",
              "x = torch.as_tensor(x_train, dtype=torch.float32)",
              f"y = torch.as_tensor(y_train).{target_type}()",
              f"for epoch in range({epochs}):",
              "    order = torch.randperm(len(x))",
              f"    for start in range(0, len(x), {batch_size}):",
              f"        idx = order[start:start + {batch_size}]",
              "        output = model(x[idx])"]
    if transform:
        lines.append(f"        loss = loss_fn({transform}, y[idx])")
    elif softmax_last:
        lines.append("        loss = -(y[idx] * torch.log(output.clamp_min(1e-7))).sum(dim=1).mean()")
    else:
        lines.append("        loss = loss_fn(output, y[idx].reshape(output.shape))")
    lines += ["        optimizer.zero_grad()", "        loss.backward()", "        optimizer.step()",
              "    print(f'epoch {epoch + 1}: loss {loss.item():.4f}')"]
    return "\n".join(lines) + "\n"


__all__ = ["keras_code", "keras_file_code", "torch_code", "TORCH_ACTIVATIONS"]
