"""A PyTorch ``nn.Sequential`` (with its ``torch.optim`` optimizer and loss) as a core model that steps like it.

Modules are recognized by their class (``torch.nn.Linear``, ``torch.nn.ReLU``…),
and their weights read through ``detach().cpu().numpy()``; this module never
imports torch itself (it reads what the caller already has). A ``Linear``
becomes a ``Dense`` (kernel = weightᵀ), folding in the activation module that
follows it when Keras has the same function under a name; other activations
become their own layers. The optimizer becomes the PyTorch-rule optimizer of
:mod:`core.optimizers.torch_rules` with the same hyper-parameters and, when it
has stepped already, its state — so one step here equals ``optimizer.step()``
there. The loss becomes the Keras loss that computes the same number
(``CrossEntropyLoss`` → sparse or categorical crossentropy from logits).

Everything else is refused with the module named and what is supported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

import core
from core import limits

SUPPORTED_MODULES = ("Linear", "ReLU", "Sigmoid", "Tanh", "Softmax", "LeakyReLU", "ELU", "GELU", "SiLU", "Identity",
                     "Flatten")
SUPPORTED_OPTIMIZERS = ("SGD", "Adagrad", "RMSprop", "Adam", "AdamW")
SUPPORTED_LOSSES = ("CrossEntropyLoss", "MSELoss", "L1Loss", "BCELoss", "BCEWithLogitsLoss", "HuberLoss")


class TorchImportError(ValueError):
    """A PyTorch model, optimizer or loss Propscope cannot step exactly; the message names it and lists what is
    supported."""


def is_torch_module(obj: Any) -> bool:
    return any(c.__module__.startswith("torch.nn") for c in type(obj).__mro__ if c.__name__ == "Module")


def is_torch_optimizer(obj: Any) -> bool:
    return any(c.__module__.startswith("torch.optim") and c.__name__ == "Optimizer" for c in type(obj).__mro__)


def _kind(module: Any) -> str:
    cls = type(module)
    return cls.__name__ if cls.__module__.startswith("torch.nn.modules") else f"{cls.__module__}.{cls.__name__}"


def _numpy(tensor: Any) -> np.ndarray:
    return np.array(tensor.detach().cpu().numpy(), dtype=np.float32)


@dataclass
class TorchModel:
    """The core model and how its weights map to the torch module's parameters."""

    model: Any
    #: For each trainable core weight, in the optimizer's order: (torch parameter, transpose?)
    parameters: list[tuple[Any, bool]] = field(default_factory=list)
    #: Every parameter of the torch module's Linear layers, frozen ones included
    all_parameters: list[Any] = field(default_factory=list)


def _flatten_modules(module: Any) -> list[tuple[str, Any]]:
    """``(index path, module)`` of a Sequential, nested Sequentials unrolled."""
    if _kind(module) != "Sequential":
        raise TorchImportError(f"Propscope imports a torch.nn.Sequential; got {type(module).__name__} (a custom "
                               "nn.Module's forward() is Python code that Propscope cannot follow). Write the model "
                               f"as nn.Sequential of {', '.join(SUPPORTED_MODULES)}.")
    out = []
    for name, child in module.named_children():
        if _kind(child) == "Sequential":
            out.extend((f"{name}.{sub}", m) for sub, m in _flatten_modules(child))
        else:
            out.append((name, child))
    return out


#: torch activations that are a Keras activation by name, folded into the Dense before them.
def _foldable(kind: str, module: Any) -> str | None:
    if kind in ("ReLU", "Sigmoid", "Tanh", "SiLU"):
        return {"ReLU": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "SiLU": "silu"}[kind]
    if kind == "Softmax" and module.dim in (None, 1, -1):
        return "softmax"
    if kind == "GELU" and getattr(module, "approximate", "none") == "none":
        return "gelu"
    if kind == "ELU" and float(module.alpha) == 1.0:
        return "elu"
    return None


def _activation_layer(kind: str, module: Any, name: str):
    folded = _foldable(kind, module)
    if folded:
        return core.layers.Activation(folded, name=name)
    if kind == "LeakyReLU":
        return core.layers.LeakyReLU(negative_slope=float(module.negative_slope), name=name)
    if kind == "ELU":
        return core.layers.ELU(alpha=float(module.alpha), name=name)
    if kind == "Softmax":
        raise TorchImportError(f"module {name} is Softmax(dim={module.dim}); Propscope normalizes over the features "
                               "(dim=1 or -1).")
    raise TorchImportError(f"module {name} is GELU(approximate={module.approximate!r}); Propscope computes the "
                           "exact GELU (approximate='none').")


def model_from_torch(module: Any, input_shape: tuple[int, ...] | None = None, name: str = "sequential") -> TorchModel:
    """The core ``Sequential`` computing what ``module`` computes, with its current weights.

    ``input_shape`` (one sample's shape) is needed when the first module is not a ``Linear``.
    """
    entries = _flatten_modules(module)
    layers: list = []
    params: list[tuple[Any, bool]] = []
    i = 0
    while i < len(entries):
        index, child = entries[i]
        kind = _kind(child)
        label = f"{kind.lower()}_{index.replace('.', '_')}"
        if kind not in SUPPORTED_MODULES:
            raise TorchImportError(f"module {index} is {type(child).__name__}, which Propscope cannot step through. "
                                   f"It imports nn.Sequential of: {', '.join(SUPPORTED_MODULES)}.")
        if kind == "Linear":
            activation = None
            if i + 1 < len(entries):
                nxt_kind = _kind(entries[i + 1][1])
                activation = _foldable(nxt_kind, entries[i + 1][1]) if nxt_kind in SUPPORTED_MODULES else None
            weight, bias = child.weight, child.bias
            if child.out_features > limits.MAX_UNITS:
                raise TorchImportError(f"module {index} has {child.out_features:,} outputs, over the limit of "
                                       f"{limits.MAX_UNITS:,} (MAX_UNITS).")
            dense = core.layers.Dense(int(child.out_features), activation=activation, use_bias=bias is not None,
                                      name=label)
            trainable = [p.requires_grad for p in (weight, bias) if p is not None]
            if len(set(trainable)) > 1:
                raise TorchImportError(f"module {index} trains only some of its parameters (requires_grad differs); "
                                       "Propscope freezes whole layers.")
            dense.trainable = bool(trainable[0])
            layers.append((dense, [(weight, True)] + ([(bias, False)] if bias is not None else [])))
            if input_shape is None and not layers[:-1]:
                input_shape = (int(child.in_features),)
            i += 2 if activation else 1
            continue
        if kind == "Identity":
            i += 1
            continue
        if kind == "Flatten":
            if (child.start_dim, child.end_dim) != (1, -1):
                raise TorchImportError(f"module {index} is Flatten(start_dim={child.start_dim}, "
                                       f"end_dim={child.end_dim}); Propscope flattens each sample whole "
                                       "(start_dim=1, end_dim=-1).")
            layers.append((core.layers.Flatten(name=label), []))
        else:
            layers.append((_activation_layer(kind, child, label), []))
        i += 1
    if not layers:
        raise TorchImportError("the nn.Sequential has no layers Propscope can show.")
    if input_shape is None:
        raise TorchImportError("the first module is not a Linear, so the input shape is not known: give the data "
                               "(x) or input_shape.")
    model = core.Sequential([core.Input(shape=tuple(int(d) for d in input_shape)), *(la for la, _ in layers)],
                            name=name)
    every = []
    for layer, sources in layers:
        if sources:
            layer.set_weights([_numpy(p).T if transpose else _numpy(p) for p, transpose in sources])
            every.extend(p for p, _ in sources)
            if layer.trainable:
                params.extend(sources)
    return TorchModel(model, params, every)


def optimizer_from_torch(optimizer: Any, imported: TorchModel):
    """The PyTorch-rule optimizer equal to ``optimizer`` (one param group holding exactly the model's trainable
    parameters), with its state when it has stepped."""
    kind = type(optimizer).__name__
    if not type(optimizer).__module__.startswith("torch.optim") or kind not in SUPPORTED_OPTIMIZERS:
        raise TorchImportError(f"the optimizer is {kind}; Propscope follows torch.optim "
                               f"{', '.join(SUPPORTED_OPTIMIZERS)}.")
    groups = optimizer.param_groups
    if len(groups) != 1:
        raise TorchImportError(f"the optimizer has {len(groups)} parameter groups; Propscope follows one group with "
                               "every parameter of the model.")
    group = groups[0]
    given = [id(p) for p in group["params"]]
    if given not in ([id(p) for p, _ in imported.parameters], [id(p) for p in imported.all_parameters]):
        raise TorchImportError("the optimizer's parameters are not the model's trainable parameters in order "
                               "(make it with torch.optim.…(model.parameters())).")
    if group.get("maximize") or group.get("differentiable"):
        raise TorchImportError("the optimizer maximizes or is differentiable; Propscope steps plain minimization.")
    lr = float(group["lr"])
    wd = float(group.get("weight_decay", 0.0))
    if kind == "SGD":
        opt = core.optimizers.TorchSGD(lr, momentum=float(group.get("momentum", 0.0)),
                                       dampening=float(group.get("dampening", 0.0)), weight_decay=wd,
                                       nesterov=bool(group.get("nesterov", False)))
    elif kind == "Adagrad":
        opt = core.optimizers.TorchAdagrad(lr, lr_decay=float(group.get("lr_decay", 0.0)), weight_decay=wd,
                                           initial_accumulator_value=float(group.get("initial_accumulator_value",
                                                                                     0.0)),
                                           epsilon=float(group.get("eps", 1e-10)))
    elif kind == "RMSprop":
        opt = core.optimizers.TorchRMSprop(lr, alpha=float(group.get("alpha", 0.99)),
                                           epsilon=float(group.get("eps", 1e-8)), weight_decay=wd,
                                           momentum=float(group.get("momentum", 0.0)),
                                           centered=bool(group.get("centered", False)))
    else:
        cls = core.optimizers.TorchAdam if kind == "Adam" else core.optimizers.TorchAdamW
        b1, b2 = (float(b) for b in group.get("betas", (0.9, 0.999)))
        opt = cls(lr, beta_1=b1, beta_2=b2, epsilon=float(group.get("eps", 1e-8)), weight_decay=wd,
                  amsgrad=bool(group.get("amsgrad", False)))
    return opt, _state(optimizer, imported, opt)


#: torch.optim state names → the slot names of the torch-rule optimizers (the same names).
def _state(optimizer: Any, imported: TorchModel, opt) -> tuple[dict[str, list[np.ndarray]], int] | None:
    """``(slots, iterations)`` of a torch optimizer that has stepped, or None."""
    states = [optimizer.state.get(p, {}) for p, _ in imported.parameters]
    if not any(states):
        return None
    slots: dict[str, list[np.ndarray]] = {}
    steps = set()
    for (_param, transpose), state in zip(imported.parameters, states):
        for name in opt.active_slots():
            value = state.get(name)
            if value is None:
                raise TorchImportError(f"the optimizer's state has no {name!r} for every parameter; step it once "
                                       "more, or give Propscope a fresh optimizer.")
            arr = _numpy(value)
            slots.setdefault(name, []).append(arr.T if transpose else arr)
        if "step" in state:
            steps.add(int(float(state["step"])))
    if len(steps) > 1:
        raise TorchImportError(f"the optimizer's parameters have stepped different numbers of times {sorted(steps)}.")
    # torch.optim.SGD keeps no step count: its momentum buffers only say that it has stepped.
    return slots, steps.pop() if steps else 1


def loss_from_torch(loss: Any, y: np.ndarray | None = None, outputs: int | None = None):
    """The Keras loss computing what the torch loss computes (``reduction="mean"`` only)."""
    if isinstance(loss, str) or isinstance(loss, core.losses.Loss):
        return loss
    kind = type(loss).__name__
    if not type(loss).__module__.startswith("torch.nn") or kind not in SUPPORTED_LOSSES:
        raise TorchImportError(f"the loss is {kind}; Propscope computes torch.nn {', '.join(SUPPORTED_LOSSES)} "
                               "(or give a Keras loss name).")
    if getattr(loss, "reduction", "mean") != "mean":
        raise TorchImportError(f"the loss {kind} has reduction={loss.reduction!r}; Propscope steps the mean over "
                               "the batch (reduction='mean').")
    if getattr(loss, "weight", None) is not None or getattr(loss, "pos_weight", None) is not None:
        raise TorchImportError(f"the loss {kind} weights its classes; give per-sample weights instead.")
    makers: dict[str, Callable[[], Any]] = {
        "MSELoss": core.losses.MeanSquaredError, "L1Loss": core.losses.MeanAbsoluteError,
        "BCELoss": core.losses.BinaryCrossentropy,
        "BCEWithLogitsLoss": lambda: core.losses.BinaryCrossentropy(from_logits=True),
        "HuberLoss": lambda: core.losses.Huber(delta=float(loss.delta)),
    }
    if kind in makers:
        return makers[kind]()
    if float(getattr(loss, "label_smoothing", 0.0)) or getattr(loss, "ignore_index", -100) != -100:
        raise TorchImportError("CrossEntropyLoss with label_smoothing or ignore_index is not supported.")
    one_hot = y is not None and np.ndim(y) == 2 and outputs is not None and np.shape(y)[1] == outputs > 1
    return core.losses.CategoricalCrossentropy(from_logits=True) if one_hot else \
        core.losses.SparseCategoricalCrossentropy(from_logits=True)


def apply_optimizer_state(model, opt, state) -> None:
    """Give the compiled ``model``'s torch-rule optimizer the imported ``(slots, iterations)``."""
    if state is None:
        return
    slots, iterations = state
    opt.build(model.trainable_variables)
    ops = model.ops
    for name, arrays in slots.items():
        for slot, arr in zip(opt.slots[name], arrays):
            ops.assign(slot, ops.asarray(arr))
    opt.iterations = iterations
