"""Blow-up without NaN: exploding pre-activations in a run that has stopped learning.

SGD at learning rate 1e3 rarely produces NaN: the weights grow until every
unit saturates, the loss sits at a high constant and the accuracy at chance,
and the NaN/Inf checks never fire. The history records each layer's largest
|z| (``"<layer>/z_absmax"``) with its other statistics; :func:`detect_blowup`
reads it with the loss and accuracy and says whether the run looks blown up.
It is pure data analysis for the training doctor and the CLI to report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: |z| beyond this saturates sigmoid and tanh completely (σ(±1000) is exactly 0 or 1 in float32) and
#: makes softmax one-hot: the unit's gradient is zero or meaningless.
Z_EXPLODED = 1e3
#: Accuracy within this of chance counts as "at chance".
CHANCE_MARGIN = 0.05


@dataclass(frozen=True)
class BlowUp:
    """What :func:`detect_blowup` found.

    Attributes
    ----------
    step : int
        The latest recorded step showing it.
    layer : str
        The layer with the largest |z|.
    z_absmax : float
        That layer's largest |z| at ``step``.
    loss : float or None
        The mean loss over the window.
    accuracy : float or None
        The mean accuracy over the window, when recorded.
    chance_accuracy : float or None
        What guessing the most common class scores, when known.
    """

    step: int
    layer: str
    z_absmax: float
    loss: float | None
    accuracy: float | None
    chance_accuracy: float | None

    def message(self) -> str:
        where = f"|z| reaches {self.z_absmax:.3g} in layer {self.layer!r} at step {self.step}"
        if self.accuracy is not None and self.chance_accuracy is not None:
            how = f"accuracy {self.accuracy:.3f} is at chance ({self.chance_accuracy:.3f})"
        else:
            how = f"the loss ({self.loss:.4g}) is not improving" if self.loss is not None else "it is not learning"
        return (f"Training has blown up without NaN: {where} and {how}. Every unit is saturated; lower the "
                "learning rate or reset.")


def detect_blowup(history, chance_accuracy: float | None = None, z_threshold: float = Z_EXPLODED,
                  window: int = 20) -> BlowUp | None:
    """A :class:`BlowUp` when the latest statistics show exploding |z| and no learning, else None.

    Parameters
    ----------
    history : TrainingHistory
    chance_accuracy : float, optional
        The accuracy of always guessing the most common class. With it, "not
        learning" means the recent accuracy is within ``CHANCE_MARGIN`` of it;
        without it (or without an accuracy metric), that the recent loss is
        not below the first recorded loss.
    z_threshold : float
        |z| at or beyond this counts as exploded.
    window : int
        How many recent recorded steps the loss and accuracy are averaged over.
    """
    worst: tuple[float, str, int] | None = None
    for key in list(history.scalars):
        if not key.endswith("/z_absmax"):
            continue
        steps, values = history.scalar(key)
        if len(values) and np.isfinite(values[-1]) and values[-1] >= z_threshold:
            if worst is None or values[-1] > worst[0]:
                worst = (float(values[-1]), key[: -len("/z_absmax")], int(steps[-1]))
    if worst is None:
        return None
    _, losses = history.scalar("loss")
    if len(losses) < 2:
        return None
    recent_loss = float(np.nanmean(losses[-window:]))
    _, accuracy = history.scalar("accuracy")
    recent_acc = float(np.nanmean(accuracy[-window:])) if len(accuracy) else None
    if recent_acc is not None and chance_accuracy is not None:
        stuck = recent_acc <= chance_accuracy + CHANCE_MARGIN
    else:
        stuck = not recent_loss < float(losses[0])
    if not stuck:
        return None
    return BlowUp(step=worst[2], layer=worst[1], z_absmax=worst[0], loss=recent_loss, accuracy=recent_acc,
                  chance_accuracy=chance_accuracy)


def chance_accuracy(labels, data=None) -> float | None:
    """What always guessing the most common class scores on ``labels`` (class indices); None for regression."""
    if data is not None and getattr(data, "task", "") == "regression":
        return None
    y = np.asarray(labels)
    if y.ndim != 1 or y.size == 0 or y.dtype.kind not in "iu":
        return None
    return float(np.bincount(y).max() / y.size)
