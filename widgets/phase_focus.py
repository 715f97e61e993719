"""What a view shows when it follows the phase: the layer in process and the phase's quantities.

forward · layer   → that layer: W, z, a
loss              → the output layer: a (= ŷ) and ∂L/∂a (= ∂L/∂ŷ, the first backward quantity)
backward · layer  → that layer: δ, ∂L/∂W
update            → the layer shown last: ΔW and the optimizer's state

Views that follow (Matrices, Distributions, the Inspector) ask :func:`focus`
for the snapshot's phase; a user who picks another layer or quantity pins
the view. Qt-free, so it is tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

#: quantity keys (Matrices shows each as a heatmap)
W, Z, A, GRAD_A, DELTA, DW, APPLIED = "W", "z", "a", "∂L/∂a", "δ", "∂L/∂W", "ΔW (applied)"
SLOT_PREFIX = "optimizer: "
MAX_PANELS = 3


@dataclass(frozen=True)
class Focus:
    """The layer (index into ``snapshot.layers``) and quantities a following view shows."""

    layer: int
    quantities: tuple[str, ...]


def shown_layers(snap) -> list[int]:
    """Layers a view offers: every layer with a phase of its own, and every layer with weights, in order."""
    phased = {i for _, i in snap.phases if i is not None}
    return [k for k, la in enumerate(snap.layers) if k in phased or la.W is not None or getattr(la, "params", None)]


def available(layer, quantity: str) -> bool:
    """Whether ``layer`` (a LayerSnapshot) has ``quantity`` at this phase."""
    return quantity_array(layer, quantity) is not None


def quantity_array(layer, quantity: str):
    """The array of ``quantity`` in ``layer`` (None when not computed or not applicable)."""
    if quantity == W:
        return layer.W_after if layer.W_after is not None else layer.W
    if quantity.startswith(SLOT_PREFIX):
        state = layer.optimizer_state.get(quantity[len(SLOT_PREFIX):])
        return None if not state else state[0]
    array = {Z: layer.z, A: layer.a, GRAD_A: layer.grad_a, DELTA: layer.delta, DW: layer.dW,
             APPLIED: layer.dW_applied}.get(quantity)
    if array is not None and getattr(array, "ndim", 2) > 2:
        array = array.reshape(len(array), -1)
    return array


def focus(snap, previous_layer: int | None = None) -> Focus | None:
    """The :class:`Focus` of ``snap``'s phase (``previous_layer``: what the view showed before, kept at the update)."""
    layers = shown_layers(snap)
    if not layers:
        return None
    phase, index = snap.phase, snap.phase_layer
    if phase == "forward" and index is not None:
        return Focus(index, _present(snap, index, (W, Z, A)))
    if phase == "backward" and index is not None:
        return Focus(index, _present(snap, index, (DELTA, DW)) or _present(snap, index, (DELTA,)))
    if phase == "loss":
        last = len(snap.layers) - 1
        return Focus(last, _present(snap, last, (A, GRAD_A)))
    if phase == "update":
        keep = previous_layer if previous_layer in layers and snap.layers[previous_layer].W is not None else None
        layer = keep if keep is not None else next((k for k in layers if snap.layers[k].W is not None), layers[0])
        slots = tuple(SLOT_PREFIX + s for s in snap.layers[layer].optimizer_state)
        return Focus(layer, _present(snap, layer, (APPLIED,) + slots)[:MAX_PANELS])
    first = next((k for k in layers if snap.layers[k].W is not None), layers[0])
    return Focus(first, _present(snap, first, (W,)))


def _present(snap, index: int, quantities: tuple[str, ...]) -> tuple[str, ...]:
    layer = snap.layers[index]
    return tuple(q for q in quantities if available(layer, q))
