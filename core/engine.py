"""One training step, split into the phases a student steps through.

``fit`` and the stepper (``core.stepper``) both drive a :class:`StepEngine`
through the same :class:`~core.loop.EpochLoop`: ``forward_layer`` for each
layer in order, ``compute_loss``, ``backward_layer`` from the last layer to the
first, then ``apply_update``. :meth:`StepEngine.train_batch` runs them all;
the stepper runs them one at a time. Because there is only one code path,
stepping phase by phase is bit-identical to ``fit``.

Only trainable weights get gradients and updates: a frozen layer
(``trainable=False``) still passes ∂L/∂x back to the layers before it, and
the backward pass stops below the first layer that learns.

Training steps run the layers with ``training=True`` (Dropout drops,
BatchNormalization uses the batch's statistics), evaluation with ``False``.
Each layer gets a ``record`` dict per batch for what its forward pass
computes besides z and a (Dropout's mask, the batch mean and variance); the
update phase hands it back to ``update_state`` (the moving averages).

Regularization, as Keras computes it: the loss of a batch is the data loss
(times ``loss_weights``) plus each layer's activity penalty (of its output,
divided by the batch size) plus each trained weight's penalty; the backward
pass adds each penalty's gradient where it belongs — the activity penalty's
to ∂L/∂a of its layer, the weight penalty's to ∂L/∂W.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

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
    ``a[i]`` its activation, ``deltas[i]`` δ = ∂L/∂z, ``grads[i]`` the gradients
    of its trainable weights ([∂L/∂W, ∂L/∂b]; empty when frozen) and
    ``grad_inputs[i]`` ∂L/∂(input of layer i). ``sample_weight`` are the
    per-sample weights of the loss (None when unweighted). ``records[i]`` is
    what layer i's forward pass recorded (see :mod:`core.layers.base`);
    ``loss`` is the total, ``data_loss`` the loss function's part and
    ``penalties`` the regularization terms as ``(label, value)`` pairs
    (``"dense/kernel"``, ``"dense/activity"``), in the order Keras adds them.
    """

    x: Any
    y: Any
    y_metric: Any
    batch_size: int
    sample_weight: Any = None
    inputs: list[Any] = field(default_factory=list)
    z: list[Any] = field(default_factory=list)
    a: list[Any] = field(default_factory=list)
    loss: Any = None
    loss_value: float | None = None
    per_sample_loss: Any = None
    grad_output: Any = None
    deltas: list[Any] = field(default_factory=list)
    grads: list[list[Any]] = field(default_factory=list)
    grad_inputs: list[Any] = field(default_factory=list)
    sample_indices: Any = None
    records: list[dict] = field(default_factory=list)
    data_loss: Any = None
    penalties: list[tuple[str, Any]] = field(default_factory=list)
    training: bool = True

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
    weighted_metrics : sequence of Metric, optional
        Metrics that see the sample weights (Keras's ``weighted_metrics``).
    loss_weight : float, optional
        Keras's ``loss_weights`` for the single output: multiplies loss and gradient.
    flat : bool
        Bind the trainable weights to flat buffers for the optimizer (an
        engine that only evaluates leaves them where they are).
    trainable : bool
        False for a model frozen as a whole (``model.trainable = False``):
        nothing is updated, whatever its layers say, as in Keras.
    """

    def __init__(self, layers: Sequence[Layer], loss: Loss, optimizer: Optimizer, metrics: Sequence[Metric],
                 ops: Ops, weighted_metrics: Sequence[Metric] = (), loss_weight: float | None = None,
                 flat: bool = True, trainable: bool = True) -> None:
        self.layers = list(layers)
        self.loss = loss
        self.optimizer = optimizer
        self.metrics = list(metrics) + list(weighted_metrics)
        self._weighted = [False] * len(metrics) + [True] * len(weighted_metrics)
        self.ops = ops
        self.loss_weight = loss_weight
        self._trainable = [layer.trainable_indices if trainable else [] for layer in self.layers]
        # Nothing below the first layer that learns needs a gradient: skip that work.
        self._first_param_layer = next((i for i, t in enumerate(self._trainable) if t), len(self.layers))
        # Trainable parameters and gradients as views of two flat buffers: one
        # optimizer call per step instead of one per array (bit-identical; see core.flat).
        self.flat = FlatParameters(self.layers, ops) if flat and trainable and FlatParameters.supported(
            self.layers, ops) else None
        self._keys = [layer.weights[j].path for layer, idx in zip(self.layers, self._trainable) for j in idx]
        # Regularization, fixed for the engine's life like the trainable weights: activity penalties of
        # (layer, regularizer), weight penalties of (layer, position among its gradients, param index, regularizer).
        self._activity = [(i, layer.activity_regularizer) for i, layer in enumerate(self.layers)
                          if layer.activity_regularizer is not None]
        self._weight_penalties = [(i, self._trainable[i].index(j), j, reg) for i, layer in enumerate(self.layers)
                                  for j, reg in layer.weight_penalties() if j in self._trainable[i]]
        self._stateful = [i for i, layer in enumerate(self.layers) if layer.updates_state]

    # --- phases ---------------------------------------------------------
    def begin(self, x: Any, y: Any, y_metric: Any, sample_weight: Any = None) -> BatchTrace:
        n = len(self.layers)
        trace = BatchTrace(x=x, y=y, y_metric=y_metric, batch_size=int(x.shape[0]), sample_weight=sample_weight)
        trace.inputs = [None] * n
        trace.z = [None] * n
        trace.a = [None] * n
        trace.deltas = [None] * n
        trace.grads = [None] * n
        trace.grad_inputs = [None] * n
        trace.records = [{} for _ in range(n)]
        return trace

    def forward_layer(self, trace: BatchTrace, i: int, training: bool = True) -> None:
        x = trace.x if i == 0 else trace.a[i - 1]
        trace.inputs[i] = x
        trace.training = training
        trace.z[i], trace.a[i] = self.layers[i].forward(self.ops, x, training=training, record=trace.records[i])

    def compute_loss(self, trace: BatchTrace, with_gradient: bool = True) -> None:
        ops, out, sw = self.ops, trace.a[-1], trace.sample_weight
        trace.per_sample_loss = self.loss.per_sample(ops, trace.y, out)
        trace.loss = self.loss.reduce(ops, trace.per_sample_loss, sw)
        if with_gradient:
            trace.grad_output = self.loss.gradient(ops, trace.y, out, sw)
        if self.loss_weight is not None:
            trace.loss = trace.loss * self.loss_weight
            if with_gradient:
                trace.grad_output = trace.grad_output * self.loss_weight
        trace.data_loss = trace.loss
        trace.penalties = self.penalty_terms(trace)
        for _, value in trace.penalties:
            trace.loss = trace.loss + value

    def penalty_terms(self, trace: BatchTrace) -> list[tuple[str, Any]]:
        """The regularization terms of the loss, in Keras's order: activity penalties (of each layer's
        output, divided by the batch size) layer by layer, then the trained weights' penalties."""
        if not self._activity and not self._weight_penalties:
            return []
        ops, terms = self.ops, []
        for i, reg in self._activity:
            terms.append((f"{self.layers[i].name}/activity",
                          reg.penalty(ops, trace.a[i]) / ops.scalar(max(trace.batch_size, 1))))
        for i, _, j, reg in self._weight_penalties:
            layer = self.layers[i]
            terms.append((f"{layer.name}/{layer.param_names[j]}", reg.penalty(ops, layer.params[j])))
        return terms

    def backward_layer(self, trace: BatchTrace, i: int) -> None:
        if i < self._first_param_layer:
            # Nothing to learn below the first trainable layer (e.g. Flatten): no gradient flows there.
            trace.deltas[i], trace.grads[i], trace.grad_inputs[i] = None, [], None
            return
        grad_a = trace.grad_output if i == len(self.layers) - 1 else trace.grad_inputs[i + 1]
        layer, ops = self.layers[i], self.ops
        if layer.activity_regularizer is not None:  # ∂(penalty(a)/N)/∂a joins the gradient from above
            grad_a = grad_a + layer.activity_regularizer.gradient(ops, trace.a[i]) / ops.scalar(
                max(trace.batch_size, 1))
        need_x = i > self._first_param_layer
        learns = bool(self._trainable[i])
        out = self.flat.grad_views[i] if self.flat is not None and learns else None
        trace.deltas[i], trace.grads[i], trace.grad_inputs[i] = layer.backward(
            ops, trace.inputs[i], trace.z[i], trace.a[i], grad_a, need_x, out, learns, record=trace.records[i]
        )
        for li, k, j, reg in self._weight_penalties:
            if li == i and trace.grads[i]:  # the penalty's gradient joins ∂L/∂W (in the flat buffer when bound)
                grad = trace.grads[i][k]
                if out is not None and grad is out[k]:
                    ops.add_(grad, reg.gradient(ops, layer.params[j]))
                else:
                    trace.grads[i][k] = grad + reg.gradient(ops, layer.params[j])

    @property
    def first_trainable_layer(self) -> int:
        """The index of the first layer whose weights learn (``len(layers)`` when none does): no
        gradient flows below it."""
        return self._first_param_layer

    @property
    def trainable_indices(self) -> list[list[int]]:
        """Per layer, the positions in ``layer.params`` the optimizer updates (its slots follow this order)."""
        return [list(idx) for idx in self._trainable]

    def parameters(self) -> list[Any]:
        """Every weight of every layer, in Keras order (trainable or not: what a checkpoint keeps)."""
        return [p for layer in self.layers for p in layer.params]

    def trainable_parameters(self) -> list[Any]:
        """The weights the optimizer updates, in the order of :meth:`parameter_gradients`."""
        return [layer.params[j] for layer, idx in zip(self.layers, self._trainable) for j in idx]

    def parameter_keys(self) -> list[str]:
        """Paths of :meth:`trainable_parameters` (the optimizer keys its state by them)."""
        return list(self._keys)

    def parameter_gradients(self, trace: BatchTrace) -> list[Any]:
        return [g for layer_grads in trace.grads for g in (layer_grads or [])]

    def apply_update(self, trace: BatchTrace) -> None:
        grads, params, flat = self.parameter_gradients(trace), self.trainable_parameters(), self.flat
        self.update_states(trace)
        if not params:
            warnings.warn("The model does not have any trainable weights.", stacklevel=2)
            return
        keys = self._keys
        if flat is not None and flat.holds(grads) and flat.ensure_bound():
            self.optimizer.apply_flat(flat.grads, flat.params, grads, self.trainable_parameters(), self.ops, keys)
        else:
            self.optimizer.apply(grads, params, self.ops, keys)

    def update_states(self, trace: BatchTrace) -> None:
        """The layers' own state updates of the update phase (BatchNormalization's moving averages)."""
        for i in self._stateful:
            self.layers[i].update_state(self.ops, trace.records[i])

    # --- random streams (checkpoints keep them) ----------------------------
    def noise_streams(self) -> list:
        """Every layer's :class:`core.random.NoiseStream` (Dropout's), in layer order."""
        return [stream for layer in self.layers for stream in layer.noise_streams()]

    def noise_state(self) -> tuple[tuple[int, int], ...]:
        """``(seed, draws)`` of every noise stream: with the weights, what makes a replay exact."""
        return tuple(stream.get_state() for stream in self.noise_streams())

    def set_noise_state(self, state) -> None:
        streams = self.noise_streams()
        if len(state) != len(streams):
            raise ValueError(f"{len(state)} noise states for {len(streams)} dropout layers.")
        for stream, value in zip(streams, state):
            stream.set_state(value)

    # --- whole steps ---------------------------------------------------
    def forward(self, x: Any) -> Any:
        return forward_all(self.layers, self.ops, x)[0]

    def forward_backward(self, trace: BatchTrace, stop_if_nonfinite: bool = False) -> bool:
        """Every phase of ``trace`` but the update (the gradient check stops here); with
        ``stop_if_nonfinite``, stop after a NaN/Inf loss and return False."""
        for i in range(len(self.layers)):
            self.forward_layer(trace, i)
        self.compute_loss(trace)
        if stop_if_nonfinite:
            trace.loss_value = self.ops.item(trace.loss)  # the one host sync of a batch's loss
            if not np.isfinite(trace.loss_value):
                return False
        for i in reversed(range(len(self.layers))):
            self.backward_layer(trace, i)
        return True

    def train_batch(self, trace: BatchTrace, stop_if_nonfinite: bool = False) -> bool:
        """One whole training step: every phase of ``trace``, then the update (none after a
        NaN/Inf loss when ``stop_if_nonfinite``, which returns False)."""
        if not self.forward_backward(trace, stop_if_nonfinite):
            return False
        self.apply_update(trace)
        return True

    def test_batch(self, trace: BatchTrace) -> None:
        """Forward pass in inference mode and loss of ``trace`` (evaluate: no gradient, no update)."""
        for i in range(len(self.layers)):
            self.forward_layer(trace, i, training=False)
        self.compute_loss(trace, with_gradient=False)

    def metric_stats(self, trace: BatchTrace) -> list[tuple]:
        """Each metric's additive statistics for the batch (backend values, no host sync for means)."""
        return [m.batch_stats(self.ops, trace.y_metric, trace.output, trace.sample_weight if weighted else None)
                for m, weighted in zip(self.metrics, self._weighted)]


def forward_all(layers: Sequence[Layer], ops: Ops, x: Any, outputs: Sequence[int] | None = None,
                training: bool = False) -> list[Any]:
    """The activations of the layers at positions ``outputs`` (default: the last) for inputs ``x``.

    The one whole-network forward pass outside a training step (predict, the
    gradient check); it runs each layer's ``forward``, as the phases do, in
    inference mode unless ``training`` (then it also moves BatchNormalization's
    moving averages, as calling a Keras model with ``training=True`` does).
    """
    wanted = [len(layers) - 1] if outputs is None else list(outputs)
    found: dict[int, Any] = {}
    for i, layer in enumerate(layers[:max(wanted) + 1] if wanted else layers):
        record: dict = {}
        x = layer.forward(ops, x, training=training, record=record)[1]
        if training and layer.updates_state:
            layer.update_state(ops, record)
        found[i] = x
    return [found[i] if i >= 0 else x for i in wanted]


def as_ops_targets(ops: Ops, loss: Loss, y: Any, out_shape: tuple) -> tuple[Any, Any]:
    """Targets for the loss and raw targets for the metrics, on the backend."""
    y_np = np.asarray(y)
    y_loss = loss.prepare_targets(ops, y_np, (y_np.shape[0],) + tuple(out_shape[1:]))
    return y_loss, ops.asarray(y_np.astype(np.float64, copy=False))
