"""Confusion-matrix metrics: ``Precision``, ``Recall``, ``AUC`` and the four counts.

As in Keras, every output element is one prediction: it is positive where it
is greater than the threshold, and the label is positive where it is non-zero.
Statistics are per-threshold counts (weighted by ``sample_weight``), computed
in NumPy — these metrics read their batch on the host.
"""

from __future__ import annotations

import numpy as np

from core.backend.config import epsilon
from core.metrics.base import Metric

_NEG_INF = -1e10


def _thresholds(thresholds, default: float) -> np.ndarray:
    if thresholds is None:
        return np.array([default])
    values = np.atleast_1d(np.asarray(thresholds, dtype=np.float64))
    if np.any((values < 0) | (values > 1)) and default != _NEG_INF:
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {thresholds}")
    return values


def confusion_counts(ops, y_true, y_pred, thresholds: np.ndarray, sample_weight=None, top_k=None, class_id=None):
    """(tp, fp, tn, fn), each of shape ``(len(thresholds),)``."""
    t = ops.to_numpy(y_true).astype(np.float64)
    p = ops.to_numpy(y_pred).astype(np.float32)
    if t.ndim == p.ndim - 1:
        t = t[..., None]
    elif p.ndim == t.ndim - 1:
        p = p[..., None]
    w = None if sample_weight is None else np.broadcast_to(
        ops.to_numpy(sample_weight).astype(np.float64).reshape((-1,) + (1,) * (p.ndim - 1)), p.shape)
    if top_k is not None:
        keep = np.zeros_like(p, dtype=bool)
        np.put_along_axis(keep, np.argsort(-p, axis=-1, kind="stable")[..., :top_k], True, axis=-1)
        p = np.where(keep, p, np.float32(_NEG_INF))
    if class_id is not None:
        t, p = t[..., class_id], p[..., class_id]
        w = None if w is None else w[..., class_id]
    if t.shape != p.shape:
        raise ValueError(f"Confusion-matrix metrics need targets shaped like the outputs {p.shape} (one-hot for "
                         f"several classes), got {t.shape}.")
    label = (t != 0).reshape(1, -1)
    positive = p.reshape(1, -1) > thresholds.astype(np.float32).reshape(-1, 1)
    weight = np.ones(label.shape) if w is None else w.reshape(1, -1)
    return tuple(np.sum(weight * (lab & pred), axis=1) for lab, pred in (
        (label, positive), (~label, positive), (~label, ~positive), (label, ~positive)))


class _Counts(Metric):
    _which = 0

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name, dtype)
        self.init_thresholds = thresholds
        self.thresholds = _thresholds(thresholds, 0.5)

    def batch_stats(self, ops, y_true, y_pred, sample_weight=None):
        return (confusion_counts(ops, y_true, y_pred, self.thresholds, sample_weight)[self._which],)

    def result_from(self, stats):
        counts = np.asarray(stats[0], dtype=np.float32)
        return counts[0] if len(counts) == 1 else counts

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_Counts):
    """Keras ``TruePositives(thresholds=None)``."""

    _which = 0


class FalsePositives(_Counts):
    """Keras ``FalsePositives(thresholds=None)``."""

    _which = 1


class TrueNegatives(_Counts):
    """Keras ``TrueNegatives(thresholds=None)``."""

    _which = 2


class FalseNegatives(_Counts):
    """Keras ``FalseNegatives(thresholds=None)``."""

    _which = 3


def _divide_no_nan(a, b):
    a, b = np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b == 0, np.float32(0), a / np.where(b == 0, np.float32(1), b)).astype(np.float32)


class Precision(Metric):
    """Keras ``Precision(thresholds=None, top_k=None, class_id=None)``: TP / (TP + FP)."""

    _direction = "up"
    _pair = 1  # false positives

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name, dtype)
        self.init_thresholds, self.top_k, self.class_id = thresholds, top_k, class_id
        self.thresholds = _thresholds(thresholds, 0.5 if top_k is None else _NEG_INF)

    def batch_stats(self, ops, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(ops, y_true, y_pred, self.thresholds, sample_weight, self.top_k, self.class_id)
        return counts[0], counts[self._pair]

    def result_from(self, stats):
        tp, other = stats
        value = _divide_no_nan(tp, np.asarray(tp, dtype=np.float32) + np.asarray(other, dtype=np.float32))
        return value[0] if len(value) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


class Recall(Precision):
    """Keras ``Recall(thresholds=None, top_k=None, class_id=None)``: TP / (TP + FN)."""

    _pair = 3  # false negatives


class AUC(Metric):
    """Keras ``AUC(num_thresholds=200, curve="ROC", summation_method="interpolation")``.

    The area under the ROC (or PR) curve from counts at ``num_thresholds``
    evenly spaced thresholds, summed as Keras sums it (``"interpolation"``
    averages neighbouring heights; for PR it is Davis & Goadrich's
    interpolation); ``"minoring"``/``"majoring"`` take the lower/upper height.
    """

    _direction = "up"

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None, dtype=None,
                 thresholds=None, multi_label=False, num_labels=None, label_weights=None, from_logits=False):
        if multi_label or num_labels is not None or label_weights is not None:
            raise NotImplementedError("AUC(multi_label=True, num_labels=, label_weights=) is not supported: "
                                      "Propscope computes one curve over all outputs.")
        super().__init__(name, dtype)
        self.curve, self.summation_method = str(curve).upper(), str(summation_method).lower()
        if self.curve not in ("ROC", "PR"):
            raise ValueError(f'Invalid `curve` argument value "{curve}". Expected one of: ROC, PR')
        if self.summation_method not in ("interpolation", "minoring", "majoring"):
            raise ValueError(f"Invalid `summation_method` {summation_method!r}.")
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            self.num_thresholds = len(inner) + 2
        else:
            if num_thresholds <= 1:
                raise ValueError(f"Argument `num_thresholds` must be an integer > 1. Received: {num_thresholds}")
            self.num_thresholds = int(num_thresholds)
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        self._thresholds = np.array([0.0 - epsilon()] + inner + [1.0 + epsilon()])
        self.multi_label, self.num_labels, self.label_weights = False, None, None
        self._from_logits = bool(from_logits)

    @property
    def thresholds(self) -> list[float]:
        return list(self._thresholds)

    def batch_stats(self, ops, y_true, y_pred, sample_weight=None):
        if self._from_logits:
            y_pred = ops.sigmoid(y_pred)
        return confusion_counts(ops, y_true, y_pred, self._thresholds, sample_weight)

    def result_from(self, stats):
        tp, fp, tn, fn = (np.asarray(s, dtype=np.float32) for s in stats)
        n = self.num_thresholds
        if self.curve == "PR" and self.summation_method == "interpolation":
            dtp = tp[:n - 1] - tp[1:]
            p = tp + fp
            dp = p[:n - 1] - p[1:]
            slope = _divide_no_nan(dtp, np.maximum(dp, 0))
            intercept = tp[1:] - slope * p[1:]
            ratio = np.where((p[:n - 1] > 0) & (p[1:] > 0), _divide_no_nan(p[:n - 1], np.maximum(p[1:], 0)), 1)
            with np.errstate(divide="ignore"):
                log_ratio = np.log(ratio.astype(np.float32))
            return np.float32(np.sum(_divide_no_nan(slope * (dtp + intercept * log_ratio),
                                                    np.maximum(tp[1:] + fn[1:], 0))))
        recall = _divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, _divide_no_nan(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:n - 1] + y[1:]) / np.float32(2.0)
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:n - 1], y[1:])
        else:
            heights = np.maximum(y[:n - 1], y[1:])
        return np.float32(np.sum((x[:n - 1] - x[1:]) * heights))

    def get_config(self):
        config = {**super().get_config(), "num_thresholds": self.num_thresholds, "curve": self.curve,
                  "summation_method": self.summation_method, "multi_label": False, "num_labels": None,
                  "label_weights": None, "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
