"""Building snapshots and history records from a live batch trace, and scanning for NaN/Inf."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from core.engine import BatchTrace, StepEngine
from core.layers import BatchNormalization, Dense
from core.stepper import derived, stats
from core.stepper.loss_terms import loss_terms
from core.stepper.history import TrainingHistory
from core.stepper.snapshot import Divergence, LayerSnapshot, Snapshot, frozen


@dataclass
class CaptureOptions:
    """What a session's snapshots carry beyond the batch's own arrays (changed from any thread).

    Attributes
    ----------
    decision_surface : bool
        The model's output over the 2-D input plane (a forward pass of
        GRID² points per snapshot): only while someone looks at it.
    """

    decision_surface: bool = False


class Scratch:
    """Buffers one session reuses while recording statistics, so a run does not allocate every step.

    Each session owns its own: two sessions train at once (the main window and
    compare mode), and their layers have the same names (``dense``, ``dense_1``).
    """

    def __init__(self) -> None:
        self._arrays: dict[Any, np.ndarray] = {}
        self._params: list[list[np.ndarray]] | None = None
        self._grid: tuple | None = None
        self._grid_made = False

    def like(self, key: Any, array: np.ndarray) -> np.ndarray:
        """A buffer of ``array``'s shape and dtype, the same one every time for ``key``."""
        buf = self._arrays.get(key)
        if buf is None or buf.shape != array.shape or buf.dtype != array.dtype:
            buf = self._arrays[key] = np.empty_like(array)
        return buf

    def params_before(self, engine: StepEngine) -> list[list[np.ndarray]]:
        """The parameters copied into reused buffers (the weights "before" an update, for the history only)."""
        if self._params is None:
            self._params = copy_params(engine)
            return self._params
        return copy_params(engine, into=self._params)

    def decision_grid(self, session) -> tuple | None:
        """The session's decision plane (from its training and validation inputs), made once."""
        if not self._grid_made:
            x = session.engine.ops.to_numpy(session.xs)
            val = session.validation_data
            self._grid = derived.decision_grid(x.reshape(len(x), -1) if x.ndim > 2 else x,
                                               None if val is None else val[0])
            self._grid_made = True
        return self._grid

    def owns(self, arrays) -> bool:
        """Whether ``arrays`` are this scratch's reused buffers (a snapshot must copy them, not keep them)."""
        return arrays is not None and arrays is self._params


def layer_meta(layer) -> dict[str, Any]:
    act = getattr(layer, "activation", None)
    return {"name": layer.name, "kind": type(layer).__name__, "activation": act.name if act else "",
            "units": layer.units if isinstance(layer, Dense) else None, "settings": layer_settings(layer)}


def layer_settings(layer) -> dict[str, Any]:
    """What a view needs to explain or recompute a layer besides its weights: Dropout's rate,
    BatchNormalization's momentum and ε, Rescaling's factors, the regularizers as text."""
    out: dict[str, Any] = {}
    for key in ("rate", "momentum", "epsilon", "scale", "offset", "invert"):
        value = getattr(layer, key, None)
        if isinstance(value, (bool, int, float)) and not (key == "scale" and isinstance(value, bool)):
            out[key] = value
    if isinstance(layer, BatchNormalization):
        out["scale"], out["center"] = bool(layer.scale), bool(layer.center)
    if layer.regularizers:
        out["regularizers"] = {name: reg.describe() for name, reg in layer.regularizers.items()}
    if layer.activity_regularizer is not None:
        out["activity_regularizer"] = layer.activity_regularizer.describe()
    return out


def _host(copy: "SnapshotCopier", value: Any) -> Any:
    """A record entry for a snapshot: numbers and flags as they are, arrays as read-only copies."""
    if isinstance(value, (bool, int, float)):
        return value
    return copy(value)


def copy_params(engine: StepEngine, into: list[list[np.ndarray]] | None = None) -> list[list[np.ndarray]]:
    """NumPy copies of every layer's parameters (the weights "before").

    With ``into`` (buffers of the right shapes) the copy reuses them: no fresh
    large arrays every step, which costs page faults as much as the copy.
    """
    ops = engine.ops
    if into is None:
        return [[ops.copy_numpy(p) for p in layer.params] for layer in engine.layers]
    for buffers, layer in zip(into, engine.layers):
        for buf, p in zip(buffers, layer.params):
            np.copyto(buf, ops.to_numpy(p))
    return into


def copy_slots(engine: StepEngine) -> dict[str, list[np.ndarray]]:
    """NumPy copies of the optimizer's state per trainable weight (the state "before" an update);
    before its first update, the slots' initial values."""
    opt, ops = engine.optimizer, engine.ops
    if opt.built:
        return {name: [ops.copy_numpy(a) for a in arrays] for name, arrays in opt.slots.items()}
    params = engine.trainable_parameters()
    return {name: [np.full(tuple(p.shape), opt.slot_initial_value(name)) for p in params]
            for name in opt.active_slots()}


class SnapshotCopier:
    """Read-only NumPy copies of live arrays for one snapshot.

    An array that fills two fields (the batch is also layer 0's input, and
    layer i's activation is layer i+1's input) is copied once: at batch 1024
    that alone is a quarter of a snapshot's cost.
    """

    def __init__(self, ops) -> None:
        self.ops = ops
        self._memo: dict[int, tuple[Any, np.ndarray]] = {}

    def __call__(self, x: Any) -> np.ndarray | None:
        if x is None:
            return None
        hit = self._memo.get(id(x))
        if hit is None:  # the source is kept in the memo so its id stays unique meanwhile
            hit = self._memo[id(x)] = (x, frozen(self.ops.to_numpy(x)))
        return hit[1]


def owned(array: np.ndarray) -> np.ndarray:
    """Make an array nobody else holds read-only, without copying it again."""
    array.flags.writeable = False
    return array


def layer_snapshots(engine: StepEngine, trace: BatchTrace | None, before: list[list[np.ndarray]] | None,
                    updated: bool, copy: SnapshotCopier | None = None,
                    before_owned: bool = False,
                    slots_before: dict[str, list[np.ndarray]] | None = None) -> tuple[LayerSnapshot, ...]:
    """One :class:`LayerSnapshot` per layer from the trace (copies only).

    ``before_owned``: the ``before`` arrays are private to this snapshot, so
    they are frozen in place instead of copied. ``slots_before``
    (:func:`copy_slots`, private to the batch) is the optimizer's state
    before the update, kept when ``updated``.
    """
    ops = engine.ops
    copy = copy or SnapshotCopier(ops)
    slots = engine.optimizer.slots if engine.optimizer.built else {}
    trainable = engine.trainable_indices  # the optimizer keeps state for these weights only
    out = []
    offset = 0
    for i, layer in enumerate(engine.layers):
        n = len(layer.params)
        names = layer.param_names[:n]
        current = [owned(ops.copy_numpy(p)) for p in layer.params]
        if updated and before is not None:
            w_before = [owned(w) if before_owned else frozen(w) for w in before[i]]
            w_after = current
        else:
            w_before, w_after = current, None
        fields: dict[str, Any] = dict(index=i, **layer_meta(layer))
        if trace is not None:
            fields.update(
                x=copy(trace.inputs[i]), z=copy(trace.z[i]), a=copy(trace.a[i]),
                delta=copy(trace.deltas[i]), grad_input=copy(trace.grad_inputs[i]))
            if trace.records and trace.records[i]:
                fields["record"] = {k: _host(copy, v) for k, v in trace.records[i].items()}
            grads = trace.grads[i]
            if grads:
                by_name = {names[j]: copy(g) for j, g in zip(trainable[i], grads)}
                fields["grads"] = by_name
                fields["dW"] = by_name.get("kernel")
                fields["db"] = by_name.get("bias")
        if n:
            fields["params"] = dict(zip(names, w_before))
            fields["W"] = fields["params"].get("kernel")
            fields["b"] = fields["params"].get("bias")
            if w_after is not None:
                fields["params_after"] = dict(zip(names, w_after))
                fields["applied"] = {k: owned(after - before_w) for k, after, before_w in zip(names, w_after, w_before)}
                fields["W_after"] = fields["params_after"].get("kernel")
                fields["b_after"] = fields["params_after"].get("bias")
                fields["dW_applied"] = fields["applied"].get("kernel")
                fields["db_applied"] = fields["applied"].get("bias")
            fields["optimizer_state"] = {
                name: tuple(frozen(ops.to_numpy(arrays[offset + k])) for k in range(len(trainable[i])))
                for name, arrays in slots.items()} if trainable[i] else {}
            if updated and slots_before is not None and trainable[i]:
                fields["optimizer_state_before"] = {
                    name: tuple(owned(arrays[offset + k]) for k in range(len(trainable[i])))
                    for name, arrays in slots_before.items()}
        offset += len(trainable[i])
        out.append(fields)
    penalties = [layer.regularizers.get("kernel") if "kernel" in layer.regularizers and trainable[i] else None
                 for i, layer in enumerate(engine.layers)]
    return tuple(LayerSnapshot(**_with_derived(fields, out, k, trace, copy, penalties[k]))
                 for k, fields in enumerate(out))


def _with_derived(fields: dict[str, Any], layers: list[dict[str, Any]], k: int, trace: BatchTrace | None,
                  copy: SnapshotCopier, kernel_penalty=None) -> dict[str, Any]:
    """``fields`` with the numbers derived from them (:mod:`core.stepper.derived`), as read-only arrays."""
    get = fields.get
    fields["stats"] = derived.layer_stats(fields["activation"], get("a"), get("delta"), get("dW"), get("W"),
                                          get("dW_applied"))
    slope = derived.activation_slope(fields["activation"], get("z"), get("a"))
    fields["fprime"] = None if slope is None else owned(np.asarray(slope))
    top, terms = derived.strongest_inputs(get("x"), get("delta"), get("dW"))
    if top is not None:
        fields["top_input"], fields["top_terms"] = owned(top), owned(terms)
        if kernel_penalty is not None:  # ∂L/∂w of those weights also holds the penalty's gradient
            fields["top_penalty"] = owned(derived.penalty_gradient_at(kernel_penalty, get("W"), top))
    record = get("record") or {}
    if "mask" in record or "moving_mean" in (get("params") or {}):
        after, before = get("params_after") or {}, get("params") or {}
        fields["regularization"] = derived.regularization_stats(record, lambda n: after.get(n, before.get(n)))
    if fields["kind"] == "BatchNormalization" and record.get("batch_statistics"):
        fields["terms"] = {key: owned(value) for key, value in derived.normalization_terms(get("z"),
                                                                                           get("delta")).items()}
    if k + 1 < len(layers):  # ∂L/∂a of this layer's output is what the next layer passed back
        fields["grad_a"] = layers[k + 1].get("grad_input")
    elif trace is not None:
        fields["grad_a"] = copy(trace.grad_output)
    return fields


def record_layer_stats(history: TrainingHistory, step: int, engine: StepEngine, trace: BatchTrace,
                       before: Sequence[Sequence[np.ndarray]] | None, with_distributions: bool,
                       scratch: Scratch) -> None:
    """Per-layer ‖W‖, ‖∂L/∂W‖, ‖ΔW‖/‖W‖, activation moments and saturation for one step.

    ``scratch`` is the session's own (see :class:`Scratch`).
    """
    ops = engine.ops
    values: dict[str, float] = {}
    for i, layer in enumerate(engine.layers):
        name = layer.name
        a = ops.to_numpy(trace.a[i])
        act = getattr(layer, "activation", None)
        act_name = act.name if act else ""
        with np.errstate(over="ignore", invalid="ignore"):
            values[f"{name}/act_mean"] = float(a.mean())
            values[f"{name}/act_std"] = float(a.std())
        z = ops.to_numpy(trace.z[i])
        # The largest |z|: exploding pre-activations (saturating every unit) show here before any NaN does.
        values[f"{name}/z_absmax"] = abs(float(max(z.max(), -z.min()))) if z.size else 0.0  # max |z|, no temporary
        values[f"{name}/saturation"] = stats.saturation(act_name, a)
        values[f"{name}/dead_relu"] = stats.dead_relu_fraction(act_name, a)
        record = trace.records[i] if trace.records else {}
        if "mask" in record:  # the share of this batch's units that Dropout dropped
            values[f"{name}/dropped"] = 1.0 - float(np.mean(ops.to_numpy(record["mask"])))
        if not layer.params:
            continue
        if "kernel" not in layer.param_names:
            _record_named_weights(history, step, values, layer, trace.grads[i], ops, with_distributions)
            if with_distributions:  # what BatchNormalization makes of its inputs: x̂ and γ·x̂ + β
                history.record_distribution(step, f"{name}/activations", a)
                history.record_distribution(step, f"{name}/preactivations", z)
            continue
        w = ops.to_numpy(layer.params[0])
        g = ops.to_numpy(trace.grads[i][0]) if trace.grads[i] else None  # None: a frozen layer learns nothing
        w_norm = stats.norm(w)
        values[f"{name}/w_norm"] = w_norm
        if g is not None:
            values[f"{name}/grad_norm"] = stats.norm(g)
        if before is not None:
            diff = np.subtract(w, before[i][0], out=scratch.like(name, w))
            values[f"{name}/update_ratio"] = stats.norm(diff) / max(w_norm, 1e-30)
        if with_distributions:
            # Only finished batches are recorded, and a batch finishes only when every z, a, δ,
            # gradient and weight was found finite: the histograms need not look again.
            history.record_distribution(step, f"{name}/weights", w, finite=True)
            if g is not None:
                history.record_distribution(step, f"{name}/gradients", g, finite=True)
            history.record_distribution(step, f"{name}/activations", a, finite=True)
            history.record_distribution(step, f"{name}/preactivations", z, finite=True)
    history.record_step(step, values)


def _record_named_weights(history: TrainingHistory, step: int, values: dict, layer, grads, ops,
                          with_distributions: bool) -> None:
    """Weights that are not a kernel (BatchNormalization's γ, β and moving statistics): the mean and norm of
    each, the norm of each trained one's gradient, and their distributions, under ``<layer>/<weight>``."""
    names = layer.param_names[:len(layer.params)]
    trained = dict(zip((names[j] for j in layer.trainable_indices), grads or []))
    for pname, p in zip(names, layer.params):
        w = ops.to_numpy(p)
        values[f"{layer.name}/{pname}_mean"] = float(np.mean(w)) if w.size else 0.0
        values[f"{layer.name}/{pname}_norm"] = stats.norm(w)
        if pname in trained:
            values[f"{layer.name}/{pname}_grad_norm"] = stats.norm(ops.to_numpy(trained[pname]))
        if with_distributions:
            history.record_distribution(step, f"{layer.name}/{pname}", w)


def scan_forward(engine: StepEngine, trace: BatchTrace, i: int) -> tuple[str, int] | None:
    ops = engine.ops
    for quantity, arr in (("z", trace.z[i]), ("a", trace.a[i])):
        bad = ops.count_nonfinite(arr)
        if bad:
            return quantity, bad
    return None


def scan_backward(engine: StepEngine, trace: BatchTrace, i: int) -> tuple[str, int] | None:
    ops = engine.ops
    layer = engine.layers[i]
    names = [layer.param_names[j] for j in engine.trainable_indices[i]]
    labels = [{"kernel": "∂L/∂W", "bias": "∂L/∂b"}.get(n, f"∂L/∂{n}") for n in names]
    arrays = [("δ", trace.deltas[i])] + list(zip(labels, trace.grads[i] or []))
    for quantity, arr in arrays:
        if arr is None:
            continue
        bad = ops.count_nonfinite(arr)
        if bad:
            return quantity, bad
    return None


def scan_batch(engine: StepEngine, trace: BatchTrace) -> tuple[str, int | None, str, int] | None:
    """Every quantity a finished batch produced, in the order its phases made them: z and a of each
    layer, the loss, δ and the gradients from the last layer down, then the updated parameters.

    Returns ``(phase, layer index, quantity, count)`` of the first non-finite
    one, or None. Run mode calls this once per batch so that it finds what
    step mode finds. A healthy batch is cleared by one probe (one host sync)
    over z, a, δ, the gradients and the updated parameters (the last two as
    the engine's two flat buffers when it has them, and not at all when the
    compiled update already counted their non-finite values as it wrote them:
    none); only when the probe fails
    is every array scanned in phase order to name the first culprit.
    """
    ops, n = engine.ops, len(engine.layers)
    arrays = [a for i in range(n) for a in (trace.z[i], trace.a[i], trace.deltas[i]) if a is not None]
    if engine.flat is not None and engine.flat.holds(engine.parameter_gradients(trace)):
        if engine.optimizer.flat_update_nonfinite != 0:  # the compiled update counted them (0: all finite)
            arrays += [engine.flat.grads, engine.flat.params]
    else:
        arrays += [g for g in engine.parameter_gradients(trace) if g is not None] + engine.parameters()
    if np.isfinite(ops.finite_probe(arrays)):
        return None
    for i in range(n):
        bad = scan_forward(engine, trace, i)
        if bad:
            return ("forward", i) + bad
    for i in range(n - 1, -1, -1):
        bad = scan_backward(engine, trace, i)
        if bad:
            return ("backward", i) + bad
    bad_update = scan_update(engine)
    if bad_update:
        return ("update", bad_update[0], bad_update[1], bad_update[2])
    return None  # the sum overflowed, but every value is finite


def scan_update(engine: StepEngine) -> tuple[int, str, int] | None:
    ops = engine.ops
    for i, layer in enumerate(engine.layers):
        for pname, p in zip(layer.param_names, layer.params):
            bad = ops.count_nonfinite(p)
            if bad:
                return i, {"kernel": "W", "bias": "b"}.get(pname, pname), bad
    return None


def divergence(step: int, bpe: int, phase: str, layer: str | None, quantity: str, count: int) -> Divergence:
    return Divergence(step=step, epoch=(step - 1) // bpe, batch=(step - 1) % bpe, phase=phase, layer=layer,
                      quantity=quantity, count=count)


def build_snapshot(session, trace: BatchTrace | None, before, phase: str, layer: int | None,
                   index: int, batch_metrics: dict[str, float], scratch: Scratch,
                   slots_before: dict[str, list[np.ndarray]] | None = None,
                   learning_rate_used: float | None = None) -> Snapshot:
    """A :class:`Snapshot` of ``session`` showing ``trace`` right after ``phase``.

    ``batch_metrics`` are the batch's metric values; ``before`` may be the
    session's ``scratch`` buffers, which are copied rather than kept;
    ``slots_before`` the optimizer's state before the batch's update and
    ``learning_rate_used`` the rate it used.
    """
    engine, ops = session.engine, session.engine.ops
    updated = phase == "update" and session.divergence is None
    step_of_batch = session.step if updated or trace is None else session.step + 1
    shown = max(step_of_batch - 1, 0)
    bpe = session.batches_per_epoch
    loss = None if trace is None or trace.loss is None else ops.item(trace.loss)
    copy = SnapshotCopier(ops)
    # Fresh "before" copies belong to this batch alone; the stats buffers are reused.
    before_owned = before is not None and not scratch.owns(before)
    layers = layer_snapshots(engine, trace, before, updated and before is not None, copy, before_owned,
                             slots_before)
    grid = scratch.decision_grid(session) if session.capture_options.decision_surface else None
    terms = None
    if loss is not None and trace.per_sample_loss is not None:
        data_loss = loss if trace.data_loss is None else ops.item(trace.data_loss)
        terms = loss_terms(session.model.loss, ops.to_numpy(trace.y), ops.to_numpy(trace.a[-1]),
                           ops.to_numpy(trace.per_sample_loss),
                           None if trace.sample_weight is None else ops.to_numpy(trace.sample_weight), data_loss,
                           penalties=tuple((k, ops.item(v)) for k, v in trace.penalties), total=loss)
    opt = engine.optimizer
    lr = opt.current_learning_rate() if learning_rate_used is None else float(learning_rate_used)
    return Snapshot(
        step=session.step, epoch=shown // bpe, batch=shown % bpe, batches_per_epoch=bpe,
        phase=phase, phase_layer=layer, phase_index=index, phases_per_batch=len(session.phases),
        layers=layers,
        sample_indices=None if trace is None else frozen(trace.sample_indices),
        x=None if trace is None else copy(trace.x),
        y=None if trace is None else copy(trace.y_metric),
        output=None if trace is None else copy(trace.a[-1]),
        loss=loss,
        data_loss=None if trace is None or trace.data_loss is None else ops.item(trace.data_loss),
        penalties={} if trace is None or trace.loss is None else {k: ops.item(v) for k, v in trace.penalties},
        per_sample_loss=None if trace is None else copy(trace.per_sample_loss),
        grad_output=None if trace is None else copy(trace.grad_output),
        metrics=dict(batch_metrics) if loss is not None else {},
        learning_rate=float(engine.optimizer.learning_rate),
        optimizer=type(engine.optimizer).__name__, loss_name=session.model.loss.name,
        epoch_logs=session.history.last_epoch_logs, divergence=session.divergence, device=ops.describe(),
        decision=None if grid is None else derived.decision_surface(layers, grid),
        phases=tuple(session.phases), loss_terms=terms,
        optimizer_config={k: v for k, v in opt.get_config().items()
                          if isinstance(v, (int, float, bool)) and not isinstance(v, str)},
        update_learning_rate=lr,
    )
