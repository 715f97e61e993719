"""One vocabulary of activations, losses and optimizers, read from core's registries.

Settings, panels, the CLI, lessons and compare mode name these the way
``Model.compile`` does (``"relu"``, ``"sparse_categorical_crossentropy"``,
``"adam"``); what a person reads (``"Adam"``) is derived here. A name that
core learns (a new optimizer, say) appears everywhere without another list
to update.
"""

from __future__ import annotations

import inspect
from typing import Any

from core import activations, losses, optimizers

#: Activation names, each once (aliases such as "silu" for swish left out).
ACTIVATIONS: tuple[str, ...] = tuple(n for n in activations.names() if activations.get(n).name == n)
#: What a hidden layer may use: softmax only makes sense on the output layer.
HIDDEN_ACTIVATIONS: tuple[str, ...] = tuple(a for a in ACTIVATIONS if a != "softmax")
#: Loss names as a compiled model reports them (``model.loss.name``: "huber_loss" for "huber").
LOSSES: tuple[str, ...] = tuple(dict.fromkeys(losses.get(n).name for n in losses.names()))
#: Optimizer names as ``compile(optimizer=...)`` takes them ("sgd", "adam"...).
OPTIMIZERS: tuple[str, ...] = tuple(optimizers.names())

#: Losses that compare class probabilities with a class (one-hot or an index).
CLASS_LOSSES = ("sparse_categorical_crossentropy", "categorical_crossentropy")


def optimizer_key(name: str) -> str:
    """The vocabulary's name of an optimizer given in any spelling: ``"Adam"``, ``"ADAM"`` → ``"adam"``.

    Raises
    ------
    ValueError
        For a name core does not know, listing the known ones.
    """
    key = str(name).lower()
    if key not in OPTIMIZERS:
        raise ValueError(f"Unknown optimizer {name!r}. Known: {', '.join(OPTIMIZERS)}.")
    return key


def loss_name(name: str) -> str:
    """The vocabulary's name of a loss given by any of Keras's names: ``"mse"`` → ``"mean_squared_error"``."""
    return losses.get(str(name)).name


def optimizer_class(name: str) -> type:
    return type(optimizers.get(optimizer_key(name)))


def optimizer_label(name: str) -> str:
    """How people write the optimizer: its Keras class name (``"adam"`` → ``"Adam"``, ``"sgd"`` → ``"SGD"``)."""
    return optimizer_class(name).__name__


def optimizer_defaults(name: str) -> dict[str, Any]:
    """The Keras 3 defaults of an optimizer's own hyper-parameters (from its signature)."""
    sig = inspect.signature(optimizer_class(name).__init__)
    return {k: p.default for k, p in sig.parameters.items()
            if k not in ("self", "kwargs") and p.default is not inspect.Parameter.empty}


def make_optimizer(name: str, hyper: dict[str, Any]) -> optimizers.Optimizer:
    """The optimizer ``name`` with those of ``hyper`` it takes (others, from another optimizer, are ignored)."""
    defaults = optimizer_defaults(name)
    return optimizer_class(name)(**{k: v for k, v in hyper.items() if k in defaults})


def loss_fits(loss: str, task: str) -> bool:
    """Whether ``loss`` can train data of ``task`` ("classification", "binary" or "regression")."""
    if loss == "binary_crossentropy":
        return task == "binary"
    if loss in CLASS_LOSSES:
        return task in ("classification", "binary")
    return task in ("regression", "binary")  # the regression losses also fit 0/1 targets


def default_loss(task: str) -> str:
    """The loss the course uses for ``task``."""
    if task == "regression":
        return "mean_squared_error"
    return "binary_crossentropy" if task == "binary" else "sparse_categorical_crossentropy"
