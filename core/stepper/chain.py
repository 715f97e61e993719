"""One neuron's chain rule written out with the snapshot's numbers, term by term.

For unit ``j`` of a layer and sample ``n`` of the batch, :func:`neuron_chain`
returns the terms a lecturer points at, in the order backpropagation makes
them::

    z_j = Σ_i a_i·w_ij + b_j                       (forward)
    a_j = f(z_j)
    ∂L/∂a_j = Σ_k w_jk·δ_k                         (the next layer's δ, sent back through its weights)
    δ_j = ∂L/∂a_j · f′(z_j)
    ∂L/∂w_ij = Σ_n a_i[n]·δ_j[n]                   (over the batch; δ carries the batch mean's 1/N)
    Δw_ij from the optimizer's formula and state   (core.stepper.update_terms)

Each layer kind has a writer in :data:`WRITERS` (``register`` adds one: a
Dropout or BatchNormalization layer writes its own forward, its own δ and
how it passes ∂L/∂x back). A term's ``lines`` are mathematics only; its
``key`` names the caption a view shows above them (translated there), with
``args`` for the caption. Every value is recomputed here from the
snapshot's arrays in float64, independently of the training code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.stepper.loss_terms import SHOWN_TERMS, num, paren
from core.stepper.update_terms import UpdateInput, update_lines


@dataclass(frozen=True)
class Term:
    """One step of the chain: ``key`` (its caption), the formula ``lines`` with numbers, the ``value``."""

    key: str
    lines: tuple[str, ...]
    value: float
    args: dict[str, Any] = field(default_factory=dict)


def largest_products(a: np.ndarray, b: np.ndarray) -> tuple[list[int], str]:
    """The indices of the largest |a_k·b_k| and ``a·b + a·b + …`` written with them."""
    prod = np.abs(a * b)
    order = [int(k) for k in np.argsort(-prod, kind="stable")[:SHOWN_TERMS]]
    text = " + ".join(f"{paren(a[k])}×{paren(b[k])}" for k in order)
    return order, text + (" + …" if len(a) > len(order) else "")


class LayerWriter:
    """How a layer kind writes its part of the chain (override what the kind does differently)."""

    def forward(self, snap, li: int, j: int, n: int) -> list[Term]:
        layer = snap.layers[li]
        if layer.a is None:
            return []
        a = float(np.asarray(layer.a).reshape(len(layer.a), -1)[n, j])
        return [Term("a_layer", (f"a_j = {num(a)}",), a, {"kind": layer.kind})]

    def grad_input(self, snap, li: int, j: int, n: int) -> Term | None:
        """∂L/∂x_j of layer ``li`` (what it passes back to the layer below), or None before its backward."""
        layer = snap.layers[li]
        if layer.grad_input is None:
            return None
        g = float(np.asarray(layer.grad_input).reshape(len(layer.grad_input), -1)[n, j])
        return Term("grad_a_passed", (f"∂L/∂a_j = {num(g)}",), g, {"layer": layer.name, "kind": layer.kind})

    def backward(self, snap, li: int, j: int, n: int, grad_a: Term | None) -> list[Term]:
        layer = snap.layers[li]
        if layer.delta is None:
            return []
        d = float(np.asarray(layer.delta).reshape(len(layer.delta), -1)[n, j])
        return [Term("delta_layer", (f"δ_j = {num(d)}",), d, {"kind": layer.kind})]


class PassThroughWriter(LayerWriter):
    """A layer that only reshapes (Flatten): ∂L/∂x is the ∂L/∂a of the layer above, unchanged."""

    def grad_input(self, snap, li, j, n):
        return grad_a_term(snap, li, j, n)


class DenseWriter(LayerWriter):
    """``a = f(x·W + b)``."""

    def forward(self, snap, li, j, n):
        layer = snap.layers[li]
        if layer.z is None or layer.x is None:
            return []
        x = np.asarray(layer.x, dtype=np.float64).reshape(len(layer.x), -1)[n]
        w = np.asarray(layer.W, dtype=np.float64)[:, j]
        b = 0.0 if layer.b is None else float(layer.b[j])
        z = float(x @ w + b)
        _, text = largest_products(x, w)
        terms = [Term("z", (f"z_j = Σ_i a_i·w_ij + b_j = {text} + {paren(b)}", f"    = {num(z)}"), z,
                      {"count": len(x)})]
        a = float(layer.a[n, j])
        terms.append(Term("a", (f"a_j = {layer.activation or 'linear'}(z_j) = {layer.activation or 'linear'}"
                                f"({num(z)}) = {num(a)}",), a, {"activation": layer.activation or "linear"}))
        return terms

    def grad_input(self, snap, li, j, n):
        """∂L/∂a_j of the layer below = Σ_k w_jk·δ_k over this layer's units k."""
        layer = snap.layers[li]
        if layer.delta is None or layer.W is None:
            return None
        w = np.asarray(layer.W, dtype=np.float64)[j]
        d = np.asarray(layer.delta, dtype=np.float64)[n]
        total = float(w @ d)
        order, text = largest_products(w, d)
        return Term("grad_a", (f"∂L/∂a_j = Σ_k w_jk·δ_k = {text}", f"    = {num(total)}"), total,
                    {"count": len(d), "layer": layer.name, "largest": tuple(order)})

    def backward(self, snap, li, j, n, grad_a):
        layer = snap.layers[li]
        if layer.delta is None:
            return []
        d = float(layer.delta[n, j])
        terms = [self._delta(snap, layer, j, n, grad_a, d)]
        if layer.dW is not None and layer.x is not None:
            terms += self._gradients(snap, li, j, n)
        return terms

    @staticmethod
    def _delta(snap, layer, j, n, grad_a, d) -> Term:
        if layer.activation == "softmax" and layer.grad_a is not None:
            g = np.asarray(layer.grad_a, dtype=np.float64)[n]
            a = np.asarray(layer.a, dtype=np.float64)[n]
            value = float(a[j] * (g[j] - g @ a))
            lines = [f"δ_j = a_j·(∂L/∂a_j − Σ_k ∂L/∂a_k·a_k) = {num(a[j])} × ({num(g[j])} − {paren(g @ a)})",
                     f"    = {num(value)}"]
            if "crossentropy" in snap.loss_name and snap.loss_terms is not None:
                y = float(snap.loss_terms.target[n, j])
                lines.append(f"    = (ŷ_j − y_j)/N = ({num(a[j])} − {num(y)})/{len(layer.a)}")
            return Term("delta_softmax", tuple(lines), value)
        if layer.fprime is not None and grad_a is not None:
            f = float(layer.fprime[n, j])
            value = grad_a.value * f
            z = float(layer.z[n, j])
            return Term("delta", (f"δ_j = ∂L/∂a_j · f′(z_j) = {paren(grad_a.value)} × {layer.activation or 'linear'}′"
                                  f"({num(z)}) = {paren(grad_a.value)} × {num(f)} = {num(value)}",), value,
                        {"activation": layer.activation or "linear"})
        return Term("delta_layer", (f"δ_j = {num(d)}",), d, {"kind": layer.kind})

    @staticmethod
    def _gradients(snap, li, j, n) -> list[Term]:
        layer = snap.layers[li]
        x = np.asarray(layer.x, dtype=np.float64).reshape(len(layer.x), -1)
        d = np.asarray(layer.delta, dtype=np.float64)[:, j]
        i = int(layer.top_input[j]) if layer.top_input is not None else int(np.argmax(np.abs(layer.dW[:, j])))
        grad = float(x[:, i] @ d)
        _, text = largest_products(x[:, i], d)
        lines = [f"∂L/∂w_ij = Σ_n a_i[n]·δ_j[n] = {text}", f"    = {num(grad)}",
                 f"    (n = {n}: {paren(x[n, i])} × {paren(d[n])} = {num(x[n, i] * d[n])})"]
        if layer.top_penalty is not None:  # a kernel regularizer adds its gradient: what training applied
            penalty = float(layer.top_penalty[j])
            rule = (layer.settings.get("regularizers") or {}).get("kernel", "")
            lines.append(f"    + ∂R/∂w_ij = {num(penalty)}   ({rule})" if rule else f"    + ∂R/∂w_ij = {num(penalty)}")
            grad += penalty
            lines.append(f"    = {num(grad)}")
        terms = [Term("grad_w", tuple(lines), grad, {"i": i, "count": len(d)})]
        if layer.dW_applied is not None:
            # the update starts from the gradient training applied (float32 sums may differ in the last digits)
            terms.append(update_term(snap, layer, i, j, float(layer.dW[i, j])))
        return terms


class ActivationWriter(LayerWriter):
    """An ``Activation`` layer: ``a = f(x)``, and ∂L/∂x = ∂L/∂a · f′(x)."""

    def grad_input(self, snap, li, j, n):
        layer = snap.layers[li]
        if layer.grad_input is None or layer.fprime is None:
            return super().grad_input(snap, li, j, n)
        above = grad_a_term(snap, li, j, n)
        f = float(np.asarray(layer.fprime).reshape(len(layer.fprime), -1)[n, j])
        value = (above.value if above is not None else float("nan")) * f
        return Term("grad_a_activation", (f"∂L/∂a_j = ∂L/∂f_j · f′ = {paren(above.value if above else value)} × "
                                          f"{num(f)} = {num(value)}",), value,
                    {"activation": layer.activation, "layer": layer.name})


#: layer kind (class name) → writer; a new layer kind registers its writer with :func:`register`
WRITERS: dict[str, LayerWriter] = {"Dense": DenseWriter(), "Flatten": PassThroughWriter(),
                                   "Activation": ActivationWriter()}
_GENERIC = LayerWriter()


def register(kind: str, writer: LayerWriter) -> None:
    """Write layers of class ``kind`` with ``writer`` (in every Inspector from now on)."""
    WRITERS[kind] = writer


def writer_for(kind: str) -> LayerWriter:
    return WRITERS.get(kind, _GENERIC)


def grad_a_term(snap, li: int, j: int, n: int) -> Term | None:
    """∂L/∂a_j of layer ``li``'s output: from the loss for the last layer, else what the layer above passes back."""
    if li + 1 < len(snap.layers):
        above = snap.layers[li + 1]
        return writer_for(above.kind).grad_input(snap, li + 1, j, n)
    if snap.grad_output is None:
        return None
    g = float(np.asarray(snap.grad_output).reshape(len(snap.grad_output), -1)[n, j])
    return Term("grad_a_output", (f"∂L/∂ŷ_j = {num(g)}",), g, {"loss": snap.loss_name})


def update_term(snap, layer, i: int, j: int, grad: float) -> Term:
    """Δw_ij with the optimizer's formula, its state before and after, and the numbers."""
    before = {k: float(v[0][i, j]) for k, v in (layer.optimizer_state_before or {}).items()}
    after = {k: float(v[0][i, j]) for k, v in layer.optimizer_state.items()}
    applied = float(layer.dW_applied[i, j])
    u = UpdateInput(g=grad, w=float(layer.W[i, j]), before=before, after=after, config=dict(snap.optimizer_config),
                    learning_rate=snap.update_learning_rate, t=max(snap.step, 1))
    lines, value = update_lines(snap.optimizer, u, applied)
    lines.append(f"w_ij: {num(layer.W[i, j])} → {num(layer.W_after[i, j])}   (Δw = {num(applied)})")
    return Term("update", tuple(lines), value, {"optimizer": snap.optimizer, "i": i})


def neuron_chain(snap, li: int, j: int, n: int = 0) -> list[Term]:
    """The chain rule of unit ``j`` of ``snap.layers[li]`` for sample ``n``, as far as the snapshot's phase has come."""
    writer = writer_for(snap.layers[li].kind)
    terms = writer.forward(snap, li, j, n)
    last = li == len(snap.layers) - 1
    # ∂L/∂a is known once this layer's backward ran — for the output layer already at the loss (∂L/∂ŷ)
    known = snap.layers[li].delta is not None or (last and snap.grad_output is not None)
    grad_a = grad_a_term(snap, li, j, n) if known else None
    if grad_a is not None:
        terms.append(grad_a)
    return terms + writer.backward(snap, li, j, n, grad_a)
