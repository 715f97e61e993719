"""The update of one weight written out with its optimizer's formula, its state and the numbers.

For weight ``w`` with gradient ``g`` the writer of the snapshot's optimizer
(:data:`WRITERS`, keyed by the optimizer's class name) recomputes the update
from the state before it — ``m``, ``v``, the accumulator… — and writes each
line with the numbers: ``m = β₁·m + (1 − β₁)·g = 0.9 × 0.0012 + 0.1 × 0.031 = …``.
The value it returns is Δw as the formula gives it; the snapshot's own
``dW_applied`` is what training applied (the two agree up to float32
rounding, which a test checks). An optimizer without a writer shows Δw and
its state without the formula.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping

from core.stepper.loss_terms import num, paren, superscript


@dataclass(frozen=True)
class UpdateInput:
    """What an update writer needs for one weight.

    ``before``/``after`` map a slot name to that weight's state before and
    after the update; ``config`` holds the optimizer's numeric settings;
    ``t`` is the update's step (1 for the first update).
    """

    g: float
    w: float
    before: Mapping[str, float]
    after: Mapping[str, float]
    config: Mapping[str, float]
    learning_rate: float
    t: int


Writer = Callable[[UpdateInput], tuple[list[str], float]]


def _decay(u: UpdateInput, lines: list[str]) -> float:
    """Decoupled weight decay (AdamW, or ``weight_decay=`` on any optimizer), applied before the update."""
    wd = u.config.get("weight_decay")
    if not wd:
        return 0.0
    step = -u.w * wd * u.learning_rate
    lines.append(f"w ← w − η·λ·w = w − {num(u.learning_rate)} × {num(wd)} × {paren(u.w)} "
                 f"(Δ = {num(step)})")
    return step


def sgd(u: UpdateInput) -> tuple[list[str], float]:
    lines: list[str] = []
    decay = _decay(u, lines)
    eta, mu, g = u.learning_rate, u.config.get("momentum", 0.0), u.g
    if not mu:
        step = -eta * g
        lines.append(f"Δw = −η·g = −{num(eta)} × {paren(g)} = {num(step)}")
        return lines, step + decay
    m0 = u.before.get("momentum", 0.0)
    m = mu * m0 - eta * g
    lines.append(f"m = μ·m − η·g = {num(mu)} × {paren(m0)} − {num(eta)} × {paren(g)} = {num(m)}")
    if u.config.get("nesterov"):
        step = mu * m - eta * g
        lines.append(f"Δw = μ·m − η·g = {num(mu)} × {paren(m)} − {num(eta)} × {paren(g)} = {num(step)}")
    else:
        step = m
        lines.append(f"Δw = m = {num(step)}")
    return lines, step + decay


def adam(u: UpdateInput) -> tuple[list[str], float]:
    lines: list[str] = []
    decay = _decay(u, lines)
    b1, b2 = u.config.get("beta_1", 0.9), u.config.get("beta_2", 0.999)
    eps, eta, g, t = u.config.get("epsilon", 1e-7), u.learning_rate, u.g, u.t
    m0, v0 = u.before.get("momentum", 0.0), u.before.get("velocity", 0.0)
    m = b1 * m0 + (1 - b1) * g
    v = b2 * v0 + (1 - b2) * g * g
    lines.append(f"m = β₁·m + (1 − β₁)·g = {num(b1)} × {paren(m0)} + {num(1 - b1)} × {paren(g)} = {num(m)}")
    lines.append(f"v = β₂·v + (1 − β₂)·g² = {num(b2)} × {num(v0)} + {num(1 - b2)} × {paren(g)}² = {num(v)}")
    if u.config.get("amsgrad"):
        v_hat = max(u.before.get("velocity_hat", 0.0), v)
        lines.append(f"v̂ = max(v̂, v) = {num(v_hat)}")
        v = v_hat
    alpha = eta * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    power = superscript(t)
    lines.append(f"α = η·√(1 − β₂ᵗ)/(1 − β₁ᵗ) = {num(eta)} × √(1 − {num(b2)}{power})/(1 − {num(b1)}{power}) "
                 f"= {num(alpha)}")
    step = -alpha * m / (math.sqrt(v) + eps)
    lines.append(f"Δw = −α·m/(√v + ε) = −{num(alpha)} × {paren(m)}/(√{num(v)} + {num(eps)}) = {num(step)}")
    return lines, step + decay


def rmsprop(u: UpdateInput) -> tuple[list[str], float]:
    lines: list[str] = []
    decay = _decay(u, lines)
    rho, eps, eta, g = u.config.get("rho", 0.9), u.config.get("epsilon", 1e-7), u.learning_rate, u.g
    v0 = u.before.get("velocity", 0.0)
    v = rho * v0 + (1 - rho) * g * g
    lines.append(f"v = ρ·v + (1 − ρ)·g² = {num(rho)} × {num(v0)} + {num(1 - rho)} × {paren(g)}² = {num(v)}")
    d = v + eps
    if u.config.get("centered"):
        a0 = u.before.get("average_gradient", 0.0)
        avg = rho * a0 + (1 - rho) * g
        lines.append(f"ḡ = ρ·ḡ + (1 − ρ)·g = {num(avg)}")
        d = v - avg * avg + eps
    delta = eta * g / math.sqrt(d)
    mu = u.config.get("momentum", 0.0)
    if mu:
        m = mu * u.before.get("momentum", 0.0) + delta
        lines.append(f"m = μ·m + η·g/√(v + ε) = {num(m)}")
        step = -m
        lines.append(f"Δw = −m = {num(step)}")
    else:
        step = -delta
        lines.append(f"Δw = −η·g/√(v + ε) = −{num(eta)} × {paren(g)}/√({num(v)} + {num(eps)}) = {num(step)}")
    return lines, step + decay


def adagrad(u: UpdateInput) -> tuple[list[str], float]:
    lines: list[str] = []
    decay = _decay(u, lines)
    eps, eta, g = u.config.get("epsilon", 1e-7), u.learning_rate, u.g
    g0 = u.before.get("accumulator", u.config.get("initial_accumulator_value", 0.1))
    acc = g0 + g * g
    lines.append(f"G = G + g² = {num(g0)} + {paren(g)}² = {num(acc)}")
    step = -eta * g / math.sqrt(acc + eps)
    lines.append(f"Δw = −η·g/√(G + ε) = −{num(eta)} × {paren(g)}/√({num(acc)} + {num(eps)}) = {num(step)}")
    return lines, step + decay


#: optimizer class name → writer; an optimizer added to core registers its writer here
WRITERS: dict[str, Writer] = {"SGD": sgd, "Adam": adam, "AdamW": adam, "RMSprop": rmsprop, "Adagrad": adagrad}


def update_lines(optimizer: str, u: UpdateInput, applied: float) -> tuple[list[str], float]:
    """The lines writing out the update of one weight, and Δw from the formula (``applied`` when
    the optimizer has no writer)."""
    writer = WRITERS.get(optimizer)
    if writer is None:
        state = ", ".join(f"{k} = {num(v)}" for k, v in u.after.items())
        return [f"Δw = {num(applied)}" + (f"   ({state})" if state else "")], applied
    return writer(u)
