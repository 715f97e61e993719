"""Short texts about a layer's numbers that several views write (numbers formatted, never computed here)."""

from __future__ import annotations

import numpy as np

from widgets.i18n import tr


def fmt(x: float | None) -> str:
    """A number in 3 significant digits (small ones in exponent form), "—" for none."""
    if x is None or not np.isfinite(x):
        return "—" if x is None else str(x)
    return f"{x:.3g}" if abs(x) >= 1e-3 or x == 0 else f"{x:.2e}"


def layer_detail(layer, penalties: dict[str, float]) -> str:
    """What Dropout, BatchNormalization or a penalty did in this batch (numbers from the capture)."""
    r = layer.regularization
    parts = []
    if r is not None and r.dropped is not None:
        parts.append(tr("dropped {share} · kept × {scale}").format(share=f"{r.dropped:.0%}", scale=fmt(r.scale)))
    elif r is not None and r.moving_mean is not None:
        if r.batch_mean is not None:
            parts.append(tr("batch μ {mean}, σ² {var}").format(mean=fmt(r.batch_mean), var=fmt(r.batch_variance)))
        parts.append(tr("γ {gamma}, β {beta} · moving μ {mean}, σ² {var}").format(
            gamma=fmt(r.gamma), beta=fmt(r.beta), mean=fmt(r.moving_mean), var=fmt(r.moving_variance)))
    elif layer.kind == "Dropout":
        parts.append(tr("rate {rate}: drops nothing at inference").format(rate=layer.settings.get("rate", 0)))
    for key, value in penalties.items():
        owner, _, what = key.partition("/")
        if owner == layer.name:
            parts.append(tr("penalty on {what}: {value}").format(what=what, value=fmt(value)))
    return " · ".join(parts) if parts else "—"
