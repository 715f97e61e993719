"""Per-layer statistics recorded in the history: norms, activation moments, saturation."""

from __future__ import annotations

import numpy as np

# A sigmoid unit is saturated when a < 0.01 or a > 0.99 (σ′ < 0.0099, under 4% of
# its peak 0.25); a tanh unit when |a| > 0.99 (tanh′ < 0.02).
SIGMOID_SATURATION = 0.01
TANH_SATURATION = 0.99


def norm(x: np.ndarray) -> float:
    """‖x‖₂; finite for any finite ``x`` (a float32 dot product overflows from |x| ≈ 2e19, so the
    rare overflowing case is recomputed scaled by max |x|)."""
    flat = np.ravel(x)
    with np.errstate(over="ignore", invalid="ignore"):
        value = float(np.sqrt(np.dot(flat, flat)))
    if not np.isfinite(value) and flat.size and np.isfinite(flat).all():
        scale = float(np.max(np.abs(flat)))
        scaled = flat.astype(np.float64) / scale
        value = scale * float(np.sqrt(np.dot(scaled, scaled)))
    return value


def saturation(activation: str, a: np.ndarray) -> float:
    """Fraction of (sample, unit) activations in the flat part of sigmoid/tanh."""
    if activation == "sigmoid":
        return float(np.mean((a < SIGMOID_SATURATION) | (a > 1 - SIGMOID_SATURATION)))
    if activation == "tanh":
        return float(np.mean(np.abs(a) > TANH_SATURATION))
    return float("nan")


def dead_relu_fraction(activation: str, a: np.ndarray) -> float:
    """Fraction of ReLU units that output 0 for every sample of the batch."""
    if activation != "relu" or a.ndim != 2:
        return float("nan")
    return float(np.mean(~(a > 0).any(axis=0)))


HIST_BINS = 32


def histogram(x: np.ndarray, bins: int = HIST_BINS, finite: bool = False) -> tuple[np.ndarray, float, float]:
    """Counts over ``bins`` equal bins between min and max of the finite values, plus that range.

    Binned by arithmetic and ``bincount`` (5× faster than ``np.histogram`` on a
    784×100 weight matrix); the last bin includes the maximum, as in NumPy.
    NaN and Inf are left out (``finite=True``: the caller knows there are
    none, and the pass that looks is skipped). Any finite range works: the arithmetic is in
    float64 on halved values, so even ±1.7e308 cannot overflow, and a single
    value (min = max, of any magnitude) gets a range of its own width.
    """
    flat = np.ravel(x)
    if not finite and not np.isfinite(flat).all():
        flat = flat[np.isfinite(flat)]
    if flat.size == 0:
        return np.zeros(bins), 0.0, 0.0
    lo, hi = float(flat.min()), float(flat.max())
    if hi <= lo:
        # All values equal: one bin's worth of range around them, wide enough to register at any
        # magnitude (1e-12 alone vanishes next to 8e3, and lo + width overflows near the top).
        value, width = lo, max(abs(lo) * 2.0**-20, 1e-12)
        lo, hi = (value, value + width) if value + width <= np.finfo(np.float64).max else (value - width, value)
        counts = np.zeros(bins)
        counts[0 if lo == value else bins - 1] = flat.size
        return counts, lo, hi
    half_lo, half_span = lo / 2.0, hi / 2.0 - lo / 2.0  # halves: hi - lo itself may overflow
    scaled = (flat.astype(np.float64, copy=False) / 2.0 - half_lo) * (bins / half_span)
    idx = scaled.astype(np.int64)
    np.clip(idx, 0, bins - 1, out=idx)
    return np.bincount(idx, minlength=bins).astype(np.float64), lo, hi


PERCENTILES = (0, 7, 16, 31, 50, 69, 84, 93, 100)


def percentiles_from_histogram(counts: np.ndarray, lo: float, hi: float, qs=PERCENTILES) -> np.ndarray:
    """TensorBoard-style bands, read off the histogram (linear within a bin).

    Exact percentiles would sort every weight at every record; from 32 bins the
    error is under a bin width, which is all a band plot can show.
    """
    total = counts.sum()
    if total <= 0:
        return np.zeros(len(qs))
    t = np.linspace(0.0, 1.0, len(counts) + 1)
    edges = lo * (1.0 - t) + hi * t  # not lo + (hi - lo)·t: hi - lo may overflow
    cdf = np.concatenate([[0.0], np.cumsum(counts)]) / total
    return np.interp(np.asarray(qs) / 100.0, cdf, edges)
