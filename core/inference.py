"""Forward passes from snapshot weights (NumPy only), for views that evaluate the model elsewhere.

The decision-boundary view, for example, runs the captured weights over a grid
of points; it never touches the live model, which may be training meanwhile.
The pass is the model's inference: Dropout passes its input through and
BatchNormalization normalizes with its moving statistics.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from core import activations
from core.backend.ops import NumpyOps

_OPS = NumpyOps("float64")
#: Layers without weights that pass their input through at inference.
_IDENTITY = ("Dropout", "ActivityRegularization", "InputLayer")


def forward_layers(layers: Sequence, x: np.ndarray, after_update: bool = True) -> list[np.ndarray]:
    """Activations of every layer for inputs ``x``, from :class:`LayerSnapshot` weights.

    Uses the weights after the update when present (and ``after_update``),
    else those before. Flatten reshapes; activation layers apply their
    activation; Rescaling scales.
    """
    outs = []
    h = np.asarray(x, dtype=np.float64)
    for layer in layers:
        weight = (lambda name, la=layer: _weight(la, name, after_update))
        if layer.kind == "BatchNormalization":
            h = _batch_norm(h, weight, layer.settings)
        elif layer.kind in _IDENTITY:
            pass
        elif layer.kind == "Normalization" and weight("mean") is not None:
            scale = np.maximum(np.sqrt(weight("variance").astype(np.float64)), 1e-7)
            h = weight("mean") + h * scale if layer.settings.get("invert") else (h - weight("mean")) / scale
        elif layer.kind == "Rescaling":
            h = h * layer.settings.get("scale", 1.0) + layer.settings.get("offset", 0.0)
        elif weight("kernel") is not None:
            z = h @ weight("kernel").astype(np.float64)
            if weight("bias") is not None:
                z = z + weight("bias")
            h = activations.get(layer.activation or "linear").forward(_OPS, z)
        elif layer.activation:
            h = activations.get(layer.activation).forward(_OPS, h)
        else:
            h = h.reshape(len(h), -1)
        outs.append(h)
    return outs


def _weight(layer, name: str, after_update: bool) -> np.ndarray | None:
    if after_update and getattr(layer, "params_after", None) and name in layer.params_after:
        return layer.params_after[name]
    if getattr(layer, "params", None):
        return layer.params.get(name)
    # Snapshots from before named weights: a Dense layer's W and b.
    legacy = {"kernel": ("W_after", "W"), "bias": ("b_after", "b")}.get(name)
    if legacy is None:
        return None
    after, before = (getattr(layer, k, None) for k in legacy)
    return after if after_update and after is not None else before


def _batch_norm(h: np.ndarray, weight, settings: dict) -> np.ndarray:
    """Inference BatchNormalization over the last axis: (h − moving_mean)/√(moving_variance + ε)·γ + β."""
    inv_std = 1.0 / np.sqrt(weight("moving_variance").astype(np.float64) + settings.get("epsilon", 1e-3))
    out = (h - weight("moving_mean")) * inv_std
    if weight("gamma") is not None:
        out = out * weight("gamma")
    if weight("beta") is not None:
        out = out + weight("beta")
    return out
