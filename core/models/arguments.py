"""The arguments a functional ``Model`` and ``compile`` take, checked as Keras 3 checks them.

A Propscope model is one chain of layers: these helpers find that chain among
symbolic tensors and refuse (with the reason) what only a multi-input or
multi-output Keras model could take.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.arguments import refuse
from core.layers import KerasTensor

if TYPE_CHECKING:
    from core.models.model import Model


def chain_depth(t: KerasTensor) -> int:
    depth = 0
    while t.parent is not None:
        t, depth = t.parent, depth + 1
    return depth


def on_chain(deepest: KerasTensor, t: KerasTensor) -> bool:
    node = deepest
    while node is not None:
        if node is t:
            return True
        node = node.parent
    return False


def single_input(x: Any, what: str) -> KerasTensor:
    if isinstance(x, (list, tuple)):
        if len(x) != 1:
            raise NotImplementedError(f"Propscope models have exactly one input; got {len(x)} {what}.")
        x = x[0]
    if isinstance(x, dict):
        raise NotImplementedError(f"Named {what} (a dict) need a multi-input model, which Propscope does not build.")
    if not isinstance(x, KerasTensor):
        raise TypeError(f"`{what}` must come from Input(...) and layer calls, got {x!r}.")
    return x


def metric_list(metrics: Any, what: str) -> list[Any]:
    if metrics is None:
        return []
    if isinstance(metrics, dict):
        raise NotImplementedError(f"compile({what}=dict): per-output metrics need a multi-output model.")
    # A single metric (not in a list) is a documented leniency from older tutorials (metrics='accuracy').
    return list(metrics) if isinstance(metrics, (list, tuple)) else [metrics]


def loss_weight_argument(loss_weights: Any, model: Model) -> float | None:
    if loss_weights is None:
        return None
    if isinstance(loss_weights, dict):
        names = {la.name for la in model.compute_layers[-1:]}
        unknown = set(loss_weights) - names
        if unknown or len(loss_weights) != 1:
            raise ValueError(f"loss_weights {loss_weights!r} must name the model's one output layer {sorted(names)}.")
        return float(next(iter(loss_weights.values())))
    if isinstance(loss_weights, (list, tuple)):
        if len(loss_weights) != 1:
            raise ValueError(f"loss_weights has {len(loss_weights)} entries for a model with one output.")
        return float(loss_weights[0])
    refuse("compile", loss_weights=None if isinstance(loss_weights, (int, float)) else loss_weights)
    return float(loss_weights)
