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

import functools
import math
import warnings
from typing import Any, Callable, Sequence

from core.arguments import UnknownArgumentError, refuse
from core.backend.config import floatx, snake_name, unique_name
from core.backend.ops import Ops
from core.optimizers import fused, schedules
from core.variables import Variable

#: ``update_step`` index meaning "the whole flat buffer".
FLAT = -1

_BASE_ARGUMENTS = ("learning_rate", "weight_decay", "clipnorm", "clipvalue", "global_clipnorm", "use_ema",
                   "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps",
                   "name")


class Optimizer:
    """Base class of all optimizers.

    Parameters
    ----------
    learning_rate : float, LearningRateSchedule or callable
        A float; a schedule called with the iteration count; or a function of
        no arguments called at every step (Keras's three forms).
    weight_decay : float, optional
        Decoupled weight decay: ``w ← w − w·wd·lr`` before each update.
    clipnorm, clipvalue, global_clipnorm : float, optional
        Gradient clipping, at most one of them (Keras semantics).
    use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps
        Keras's other base arguments: accepted at their defaults, refused
        (``NotImplementedError``) otherwise.
    name : str, optional
        Default: the snake-case class name, numbered per session (``adam_1``).
    lr : float, optional
        Alias of ``learning_rate`` accepted for the course notes' Keras 2 code.

    Attributes
    ----------
    slots : dict of str to list of array
        Per-variable state (``slots["momentum"][i]``), views into one flat buffer per kind.
    """

    #: names of the per-variable state slots, in Keras order
    slot_names: tuple[str, ...] = ()
    #: whose update rule this is: ``"keras"`` here, ``"torch"`` for :mod:`core.optimizers.torch_rules`
    update_rule = "keras"

    def __init__(
        self,
        learning_rate: float | Callable = 0.001,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        if "lr" in kwargs:
            learning_rate = kwargs.pop("lr")
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.", stacklevel=3)
        if kwargs:
            raise UnknownArgumentError(f"Argument(s) not recognized: {kwargs}")
        refuse(type(self).__name__, "Propscope trains with the plain update rule.", use_ema=use_ema,
               ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
               gradient_accumulation_steps=gradient_accumulation_steps)
        if not 0 <= ema_momentum <= 1:
            raise ValueError(f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}")
        if sum(x is not None for x in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set.")
        self._learning_rate: Any = None
        self.learning_rate = learning_rate
        self.weight_decay = None if weight_decay is None else _positive_float("weight_decay", weight_decay, True)
        self.clipnorm = None if clipnorm is None else _positive_float("clipnorm", clipnorm)
        self.clipvalue = None if clipvalue is None else _positive_float("clipvalue", clipvalue)
        self.global_clipnorm = None if global_clipnorm is None else _positive_float("global_clipnorm", global_clipnorm)
        self.use_ema, self.ema_momentum, self.ema_overwrite_frequency = False, ema_momentum, None
        self.loss_scale_factor = self.gradient_accumulation_steps = None
        self.name = name or unique_name(snake_name(type(self).__name__))
        self._iterations = 0
        self.built = False
        # After a compiled flat update: how many new weights or gradients were NaN/Inf (None: not known).
        self.flat_update_nonfinite: int | None = None
        self.slots: dict[str, list[Any]] = {}
        self._flat_slots: dict[str, Any] = {}
        self._flat_size = -1
        self._keys: list[str] = []
        self._ops: Ops | None = None

    # --- learning rate and iterations: Keras variables ---------------------------
    @property
    def learning_rate(self) -> Any:
        """The learning rate: a Variable for a float rate (assignable), the
        current value for a schedule or callable (as Keras returns a tensor)."""
        lr = self._learning_rate
        if isinstance(lr, schedules.LearningRateSchedule):
            return lr(self._iterations)
        if callable(lr):
            return lr()
        return self._lr_variable

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        if isinstance(value, Variable):
            value = float(value)
        if isinstance(value, schedules.LearningRateSchedule) or callable(value):
            self._learning_rate = value
            return
        if isinstance(self._learning_rate, schedules.LearningRateSchedule):
            raise TypeError("This optimizer was created with a `LearningRateSchedule` object as its "
                            "`learning_rate` constructor argument, hence its learning rate is not settable. If you "
                            "need the learning rate to be settable, you should instantiate the optimizer with a "
                            "float `learning_rate` argument.")
        self._learning_rate = _positive_float("learning_rate", value, allow_zero=True)

    def current_learning_rate(self) -> float:
        """The learning rate of the next update, as a Python float."""
        lr = self._learning_rate
        if isinstance(lr, schedules.LearningRateSchedule):
            return float(lr(self._iterations))
        return float(lr()) if callable(lr) else lr

    @property
    def _lr_variable(self) -> Variable:
        def write(array):
            self.learning_rate = float(array)
        return Variable("learning_rate", f"{self.name}/learning_rate", lambda: self._learning_rate, write, floatx)

    @property
    def iterations(self) -> Variable:
        """How many updates were applied (a Keras int variable; assignable)."""
        def write(array):
            self._iterations = int(array)
        return Variable("iteration", f"{self.name}/iteration", lambda: self._iterations, write, "int32")

    @iterations.setter
    def iterations(self, value: Any) -> None:
        self._iterations = int(value)

    @property
    def variables(self) -> list[Variable]:
        """Keras's ``optimizer.variables``: iteration, learning rate (when a float), then the state."""
        out = [self.iterations]
        if not callable(self._learning_rate):
            out.append(self._lr_variable)
        if self.built:
            for group in self.slot_groups():
                for k in range(len(self._keys)):
                    out.extend(self._slot_variable(name, k) for name in group)
            out.extend(self._extra_variables())
        return out

    def _slot_variable(self, name: str, index: int) -> Variable:
        ops = self._ops

        def write(array):
            ops.assign(self.slots[name][index], ops.asarray(array))
        full_name = f"{self._keys[index].replace('/', '_')}_{name}"
        return Variable(full_name, f"{self.name}/{full_name}", lambda: self.slots[name][index], write,
                        lambda: ops.dtype, to_numpy=ops.copy_numpy)

    def slot_groups(self) -> list[tuple[str, ...]]:
        """Active slots in the groups Keras creates them (its ``variables`` order)."""
        return [(name,) for name in self.active_slots()]

    def _extra_variables(self) -> list[Variable]:
        """Scalar state beyond the per-variable slots (Nadam's running product)."""
        return []

    # --- state ------------------------------------------------------------
    def build(self, variables: Sequence[Any], ops: Ops | None = None, keys: Sequence[str] | None = None) -> None:
        """Create the state slots for ``variables`` (zeros unless a subclass says otherwise).

        ``keys`` name the variables (their paths); later updates may cover a
        subset of them (a layer frozen after training started), never others.
        Called as Keras's ``optimizer.build(model.trainable_variables)`` it takes Variables.
        """
        if variables and isinstance(variables[0], Variable):
            keys = [v.path for v in variables] if keys is None else keys
            ops = ops or self._ops or _ops_of(variables[0])
            variables = [v.value for v in variables]
        if ops is None:
            raise TypeError("build() needs the backend ops (or Keras Variables).")
        self._ops = ops
        self._keys = list(keys) if keys is not None else [str(i) for i in range(len(variables))]
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

    def match_slots(self, variables: Sequence[Any]) -> None:
        """After an option that decides the state changed (SGD's ``momentum`` 0 → 0.9, ``amsgrad``…):
        give a built optimizer the slots it uses now. Slots it keeps keep their values; new ones start
        at their initial value (as PyTorch creates a momentum buffer on first use)."""
        if not self.built or set(self.slots) == set(self.active_slots()):
            return
        ops = self._ops
        kept = {name: [ops.to_numpy(a) for a in self.slots[name]] if name in self.slots else None
                for name in self.active_slots()}
        self._allocate_slots(variables, ops, kept)

    def active_slots(self) -> tuple[str, ...]:
        """Slots used with the current options (SGD without momentum has none)."""
        return self.slot_names

    def slot_initial_value(self, name: str) -> float:
        return 0.0

    def reset(self) -> None:
        """Forget all state, as a freshly constructed optimizer."""
        self._iterations = 0
        self.built = False
        self.slots = {}
        self._flat_slots = {}
        self._flat_size = -1
        self._keys = []

    def move_to(self, ops: Ops) -> None:
        """Move the state to another backend (when the model changes backend)."""
        if self._ops is not None and self.slots:
            old = self._ops
            values = {k: [old.to_numpy(a) for a in v] for k, v in self.slots.items()}
            first = next(iter(values.values()))
            self._allocate_slots(first, ops, values)
        self._ops = ops

    def _indices(self, keys: Sequence[str] | None, count: int) -> list[int] | None:
        """Slot indices of the variables ``keys`` (None: all of them, in build order)."""
        if keys is None or list(keys) == self._keys:
            return None
        known = {k: i for i, k in enumerate(self._keys)}
        missing = [k for k in keys if k not in known]
        if missing:
            raise ValueError(f"Unknown variable: {missing[0]}. This optimizer can only be called for the variables "
                             "it was originally built with. When working with a new set of variables, you should "
                             "recreate a new optimizer instance.")
        return [known[k] for k in keys]

    # --- the update ---------------------------------------------------------
    def apply(self, grads: Sequence[Any], variables: Sequence[Any], ops: Ops,
              keys: Sequence[str] | None = None) -> None:
        """Update ``variables`` (named ``keys``) in place from ``grads`` (Keras ``apply``)."""
        if not self.built:
            self.build(variables, ops, keys)
        index = self._indices(keys, len(variables))
        grads = self._clip_gradients(list(grads), ops)
        lr = self._begin_step(ops)
        for i, (g, v) in enumerate(zip(grads, variables)):
            self._decay_weights(ops, v, lr)
            self.update_step(ops, i if index is None else index[i], g, v, lr)
        self._iterations += 1

    def apply_flat(self, flat_grad: Any, flat_variable: Any, grads: Sequence[Any], variables: Sequence[Any],
                   ops: Ops, keys: Sequence[str] | None = None) -> None:
        """:meth:`apply` with ``grads``/``variables`` given also as the flat
        buffers they are views of; one ``update_step`` over the buffers.

        Falls back to :meth:`apply` when clipping is set (clipnorm is per
        variable, global_clipnorm sums in a per-variable order) or when the
        slots are not laid out like the buffers.
        """
        if self.clipnorm or self.global_clipnorm or self.clipvalue:
            return self.apply(grads, variables, ops, keys)
        if not self.built:
            self.build(variables, ops, keys)
        if self._flat_size != int(flat_variable.shape[0]) or self._indices(keys, len(variables)) is not None:
            return self.apply(grads, variables, ops, keys)
        lr = self._begin_step(ops)
        self.flat_update_nonfinite = None
        if not self._fused_update(ops, flat_grad, flat_variable, lr):
            self._decay_weights(ops, flat_variable, lr)
            self.update_step(ops, FLAT, flat_grad, flat_variable, lr)
        self._iterations += 1

    def _fused_update(self, ops: Ops, gradient: Any, variable: Any, lr: float) -> bool:
        """Weight decay and ``update_step`` over the flat buffers in one compiled pass, when possible.

        Bit-identical to the NumPy path (see :mod:`core.optimizers.fused`). Used only when the class
        that describes the fused form (:meth:`fused_spec`) also defines the update rule and its
        per-step scalars: a subclass with its own rule (a variant) falls back to its ``update_step``.
        """
        if ops.name != "numpy" or not _rule_is_own(type(self)):
            return False
        spec = self.fused_spec(lr)
        if spec is None:
            return False
        name, slots, scalars, flags = spec
        arrays = (variable, gradient, *(self._flat_slots[s] if s is not None else variable for s in slots))
        if not fused.usable(*arrays):
            return False
        decay = self.weight_decay is not None
        bad = fused.run(name, arrays, (self.weight_decay if decay else 0.0, lr, *scalars), (decay, *flags))
        if bad is None:
            return False
        self.flat_update_nonfinite = bad
        return True

    def fused_spec(self, lr: float) -> tuple[str, tuple, tuple, tuple] | None:
        """``(kernel, slot names, scalars, flags)`` of this optimizer's update for :mod:`core.optimizers.fused`
        (a slot name of None: a placeholder the kernel never touches), or None: no fused form."""
        return None

    def _begin_step(self, ops: Ops) -> float:
        """Per-step scalars (subclasses add theirs); returns the learning rate in the model dtype.

        Read at every step, so ``optimizer.learning_rate = x`` takes effect at
        the next update, on the flat-buffer path too, and keeps the state.
        """
        return ops.scalar(self.current_learning_rate())

    def _decay_weights(self, ops: Ops, variable: Any, lr: float) -> None:
        # Decoupled weight decay (Keras applies it to each variable before its update).
        if self.weight_decay is not None:
            wd = ops.scalar(self.weight_decay)
            ops.assign(variable, variable - variable * wd * lr)

    def update_step(self, ops: Ops, index: int, gradient: Any, variable: Any, learning_rate: float) -> None:
        raise NotImplementedError

    def describe_rule(self) -> str:
        """One line for the UI: which rule the updates follow."""
        return f"Keras 3's {type(self).__name__} update rule"

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
        """Keras's optimizer config (a schedule is serialized; the float rate is kept as given)."""
        lr = self._learning_rate
        if isinstance(lr, schedules.LearningRateSchedule):
            lr = schedules.serialize(lr)
        elif callable(lr):
            raise ValueError("An optimizer whose learning rate is a plain function cannot be serialized; use a "
                             "LearningRateSchedule.")
        return {
            "name": self.name,
            "learning_rate": lr,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Optimizer":
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"])
        return cls(**config)

    def __repr__(self) -> str:
        cfg = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items()
                        if k not in ("name", "use_ema", "ema_momentum") and v is not None)
        return f"{type(self).__name__}({cfg})"


@functools.lru_cache(maxsize=None)
def _rule_is_own(cls: type) -> bool:
    """Whether ``cls``'s fused form describes its own update: ``fused_spec`` and ``update_step`` come from one
    class, and neither that rule's per-step scalars (``_begin_step``) nor its weight decay were overridden below it."""
    def owner(name: str) -> type:
        return next(k for k in cls.__mro__ if name in vars(k))

    rule = owner("update_step")
    return owner("fused_spec") is rule and all(owner(n) in rule.__mro__ for n in ("_begin_step", "_decay_weights"))


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


def _ops_of(array: Any) -> Ops:
    from core.activations import _ops_for

    return _ops_for(array)
