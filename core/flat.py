"""All of a model's parameters, and their gradients, as views into two flat buffers.

Why: an optimizer step is a dozen elementwise array operations per parameter
array. With a two-layer net (W₁, b₁, W₂, b₂) that is 48 NumPy calls a step,
most of them on tiny arrays where the call costs more than the arithmetic.
When every parameter is a view into one buffer, and the backward pass writes
its gradients into views of a second buffer laid out the same way, the
optimizer can run once over the whole buffer (see
:meth:`core.optimizers.base.Optimizer.apply_flat`): 12 calls instead of 48,
and the same IEEE operations on every number, so the weights are
bit-identical.

The layers keep working with ordinary arrays: ``layer.params[j]`` *is* the
view. If anything rebinds a layer's parameters to new arrays (a backend
change, say), :meth:`FlatParameters.ensure_bound` notices and copies the
values back into the buffer before the next update.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from core.backend.ops import Ops


class FlatParameters:
    """Buffers for the trainable parameters of ``layers`` and their gradients,
    in ``engine.trainable_parameters()`` order.

    Parameters
    ----------
    layers : sequence of Layer
        The computing layers; frozen weights (and layers without weights) are
        skipped: they keep their own arrays and are never updated.
    ops : Ops
        The backend the buffers live on (NumPy array or torch tensor).

    Attributes
    ----------
    params, grads : array
        The flat buffers (1-D, model dtype).
    grad_views : list of list of array
        ``grad_views[i]`` are the gradient views for layer ``i`` (``[]`` for a
        layer without parameters); the backward pass writes into them.
    """

    def __init__(self, layers: Sequence[Any], ops: Ops) -> None:
        self.layers = list(layers)
        self.ops = ops
        self._indices = [layer.trainable_indices for layer in self.layers]
        self._shapes = self._current_shapes()
        size = sum(math.prod(shape) for shapes in self._shapes for shape in shapes)
        self.params = ops.flat_zeros(size)
        self.grads = ops.flat_zeros(size)
        self._param_views = self._views(self.params)
        self.grad_views = self._views(self.grads)
        self._bind()

    def _current_shapes(self) -> list[list[tuple[int, ...]]]:
        return [[tuple(int(d) for d in layer.params[j].shape) for j in idx]
                for layer, idx in zip(self.layers, self._indices)]

    @staticmethod
    def supported(layers: Sequence[Any], ops: Ops) -> bool:
        """Flat buffers need trainable parameters of one dtype and a backend that can make views."""
        params = [layer.params[j] for layer in layers for j in layer.trainable_indices]
        return bool(params) and hasattr(ops, "flat_view") and len({str(p.dtype) for p in params}) == 1

    def _views(self, flat: Any) -> list[list[Any]]:
        out, offset = [], 0
        for shapes in self._shapes:
            views = []
            for shape in shapes:
                views.append(self.ops.flat_view(flat, offset, shape))
                offset += math.prod(shape)
            out.append(views)
        return out

    def _bind(self) -> None:
        """Copy each layer's current values into the buffer and make the layer use the views."""
        for layer, idx, views in zip(self.layers, self._indices, self._param_views):
            for j, view in zip(idx, views):
                if layer.params[j] is not view:
                    self.ops.assign(view, self.ops.asarray(layer.params[j]))
                    layer.params[j] = view

    def bound(self) -> bool:
        """True while every layer still uses the views (nothing rebound them)."""
        return all(layer.params[j] is view for layer, idx, views in zip(self.layers, self._indices, self._param_views)
                   for j, view in zip(idx, views))

    def ensure_bound(self) -> bool:
        """Re-attach layers whose parameters were replaced; False when shapes changed."""
        if self.bound():
            return True
        shapes = self._current_shapes()
        kinds = {type(layer.params[j]) for layer, idx in zip(self.layers, self._indices) for j in idx}
        if shapes != self._shapes or kinds != {type(self.params)}:
            return False  # other shapes, or moved to another backend: the per-array path still works
        self._bind()
        return True

    def holds(self, grads: Sequence[Any]) -> bool:
        """True when ``grads`` (flattened over layers) are exactly the gradient views."""
        views = [g for layer_views in self.grad_views for g in layer_views]
        return len(views) == len(grads) and all(g is v for g, v in zip(grads, views))
