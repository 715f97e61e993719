"""Numerical gradient check: central differences against backpropagation.

For each parameter θ of each layer::

    numeric ∂L/∂θ ≈ (L(θ + h) − L(θ − h)) / 2h
    relative error = ‖g_numeric − g_backprop‖ / max(‖g_numeric‖ + ‖g_backprop‖, tiny)

computed in float64 on a copy of the model (the model itself is untouched).
A relative error below ~1e-7 means backprop is right; around 1e-4 or more
means a bug — or a kink (ReLU at 0, MAE at 0, an L1 penalty at 0) or a
clipped probability that the finite difference straddles.

The loss is the training loss: layers run in training mode (BatchNormalization
normalizes by the batch, so moving one weight moves the batch statistics
too, and both sides see it), regularization penalties included, and each
Dropout layer keeps the mask of the backprop pass for every finite
difference (a fresh mask per evaluation would make the difference noise).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.engine import as_ops_targets
from core.layers import Dropout


#: The smallest gradient norm a central difference with h = 1e-6 resolves in float64.
RESOLUTION = 1e-8


@dataclass(frozen=True)
class GradCheckEntry:
    """The check of one parameter array."""

    layer: str
    param: str
    relative_error: float
    backprop_norm: float
    numeric_norm: float
    checked: int
    total: int


def gradcheck(model: Any, x: Any, y: Any, h: float = 1e-6, max_checks: int | None = 200,
              seed: int = 0) -> list[GradCheckEntry]:
    """Check every parameter's backprop gradient on the batch ``(x, y)``.

    Parameters
    ----------
    model : core.models.Model
        A compiled model (its loss is used).
    x, y : array_like
        The batch.
    h : float
        Finite-difference step.
    max_checks : int or None
        At most this many randomly chosen elements per parameter (None: all).
    seed : int
        Chooses the elements when sampling.
    """
    if model.loss is None:
        raise ValueError("gradcheck needs a compiled model with a loss.")
    x = np.asarray(x)
    if not model.built:
        model.build((None,) + tuple(x.shape[1:]))
    clone = copy.deepcopy(model)
    clone.set_backend("numpy", dtype="float64")
    ops = clone.ops
    layers = clone.compute_layers
    engine = clone.make_engine(np.asarray(y).shape, clone.output_shape)
    xs = ops.asarray(x)
    y_loss, y_metric = as_ops_targets(ops, clone.loss, y, clone.output_shape)

    def loss_value() -> float:
        probe = engine.begin(xs, y_loss, y_metric)
        for i in range(len(layers)):
            engine.forward_layer(probe, i, training=True)
        engine.compute_loss(probe, with_gradient=False)
        return float(probe.loss)

    trace = engine.begin(xs, y_loss, y_metric)
    engine.forward_backward(trace)  # the training step's own phases, without the update
    for layer, record in zip(layers, trace.records):
        if isinstance(layer, Dropout) and "mask" in record:  # the same mask for every finite difference
            layer.fixed_mask = np.asarray(record["mask"]) > 0

    rng = np.random.default_rng(seed)
    results = []
    for i, layer in enumerate(layers):
        for j, grad in zip(engine.trainable_indices[i], trace.grads[i] or []):
            name, param = layer.param_names[j], layer.params[j]
            flat = param.reshape(-1)
            g_bp = np.asarray(grad).reshape(-1)
            idx = np.arange(flat.size)
            if max_checks is not None and flat.size > max_checks:
                idx = rng.choice(flat.size, size=max_checks, replace=False)
            g_num = np.empty(idx.size)
            for k, j in enumerate(idx):
                old = flat[j]
                flat[j] = old + h
                plus = loss_value()
                flat[j] = old - h
                minus = loss_value()
                flat[j] = old
                g_num[k] = (plus - minus) / (2 * h)
            diff = np.linalg.norm(g_num - g_bp[idx])
            # Below ~1e-8 a central difference cannot resolve a gradient (its rounding noise is ε·L/h): there the
            # error is measured against that floor, so a gradient that is truly 0 — a Dense bias just before
            # BatchNormalization, which normalizes it away — passes instead of reading as 100% wrong.
            denom = max(np.linalg.norm(g_num) + np.linalg.norm(g_bp[idx]), RESOLUTION)
            results.append(GradCheckEntry(layer.name, name, float(diff / denom),
                                          float(np.linalg.norm(g_bp[idx])), float(np.linalg.norm(g_num)),
                                          int(idx.size), int(flat.size)))
    return results


def max_relative_error(entries: list[GradCheckEntry]) -> float:
    """The worst relative error of a :func:`gradcheck` result."""
    return max((e.relative_error for e in entries), default=0.0)
