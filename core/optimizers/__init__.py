"""Optimizers with Keras 3 names, defaults and update rules.

``get("adam")`` resolves names the way ``Model.compile`` does. PyTorch's
rules for models imported from ``torch.nn`` (``TorchAdam``…) live in
:mod:`core.optimizers.torch_rules`; they are not Keras names, so ``get`` does
not offer them, but :func:`deserialize` and :func:`optimizer_class` do.
"""

from __future__ import annotations

from typing import Any

from core.optimizers import schedules
from core.optimizers.adam import Adam, AdamW
from core.optimizers.adam_variants import Adamax, Nadam
from core.optimizers.adaptive import Adadelta, Adagrad, RMSprop
from core.optimizers.base import Optimizer
from core.optimizers.sgd import SGD, Lion
from core.optimizers.torch_rules import TORCH_RULES, TorchAdagrad, TorchAdam, TorchAdamW, TorchRMSprop, TorchSGD

_BY_NAME = {"sgd": SGD, "adagrad": Adagrad, "rmsprop": RMSprop, "adam": Adam, "adamw": AdamW, "nadam": Nadam,
            "adamax": Adamax, "adadelta": Adadelta, "lion": Lion}
# Keras 3 optimizers Propscope does not implement, so get() can say so instead of "unknown".
_NOT_IMPLEMENTED = ("adafactor", "ftrl", "lamb", "loss_scale_optimizer", "muon")


def names() -> list[str]:
    """Names accepted by :func:`get`."""
    return list(_BY_NAME)


def get(identifier: Any) -> Optimizer:
    """Resolve a name, class, instance or serialized dict to an :class:`Optimizer`."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier.lower())
        if cls is None:
            if identifier.lower() in _NOT_IMPLEMENTED:
                raise NotImplementedError(f"Optimizer {identifier!r} is a Keras 3 optimizer that Propscope does "
                                          f"not implement. Available: {', '.join(_BY_NAME)}.")
            raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}. "
                             f"Known: {', '.join(_BY_NAME)}.")
        return cls()
    if isinstance(identifier, dict) and "class_name" in identifier:
        return deserialize(identifier)
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")


def serialize(optimizer: Optimizer) -> dict[str, Any]:
    """Keras's serialized form: ``{"module", "class_name", "config", "registered_name"}``."""
    return {"module": "keras.optimizers", "class_name": type(optimizer).__name__,
            "config": optimizer.get_config(), "registered_name": None}


def optimizer_class(class_name: str) -> type[Optimizer] | None:
    """The optimizer class called ``class_name`` (Keras's, case-insensitive, or a PyTorch rule's), or None."""
    return _BY_NAME.get(str(class_name).lower()) or TORCH_RULES.get(str(class_name))


def deserialize(config: dict[str, Any]) -> Optimizer:
    cls = optimizer_class(str(config.get("class_name", "")))
    if cls is None:
        raise ValueError(f"Unknown optimizer class {config.get('class_name')!r}.")
    return cls.from_config(config.get("config", {}))


__all__ = ["SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "Lion", "Nadam", "Optimizer", "RMSprop",
           "TorchAdagrad", "TorchAdam", "TorchAdamW", "TorchRMSprop", "TorchSGD", "deserialize", "get",
           "optimizer_class", "schedules", "serialize"]


def __getattr__(name: str):
    """Keras names Propscope refuses raise with the reason (see core.unsupported)."""
    from core.unsupported import missing

    return missing("optimizers", name)
