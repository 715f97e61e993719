"""Immutable snapshots of what one training step computed.

Views only ever receive these: every array is a private, read-only NumPy copy,
so a view can keep a snapshot as long as it likes while training goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


def frozen(array: Any) -> np.ndarray | None:
    """A read-only copy (the owner can never change it, nor can the reader)."""
    if array is None:
        return None
    out = np.array(array, copy=True)
    out.flags.writeable = False
    return out


@dataclass(frozen=True)
class Divergence:
    """Where NaN or Inf first appeared.

    Attributes
    ----------
    step : int
        The update (1-based) whose batch produced it.
    phase : str
        ``"forward"``, ``"loss"``, ``"backward"`` or ``"update"``.
    layer : str or None
        The layer's name (None for the loss).
    quantity : str
        What became non-finite: ``"z"``, ``"a"``, ``"loss"``, ``"δ"``, ``"∂L/∂W"``, ``"W"``...
    count : int
        How many values were non-finite.
    """

    step: int
    epoch: int
    batch: int
    phase: str
    layer: str | None
    quantity: str
    count: int

    def message(self) -> str:
        where = f"layer {self.layer!r}" if self.layer else "the loss"
        return (f"Training diverged at step {self.step} (epoch {self.epoch + 1}, batch {self.batch + 1}): "
                f"{self.count} non-finite value(s) in {self.quantity} of {where} during the {self.phase} phase. "
                "Everything before this step is kept; lower the learning rate or reset.")


@dataclass(frozen=True)
class LayerSnapshot:
    """One layer's values for the captured batch (None where not computed yet).

    ``W``/``b`` are a Dense layer's kernel and bias before the update,
    ``W_after``/``b_after`` after it, ``dW_applied``/``db_applied`` their
    difference (ΔW, Δb), and ``optimizer_state`` maps a slot name
    ("momentum", "velocity"...) to the state arrays of the layer's trainable
    weights in order ((W, b), or (γ, β)); at the update,
    ``optimizer_state_before`` holds them as they were before it (None when
    not captured).

    Every layer's weights by name are in ``params`` (before), ``params_after``
    and ``applied`` (the change, the moving statistics' too), and the
    gradients of its trainable ones in ``grads`` (``{"gamma": ∂L/∂γ, …}``).
    ``record`` is what the forward pass recorded: Dropout's ``mask`` (1 kept,
    0 dropped), ``scale`` = 1/(1 − rate) and ``multiplier``;
    BatchNormalization's batch ``mean``, ``variance``, ``inv_std`` and
    whether it used the batch's statistics (``batch_statistics``). For
    BatchNormalization ``z`` is x̂ and δ = ∂L/∂x̂. ``settings`` holds the
    layer's numbers a view explains (``rate``, ``momentum``, ``epsilon``,
    regularizers as text).

    Derived at capture (:mod:`core.stepper.derived`), so views compute
    nothing: ``stats`` (norms, moments, ‖ΔW‖/‖W‖, saturation), and the chain
    rule's terms — ``grad_a`` = ∂L/∂a of this layer's output, ``fprime`` =
    f′(z) (None for softmax), and per unit the input ``top_input[u]`` with
    the largest |∂L/∂w| and the terms ``top_terms[:, u]`` = a_prev·δ whose
    sum it is (plus ``top_penalty[u]``, a kernel penalty's gradient there,
    when the kernel has one); for Dropout and BatchNormalization ``regularization``
    (:class:`~core.stepper.derived.RegularizationStats`: the share dropped,
    the batch and moving statistics' averages) and, for BatchNormalization
    in training, ``terms``: the per-feature ``mean_delta`` and
    ``mean_delta_xhat`` of its ∂L/∂x.
    """

    index: int
    name: str
    kind: str
    activation: str
    units: int | None
    x: np.ndarray | None = None
    z: np.ndarray | None = None
    a: np.ndarray | None = None
    delta: np.ndarray | None = None
    dW: np.ndarray | None = None
    db: np.ndarray | None = None
    grad_input: np.ndarray | None = None
    W: np.ndarray | None = None
    b: np.ndarray | None = None
    W_after: np.ndarray | None = None
    b_after: np.ndarray | None = None
    dW_applied: np.ndarray | None = None
    db_applied: np.ndarray | None = None
    optimizer_state: dict[str, tuple[np.ndarray, ...]] = field(default_factory=dict)
    optimizer_state_before: dict[str, tuple[np.ndarray, ...]] | None = None
    stats: Any = None
    grad_a: np.ndarray | None = None
    fprime: np.ndarray | None = None
    top_input: np.ndarray | None = None
    top_terms: np.ndarray | None = None
    params: dict[str, np.ndarray] = field(default_factory=dict)
    params_after: dict[str, np.ndarray] = field(default_factory=dict)
    applied: dict[str, np.ndarray] = field(default_factory=dict)
    grads: dict[str, np.ndarray] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    regularization: Any = None
    terms: dict[str, np.ndarray] = field(default_factory=dict)
    top_penalty: np.ndarray | None = None

    def weight(self, name: str, after: bool = True) -> np.ndarray | None:
        """The weight ``name`` (``"gamma"``, ``"moving_mean"``…) after the update when known, else before."""
        if after and name in self.params_after:
            return self.params_after[name]
        return self.params.get(name)


@dataclass(frozen=True)
class Snapshot:
    """The state of a training session right after one phase.

    Attributes
    ----------
    step : int
        Completed updates so far (0 before the first).
    epoch, batch : int
        0-based epoch and batch within the epoch of the batch shown.
    phase : str
        ``"start"``, ``"forward"``, ``"loss"``, ``"backward"`` or ``"update"``.
    phase_layer : int or None
        The layer index of a forward/backward phase.
    phase_index, phases_per_batch : int
        Position of this phase in the batch (0-based) and the count.
    phases : tuple of (str, int or None)
        The batch's phases in order, ``(kind, layer index)`` (:mod:`core.stepper.phases`).
    loss_terms : core.stepper.loss_terms.LossTerms or None
        From the loss phase on: each sample's loss as its formula with the numbers.
    optimizer_config : dict
        The optimizer's numeric settings (β₁, momentum, ε…), for writing its update.
    update_learning_rate : float
        The learning rate the update of this batch used (schedules change it).
    loss, data_loss, penalties
        The batch's loss as Keras reports it (the total), the loss function's
        part, and each regularization term (``{"dense/kernel": 0.0123}``).
    decision : core.stepper.derived.DecisionSurface or None
        The model over the input plane, for 2-D inputs when the session's
        ``capture_options.decision_surface`` asks for it.
    """

    step: int
    epoch: int
    batch: int
    batches_per_epoch: int
    phase: str
    phase_layer: int | None
    phase_index: int
    phases_per_batch: int
    layers: tuple[LayerSnapshot, ...]
    sample_indices: np.ndarray | None = None
    x: np.ndarray | None = None
    y: np.ndarray | None = None
    output: np.ndarray | None = None
    loss: float | None = None
    data_loss: float | None = None
    penalties: dict[str, float] = field(default_factory=dict)
    per_sample_loss: np.ndarray | None = None
    grad_output: np.ndarray | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    learning_rate: float = 0.0
    optimizer: str = ""
    loss_name: str = ""
    epoch_logs: dict[str, float] = field(default_factory=dict)
    divergence: Divergence | None = None
    device: str = ""
    decision: Any = None
    phases: tuple[tuple[str, int | None], ...] = ()
    loss_terms: Any = None
    optimizer_config: dict[str, float] = field(default_factory=dict)
    update_learning_rate: float = 0.0

    @property
    def phase_label(self) -> str:
        """``"forward · dense_1"``, ``"loss"``, ``"update"``..."""
        if self.phase_layer is None:
            return self.phase
        return f"{self.phase} · {self.layers[self.phase_layer].name}"

    @property
    def weighted_layers(self) -> tuple[LayerSnapshot, ...]:
        """The layers with a kernel (the Dense layers), in order: what the views draw as columns."""
        return tuple(layer for layer in self.layers if layer.W is not None)

    @property
    def blocks(self) -> dict[str, tuple[LayerSnapshot, ...]]:
        """For each Dense layer's name, the layers after it up to the next Dense one (Dropout, BatchNormalization…):
        what acts on its units before the next layer sees them."""
        blocks: dict[str, list[LayerSnapshot]] = {}
        current = None
        for layer in self.layers:
            if layer.W is not None:
                current = layer.name
                blocks[current] = []
            elif current is not None:
                blocks[current].append(layer)
        return {name: tuple(after) for name, after in blocks.items()}

    def layer(self, name: str) -> LayerSnapshot:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(name)
