"""Colours shared by the views: readable on a projector, safe for colour-blind viewers."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

FORWARD = (0, 114, 178)      # blue: activations travelling forward
BACKWARD = (213, 94, 0)      # vermilion: errors travelling back
POSITIVE = (178, 24, 43)     # red for w > 0
NEGATIVE = (33, 102, 172)    # blue for w < 0
QUALITATIVE = [(0, 114, 178), (230, 159, 0), (0, 158, 115), (204, 121, 167), (86, 180, 233),
               (213, 94, 0), (240, 228, 66), (0, 0, 0), (153, 153, 153), (117, 112, 179)]

#: blue – white – red, for signed quantities (weights, gradients, δ); symmetric levels
DIVERGING = pg.ColorMap([0.0, 0.5, 1.0], [NEGATIVE, (247, 247, 247), POSITIVE])


def symmetric_levels(values: np.ndarray) -> tuple[float, float]:
    """(−m, m) with m the largest finite |value| (1e-12 at least): zero is always white."""
    finite = np.abs(values[np.isfinite(values)]) if values.size else np.zeros(1)
    m = float(finite.max()) if finite.size else 0.0
    m = max(m, 1e-12)
    return -m, m


LEVELS = 33  # colour steps: the eye cannot tell more apart, and pyqtgraph caches one sprite per brush


_BRUSHES = [pg.mkBrush(c) for c in DIVERGING.map(np.linspace(0.0, 1.0, LEVELS), mode="qcolor")]


def diverging_brushes(values: np.ndarray, limit: float) -> list:
    """One brush per value, mapped on :data:`DIVERGING` over [−limit, limit] in ``LEVELS`` steps.

    Reusing a fixed set of brush objects lets ScatterPlotItem reuse its cached
    symbol sprites instead of rendering new ones every frame (3× faster here).
    """
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0)
    t = np.clip((v / max(limit, 1e-12) + 1.0) / 2.0, 0.0, 1.0)
    return [_BRUSHES[i] for i in np.rint(t * (LEVELS - 1)).astype(int)]
