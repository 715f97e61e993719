"""The current model, compile and fit settings written as Keras code and as PyTorch code.

The Keras code runs unchanged with ``import core as keras`` (and with Keras
itself); the PyTorch code builds the same network (same parameter count) and
trains it with the same optimizer defaults.
"""

from __future__ import annotations

from typing import Any

from core.export.weights import TORCH_ACTIVATIONS, torch_modules
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
        if isinstance(layer, Flatten):
            lines.append("    keras.layers.Flatten(),")
        elif isinstance(layer, Dense):
            act = layer.activation.name
            args = [str(layer.units)] + ([f"activation={act!r}"] if act != "linear" else [])
            if not layer.use_bias:
                args.append("use_bias=False")
            lines.append(f"    keras.layers.Dense({', '.join(args)}),")
    lines.append("])")
    lines.append("model.summary()")
    opt = model.optimizer
    if opt is not None:
        cfg = opt.get_config()
        defaults = type(opt)().get_config()
        args = [f"{k}={_value(v)}" for k, v in cfg.items() if k != "name" and v != defaults.get(k)]
        loss = model.loss.name if model.loss is not None else None
        lines += ["", "model.compile(", f"    optimizer=keras.optimizers.{type(opt).__name__}({', '.join(args)}),",
                  f"    loss={loss!r},"]
        if model.metric_identifiers:
            lines.append(f"    metrics={list(model.metric_identifiers)!r},")
        lines.append(")")
    lines += ["history = model.fit(", "    x_train, y_train,", f"    batch_size={batch_size},", f"    epochs={epochs},"]
    if validation_split:
        lines.append(f"    validation_split={validation_split},")
    lines.append(")")
    return "\n".join(lines) + "\n"


def torch_code(model, batch_size: int = 32, epochs: int = 1) -> str:
    """PyTorch code building the same network and training it with the same optimizer."""
    lines = ["import torch", "from torch import nn", "", "model = nn.Sequential("]
    lines += [f"    {code}," for code, _ in torch_modules(model)]
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


__all__ = ["keras_code", "torch_code", "TORCH_ACTIVATIONS"]
