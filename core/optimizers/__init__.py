"""Optimizers with Keras 3 names, defaults and update rules.

``get("adam")`` resolves names the way ``Model.compile`` does.
"""

from __future__ import annotations

from typing import Any

from core.optimizers import schedules
from core.optimizers.adam import Adam, AdamW
from core.optimizers.adaptive import Adagrad, RMSprop
from core.optimizers.base import Optimizer
from core.optimizers.sgd import SGD

_BY_NAME = {"sgd": SGD, "adagrad": Adagrad, "rmsprop": RMSprop, "adam": Adam, "adamw": AdamW}


def names() -> list[str]:
    """Names accepted by :func:`get`."""
    return list(_BY_NAME)


def get(identifier: Any) -> Optimizer:
    """Resolve a name, class or instance to an :class:`Optimizer`."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier.lower())
        if cls is None:
            raise ValueError(f"Unknown optimizer {identifier!r}. Known: {', '.join(_BY_NAME)}.")
        return cls()
    if isinstance(identifier, dict) and "class_name" in identifier:
        cls = _BY_NAME[identifier["class_name"].lower()]
        return cls(**identifier.get("config", {}))
    raise TypeError(f"Could not interpret optimizer {identifier!r}.")


def serialize(optimizer: Optimizer) -> dict[str, Any]:
    """``{"class_name": ..., "config": ...}`` as Keras serializes optimizers."""
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config: dict[str, Any]) -> Optimizer:
    return get(config)


__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "get", "schedules", "serialize"]
