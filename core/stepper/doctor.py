"""The training doctor: has this run stopped learning, and why? (Qt-free, reads the history only.)

A run can fail without a NaN: SGD with learning rate 100 on Fashion-MNIST sits
at loss 14.5 and 10 % accuracy forever; a ReLU layer whose units all output 0
learns nothing; a deep sigmoid network's first layers get gradients a
thousand times smaller than its last. The numbers are all in the session's
history — loss and accuracy per step, and per layer the share of dead ReLUs,
of saturated sigmoid/tanh outputs and ‖∂L/∂W‖ — so :func:`diagnose` reads the
recent part of it and returns :class:`Finding` records: what, where, the
numbers, and the course's remedies. Wording (and translation) is the UI's job.

Thresholds, each chosen so a healthy course run never trips it (the tests
train healthy runs too):

- **stuck at chance**: over the last quarter of the run (30–500 steps) the mean
  loss moved less than 1 %, is at least 90 % of the chance-level loss (ln C
  for C classes), and the accuracy is within 5 points of 1/C;
- **dead ReLUs**: at least half of a hidden ReLU layer's units output 0 for every
  sample of the batch, in every one of the last 5 records;
- **saturated sigmoid/tanh**: at least 60 % of a hidden layer's outputs in the
  flat parts (σ < 0.01 or > 0.99, |tanh| > 0.99), in the last 5 records;
- **vanishing gradients**: the first layer's ‖∂L/∂W‖ under 1/100 of the last
  layer's (median of the last 5 records), or every layer's under 1e-7 while the
  loss is still above chance·0.5;
- **exploding gradients**: some layer's ‖∂L/∂W‖ 100× its first recorded value
  and above 10.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

MIN_STEPS = 30            # no diagnosis before this many updates
RECENT_RECORDS = 5        # layer statistics: the last this many records
FLAT_CHANGE = 0.01        # relative change of the mean loss that counts as "flat"
CHANCE_MARGIN = 0.05      # accuracy within this of 1/C counts as chance
DEAD_SHARE = 0.5
SATURATED_SHARE = 0.6
VANISHING_RATIO = 1e-2
VANISHED_NORM = 1e-7
EXPLODING_GROWTH = 100.0
EXPLODING_NORM = 10.0

#: Remedy keys, in the order the course suggests them.
REMEDIES = ("lower_learning_rate", "relu", "he_initialization", "other_optimizer")


@dataclass(frozen=True)
class LayerInfo:
    """What the doctor needs to know of a layer: its name, activation, units and whether it is hidden."""

    name: str
    activation: str
    units: int
    hidden: bool
    weighted: bool = True


@dataclass(frozen=True)
class Finding:
    """One symptom.

    Attributes
    ----------
    kind : {"stuck_at_chance", "dead_relu", "saturated", "vanishing", "vanished", "exploding"}
    layer : str or None
        The layer it concerns (None for the whole run).
    numbers : dict
        The evidence, e.g. ``{"share": 0.93, "units": 100, "steps": 120}``.
    remedies : tuple of str
        Keys of :data:`REMEDIES`, most useful first.
    """

    kind: str
    layer: str | None
    numbers: dict = field(default_factory=dict)
    remedies: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str | None]:
        """What it is about (for remembering a dismissed warning)."""
        return self.kind, self.layer


def chance_level(loss: str, classes: int) -> tuple[float, float] | None:
    """``(loss, accuracy)`` of guessing for a classification loss, else None."""
    if classes < 2 or loss not in ("sparse_categorical_crossentropy", "categorical_crossentropy",
                                   "binary_crossentropy"):
        return None
    return (math.log(2.0) if loss == "binary_crossentropy" else math.log(classes)), 1.0 / classes


def diagnose(history, layers: Sequence[LayerInfo], loss: str, classes: int) -> list[Finding]:
    """Every symptom the recent history shows (empty for a healthy run or a short one)."""
    steps, losses = history.scalar("loss")
    if len(steps) == 0 or steps[-1] < MIN_STEPS:
        return []
    findings = []
    stuck = _stuck_at_chance(history, steps, losses, loss, classes)
    if stuck:
        findings.append(stuck)
    hidden = [layer for layer in layers if layer.hidden]
    for layer in hidden:
        if layer.activation == "relu":
            share = _recent(history, f"{layer.name}/dead_relu")
            if share is not None and share.min() >= DEAD_SHARE:
                findings.append(Finding("dead_relu", layer.name,
                                        {"share": float(share.mean()), "units": layer.units,
                                         "dead": int(round(share.mean() * layer.units))},
                                        ("lower_learning_rate", "he_initialization", "other_optimizer")))
        elif layer.activation in ("sigmoid", "tanh"):
            share = _recent(history, f"{layer.name}/saturation")
            if share is not None and share.min() >= SATURATED_SHARE:
                findings.append(Finding("saturated", layer.name,
                                        {"share": float(share.mean()), "activation": layer.activation},
                                        ("relu", "lower_learning_rate", "he_initialization")))
    findings += _gradients(history, [layer for layer in layers if layer.weighted], losses, loss, classes)
    return findings


def _recent(history, key: str, records: int = RECENT_RECORDS) -> np.ndarray | None:
    values = history.scalar(key)[1]
    values = values[np.isfinite(values)] if len(values) else values
    return values[-records:] if len(values) >= records else None


def _stuck_at_chance(history, steps, losses, loss: str, classes: int) -> Finding | None:
    chance = chance_level(loss, classes)
    accuracy = history.scalar("accuracy")[1]
    if chance is None or len(accuracy) != len(losses):
        return None
    window = int(min(500, max(MIN_STEPS, steps[-1] // 4)))
    recent, earlier = losses[-window:], losses[-2 * window:-window]
    if len(earlier) < window // 2 or not np.isfinite(recent).all():
        return None
    now, before = float(recent.mean()), float(earlier.mean())
    acc = float(accuracy[-window:].mean())
    flat = abs(now - before) <= FLAT_CHANGE * max(abs(before), 1e-8)
    if flat and now >= 0.9 * chance[0] and abs(acc - chance[1]) <= CHANCE_MARGIN:
        return Finding("stuck_at_chance", None,
                       {"loss": now, "chance_loss": chance[0], "accuracy": acc, "classes": classes,
                        "steps": int(min(window, len(recent)))},
                       ("lower_learning_rate", "other_optimizer", "relu", "he_initialization"))
    return None


def _gradients(history, weighted: Sequence[LayerInfo], losses, loss: str, classes: int) -> list[Finding]:
    norms = {}
    for layer in weighted:
        recent = _recent(history, f"{layer.name}/grad_norm")
        if recent is None:
            return []
        norms[layer.name] = float(np.median(recent))
    if not norms:
        return []
    names = list(norms)
    findings = []
    chance = chance_level(loss, classes)
    learning_left = chance is None or float(np.mean(losses[-MIN_STEPS:])) > 0.5 * chance[0]
    if max(norms.values()) < VANISHED_NORM and learning_left:
        findings.append(Finding("vanished", None, {"largest": max(norms.values())},
                                ("lower_learning_rate", "relu", "he_initialization", "other_optimizer")))
    elif len(names) >= 2 and norms[names[-1]] > 0 and norms[names[0]] / norms[names[-1]] < VANISHING_RATIO:
        findings.append(Finding("vanishing", names[0],
                                {"first": norms[names[0]], "last": norms[names[-1]], "last_layer": names[-1],
                                 "ratio": norms[names[0]] / norms[names[-1]]},
                                ("relu", "he_initialization", "other_optimizer")))
    for name in names:
        values = history.scalar(f"{name}/grad_norm")[1]
        values = values[np.isfinite(values)]
        if len(values) < 2 * RECENT_RECORDS:
            continue
        start, now = float(np.median(values[:RECENT_RECORDS])), norms[name]
        if now >= EXPLODING_NORM and now >= EXPLODING_GROWTH * max(start, 1e-12):
            findings.append(Finding("exploding", name, {"start": start, "now": now, "growth": now / max(start, 1e-12)},
                                    ("lower_learning_rate", "other_optimizer")))
            break
    return findings


def layer_infos(session) -> list[LayerInfo]:
    """The :class:`LayerInfo` of a session's computing layers (the last one is the output)."""
    layers = session.engine.layers
    infos = []
    for i, layer in enumerate(layers):
        act = getattr(layer, "activation", None)
        infos.append(LayerInfo(layer.name, act.name if act else "", int(getattr(layer, "units", 0) or 0),
                               hidden=i < len(layers) - 1 and bool(layer.params), weighted=bool(layer.params)))
    return infos


def classes_of(session) -> int:
    """How many classes the output layer tells apart (0 for regression)."""
    last = session.engine.layers[-1]
    units = int(getattr(last, "units", 0) or 0)
    act = getattr(getattr(last, "activation", None), "name", "")
    if act == "softmax":
        return units
    if act == "sigmoid" and units == 1 and session.model.loss.name == "binary_crossentropy":
        return 2
    return 0


def diagnose_session(session, history=None) -> list[Finding]:
    """:func:`diagnose` for a :class:`~core.stepper.TrainingSession` (nothing once it has diverged:
    divergence has its own message). ``history``: the curves to read instead of ``session.history``
    (a run in the app's training process sends them back while the session here waits for its end)."""
    if session.divergence is not None:
        return []
    return diagnose(session.history if history is None else history, layer_infos(session),
                    session.model.loss.name, classes_of(session))
