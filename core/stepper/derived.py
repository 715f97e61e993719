"""Numbers derived from a captured batch, computed once in core: views only show them.

Per layer: norms, moments, the update ratio ‖ΔW‖/‖W‖, saturation, and the
chain rule's terms (∂L/∂a, f′(z), the contributions a_prev·δ to the largest
weight gradient of each unit). Over a 2-D input plane: the model's output and
what each first-layer neuron computes (the decision boundary). On validation
data: the confusion matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from core import activations
from core.backend.ops import NumpyOps
from core.inference import forward_layers
from core.stepper import stats

_OPS = NumpyOps("float64")
GRID = 100           # decision-plane points per side
FIRST_LAYER_MAPS = 8  # first-layer neurons whose own maps are kept


@dataclass(frozen=True)
class LayerStats:
    """One layer's numbers for the captured batch (None where the phase has not computed them yet)."""

    act_mean: float | None = None
    act_std: float | None = None
    delta_norm: float | None = None
    grad_norm: float | None = None
    w_norm: float | None = None
    update_ratio: float | None = None
    saturation: float = float("nan")
    dead_relu: float = float("nan")


@dataclass(frozen=True)
class RegularizationStats:
    """What a Dropout or BatchNormalization layer did to the captured batch (None: not this kind, or not yet).

    ``dropped`` is the share of units Dropout set to 0 and ``scale`` = 1/(1 − rate) its factor on the kept
    ones. For BatchNormalization, the feature averages of the batch's mean and variance (those the forward
    pass used), of γ and β, and of the moving statistics after the update (before it, when there was none).
    """

    dropped: float | None = None
    scale: float | None = None
    batch_mean: float | None = None
    batch_variance: float | None = None
    gamma: float | None = None
    beta: float | None = None
    moving_mean: float | None = None
    moving_variance: float | None = None


def regularization_stats(record: dict, weight) -> RegularizationStats:
    """:class:`RegularizationStats` from a layer's forward ``record`` and ``weight(name)`` (after the update
    when there was one)."""
    mean = (lambda a: None if a is None else float(np.mean(a)))
    if "mask" in record:
        return RegularizationStats(dropped=1.0 - float(np.mean(record["mask"])), scale=float(record["scale"]))
    if weight("moving_mean") is None:
        return RegularizationStats()
    batch = record.get("batch_statistics")
    return RegularizationStats(batch_mean=mean(record.get("mean")) if batch else None,
                               batch_variance=mean(record.get("variance")) if batch else None,
                               gamma=mean(weight("gamma")), beta=mean(weight("beta")),
                               moving_mean=mean(weight("moving_mean")), moving_variance=mean(weight("moving_variance")))


def normalization_terms(x_hat, delta) -> dict[str, np.ndarray]:
    """The batch means in BatchNormalization's ∂L/∂x = (δ − mean(δ) − x̂·mean(δ·x̂)) / √(σ² + ε), per feature."""
    if x_hat is None or delta is None:
        return {}
    x_hat, delta = np.asarray(x_hat, dtype=np.float64), np.asarray(delta, dtype=np.float64)
    return {"mean_delta": delta.mean(axis=0), "mean_delta_xhat": (delta * x_hat).mean(axis=0)}


def _norm(x) -> float | None:
    return None if x is None else stats.norm(x)


def layer_stats(activation: str, a, delta, dW, W, dW_applied) -> LayerStats:
    """Moments of ``a``, ‖δ‖, ‖∂L/∂W‖, ‖W‖ and ‖ΔW‖/‖W‖ (``W`` before the update), saturation."""
    w_norm = _norm(W)
    ratio = None
    if dW_applied is not None and w_norm is not None:
        ratio = stats.norm(dW_applied) / max(w_norm, 1e-30)
    if a is None:
        return LayerStats(delta_norm=_norm(delta), grad_norm=_norm(dW), w_norm=w_norm, update_ratio=ratio)
    with np.errstate(over="ignore", invalid="ignore"):
        mean, std = float(a.mean()), float(a.std())
    return LayerStats(act_mean=mean, act_std=std, delta_norm=_norm(delta), grad_norm=_norm(dW), w_norm=w_norm,
                      update_ratio=ratio, saturation=stats.saturation(activation, a),
                      dead_relu=stats.dead_relu_fraction(activation, a))


def activation_slope(activation: str, z, a) -> np.ndarray | None:
    """f′(z) element by element (None for softmax, whose outputs are coupled, or before the forward pass)."""
    if z is None or a is None or activation in ("", "softmax"):
        return None
    fn = activations.get(activation)
    z64, a64 = np.asarray(z, dtype=np.float64), np.asarray(a, dtype=np.float64)
    return fn.backward(_OPS, z64, a64, np.ones_like(z64))


def strongest_inputs(x, delta, dW) -> tuple[np.ndarray, np.ndarray] | tuple[None, None]:
    """For each unit u, the input i with the largest |∂L/∂w[i, u]| and the terms a_prev[n, i]·δ[n, u] that sum to it.

    Returns ``(inputs (units,), terms (batch, units))``.
    """
    if x is None or delta is None or dW is None:
        return None, None
    flat = np.asarray(x).reshape(len(x), -1)
    top = np.argmax(np.abs(dW), axis=0)
    return top, flat[:, top] * np.asarray(delta)


def penalty_gradient_at(regularizer, W, top) -> np.ndarray:
    """The kernel penalty's gradient at ``W[top[u], u]`` for each unit u (what it adds to those ∂L/∂w)."""
    units = np.arange(len(top))
    picked = np.asarray(W, dtype=np.float64)[top, units]
    return np.asarray(regularizer.gradient(_OPS, picked), dtype=np.float64)


@dataclass(frozen=True)
class DecisionSurface:
    """The model over a 2-D input plane: ``value`` (GRID × GRID, in ``levels``; for one sigmoid output
    2p − 1, so 0 is the boundary), and each of the first layer's first neurons' own maps."""

    bounds: tuple[float, float, float, float]   # x min, x max, y min, y max
    value: np.ndarray
    levels: tuple[float, float]
    first_layer: str
    first_layer_maps: tuple[np.ndarray, ...]


def decision_grid(x_train: np.ndarray, x_val: np.ndarray | None = None) -> tuple[tuple, np.ndarray] | None:
    """``(bounds, points)`` of a GRID × GRID plane around the data, or None unless inputs have 2 features."""
    x_train = np.asarray(x_train)
    if x_train.ndim != 2 or x_train.shape[1] != 2 or not len(x_train):
        return None
    pts = x_train if x_val is None else np.vstack([x_train, np.asarray(x_val).reshape(len(x_val), -1)])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = 0.1 * (hi - lo + 1e-9)
    bounds = (float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1]))
    xx, yy = np.meshgrid(np.linspace(bounds[0], bounds[1], GRID), np.linspace(bounds[2], bounds[3], GRID),
                         indexing="ij")
    return bounds, np.stack([xx.ravel(), yy.ravel()], axis=1)


def decision_surface(layers: Sequence, grid: tuple[tuple, np.ndarray]) -> DecisionSurface | None:
    """The forward pass of snapshot ``layers`` (weights after the update when there is one) over ``grid``."""
    if not layers or layers[0].W is None:
        return None
    bounds, points = grid
    outs = forward_layers(layers, points)
    out, last = outs[-1], layers[-1].activation
    if out.shape[1] == 1:
        value = out[:, 0]
        if last == "sigmoid":
            value = 2 * value - 1  # probability of class 1 → [−1, 1]: white at 0.5
        limit = 1.0 if last in ("sigmoid", "tanh") else float(np.abs(value).max() or 1)
    else:  # several classes: the winning probability, signed by class 0 against the rest
        value = np.where(out.argmax(axis=1) == 0, -1.0, 1.0) * out.max(axis=1)
        limit = 1.0
    first = outs[0]
    maps = tuple(first[:, k].reshape(GRID, GRID) for k in range(min(FIRST_LAYER_MAPS, first.shape[1])))
    return DecisionSurface(bounds=bounds, value=value.reshape(GRID, GRID), levels=(-limit, limit),
                           first_layer=layers[0].name, first_layer_maps=maps)


def class_indices(y: np.ndarray) -> np.ndarray:
    """Class labels from labels, a one-column 0/1 target or one-hot rows."""
    y = np.asarray(y).reshape(len(y), -1)
    return y.argmax(axis=1) if y.shape[1] > 1 else y[:, 0].astype(int)


def predicted_classes(output: np.ndarray) -> np.ndarray:
    """The predicted class of each row of model outputs (one sigmoid unit: p > 0.5)."""
    return (output[:, 0] > 0.5).astype(int) if output.shape[1] == 1 else output.argmax(axis=1)


def confusion_matrix(layers: Sequence, x_val: np.ndarray, y_val: np.ndarray, n_classes: int) -> np.ndarray:
    """Validation samples counted by (true class, predicted class), from snapshot ``layers``' weights."""
    out = forward_layers(layers, np.asarray(x_val))[-1]
    n = max(int(n_classes), 2)
    cm = np.zeros((n, n), dtype=int)
    np.add.at(cm, (class_indices(y_val), predicted_classes(out)), 1)
    return cm
