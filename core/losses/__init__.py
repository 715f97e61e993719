"""Loss functions with Keras 3 names, formulas, reductions and sample weights, and their gradients.

Classes (``MeanSquaredError(reduction=...)``) and function forms
(``mean_squared_error(y_true, y_pred)`` → per-sample values) as in
``keras.losses``; :func:`get` resolves what ``compile(loss=...)`` accepts, and
:func:`resolve` the shape-dependent ``"crossentropy"``/``"ce"``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.backend.ops import NumpyOps
from core.losses.base import REDUCTIONS, Loss, LossShapeError
from core.losses.crossentropy import (BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson,
                                      SparseCategoricalCrossentropy)
from core.losses.hinge import CategoricalHinge, Hinge, SquaredHinge
from core.losses.regression import (Huber, LogCosh, MeanAbsoluteError, MeanAbsolutePercentageError,
                                    MeanSquaredError, MeanSquaredLogarithmicError)


def _fn(cls):
    instance = cls()

    def loss_fn(y_true, y_pred):
        y_pred = np.asarray(y_pred)
        ops = NumpyOps("float64" if y_pred.dtype == np.float64 else "float32")
        y = instance.prepare_targets(ops, y_true, y_pred.shape)
        return instance.per_sample(ops, y, ops.asarray(y_pred))

    loss_fn.__name__ = cls.name if cls is not Huber else "huber"
    loss_fn.loss_class = cls
    return loss_fn


# Function forms: per-sample values, as keras.losses.<name>(y_true, y_pred).
mean_squared_error = mse = MSE = _fn(MeanSquaredError)
mean_absolute_error = mae = MAE = _fn(MeanAbsoluteError)
mean_absolute_percentage_error = mape = MAPE = _fn(MeanAbsolutePercentageError)
mean_squared_logarithmic_error = msle = MSLE = _fn(MeanSquaredLogarithmicError)
huber = _fn(Huber)
log_cosh = logcosh = _fn(LogCosh)
binary_crossentropy = bce = BCE = _fn(BinaryCrossentropy)
categorical_crossentropy = _fn(CategoricalCrossentropy)
sparse_categorical_crossentropy = _fn(SparseCategoricalCrossentropy)
kl_divergence = kld = KLD = _fn(KLDivergence)
poisson = _fn(Poisson)
hinge = _fn(Hinge)
squared_hinge = _fn(SquaredHinge)
categorical_hinge = _fn(CategoricalHinge)

_CLASSES = (MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, Huber,
            LogCosh, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence,
            Poisson, Hinge, SquaredHinge, CategoricalHinge)
_ALIASES = {cls.name: cls for cls in _CLASSES}
_ALIASES.update({cls.__name__.lower(): cls for cls in _CLASSES})
_ALIASES.update({"mse": MeanSquaredError, "mae": MeanAbsoluteError, "mape": MeanAbsolutePercentageError,
                 "msle": MeanSquaredLogarithmicError, "huber": Huber, "logcosh": LogCosh,
                 "bce": BinaryCrossentropy, "cce": CategoricalCrossentropy, "kld": KLDivergence,
                 "kullback_leibler_divergence": KLDivergence})
# Keras 3 losses Propscope does not compute, so get() can say so instead of "unknown".
_NOT_IMPLEMENTED = ("cosine_similarity", "binary_focal_crossentropy", "categorical_focal_crossentropy", "ctc",
                    "dice", "tversky", "circle", "categorical_generalized_cross_entropy")
CROSSENTROPY = ("crossentropy", "ce")


def names() -> list[str]:
    """Canonical loss names for menus."""
    return ["mean_squared_error", "mean_absolute_error", "huber", "binary_crossentropy",
            "categorical_crossentropy", "sparse_categorical_crossentropy"]


def all_names() -> list[str]:
    """Every loss name :func:`get` accepts in its canonical spelling."""
    return [cls.name for cls in _CLASSES]


def get(identifier: Any) -> Loss:
    """Resolve a Keras loss name, class, instance or function form to a :class:`Loss`.

    ``"crossentropy"`` needs the shapes of targets and outputs: use :func:`resolve`.
    """
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if callable(identifier) and hasattr(identifier, "loss_class"):
        return identifier.loss_class()
    if isinstance(identifier, dict) and "class_name" in identifier:
        cls = _ALIASES.get(str(identifier["class_name"]).lower())
        if cls is not None:
            return cls.from_config(identifier.get("config", {}))
    if isinstance(identifier, str):
        key = identifier.lower()
        cls = _ALIASES.get(key)
        if cls is not None:
            return cls()
        if key in CROSSENTROPY:
            raise ValueError(f"Loss {identifier!r} depends on the targets' shape; it is resolved in fit().")
        if key in _NOT_IMPLEMENTED:
            raise NotImplementedError(f"Loss {identifier!r} is a Keras 3 loss that Propscope does not compute. "
                                      f"Available: {', '.join(all_names())}.")
        raise ValueError(f"Unknown loss {identifier!r}. Known: {', '.join(all_names())} "
                         "(and mse, mae, mape, msle, kld, crossentropy).")
    if callable(identifier):
        raise TypeError(f"Loss {identifier!r} is a plain function: Propscope needs its gradient to show the "
                        "backward pass. Use one of the built-in losses (or subclass core.losses.Loss with "
                        "per_sample and elementwise_grad).")
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")


def resolve(identifier: Any, y_true_shape: tuple, y_pred_shape: tuple) -> Loss:
    """:func:`get`, plus Keras's ``"crossentropy"``/``"ce"``: binary for one output unit,
    sparse when the targets have one dimension less (or a last dimension of 1), else categorical."""
    if isinstance(identifier, str) and identifier.lower() in CROSSENTROPY:
        if y_pred_shape[-1] == 1:
            return BinaryCrossentropy(name=identifier)
        if len(y_true_shape) < len(y_pred_shape) or (y_true_shape[-1] == 1 and y_pred_shape[-1] > 1):
            return SparseCategoricalCrossentropy(name=identifier)
        return CategoricalCrossentropy(name=identifier)
    return get(identifier)


def serialize(loss: Loss) -> dict[str, Any]:
    return {"module": "keras.losses", "class_name": type(loss).__name__, "config": loss.get_config(),
            "registered_name": None}


def deserialize(config: dict[str, Any]) -> Loss:
    return get(config)


__all__ = ["REDUCTIONS", "BinaryCrossentropy", "CategoricalCrossentropy", "CategoricalHinge", "Hinge", "Huber",
           "KLDivergence", "LogCosh", "Loss", "LossShapeError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
           "MeanSquaredError", "MeanSquaredLogarithmicError", "Poisson", "SparseCategoricalCrossentropy",
           "SquaredHinge", "all_names", "get", "names", "resolve"]


def __getattr__(name: str):
    """Keras names Propscope refuses raise with the reason (see core.unsupported)."""
    from core.unsupported import missing

    return missing("losses", name)
