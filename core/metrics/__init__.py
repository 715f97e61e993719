"""Metrics with Keras 3 names and semantics.

A metric accumulates additive statistics over batches (see
:mod:`core.metrics.base`); ``update_state``/``result``/``reset_state`` work as
in Keras. :func:`resolve` builds what ``Model.compile(metrics=...)`` builds:
``"accuracy"`` becomes binary when the model has one output unit, sparse when
the targets have one dimension less than the output (or a last dimension of
1), categorical otherwise; other strings, classes, instances and functions
(``keras.metrics.mean_absolute_error`` or your own ``f(y_true, y_pred)``)
resolve as Keras resolves them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core import losses as _losses
from core.backend.ops import NumpyOps
from core.metrics.accuracy import (Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
                                   SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy)
from core.metrics.base import Mean, MeanMetric, MeanMetricWrapper, Metric, Sum, add_stats, to_host
from core.metrics.confusion import (AUC, FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives,
                                    TruePositives)
from core.metrics.regression import (BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge, Hinge,
                                     KLDivergence, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError,
                                     MeanSquaredError, MeanSquaredLogarithmicError, Poisson, RootMeanSquaredError,
                                     SparseCategoricalCrossentropy, SquaredHinge)
from core.backend.config import snake_name

_NUMPY = NumpyOps("float32")
_CLASSES = (Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
            SparseTopKCategoricalAccuracy, MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
            MeanSquaredLogarithmicError, RootMeanSquaredError, LogCoshError, BinaryCrossentropy,
            CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence, Poisson, Hinge, SquaredHinge,
            CategoricalHinge, Precision, Recall, AUC, TruePositives, TrueNegatives, FalsePositives, FalseNegatives,
            Mean, Sum)
_BY_NAME: dict[str, type] = {cls.__name__: cls for cls in _CLASSES}
_BY_NAME.update({snake_name(cls.__name__): cls for cls in _CLASSES})
_BY_NAME.update({"mse": MeanSquaredError, "MSE": MeanSquaredError, "mae": MeanAbsoluteError,
                 "MAE": MeanAbsoluteError, "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
                 "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError,
                 "bce": BinaryCrossentropy, "BCE": BinaryCrossentropy, "auc": AUC,
                 "kl_divergence": KLDivergence, "logcosh": LogCoshError, "log_cosh": LogCoshError,
                 "top_k_categorical_accuracy": TopKCategoricalAccuracy,
                 "sparse_top_k_categorical_accuracy": SparseTopKCategoricalAccuracy})
# Keras 3 metrics Propscope does not compute, so get() can say so instead of "unknown".
_NOT_IMPLEMENTED = ("CosineSimilarity", "R2Score", "F1Score", "FBetaScore", "IoU", "BinaryIoU", "MeanIoU",
                    "OneHotIoU", "OneHotMeanIoU", "PrecisionAtRecall", "RecallAtPrecision",
                    "SensitivityAtSpecificity", "SpecificityAtSensitivity", "PearsonCorrelation",
                    "ConcordanceCorrelation", "cosine_similarity", "r2_score", "f1_score")


def _backend_fn(loss_fn):
    """A metric function (``keras.metrics.mean_squared_error``) that also runs on the backend."""
    loss = loss_fn.loss_class()

    def fn(y_true, y_pred):
        return loss_fn(y_true, y_pred)

    def backend_values(ops, y_true, y_pred):
        try:
            y = loss.prepare_targets(ops, y_true, tuple(y_pred.shape))
        except _losses.LossShapeError:
            if y_true.ndim != y_pred.ndim:  # Keras fails here too (it cannot broadcast (N,) against (N, k))
                raise
            y = y_true
        return loss.per_sample(ops, y, y_pred)

    fn.__name__ = loss_fn.__name__
    fn.backend_values = backend_values
    fn.loss_class = loss_fn.loss_class
    return fn


mean_squared_error = mse = _backend_fn(_losses.mean_squared_error)
mean_absolute_error = mae = _backend_fn(_losses.mean_absolute_error)
mean_absolute_percentage_error = mape = _backend_fn(_losses.mean_absolute_percentage_error)
mean_squared_logarithmic_error = msle = _backend_fn(_losses.mean_squared_logarithmic_error)
binary_crossentropy = _backend_fn(_losses.binary_crossentropy)
categorical_crossentropy = _backend_fn(_losses.categorical_crossentropy)
sparse_categorical_crossentropy = _backend_fn(_losses.sparse_categorical_crossentropy)
kl_divergence = _backend_fn(_losses.kl_divergence)
poisson = _backend_fn(_losses.poisson)
hinge = _backend_fn(_losses.hinge)
squared_hinge = _backend_fn(_losses.squared_hinge)
categorical_hinge = _backend_fn(_losses.categorical_hinge)
log_cosh = _backend_fn(_losses.log_cosh)
huber = _backend_fn(_losses.huber)


def _accuracy_fn(cls, name):
    metric = cls(name=name)

    def fn(y_true, y_pred):
        import numpy as np

        from core.backend.ops import NumpyOps
        ops = NumpyOps("float32")
        return metric.values(ops, ops.asarray(np.asarray(y_true)), ops.asarray(np.asarray(y_pred)))

    def backend_values(ops, y_true, y_pred):
        return metric.values(ops, y_true, y_pred)

    fn.__name__, fn.backend_values = name, backend_values
    return fn


binary_accuracy = _accuracy_fn(BinaryAccuracy, "binary_accuracy")
categorical_accuracy = _accuracy_fn(CategoricalAccuracy, "categorical_accuracy")
sparse_categorical_accuracy = _accuracy_fn(SparseCategoricalAccuracy, "sparse_categorical_accuracy")


def top_k_categorical_accuracy(y_true, y_pred, k: int = 5):
    """1 where the one-hot target is among the ``k`` highest outputs, per sample (Keras's function)."""
    return TopKCategoricalAccuracy(k=k).values(_NUMPY, np.asarray(y_true, "float32"), np.asarray(y_pred, "float32"))


def sparse_top_k_categorical_accuracy(y_true, y_pred, k: int = 5, from_sorted_ids: bool = False):
    """1 where the integer label is among the ``k`` highest outputs, per sample (Keras's function)."""
    return SparseTopKCategoricalAccuracy(k=k, from_sorted_ids=from_sorted_ids).values(
        _NUMPY, np.asarray(y_true, "float32"), np.asarray(y_pred, "float32"))


def get(identifier: Any) -> Metric:
    """Resolve a metric name, class, instance, serialized dict or function (``"accuracy"`` → categorical)."""
    return resolve(identifier, (1, 2), (1, 2))


def resolve(identifier: Any, y_true_shape: tuple[int, ...], y_pred_shape: tuple[int, ...]) -> Metric:
    """Build the metric Keras's ``compile`` would build for ``identifier`` and these shapes."""
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if isinstance(identifier, dict) and "class_name" in identifier:
        cls = _BY_NAME.get(identifier["class_name"])
        if cls is None:
            raise ValueError(f"Unknown metric class {identifier['class_name']!r}.")
        return cls.from_config(identifier.get("config", {}))
    if isinstance(identifier, str):
        if identifier.lower() in ("accuracy", "acc"):
            if y_pred_shape[-1] == 1:
                return BinaryAccuracy(name=identifier)
            if len(y_true_shape) < len(y_pred_shape) or (y_true_shape[-1] == 1 and y_pred_shape[-1] > 1):
                return SparseCategoricalAccuracy(name=identifier)
            return CategoricalAccuracy(name=identifier)
        cls = _BY_NAME.get(identifier) or _BY_NAME.get(identifier.lower())
        if cls is not None:
            return cls(name=identifier)
        if identifier in _NOT_IMPLEMENTED:
            raise NotImplementedError(f"Metric {identifier!r} is a Keras 3 metric that Propscope does not compute.")
        raise ValueError(f"Could not interpret metric identifier: {identifier}. Known: accuracy, "
                         f"{', '.join(sorted(k for k in _BY_NAME if k.islower()))}.")
    if callable(identifier):
        return MeanMetricWrapper(identifier, name=getattr(identifier, "__name__", "metric"))
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")


def serialize(metric: Metric) -> dict[str, Any]:
    return {"module": "keras.metrics", "class_name": type(metric).__name__, "config": metric.get_config(),
            "registered_name": None}


def deserialize(config: dict[str, Any]) -> Metric:
    return resolve(config, (1, 2), (1, 2))


__all__ = [cls.__name__ for cls in _CLASSES] + [
    "MeanMetric", "MeanMetricWrapper", "Metric", "add_stats", "deserialize", "get", "resolve", "serialize",
    "to_host"]


def __getattr__(name: str):
    """Keras names Propscope refuses raise with the reason (see core.unsupported)."""
    from core.unsupported import missing

    return missing("metrics", name)
