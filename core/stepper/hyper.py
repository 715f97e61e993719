"""Optimizer hyper-parameters changed during training, remembered by step.

Assigning ``model.optimizer.learning_rate = 0.1`` in Keras applies from the
next update and keeps the optimizer's state (momenta, moving averages,
iteration count). A :class:`~core.stepper.TrainingSession` does the same, and
also rewinds: replaying an earlier batch must use the values that were in
force when it first ran. :class:`HyperSchedule` keeps the values at step 0 and
every change with the step it applies after, so a checkpoint restore or a
replay sets the optimizer to exactly what it had then.

Options that decide which state an optimizer keeps (SGD's ``momentum`` going
from 0 to 0.9, Adam's ``amsgrad``, RMSprop's ``centered``) may change too: the
state slots that appear start at their initial value (zeros), as PyTorch
creates a momentum buffer on first use; the others keep their values.
"""

from __future__ import annotations

from typing import Any, Sequence

#: Hyper-parameters a session may change in place (each an attribute of the optimizer).
MUTABLE = ("learning_rate", "momentum", "nesterov", "beta_1", "beta_2", "epsilon", "amsgrad", "rho", "centered",
           "initial_accumulator_value", "weight_decay")


def current_values(optimizer) -> dict[str, Any]:
    """The optimizer's mutable hyper-parameters now (``learning_rate`` as set, not scheduled)."""
    config = optimizer.get_config()
    return {key: config[key] for key in MUTABLE if key in config and not isinstance(config[key], dict)}


class HyperSchedule:
    """The hyper-parameters at step 0 and each later change, by step.

    Parameters
    ----------
    optimizer : core.optimizers.Optimizer
        Its current values are those of step 0.
    """

    def __init__(self, optimizer) -> None:
        self.initial = current_values(optimizer)
        self.changes: dict[int, dict[str, Any]] = {}

    def values_at(self, step: int) -> dict[str, Any]:
        """What was in force for the update after ``step`` updates."""
        values = dict(self.initial)
        for at in sorted(s for s in self.changes if s <= step):
            values.update(self.changes[at])
        return values

    def record(self, step: int, values: dict[str, Any]) -> None:
        """Values that apply from the update after ``step`` updates; later changes are forgotten
        (they belonged to a future that training from ``step`` now rewrites)."""
        same_step = self.changes.get(step, {})
        self.changes = {s: v for s, v in self.changes.items() if s < step}
        self.changes[step] = {**same_step, **values}

    def changes_at(self, step: int) -> bool:
        return step in self.changes

    def apply(self, step: int, optimizer, variables: Sequence[Any]) -> None:
        """Set ``optimizer`` to the values of ``step``, keeping (and, if its slots change, adapting) its state."""
        set_values(optimizer, self.values_at(step), variables)


def set_values(optimizer, values: dict[str, Any], variables: Sequence[Any]) -> None:
    """Assign hyper-parameters as Keras code does (``optimizer.learning_rate = x``), then give a built
    optimizer the state slots its new options use."""
    for key, value in values.items():
        if key not in MUTABLE:
            raise ValueError(f"{type(optimizer).__name__} has no hyper-parameter {key!r} to change.")
        if key == "weight_decay" and value is not None:
            value = float(value)
        setattr(optimizer, key, value)
    optimizer.match_slots(list(variables))

