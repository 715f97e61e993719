"""A :class:`SessionState`: everything a training session needs to continue exactly, as plain data.

``TrainingSession.get_state()`` returns one; ``TrainingSession.from_state``
and ``set_state`` take one back. It holds only JSON-able fields and NumPy
arrays (:meth:`SessionState.to_parts` / :meth:`SessionState.from_parts`), so a
session file can store it and another process can receive it without pickle.

State that comes from outside (a file, another process) is checked before it
is used: :meth:`from_parts` checks every field's type and range (limits named
in :mod:`core.limits`), :meth:`check_against` every array's dtype, shape and
finiteness against the model that will hold it. Both raise the guarded
reader's errors (:class:`core.safeio.ReadRejected` subclasses).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core import limits
from core.safeio import Fields, InvalidValueError, ReadLimitError, check_array
from core.stepper.checkpoints import Checkpoint
from core.stepper.hyper import MUTABLE, current_values

#: At most this many hyper-parameter changes in one state.
MAX_HYPER_CHANGES = 10_000
#: Array groups of :meth:`SessionState.to_parts`.
GROUPS = ("weights", "initial", "optimizer", "history", "initial_optimizer")


@dataclass(frozen=True)
class SessionState:
    """The progress of a :class:`~core.stepper.TrainingSession` after ``step`` updates.

    Attributes
    ----------
    step : int
        Updates done (``optimizer.iterations`` equals it plus ``initial_iterations``).
    batch_size, epochs, shuffle, shuffle_seed, stats_every, distributions_every
        The session's settings (see :class:`~core.stepper.TrainingSession`).
    epoch_loss_sum : float
        Sum of batch loss × batch size over the current epoch so far.
    epoch_metric_sums : tuple of float
        Files before metric statistics: one sum per metric (empty otherwise).
    optimizer_built : bool
        Whether the optimizer has made its state (after the first update).
    weights, initial_weights : tuple of ndarray
        Parameters now and at step 0 (rewinding replays from them), in
        ``engine.parameters()`` order.
    optimizer_slots : dict[str, tuple of ndarray]
        Slot name ("momentum", "velocity"…) → one array per parameter.
    history : dict[str, ndarray]
        :meth:`TrainingHistory.get_state`.
    epoch_metric_stats : tuple, optional
        Per metric, its additive statistics over the current epoch so far (a
        tuple of numbers and arrays, see :mod:`core.metrics`), or None before
        its first batch; None for a state from before statistics were kept.
    epoch_samples : int
        Samples counted into the current epoch so far.
    initial_iterations : int
        The optimizer's iterations at step 0: a model opened from a Keras file
        keeps its optimizer's progress (Adam's bias correction counts on).
    initial_optimizer_slots : dict[str, tuple of ndarray]
        The optimizer's state at step 0 (empty unless the model came with one).
    noise_state, initial_noise_state : tuple of (int, int)
        ``(seed, draws)`` of each dropout layer's random stream now and at
        step 0 (in layer order): the masks of every later batch follow from
        them, so replays and continued training draw the same masks.
    hyper_initial : dict[str, Any]
        The optimizer's hyper-parameters at step 0 when they were changed during training (empty otherwise).
    hyper_changes : tuple of (int, dict)
        Each change of hyper-parameters (``learning_rate`` 0.1 from step 40…) with the step it applies after,
        in order (:class:`~core.stepper.hyper.HyperSchedule`): a reopened session replays and continues with them.
    """

    step: int
    batch_size: int
    epochs: int
    shuffle: bool
    shuffle_seed: int
    stats_every: int
    distributions_every: int
    epoch_loss_sum: float
    epoch_metric_sums: tuple[float, ...]
    optimizer_built: bool
    weights: tuple[np.ndarray, ...]
    initial_weights: tuple[np.ndarray, ...]
    optimizer_slots: dict[str, tuple[np.ndarray, ...]] = field(default_factory=dict)
    history: dict[str, np.ndarray] = field(default_factory=dict)
    epoch_metric_stats: tuple | None = None
    epoch_samples: int = 0
    initial_iterations: int = 0
    initial_optimizer_slots: dict[str, tuple[np.ndarray, ...]] = field(default_factory=dict)
    noise_state: tuple = ()
    initial_noise_state: tuple = ()
    hyper_initial: dict[str, Any] = field(default_factory=dict)
    hyper_changes: tuple = ()

    @property
    def initial_optimizer_built(self) -> bool:
        """Whether the optimizer had its state at step 0 (a model opened with its optimizer's state)."""
        return bool(self.initial_optimizer_slots) or self.initial_iterations > 0

    def checkpoints(self, n_samples: int) -> tuple[Checkpoint, Checkpoint]:
        """``(initial, current)``: the checkpoints of step 0 and of :attr:`step` (private copies of the arrays).

        ``n_samples`` (the session's training samples) dates a state from before metric
        statistics: its one sum per (mean) metric counted the epoch's samples so far.
        """
        samples, stats = self.epoch_samples, self.epoch_metric_stats
        if stats is None:
            batches = -(-n_samples // self.batch_size)
            samples = min((self.step % batches) * self.batch_size, n_samples)
            stats = tuple((float(v), samples) if samples else None for v in self.epoch_metric_sums)
        initial = Checkpoint(0, tuple(np.array(w) for w in self.initial_weights), _copied(self.initial_optimizer_slots),
                             self.initial_optimizer_built, 0.0, (), noise=self.initial_noise_state)
        current = Checkpoint(self.step, tuple(np.array(w) for w in self.weights), _copied(self.optimizer_slots),
                             self.optimizer_built, float(self.epoch_loss_sum), stats, samples, self.noise_state)
        return initial, current

    # --- plain data ---------------------------------------------------------------------
    def to_parts(self) -> tuple[dict[str, Any], dict[str, dict[str, np.ndarray]]]:
        """``(fields, arrays)``: a JSON-able dict and ``{group: {name: array}}`` (groups :data:`GROUPS`)."""
        fields = {"step": self.step, "batch_size": self.batch_size, "epochs": self.epochs, "shuffle": self.shuffle,
                  "shuffle_seed": self.shuffle_seed, "stats_every": self.stats_every,
                  "distributions_every": self.distributions_every, "epoch_loss_sum": self.epoch_loss_sum,
                  "epoch_metric_sums": list(self.epoch_metric_sums), "optimizer_built": self.optimizer_built}
        if self.epoch_metric_stats is not None:
            fields["epoch_metric_stats"] = [None if s is None else [np.asarray(v).tolist() if np.ndim(v) else v
                                                                    for v in s] for s in self.epoch_metric_stats]
            fields["epoch_samples"] = self.epoch_samples
        if self.noise_state or self.initial_noise_state:
            fields["noise_state"] = [[int(seed), int(calls)] for seed, calls in self.noise_state]
            fields["initial_noise_state"] = [[int(seed), int(calls)] for seed, calls in self.initial_noise_state]
        if self.initial_iterations:
            fields["initial_iterations"] = self.initial_iterations
        if self.hyper_changes:
            fields["hyper_initial"] = dict(self.hyper_initial)
            fields["hyper_changes"] = [[int(step), dict(values)] for step, values in self.hyper_changes]
        arrays = {
            "weights": {f"p{i}": w for i, w in enumerate(self.weights)},
            "initial": {f"p{i}": w for i, w in enumerate(self.initial_weights)},
            "optimizer": {f"{name}|{i}": a for name, slot in self.optimizer_slots.items() for i, a in enumerate(slot)},
            "history": dict(self.history),
            "initial_optimizer": {f"{name}|{i}": a for name, slot in self.initial_optimizer_slots.items()
                                  for i, a in enumerate(slot)},
        }
        return fields, arrays

    @classmethod
    def from_parts(cls, fields: dict[str, Any], arrays: dict[str, dict[str, np.ndarray]], path=None,
                   name: str = "session state") -> "SessionState":
        """The state :meth:`to_parts` described, every field's type and range checked.

        ``optimizer_built`` may be absent (files before it was stored): then
        it is true when there are optimizer slots or a step was taken.
        """
        doc = Fields(fields, name, path)
        step = doc.get("step", int, minimum=0, limit="MAX_STEPS")
        batch_size = doc.get("batch_size", int, minimum=1, limit="MAX_BATCH_SIZE")
        epochs = doc.get("epochs", int, minimum=1, limit="MAX_EPOCHS")
        shuffle = doc.get("shuffle", bool)
        seed = doc.get("shuffle_seed", int, minimum=0, limit="MAX_SEED")
        stats_every = doc.get("stats_every", int, minimum=1, limit="MAX_RECORD_EVERY")
        distributions_every = doc.get("distributions_every", int, minimum=1, limit="MAX_RECORD_EVERY")
        loss_sum = doc.get("epoch_loss_sum", float)
        metric_sums = tuple(doc.list_of("epoch_metric_sums", float, max_items=64))
        weights = _numbered(arrays.get("weights", {}), "weights", path)
        initial = _numbered(arrays.get("initial", {}), "initial weights", path)
        slots = _slots(arrays.get("optimizer", {}), path)
        built = doc.get("optimizer_built", bool, default=bool(slots) or step > 0)
        if slots and not built:
            raise InvalidValueError("has optimizer state but says the optimizer was not built.", path, name)
        stats, samples = None, 0
        if doc.has("epoch_metric_stats"):
            raw = doc.get("epoch_metric_stats", list)
            if len(raw) > 64:
                raise InvalidValueError(f"statistics for {len(raw)} metrics (at most 64).", path, name)
            stats = tuple(_metric_stats(s, path, name) for s in raw)
            samples = doc.get("epoch_samples", int, minimum=0, limit="MAX_SAMPLES")
        initial_iterations = doc.get("initial_iterations", int, default=0, minimum=0, limit="MAX_STEPS")
        initial_slots = _slots(arrays.get("initial_optimizer", {}), path)
        noise = _noise_states(doc, "noise_state", path, name)
        initial_noise = _noise_states(doc, "initial_noise_state", path, name)
        if len(noise) != len(initial_noise):
            raise InvalidValueError(f"has {len(noise)} dropout random states now but {len(initial_noise)} at step 0.",
                                    path, name)
        hyper_initial, hyper_changes = _hyper_schedule(doc, path, name)
        return cls(step, batch_size, epochs, shuffle, seed, stats_every, distributions_every, loss_sum, metric_sums,
                   built, weights, initial, slots, dict(arrays.get("history", {})), stats, samples,
                   initial_iterations, initial_slots, noise, initial_noise, hyper_initial, hyper_changes)

    # --- checks against a model ---------------------------------------------------------------
    def check_against(self, engine, path=None) -> None:
        """Refuse a state that does not fit ``engine`` (a :class:`~core.engine.StepEngine`) exactly.

        Every weight, initial weight and optimizer slot must be a finite float
        array of its parameter's exact shape (a ``(1,)`` array is not a
        ``(2, 8)`` kernel, even though it would broadcast); the slots must be
        the optimizer's own; the metric sums one per metric.
        """
        params = engine.parameters()
        shapes = [tuple(int(d) for d in p.shape) for p in params]
        names = [f"{layer.name}/{pname}" for layer in engine.layers for pname in layer.param_names]
        # The optimizer keeps state for the trainable weights only (a frozen layer has none).
        trained = [(tuple(int(d) for d in layer.params[j].shape), f"{layer.name}/{layer.param_names[j]}")
                   for layer, idx in zip(engine.layers, engine.trainable_indices) for j in idx]
        for label, arrays in (("weights", self.weights), ("initial weights", self.initial_weights)):
            if len(arrays) != len(params):
                raise InvalidValueError(f"has {len(arrays)} arrays; the model has {len(params)} parameters.", path,
                                        label)
            for arr, shape, pname in zip(arrays, shapes, names):
                check_array(arr, pname, kinds="f", shape=shape, max_abs=_float_max(engine), path=path, where=label)
            k = 0
            for layer in engine.layers:  # what only the layer knows (a BatchNormalization variance below 0)
                problem = layer.weights_problem(dict(zip(layer.param_names, arrays[k:k + len(layer.params)])))
                k += len(layer.params)
                if problem:
                    raise InvalidValueError(f"{layer.name}: {problem}", path, label)
        optimizer = engine.optimizer
        if self.optimizer_built:
            _check_slots(self.optimizer_slots, optimizer, trained, engine, path, "optimizer state")
        if self.initial_optimizer_slots:
            _check_slots(self.initial_optimizer_slots, optimizer, trained, engine, path, "initial optimizer state")
        if not self.optimizer_built and self.step:
            raise InvalidValueError(f"is at step {self.step} but its optimizer was never built.", path, "state")
        if self.epoch_metric_sums and len(self.epoch_metric_sums) != len(engine.metrics):
            raise InvalidValueError(f"has {len(self.epoch_metric_sums)} metric sums for {len(engine.metrics)} "
                                    "metrics.", path, "state")
        streams = len(engine.noise_streams())
        if len(self.noise_state) != streams:
            raise InvalidValueError(f"has random states for {len(self.noise_state)} dropout layers; the model has "
                                    f"{streams}.", path, "state")
        if self.hyper_changes:
            known = set(current_values(optimizer))
            for values in (self.hyper_initial, *(v for _, v in self.hyper_changes)):
                unknown = sorted(set(values) - known)
                if unknown:
                    raise InvalidValueError(f"changes {', '.join(unknown)}, which {type(optimizer).__name__} does not "
                                            "have.", path, "hyper-parameter changes")
        if self.epoch_metric_stats is not None and len(self.epoch_metric_stats) != len(engine.metrics):
            raise InvalidValueError(f"has statistics for {len(self.epoch_metric_stats)} metrics; the model has "
                                    f"{len(engine.metrics)}.", path, "state")


def _check_slots(slots: dict, optimizer, trained: list, engine, path, where: str) -> None:
    expected = set(optimizer.active_slots())
    if set(slots) != expected:
        raise InvalidValueError(f"holds slots {sorted(slots)}; {type(optimizer).__name__} keeps {sorted(expected)}.",
                                path, where)
    for slot, arrays in slots.items():
        if len(arrays) != len(trained):
            raise InvalidValueError(f"{slot!r} has {len(arrays)} arrays for {len(trained)} trainable parameters.",
                                    path, where)
        for arr, (shape, pname) in zip(arrays, trained):
            check_array(arr, f"{slot} of {pname}", kinds="f", shape=shape, max_abs=_float_max(engine), path=path,
                        where=where)


def _metric_stats(stats: Any, path, name: str) -> tuple | None:
    """One metric's statistics from JSON: numbers and (nested) lists of finite numbers, of bounded size."""
    if stats is None:
        return None
    if not isinstance(stats, list):
        raise InvalidValueError(f"metric statistics of type {type(stats).__name__}.", path, name)
    if len(stats) > 8:
        raise InvalidValueError(f"a metric with {len(stats)} statistics (at most 8).", path, name)
    out = []
    for value in stats:
        if isinstance(value, bool) or not isinstance(value, (int, float, list)):
            raise InvalidValueError(f"a metric statistic of type {type(value).__name__}.", path, name)
        arr = np.asarray(value, dtype=np.float64) if isinstance(value, list) else None
        if arr is not None and (arr.dtype == object or arr.size > 100_000 or arr.ndim > 2):
            raise InvalidValueError("a metric statistic that is not a small array of numbers.", path, name)
        if not np.all(np.isfinite(arr if arr is not None else value)):
            raise InvalidValueError("a metric statistic that is not finite.", path, name)
        out.append(arr if arr is not None else value)
    return tuple(out)


def _noise_states(doc: Fields, key: str, path, name: str) -> tuple[tuple[int, int], ...]:
    """Dropout random states from JSON: ``[[seed, draws], …]``, whole non-negative numbers, at most one a layer."""
    if not doc.has(key):
        return ()
    raw = doc.get(key, list)
    if len(raw) > limits.MAX_LAYERS:
        raise ReadLimitError(f"{len(raw):,} dropout random states, over {limits.MAX_LAYERS} (MAX_LAYERS).", path, name,
                             limit="MAX_LAYERS")
    out = []
    for entry in raw:
        ok = isinstance(entry, list) and len(entry) == 2 and all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**63 for v in entry)
        if not ok:
            raise InvalidValueError(f"{key} holds {str(entry)[:40]}; each entry is [seed, draws], two whole numbers "
                                    "from 0 to 2**63 - 1.", path, name)
        out.append((entry[0], entry[1]))
    return tuple(out)


def _hyper_schedule(doc: Fields, path, name: str) -> tuple[dict[str, Any], tuple]:
    """``hyper_initial`` and ``hyper_changes`` from JSON: known names, plain finite values, steps in order."""
    if not doc.has("hyper_changes"):
        return {}, ()
    raw = doc.get("hyper_changes", list)
    if len(raw) > MAX_HYPER_CHANGES:
        raise ReadLimitError(f"{len(raw):,} hyper-parameter changes, over {MAX_HYPER_CHANGES:,}.", path, name)
    initial = _hyper_values(doc.get("hyper_initial", dict), path, name)
    changes, last = [], -1
    for entry in raw:
        ok = isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], int) \
            and not isinstance(entry[0], bool) and last < entry[0] <= limits.MAX_STEPS
        if not ok:
            raise InvalidValueError(f"hyper_changes holds {str(entry)[:40]}; each entry is [step, {{name: value}}], "
                                    "the steps rising.", path, name)
        last = entry[0]
        changes.append((entry[0], _hyper_values(entry[1], path, name)))
    return initial, tuple(changes)


def _hyper_values(values: Any, path, name: str) -> dict[str, Any]:
    if not isinstance(values, dict) or len(values) > len(MUTABLE):
        raise InvalidValueError("hyper-parameters that are not a small {name: value} table.", path, name)
    for key, value in values.items():
        if key not in MUTABLE:
            raise InvalidValueError(f"a hyper-parameter {str(key)[:40]!r} (known: {', '.join(MUTABLE)}).", path, name)
        plain = value is None or isinstance(value, bool) or (
            isinstance(value, (int, float)) and np.isfinite(value) and abs(value) <= 1e6)
        if not plain:
            raise InvalidValueError(f"{key} = {str(value)[:40]}, not a finite number, true/false or null.", path,
                                    name)
    return dict(values)


def _copied(slots: dict) -> dict[str, tuple[np.ndarray, ...]]:
    return {k: tuple(np.array(a) for a in v) for k, v in slots.items()}


def _float_max(engine) -> float:
    return float(np.finfo(np.dtype(engine.ops.dtype)).max)


def _numbered(group: dict[str, np.ndarray], label: str, path) -> tuple[np.ndarray, ...]:
    """``p0, p1, …`` in order; any other name, or a gap, is refused."""
    count = len(group)
    if count > 2 * limits.MAX_LAYERS:
        raise ReadLimitError(f"{count:,} arrays, over {2 * limits.MAX_LAYERS} (2 per layer, MAX_LAYERS).", path, label,
                             limit="MAX_LAYERS")
    expected = {f"p{i}" for i in range(count)}
    if set(group) != expected:
        raise InvalidValueError(f"arrays are named {sorted(group)[:6]}…; expected p0 to p{count - 1}.", path, label)
    return tuple(group[f"p{i}"] for i in range(count))


def _slots(group: dict[str, np.ndarray], path) -> dict[str, tuple[np.ndarray, ...]]:
    by_name: dict[str, dict[int, np.ndarray]] = {}
    for key, arr in group.items():
        name, sep, index = key.partition("|")
        if not sep or not index.isdigit() or not name.isidentifier():
            raise InvalidValueError(f"array {key[:60]!r} is not named 'slot|index'.", path, "optimizer state")
        by_name.setdefault(name, {})[int(index)] = arr
    out = {}
    for name, arrays in by_name.items():
        if set(arrays) != set(range(len(arrays))):
            raise InvalidValueError(f"slot {name!r} has arrays {sorted(arrays)[:6]}…, not 0 to {len(arrays) - 1}.",
                                    path, "optimizer state")
        out[name] = tuple(arrays[i] for i in range(len(arrays)))
    return out
