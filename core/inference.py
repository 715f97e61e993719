"""Forward passes from snapshot weights (NumPy only), for views that evaluate the model elsewhere.

The decision-boundary view, for example, runs the captured weights over a grid
of points; it never touches the live model, which may be training meanwhile.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from core import activations
from core.backend.ops import NumpyOps

_OPS = NumpyOps("float64")


def forward_layers(layers: Sequence, x: np.ndarray, after_update: bool = True) -> list[np.ndarray]:
    """Activations of every layer for inputs ``x``, from :class:`LayerSnapshot` weights.

    Uses ``W_after``/``b_after`` when present (and ``after_update``), else ``W``/``b``.
    Layers without weights (Flatten) reshape.
    """
    outs = []
    h = np.asarray(x, dtype=np.float64)
    for layer in layers:
        W = layer.W_after if after_update and layer.W_after is not None else layer.W
        b = layer.b_after if after_update and layer.b_after is not None else layer.b
        if W is None:
            h = h.reshape(len(h), -1)
        else:
            z = h @ W.astype(np.float64)
            if b is not None:
                z = z + b
            h = activations.get(layer.activation or "linear").forward(_OPS, z)
        outs.append(h)
    return outs
