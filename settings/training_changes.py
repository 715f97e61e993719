"""How much of the training a change of training settings keeps (Qt-free).

A lecturer who changes the learning rate mid-run expects what Keras does with
``model.optimizer.learning_rate = 0.1``: the next update uses it, nothing else
changes. So a change is applied as narrowly as it can be:

- **epochs** only: the session's epoch count; training continues.
- optimizer **hyper-parameters** (same optimizer type): from the next update,
  keeping the optimizer's state (:meth:`TrainingSession.set_hyperparameters`).
- **batch size**, backend, device or precision: the same model — weights and
  optimizer state, iteration count included — in a new session (as calling
  ``fit`` again with another ``batch_size``: a new history, the same model).
- **loss, optimizer type or seed**: a new model from step 0. Only this kind
  discards training progress, so only this kind asks first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.stepper import builder
from core.stepper.hyper import MUTABLE
from settings import vocabulary
from settings.config import TrainConfig

#: Settings whose change builds a new model (the initial weights or the loss change).
RESTART_FIELDS = ("loss", "optimizer", "seed")
#: Settings a new session on the same model takes.
SESSION_FIELDS = ("batch_size", "backend", "device", "dtype")


@dataclass(frozen=True)
class TrainingChange:
    """What differs between two :class:`TrainConfig` and what that costs."""

    restart: bool = False
    new_session: bool = False
    hyper: dict[str, Any] = field(default_factory=dict)
    epochs: bool = False

    @property
    def discards_progress(self) -> bool:
        """Only a new model throws training away (asks first)."""
        return self.restart

    @property
    def empty(self) -> bool:
        return not (self.restart or self.new_session or self.hyper or self.epochs)


def _full_hyper(config: TrainConfig) -> dict[str, Any]:
    defaults = vocabulary.optimizer_defaults(config.optimizer)
    return {key: config.hyper.get(key, default) for key, default in defaults.items()}


def describe_change(old: TrainConfig, new: TrainConfig) -> TrainingChange:
    """Classify the change from ``old`` to ``new`` (see the module docstring)."""
    if any(getattr(old, name) != getattr(new, name) for name in RESTART_FIELDS):
        return TrainingChange(restart=True)
    before, after = _full_hyper(old), _full_hyper(new)
    hyper = {key: value for key, value in after.items() if before.get(key) != value}
    if any(key not in MUTABLE for key in hyper):
        return TrainingChange(restart=True)
    return TrainingChange(new_session=any(getattr(old, name) != getattr(new, name) for name in SESSION_FIELDS),
                          hyper=hyper, epochs=old.epochs != new.epochs)


def check_optimizer(config: TrainConfig) -> None:
    """Raise ``ValueError`` with Keras's message when the optimizer would reject these values."""
    config.make_optimizer()


def continue_session(session, prepared, old: TrainConfig, new: TrainConfig):
    """A new session on ``session``'s model — same weights, optimizer state and iteration count —
    with the batch size, backend, device and precision of ``new``."""
    model = session.model
    if (old.backend, old.device, old.dtype) != (new.backend, new.device, new.dtype):
        model.set_backend(new.backend, new.device, new.dtype)
    return builder.build_session(model, prepared.x_train, prepared.y_train,
                                 validation=(prepared.x_val, prepared.y_val), batch_size=new.batch_size,
                                 epochs=new.epochs, seed=new.seed)
