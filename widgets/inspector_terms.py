"""The inspector's lines for the layers after a Dense unit — Dropout and BatchNormalization — as the chain rule
with the numbers of the captured batch (every number comes from the snapshot; nothing is computed here)."""

from __future__ import annotations

import numpy as np

from widgets.i18n import tr


def _g(x) -> str:
    return f"{float(x):.6g}"


def _p(x) -> str:
    """A number as a term after − or ×: negative ones in parentheses."""
    return f"({_g(x)})" if float(x) < 0 else _g(x)


def _at(array, sample: int, u: int):
    """``array[sample, u]``, broadcasting a noise-shaped or per-feature array; None when absent."""
    if array is None:
        return None
    a = np.asarray(array)
    if a.ndim == 1:
        return a[u]
    return a[sample if a.shape[0] > 1 else 0, u if a.shape[1] > 1 else 0]


def dropout_lines(layer, sample: int, u: int) -> list[str]:
    """Dropout for unit ``u`` of ``sample``: kept and scaled, or dropped — forward and backward."""
    rate = layer.settings.get("rate", 0.0)
    lines = [tr("{name} (Dropout, rate {rate}), unit {u}:").format(name=layer.name, rate=f"{rate:g}", u=u)]
    mask = _at(layer.record.get("mask"), sample, u)
    if mask is None:
        lines.append("    " + tr("not applied in this pass (Dropout is active only while training)"))
        return lines
    scale = layer.record["scale"]
    x, a = _at(layer.x, sample, u), _at(layer.a, sample, u)
    if mask:
        lines.append("    " + tr("kept (mask 1): a = x · 1/(1 − rate) = {x} × {scale} = {a}").format(
            x=_g(x), scale=_g(scale), a=_g(a)))
    else:
        lines.append("    " + tr("dropped (mask 0) in this batch: a = 0, whatever x ({x})").format(x=_g(x)))
    if layer.delta is not None and layer.grad_a is not None:
        g, d = _at(layer.grad_a, sample, u), _at(layer.delta, sample, u)
        if mask:
            lines.append("    " + "∂L/∂x = ∂L/∂a · 1/(1 − rate) = " + f"{_g(g)} × {_g(scale)} = {_g(d)}")
        else:
            lines.append("    " + tr("∂L/∂x = 0: no gradient flows back through this unit for this sample"))
    return lines


def batchnorm_lines(layer, sample: int, u: int, optimizer: str = "") -> list[str]:
    """BatchNormalization for feature ``u`` of ``sample``: x̂, a; δ, ∂L/∂γ, ∂L/∂β, ∂L/∂x; the updates."""
    lines = [tr("{name} (BatchNormalization), feature {u}:").format(name=layer.name, u=u)]
    if layer.z is None:
        return lines + ["    " + tr("not computed yet at this phase")]
    eps = layer.settings.get("epsilon", 1e-3)
    record = layer.record
    batch = bool(record.get("batch_statistics"))
    mean = _at(record.get("mean"), sample, u) if batch else _at(layer.params.get("moving_mean"), sample, u)
    var = _at(record.get("variance"), sample, u) if batch else _at(layer.params.get("moving_variance"), sample, u)
    x, x_hat, a = _at(layer.x, sample, u), _at(layer.z, sample, u), _at(layer.a, sample, u)
    which = tr("the batch's") if batch else tr("the moving")
    text = tr("x̂ = (x − μ)/√(σ² + ε) with {which} μ, σ²: ({x} − {mean})/√({var} + {eps}) = {x_hat}")
    lines.append("    " + text.format(which=which, x=_g(x), mean=_p(mean), var=_g(var), eps=f"{eps:g}",
                                      x_hat=_g(x_hat)))
    gamma, beta = layer.params.get("gamma"), layer.params.get("beta")
    parts = ("γ·x̂" if gamma is not None else "x̂") + (" + β" if beta is not None else "")
    numbers = (f"{_g(gamma[u])} × {_p(x_hat)}" if gamma is not None else _g(x_hat)) + (
        f" + {_p(beta[u])}" if beta is not None else "")
    lines.append(f"    a = {parts} = {numbers} = {_g(a)}")
    if layer.delta is not None and layer.grad_a is not None:
        g, d = _at(layer.grad_a, sample, u), _at(layer.delta, sample, u)
        lines.append("    " + (f"δ = ∂L/∂x̂ = ∂L/∂a · γ = {_g(g)} × {_p(gamma[u])} = {_g(d)}" if gamma is not None
                               else f"δ = ∂L/∂x̂ = ∂L/∂a = {_g(d)}"))
        for name, formula in (("gamma", "∂L/∂γ = Σ_n ∂L/∂a·x̂"), ("beta", "∂L/∂β = Σ_n ∂L/∂a")):
            if name in layer.grads:
                lines.append(f"    {formula} = {_g(layer.grads[name][u])}")
        dx = _at(layer.grad_input, sample, u)
        terms = layer.terms
        if dx is not None and terms:
            lines.append("    ∂L/∂x = (δ − mean δ − x̂·mean(δ·x̂))/√(σ² + ε) = "
                         f"({_g(d)} − {_p(terms['mean_delta'][u])} − {_p(x_hat)}×{_p(terms['mean_delta_xhat'][u])})"
                         f" × {_g(_at(record.get('inv_std'), sample, u))} = {_g(dx)}")
        elif dx is not None:
            lines.append(f"    ∂L/∂x = δ/√(σ² + ε) = {_g(dx)}   " + tr("(frozen: the moving statistics are constants)"))
    if layer.params_after:
        momentum = layer.settings.get("momentum", 0.99)
        for name, label in (("gamma", "γ"), ("beta", "β")):
            if name in layer.applied and name in layer.grads:
                lines.append("    " + tr("update: {w} {before} → {after} with {optimizer}").format(
                    w=label, before=_g(layer.params[name][u]), after=_g(layer.params_after[name][u]),
                    optimizer=optimizer))
        if batch:
            for name, stat in (("moving_mean", mean), ("moving_variance", var)):
                lines.append(f"    {name} ← {momentum:g}·{_p(layer.params[name][u])} + {1 - momentum:g}·{_p(stat)}"
                             f" = {_g(layer.params_after[name][u])}")
    return lines
