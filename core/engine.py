"""One training step, split into the phases a student steps through.

``fit`` and the stepper (``core.stepper``) both drive a :class:`StepEngine`:
``forward_layer`` for each layer in order, ``compute_loss``, ``backward_layer``
from the last layer to the first, then ``apply_update``. Because there is only
one code path, stepping phase by phase is bit-identical to ``fit``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from core.backend.ops import Ops
from core.flat import FlatParameters
from core.layers import Layer
from core.losses import Loss
from core.metrics import Metric
from core.optimizers.base import Optimizer


@dataclass
class BatchTrace:
    """Everything one batch computes, as live backend arrays (not copies).

    Index ``i`` refers to the model's i-th computing layer. ``inputs[i]`` is the
    layer's input (``inputs[0]`` is the batch), ``z[i]`` its pre-activation,
    ``a[i]`` its activation, ``deltas[i]`` δ = ∂L/∂z, ``grads[i]`` the list
    [∂L/∂W, ∂L/∂b] and ``grad_inputs[i]`` ∂L/∂(input of layer i).
    """

    x: Any
    y: Any
    y_metric: Any
    batch_size: int
    inputs: list[Any] = field(default_factory=list)
    z: list[Any] = field(default_factory=list)
    a: list[Any] = field(default_factory=list)
    loss: Any = None
    per_sample_loss: Any = None
    grad_output: Any = None
    deltas: list[Any] = field(default_factory=list)
    grads: list[list[Any]] = field(default_factory=list)
    grad_inputs: list[Any] = field(default_factory=list)
    sample_indices: Any = None

    @property
    def output(self) -> Any:
        return self.a[-1] if self.a else None


class StepEngine:
    """Runs the phases of one training step on a compiled model's layers.

    Parameters
    ----------
    layers : sequence of Layer
        The computing layers, in order (no InputLayer).
    loss : Loss
    optimizer : Optimizer
    metrics : sequence of Metric
    ops : Ops
    """

    def __init__(self, layers: Sequence[Layer], loss: Loss, optimizer: Optimizer,
                 metrics: Sequence[Metric], ops: Ops) -> None:
        self.layers = list(layers)
        self.loss = loss
        self.optimizer = optimizer
        self.metrics = list(metrics)
        self.ops = ops
        # The first layer's ∂L/∂x is never needed: skip that matmul.
        self._first_param_layer = next((i for i, lay in enumerate(self.layers) if lay.params), len(self.layers))
        # Parameters and gradients as views of two flat buffers: one optimizer
        # call per step instead of one per array (bit-identical; see core.flat).
        self.flat = FlatParameters(self.layers, ops) if FlatParameters.supported(self.layers, ops) else None

    # --- phases ---------------------------------------------------------
    def begin(self, x: Any, y: Any, y_metric: Any) -> BatchTrace:
        n = len(self.layers)
        trace = BatchTrace(x=x, y=y, y_metric=y_metric, batch_size=int(x.shape[0]))
        trace.inputs = [None] * n
        trace.z = [None] * n
        trace.a = [None] * n
        trace.deltas = [None] * n
        trace.grads = [None] * n
        trace.grad_inputs = [None] * n
        return trace

    def forward_layer(self, trace: BatchTrace, i: int) -> None:
        x = trace.x if i == 0 else trace.a[i - 1]
        trace.inputs[i] = x
        trace.z[i], trace.a[i] = self.layers[i].forward(self.ops, x)

    def compute_loss(self, trace: BatchTrace) -> None:
        ops, out = self.ops, trace.a[-1]
        trace.per_sample_loss = self.loss.per_sample(ops, trace.y, out)
        trace.loss = self.loss.reduce(ops, trace.per_sample_loss)
        trace.grad_output = self.loss.gradient(ops, trace.y, out)

    def backward_layer(self, trace: BatchTrace, i: int) -> None:
        if i < self._first_param_layer:
            # Nothing to learn below the first weighted layer (e.g. Flatten): no gradient flows there.
            trace.deltas[i], trace.grads[i], trace.grad_inputs[i] = None, [], None
            return
        grad_a = trace.grad_output if i == len(self.layers) - 1 else trace.grad_inputs[i + 1]
        need_x = i > self._first_param_layer
        out = self.flat.grad_views[i] if self.flat is not None else None
        trace.deltas[i], trace.grads[i], trace.grad_inputs[i] = self.layers[i].backward(
            self.ops, trace.inputs[i], trace.z[i], trace.a[i], grad_a, need_x, out
        )

    def parameter_gradients(self, trace: BatchTrace) -> list[Any]:
        return [g for layer_grads in trace.grads for g in (layer_grads or [])]

    def parameters(self) -> list[Any]:
        return [p for layer in self.layers for p in layer.params]

    def apply_update(self, trace: BatchTrace) -> None:
        grads, params, flat = self.parameter_gradients(trace), self.parameters(), self.flat
        if flat is not None and flat.holds(grads) and flat.ensure_bound():
            self.optimizer.apply_flat(flat.grads, flat.params, grads, self.parameters(), self.ops)
        else:
            self.optimizer.apply(grads, params, self.ops)

    # --- whole steps ---------------------------------------------------
    def forward(self, x: Any) -> Any:
        for layer in self.layers:
            x = layer.forward(self.ops, x)[1]
        return x

    def train_batch(self, x: Any, y: Any, y_metric: Any) -> BatchTrace:
        trace = self.begin(x, y, y_metric)
        for i in range(len(self.layers)):
            self.forward_layer(trace, i)
        self.compute_loss(trace)
        for i in reversed(range(len(self.layers))):
            self.backward_layer(trace, i)
        self.apply_update(trace)
        return trace

    def metric_sums(self, y_metric: Any, y_pred: Any) -> list[Any]:
        """Per-metric batch sums as backend scalars (no host sync)."""
        return [self.ops.sum(m.per_sample(self.ops, y_metric, y_pred)) for m in self.metrics]


def phase_names(layers: Sequence[Layer]) -> list[tuple[str, int | None]]:
    """The phases of one batch: ``("forward", i)``…, ``("loss", None)``,
    ``("backward", i)`` from last to first, ``("update", None)``."""
    n = len(layers)
    return ([("forward", i) for i in range(n)] + [("loss", None)]
            + [("backward", i) for i in reversed(range(n))] + [("update", None)])


def as_ops_targets(ops: Ops, loss: Loss, y: Any, out_shape: tuple) -> tuple[Any, Any]:
    """Targets for the loss and raw targets for the metrics, on the backend."""
    import numpy as np

    y_np = np.asarray(y)
    y_loss = loss.prepare_targets(ops, y_np, (y_np.shape[0],) + tuple(out_shape[1:]))
    return y_loss, ops.asarray(y_np.astype(np.float64, copy=False))
