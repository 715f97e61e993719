"""Colours shared by the views: readable on a projector, safe for colour-blind viewers."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

FORWARD = (0, 114, 178)      # blue: activations travelling forward
BACKWARD = (213, 94, 0)      # vermilion: errors travelling back
LOSS = (136, 34, 136)        # purple: the loss, between the two passes
UPDATE = (0, 122, 90)        # dark bluish green: the weights change
POSITIVE = (178, 24, 43)     # red for w > 0
NEGATIVE = (33, 102, 172)    # blue for w < 0
QUALITATIVE = [(0, 114, 178), (230, 159, 0), (0, 158, 115), (204, 121, 167), (86, 180, 233),
               (213, 94, 0), (240, 228, 66), (0, 0, 0), (153, 153, 153), (117, 112, 179)]

#: blue – white – red, for signed quantities (weights, gradients, δ); symmetric levels
DIVERGING = pg.ColorMap([0.0, 0.5, 1.0], [NEGATIVE, (247, 247, 247), POSITIVE])


#: a ramp for ordered series (layer 1 … layer n) that stays dark enough on white: no yellow, no lime
DEPTH = pg.ColorMap([0.0, 0.33, 0.66, 1.0], [(8, 48, 107), (106, 61, 154), (196, 60, 60), (166, 86, 0)])


def contrast_on_white(color) -> float:
    """WCAG contrast ratio of ``color`` (r, g, b) against white (4.5 reads as text, 3 as a line)."""
    def channel(c: float) -> float:
        c /= 255.0
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(float(v)) for v in color[:3])
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


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
