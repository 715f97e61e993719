"""Weight and activity regularizers with Keras 3's names, formulas and configs.

``keras.regularizers.l2(0.01)`` (or ``L2``, ``"l2"``) on a ``Dense`` kernel
adds ``0.01 · Σ W²`` to the loss of every batch, exactly as Keras adds it: the
reported loss is the data loss plus every penalty (weight penalties of the
*trainable* weights, activity penalties divided by the batch size), and the
gradient of each penalty is added to its weight's gradient::

    L1(l1)      penalty l1 · Σ|x|            gradient l1 · sign(x)
    L2(l2)      penalty l2 · Σ x²            gradient 2 · l2 · x
    L1L2(l1, l2)  the sum of both

The factors are rounded to the model's float type first, as Keras casts them
to the variable's dtype. Keras's lower-case names are the classes themselves
(``l1_l2`` is ``L1L2``, whose defaults are 0, unlike the string ``"l1l2"``'s
class defaults — also as in Keras).
"""

from __future__ import annotations

import math
from typing import Any

from core.backend.ops import Ops


def _factor(value: Any, name: str) -> float:
    """Keras's ``validate_float_arg``: a finite, non-negative number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isinf(value) or math.isnan(value) \
            or value < 0:
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float.Received: {name}={value}")
    return float(value)


class Regularizer:
    """Base class: ``penalty(ops, x)`` is the scalar added to the loss, ``gradient(ops, x)`` its ∂/∂x.

    Calling a regularizer on an array (``L2(0.01)(w)``) gives the penalty as a
    float, as Keras's ``regularizer(x)`` gives a scalar tensor.
    """

    def penalty(self, ops: Ops, x: Any) -> Any:
        raise NotImplementedError

    def gradient(self, ops: Ops, x: Any) -> Any:
        raise NotImplementedError

    def __call__(self, x: Any) -> float:
        import numpy as np

        from core.backend.ops import NumpyOps

        x = np.asarray(x)
        ops = NumpyOps("float64" if x.dtype == np.float64 else "float32")
        return float(self.penalty(ops, ops.asarray(x)))

    def get_config(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Regularizer":
        return cls(**config)

    def describe(self) -> str:
        """Short text for the views and the code dock: ``L2(0.01)``."""
        args = ", ".join(f"{k}={v:g}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"

    def __repr__(self) -> str:
        return f"<{self.describe()}>"


class L1L2(Regularizer):
    """Keras ``L1L2(l1=0.0, l2=0.0)``: ``l1·Σ|x| + l2·Σx²``."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = _factor(0.0 if l1 is None else l1, "l1")
        self.l2 = _factor(0.0 if l2 is None else l2, "l2")

    def penalty(self, ops, x):
        total = None
        if self.l1 != 0.0:
            total = ops.scalar(self.l1) * ops.sum(ops.abs(x))
        if self.l2 != 0.0:
            term = ops.scalar(self.l2) * ops.sum(ops.square(x))
            total = term if total is None else total + term
        return ops.sum(x * 0.0) if total is None else total

    def gradient(self, ops, x):
        grad = None
        if self.l1 != 0.0:
            grad = ops.sign(x) * ops.scalar(self.l1)
        if self.l2 != 0.0:
            term = x * ops.scalar(2.0 * self.l2)
            grad = term if grad is None else grad + term
        return x * 0.0 if grad is None else grad

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """Keras ``L1(l1=0.01)``: ``l1·Σ|x|``; its config holds the factor's float32 value, as Keras's does."""

    def __init__(self, l1: float = 0.01) -> None:
        self.l1 = _factor(0.01 if l1 is None else l1, "l1")

    def penalty(self, ops, x):
        return ops.scalar(self.l1) * ops.sum(ops.abs(x))

    def gradient(self, ops, x):
        # torch's autograd of |x| gives sign(x), 0 at 0: the same as NumPy's sign.
        return ops.sign(x) * ops.scalar(self.l1)

    def get_config(self):
        import numpy as np

        # Keras keeps l1 as a float32 tensor and reports float(tensor): 0.01 → 0.009999999776482582.
        return {"l1": float(np.float32(self.l1))}


class L2(Regularizer):
    """Keras ``L2(l2=0.01)``: ``l2·Σx²``, gradient ``2·l2·x``."""

    def __init__(self, l2: float = 0.01) -> None:
        self.l2 = _factor(0.01 if l2 is None else l2, "l2")

    def penalty(self, ops, x):
        return ops.scalar(self.l2) * ops.sum(ops.square(x))

    def gradient(self, ops, x):
        # Autograd of l2·Σx² computes (l2·2)·x: doubling is exact, so one rounding, as here.
        return x * ops.scalar(2.0 * self.l2)

    def get_config(self):
        return {"l2": self.l2}


# Keras 3 exports the lower-case names as the classes themselves.
l1, l2, l1_l2 = L1, L2, L1L2
_CLASSES = {"L1": L1, "L2": L2, "L1L2": L1L2}
#: string identifiers Keras's ``regularizers.get`` accepts (class names and their snake case)
_NAMES = {"L1": L1, "L2": L2, "L1L2": L1L2, "l1": L1, "l2": L2, "l1l2": L1L2}


def get(identifier: Any) -> Regularizer | None:
    """Resolve ``None``, a name (``"l2"``), a class, an instance or a serialized dict, as Keras does."""
    if identifier is None:
        return None
    if isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Regularizer):
        return identifier()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier in _NAMES:
            return _NAMES[identifier]()
        if identifier in ("orthogonal_regularizer", "OrthogonalRegularizer"):
            missing("OrthogonalRegularizer")
        raise ValueError(f"Could not interpret regularizer identifier: {identifier}")
    if callable(identifier):
        raise NotImplementedError(f"Regularizer {identifier!r}: Propscope shows every penalty's gradient, so it "
                                  "needs a keras.regularizers L1, L2 or L1L2 (a plain function has no gradient "
                                  "it can show).")
    raise ValueError(f"Could not interpret regularizer identifier: {identifier}")


def serialize(regularizer: Regularizer | None) -> dict[str, Any] | None:
    """Keras's serialized form (``{"module": "keras.regularizers", "class_name": "L2", ...}``) or None."""
    if regularizer is None:
        return None
    return {"module": "keras.regularizers", "class_name": type(regularizer).__name__,
            "config": regularizer.get_config(), "registered_name": None}


def deserialize(config: dict[str, Any]) -> Regularizer:
    name = str(config.get("class_name", ""))
    cls = _CLASSES.get(name) or _NAMES.get(name)
    if cls is None:
        if name in ("OrthogonalRegularizer", "orthogonal_regularizer"):
            missing("OrthogonalRegularizer")
        raise ValueError(f"Could not interpret regularizer identifier: {name!r}")
    inner = config.get("config", {})
    if not isinstance(inner, dict):
        raise ValueError(f"Could not interpret regularizer config {inner!r}.")
    return cls.from_config(inner)


def __getattr__(name: str):
    """Keras names Propscope refuses raise with the reason (see core.unsupported)."""
    return missing(name)


def missing(name: str):
    from core.unsupported import missing as refuse_name

    return refuse_name("regularizers", name)


__all__ = ["L1", "L1L2", "L2", "Regularizer", "deserialize", "get", "l1", "l1_l2", "l2", "serialize"]
