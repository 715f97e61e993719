"""An independent copy of a compiled model as it is now: architecture, weights, compile settings, optimizer state.

The window keeps one of a model opened from a file or handed over from
Python, untouched by training, so that changing the batch size or the seed
starts a new session from exactly what was opened — never from a model a
running session is still changing. The architecture goes through
``to_json`` and the same checked reader as a file (nothing but core's own
classes can come out of it).
"""

from __future__ import annotations

from core import losses, metrics, optimizers
from core.model_loading.weights import DERIVED


def _fresh(identifier):
    """A new object for a loss or metric given as an object (they keep state); names stay as they are."""
    if isinstance(identifier, losses.Loss):
        return losses.get(losses.serialize(identifier))
    if isinstance(identifier, metrics.Metric):
        return metrics.deserialize(metrics.serialize(identifier))
    return identifier


def copy_model(model):
    """A compiled copy of ``model`` with its weights and its optimizer's state (iterations, moments)."""
    from core.models import model_from_json

    clone = model_from_json(model.to_json())
    clone.set_weights(model.get_weights())
    for mine, theirs in zip(clone.layers, model.layers):
        mine.trainable = theirs.trainable
    if not model.compiled:
        return clone
    ops = model.ops
    clone.compile(optimizer=optimizers.deserialize(optimizers.serialize(model.optimizer)),
                  loss=_fresh(model.loss_identifier),
                  metrics=[_fresh(m) for m in model.metric_identifiers] or None,
                  weighted_metrics=[_fresh(m) for m in model.weighted_metric_identifiers] or None,
                  loss_weights=None if model.loss_weight is None else [model.loss_weight],
                  backend=ops.name, device=getattr(ops, "device", None), dtype=ops.dtype)
    if model.optimizer.built:
        clone.optimizer.build(clone.trainable_variables)
        for mine, theirs in zip(clone.optimizer.variables, model.optimizer.variables):
            if mine.name not in DERIVED:
                mine.assign(theirs.numpy())
    return clone
