"""The phases a student steps through: one press, one meaningful phase.

A batch runs, layer by layer, the engine's steps — ``("forward", i)`` for each
layer, ``("loss", None)``, ``("backward", i)`` from the last layer down,
``("update", None)`` (:class:`core.engine.StepEngine`). Not each of them is
worth a press: a ``Flatten`` only reshapes, and below the first layer that
learns nothing flows back. :func:`batch_phases` groups the engine's steps into
the phases shown, by one rule read from the layers themselves:

- a layer whose ``computes`` is true (``Dense``, an ``Activation``, and layers
  added later such as ``Dropout``) gets a forward phase; one that only
  reshapes (``Flatten``) or stands for the input does not, and its step runs
  inside the next forward phase ("part of showing the input"), or inside the
  last one when it comes after every computing layer;
- a computing layer at or above the first layer with trainable weights gets a
  backward phase; the steps of the other layers run inside the backward phase
  before them (a ``Flatten`` between two Dense layers reshapes ∂L/∂a in the
  upper layer's backward phase) or inside the last backward phase;
- the loss and the update are one phase each.

So Flatten → Dense(100) → Dense(10) takes six presses: forward · dense,
forward · dense_1, loss, backward · dense_1, backward · dense, update.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

Step = tuple[str, "int | None"]


@dataclass(frozen=True)
class Phase:
    """One press of "step phase".

    Attributes
    ----------
    kind : str
        ``"forward"``, ``"loss"``, ``"backward"`` or ``"update"``.
    layer : int or None
        The layer the phase is about (None for the loss and the update).
    steps : tuple of (str, int or None)
        The engine steps it runs, in order.
    """

    kind: str
    layer: int | None
    steps: tuple[Step, ...]

    @property
    def key(self) -> tuple[str, int | None]:
        """``(kind, layer)``: what snapshots and views name the phase by."""
        return self.kind, self.layer


def computes(layer) -> bool:
    """Whether ``layer`` gets phases of its own (its ``computes`` attribute; true unless a layer says not)."""
    return bool(getattr(layer, "computes", True))


def batch_phases(layers: Sequence, first_trainable: int) -> list[Phase]:
    """The phases of one batch of ``layers`` (the engine's computing layers, in order).

    ``first_trainable`` is the index of the first layer whose weights learn
    (``len(layers)`` when none does): no backward phase below it.
    """
    n = len(layers)
    shown = [i for i in range(n) if computes(layers[i])]
    if not shown and n:
        shown = [n - 1]  # nothing but reshaping: the whole pass is one phase
    phases = _forward(shown, n) + [Phase("loss", None, (("loss", None),))]
    phases += _backward([i for i in shown if i >= first_trainable], n)
    return phases + [Phase("update", None, (("update", None),))]


def _forward(shown: list[int], n: int) -> list[Phase]:
    out: list[Phase] = []
    start = 0
    for k, i in enumerate(shown):
        end = n if k == len(shown) - 1 else i + 1  # trailing reshapes join the last forward phase
        out.append(Phase("forward", i, tuple(("forward", j) for j in range(start, end))))
        start = end
    return out


def _backward(shown: list[int], n: int) -> list[Phase]:
    """From the top: each phase runs its layer, then the reshapes below it down to the next shown layer."""
    if not shown:  # nothing learns: no gradient flows, and there is nothing to press for
        return []
    out: list[Phase] = []
    top = n - 1
    ordered = sorted(shown, reverse=True)
    for k, i in enumerate(ordered):
        bottom = 0 if k == len(ordered) - 1 else ordered[k + 1] + 1
        out.append(Phase("backward", i, tuple(("backward", j) for j in range(top, bottom - 1, -1))))
        top = bottom - 1
    return out
