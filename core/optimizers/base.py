"""The optimizer base class, shaped like Keras 3's ``BaseOptimizer``.

Hyper-parameters are validated in ``__init__``; state slots are created lazily
in ``build`` on the first ``apply``; each subclass's ``update_step`` holds the
update rule, written in its docstring. ``apply`` runs in Keras's order: clip
the gradients, apply decoupled weight decay, run ``update_step`` on every
variable, then count the iteration.

Every slot kind lives in one flat buffer, and ``slots[name][i]`` are views into
it. When the variables and gradients are themselves views of flat buffers laid
out the same way (the training engine's :class:`core.flat.FlatParameters`),
:meth:`Optimizer.apply_flat` runs ``update_step`` once over everything instead
of once per array. The update rules are elementwise, so each number goes
through exactly the same IEEE operations either way: the results are
bit-identical, with a quarter of the calls for a two-layer net.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Callable, Sequence

from core.backend.ops import Ops

#: ``update_step`` index meaning "the whole flat buffer".
FLAT = -1


class Optimizer:
    """Base class of all optimizers.

    Parameters
    ----------
    learning_rate : float or callable
        A float, or a schedule called with the iteration count.
    weight_decay : float, optional
        Decoupled weight decay: ``w ← w − w·wd·lr`` before each update.
    clipnorm, clipvalue, global_clipnorm : float, optional
        Gradient clipping, at most one of them (Keras semantics).
    name : str, optional
    lr : float, optional
        Alias of ``learning_rate`` accepted for the course notes' Keras 2 code.
    """

    #: names of the per-variable state slots, in Keras order
    slot_names: tuple[str, ...] = ()
    default_name = "optimizer"

    def __init__(
        self,
        learning_rate: float | Callable = 0.001,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        if "lr" in kwargs:
            learning_rate = kwargs.pop("lr")
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.", stacklevel=3)
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        if sum(x is not None for x in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set.")
        if not callable(learning_rate):
            learning_rate = _positive_float("learning_rate", learning_rate, allow_zero=True)
        self._learning_rate = learning_rate
        self.weight_decay = None if weight_decay is None else _positive_float("weight_decay", weight_decay, True)
        self.clipnorm = None if clipnorm is None else _positive_float("clipnorm", clipnorm)
        self.clipvalue = None if clipvalue is None else _positive_float("clipvalue", clipvalue)
        self.global_clipnorm = None if global_clipnorm is None else _positive_float("global_clipnorm", global_clipnorm)
        self.name = name or self.default_name
        self.iterations = 0
        self.built = False
        self.slots: dict[str, list[Any]] = {}
        self._flat_slots: dict[str, Any] = {}
        self._flat_size = -1
        self._ops: Ops | None = None

    # --- learning rate ----------------------------------------------------
    @property
    def learning_rate(self) -> float:
        """The learning rate of the next update."""
        lr = self._learning_rate
        return float(lr(self.iterations)) if callable(lr) else lr

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._learning_rate = value if callable(value) else _positive_float("learning_rate", value, True)

    # --- state ------------------------------------------------------------
    def build(self, variables: Sequence[Any], ops: Ops) -> None:
        """Create the state slots (zeros unless a subclass says otherwise)."""
        self._ops = ops
        self._allocate_slots(variables, ops, {name: None for name in self.active_slots()})
        self.built = True

    def _allocate_slots(self, variables: Sequence[Any], ops: Ops, values: dict[str, Sequence[Any] | None]) -> None:
        """One flat buffer per slot kind, ``slots[name]`` its per-variable views;
        filled from ``values[name]`` (NumPy arrays) or the initial value."""
        shapes = [tuple(int(d) for d in v.shape) for v in variables]
        sizes = [math.prod(shape) for shape in shapes]
        self._flat_size = sum(sizes)
        self.slots, self._flat_slots = {}, {}
        for name, saved in values.items():
            flat = ops.full_like(ops.flat_zeros(self._flat_size), self.slot_initial_value(name))
            views, offset = [], 0
            for k, (shape, size) in enumerate(zip(shapes, sizes)):
                view = ops.flat_view(flat, offset, shape)
                if saved is not None:
                    ops.assign(view, ops.asarray(saved[k]))
                views.append(view)
                offset += size
            self._flat_slots[name], self.slots[name] = flat, views

    def _slot(self, name: str, index: int) -> Any:
        """Slot ``name`` of variable ``index``, or the whole flat buffer for :data:`FLAT`."""
        return self._flat_slots[name] if index == FLAT else self.slots[name][index]

    @property
    def flat_slots(self) -> dict[str, Any]:
        """Each slot's one flat buffer (``slots[name]`` are views into it)."""
        return dict(self._flat_slots)

    def active_slots(self) -> tuple[str, ...]:
        """Slots used with the current options (SGD without momentum has none)."""
        return self.slot_names

    def slot_initial_value(self, name: str) -> float:
        return 0.0

    def reset(self) -> None:
        """Forget all state, as a freshly constructed optimizer."""
        self.iterations = 0
        self.built = False
        self.slots = {}
        self._flat_slots = {}
        self._flat_size = -1

    def move_to(self, ops: Ops) -> None:
        """Move the state to another backend (when the model changes backend)."""
        if self._ops is not None and self.slots:
            old = self._ops
            values = {k: [old.to_numpy(a) for a in v] for k, v in self.slots.items()}
            first = next(iter(values.values()))
            self._allocate_slots(first, ops, values)
        self._ops = ops

    # --- the update ---------------------------------------------------------
    def apply(self, grads: Sequence[Any], variables: Sequence[Any], ops: Ops) -> None:
        """Update ``variables`` in place from ``grads`` (Keras ``apply``)."""
        if not self.built:
            self.build(variables, ops)
        grads = self._clip_gradients(list(grads), ops)
        lr = self._begin_step(ops)
        for i, (g, v) in enumerate(zip(grads, variables)):
            self._decay_weights(ops, v, lr)
            self.update_step(ops, i, g, v, lr)
        self.iterations += 1

    def apply_flat(self, flat_grad: Any, flat_variable: Any, grads: Sequence[Any], variables: Sequence[Any],
                   ops: Ops) -> None:
        """:meth:`apply` with ``grads``/``variables`` given also as the flat
        buffers they are views of; one ``update_step`` over the buffers.

        Falls back to :meth:`apply` when clipping is set (clipnorm is per
        variable, global_clipnorm sums in a per-variable order) or when the
        slots are not laid out like the buffers.
        """
        if self.clipnorm or self.global_clipnorm or self.clipvalue:
            return self.apply(grads, variables, ops)
        if not self.built:
            self.build(variables, ops)
        if self._flat_size != int(flat_variable.shape[0]):
            return self.apply(grads, variables, ops)
        lr = self._begin_step(ops)
        self._decay_weights(ops, flat_variable, lr)
        self.update_step(ops, FLAT, flat_grad, flat_variable, lr)
        self.iterations += 1

    def _begin_step(self, ops: Ops) -> float:
        """Per-step scalars (subclasses add theirs); returns the learning rate in the model dtype."""
        return ops.scalar(self.learning_rate)

    def _decay_weights(self, ops: Ops, variable: Any, lr: float) -> None:
        # Decoupled weight decay (Keras applies it to each variable before its update).
        if self.weight_decay is not None:
            wd = ops.scalar(self.weight_decay)
            ops.assign(variable, variable - variable * wd * lr)

    def update_step(self, ops: Ops, index: int, gradient: Any, variable: Any, learning_rate: float) -> None:
        raise NotImplementedError

    def _clip_gradients(self, grads: list[Any], ops: Ops) -> list[Any]:
        if self.clipnorm:
            out = []
            for g in grads:
                norm = math.sqrt(ops.item(ops.sum(ops.square(g))))
                out.append((g * self.clipnorm) / max(norm, self.clipnorm))
            return out
        if self.global_clipnorm:
            norm = math.sqrt(sum(ops.item(ops.sum(ops.square(g))) for g in grads))
            scale = self.global_clipnorm * min(1.0 / norm if norm else math.inf, 1.0 / self.global_clipnorm)
            if not math.isfinite(norm):
                scale = math.nan
            return [g * scale for g in grads]
        if self.clipvalue:
            return [ops.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    # --- config -------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        lr = self._learning_rate
        return {
            "name": self.name,
            "learning_rate": lr.get_config() if hasattr(lr, "get_config") else lr,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Optimizer":
        return cls(**config)

    def __repr__(self) -> str:
        cfg = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name" and v is not None)
        return f"{type(self).__name__}({cfg})"


def _positive_float(name: str, value: Any, allow_zero: bool = False) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be a number, got {value!r}.") from None
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"`{name}` must be {'≥' if allow_zero else '>'} 0, got {value!r}.")
    return value


def check_unit_interval(name: str, value: Any, closed_right: bool = True) -> float:
    """Validate a hyper-parameter in [0, 1] (or [0, 1))."""
    value = _positive_float(name, value, allow_zero=True)
    if value > 1 or (not closed_right and value == 1):
        raise ValueError(f"`{name}` must be in [0, 1{']' if closed_right else ')'}, got {value!r}.")
    return value
