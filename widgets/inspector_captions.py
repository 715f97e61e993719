"""The Inspector's captions: what each term of the chain rule is, in words (English source, translated when shown).

Keyed by :attr:`core.stepper.chain.Term.key`; the term's ``args`` fill the
``{placeholders}``. A layer kind that registers a chain writer adds the
captions of its new keys here.
"""

from __future__ import annotations

from widgets.i18n import tr_noop
from widgets.palette import BACKWARD, FORWARD, LOSS, UPDATE

CAPTIONS = {
    "z": tr_noop("Forward: the weighted sum of its {count} inputs (the largest terms, then the total)"),
    "a": tr_noop("…through the activation {activation}"),
    "a_layer": tr_noop("Forward: the output of this {kind} layer"),
    "loss": tr_noop("The loss of sample {n}"),
    "grad_a_output": tr_noop("Backward starts here: ∂L/∂ŷ_j, the loss's gradient at this output"),
    "grad_a": tr_noop("Backward: ∂L/∂a_j, the next layer's δ sent back through the weights out of this "
                      "neuron ({count} units of {layer}: the largest terms, then the sum)"),
    "grad_a_passed": tr_noop("Backward: ∂L/∂a_j as {layer} ({kind}) passes it back"),
    "grad_a_activation": tr_noop("Backward through the activation layer {layer} ({activation})"),
    "delta": tr_noop("δ_j = ∂L/∂z_j: ∂L/∂a_j times the slope of {activation} at z_j"),
    "delta_softmax": tr_noop("δ_j of a softmax output (the outputs are coupled)"),
    "delta_layer": tr_noop("δ_j of this {kind} layer"),
    "grad_w": tr_noop("∂L/∂w_ij for input i = {i} (the largest |∂L/∂w| into this neuron): the batch mean of "
                      "a_i·δ_j over {count} samples (each δ carries the 1/N of the mean)"),
    "update": tr_noop("Update with {optimizer}: its formula, its state before the update, the numbers"),
}
_PHASE_OF = {"z": FORWARD, "a": FORWARD, "a_layer": FORWARD, "loss": LOSS, "grad_a_output": LOSS,
             "update": UPDATE, "block": FORWARD}
#: the phase whose press computes each term: its terms are written out in full, the others as one line
PHASE_OF_TERM = {"z": "forward", "a": "forward", "a_layer": "forward", "loss": "loss", "grad_a_output": "loss",
                 "update": "update"}
#: the name a term's one-line summary gives its value
SHORT_NAME = {"update": "Δw_ij", "loss": "L"}


def term_phase(key: str) -> str:
    """``"forward"``, ``"loss"``, ``"backward"`` or ``"update"``: the phase that computes term ``key``."""
    return PHASE_OF_TERM.get(key, "backward")


def caption_color(key: str) -> str:
    """The caption's colour: blue forward, purple at the loss, vermilion backward, green for the update."""
    return "#%02x%02x%02x" % _PHASE_OF.get(key, BACKWARD)
