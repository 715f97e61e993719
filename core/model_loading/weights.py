"""Putting saved weights and optimizer state into a built model, each array checked first.

Every array must be a finite float array of its variable's exact shape
(values beyond float32's range are refused too: they would become Inf). The
optimizer's saved variables are matched to the ones core's optimizer makes for
the model, in Keras's ``optimizer.variables`` order; a file whose optimizer
has a different number of variables opens with a fresh optimizer state and a
note saying so, as Keras does (with a warning) in that case.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from core import limits
from core.safeio import FLOAT32_MAX, InvalidValueError, check_array

#: Optimizer variables core recomputes from the iteration count (Nadam's running product): checked, not assigned.
DERIVED = ("u_product",)


def set_layer_weights(layer, arrays: Sequence[np.ndarray], path, where: str) -> None:
    """``layer.set_weights(arrays)`` once every array is checked against the layer's own weights."""
    expected = [(name, tuple(int(d) for d in p.shape)) for name, p in zip(layer.param_names, layer.params)]
    if len(arrays) != len(expected):
        shown = ", ".join(f"{name} {shape}" for name, shape in expected) or "none"
        raise InvalidValueError(f"holds {len(arrays)} weight arrays for layer {layer.name!r}, which has "
                                f"{len(expected)} ({shown}).", path, where)
    for arr, (name, shape) in zip(arrays, expected):
        # Statistics that are not trained may be counts (Normalization's "count" is an int32 in Keras).
        kinds = "f" if name in layer.trainable_param_names else "fiu"
        check_array(arr, f"{layer.name}/{name}", kinds=kinds, shape=shape, max_abs=FLOAT32_MAX, path=path, where=where)
    layer.set_weights(list(arrays))


def legacy_order(layer, arrays: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Weights of a legacy ``.h5`` file (trainable ones first, as tf.keras wrote them) in ``layer.params`` order."""
    trainable = [i for i, name in enumerate(layer.param_names) if layer.trainable and
                 name in layer.trainable_param_names]
    rest = [i for i in range(len(layer.param_names)) if i not in trainable]
    order = trainable + rest
    if len(arrays) != len(order):
        return list(arrays)  # the count is reported by set_layer_weights
    out: list[np.ndarray] = [np.empty(0)] * len(order)
    for arr, index in zip(arrays, order):
        out[index] = arr
    return out


def set_optimizer_variables(model, arrays: Sequence[np.ndarray], path, where: str) -> str | None:
    """Build ``model.optimizer`` for the model's trainable weights and give it the saved ``arrays``
    (Keras's ``optimizer.variables`` order: iteration, learning rate, then the state).

    Returns a note when the state does not fit this optimizer and it starts fresh instead.
    """
    optimizer = model.optimizer
    optimizer.build(model.trainable_variables)
    variables = optimizer.variables
    if len(arrays) != len(variables):
        optimizer.reset()
        return (f"the saved optimizer state has {len(arrays)} variables where {type(optimizer).__name__} has "
                f"{len(variables)}; the optimizer starts with a fresh state (as Keras does).")
    for var, arr in zip(variables, arrays):
        name = var.path
        if var.name == "iteration":
            check_array(arr, name, kinds="iu", shape=(), path=path, where=where)
            if not 0 <= int(arr) <= limits.MAX_STEPS:
                raise InvalidValueError(f"{name} is {int(arr)}; it must lie between 0 and {limits.MAX_STEPS:,} "
                                        "(MAX_STEPS).", path, where)
        else:
            check_array(arr, name, kinds="f", shape=tuple(var.shape), max_abs=FLOAT32_MAX, path=path, where=where)
            if var.name == "learning_rate" and float(arr) < 0:
                raise InvalidValueError(f"{name} is {float(arr)}; a learning rate is ≥ 0.", path, where)
    for var, arr in zip(variables, arrays):
        if var.name not in DERIVED:
            var.assign(np.asarray(arr))
    return None


def set_optimizer_slots(model, slots: dict[str, list[np.ndarray]], iterations: int, path, where: str) -> None:
    """Build ``model.optimizer`` and fill its state by slot name (``{"momentum": [one array per trainable
    weight]}``), for files that name their state instead of ordering it (tf.keras 2.x)."""
    optimizer = model.optimizer
    optimizer.build(model.trainable_variables)
    for name, arrays in slots.items():
        for k, (slot, arr) in enumerate(zip(optimizer.slots[name], arrays)):
            check_array(arr, f"{name} of weight {k}", kinds="f", shape=tuple(int(d) for d in slot.shape),
                        max_abs=FLOAT32_MAX, path=path, where=where)
    if not 0 <= iterations <= limits.MAX_STEPS:
        raise InvalidValueError(f"the iteration count is {iterations}; it must lie between 0 and "
                                f"{limits.MAX_STEPS:,} (MAX_STEPS).", path, where)
    ops = model.ops  # the optimizer was built on the model's backend
    for name, arrays in slots.items():
        for slot, arr in zip(optimizer.slots[name], arrays):
            ops.assign(slot, ops.asarray(np.asarray(arr)))
    optimizer.iterations = iterations
