"""Learning-rate schedules (Keras ``keras.optimizers.schedules``).

A schedule is called with the optimizer's iteration count (before the
update) and returns the learning rate of that update. As in Keras, the
arithmetic runs in float32 (Keras converts the Python numbers to float32
tensors), so the rates are the ones Keras computes. Every schedule
round-trips through ``get_config()`` / ``from_config()`` and through
:func:`serialize` / :func:`deserialize`, which is what an optimizer's own
``get_config`` uses.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

_F = np.float32


class LearningRateSchedule:
    """Base class: ``schedule(step) -> learning rate``."""

    def __call__(self, step) -> np.float32:
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override "
                                  "`__call__(self, step)`.")

    def get_config(self) -> dict[str, Any]:
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override `get_config()` "
                                  "in order to be serializable.")

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "LearningRateSchedule":
        return cls(**config)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_config().items())})"


def _positive_steps(name: str, value) -> None:
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class ExponentialDecay(LearningRateSchedule):
    """``η₀ · rate^(step / decay_steps)``, floored exponent when ``staircase``."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay"):
        _positive_steps("decay_steps", decay_steps)
        self.initial_learning_rate, self.decay_steps, self.decay_rate = initial_learning_rate, decay_steps, decay_rate
        self.staircase, self.name = staircase, name

    def __call__(self, step):
        p = _F(step) / _F(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        return _F(self.initial_learning_rate) * np.power(_F(self.decay_rate), p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class InverseTimeDecay(LearningRateSchedule):
    """``η₀ / (1 + rate · step / decay_steps)``."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="InverseTimeDecay"):
        _positive_steps("decay_steps", decay_steps)
        self.initial_learning_rate, self.decay_steps, self.decay_rate = initial_learning_rate, decay_steps, decay_rate
        self.staircase, self.name = staircase, name

    def __call__(self, step):
        p = _F(step) / _F(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        return _F(self.initial_learning_rate) / (_F(1) + _F(self.decay_rate) * p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` while ``step ≤ boundaries[0]``, ``values[i]`` on ``(b[i-1], b[i]]``, ``values[-1]`` after."""

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(f"The length of boundaries should be 1 less than the length of values. Received: "
                             f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of length "
                             f"{len(values)}.")
        self.boundaries, self.values, self.name = list(boundaries), list(values), name

    def __call__(self, step):
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return _F(value)
        return _F(self.values[-1])

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """``(η₀ − η_end)·(1 − step/decay_steps)^power + η_end``, with ``cycle`` restarting."""

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False,
                 name="PolynomialDecay"):
        _positive_steps("decay_steps", decay_steps)
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.end_learning_rate, self.power, self.cycle, self.name = end_learning_rate, power, cycle, name

    def __call__(self, step):
        lr0, end, steps = _F(self.initial_learning_rate), _F(self.end_learning_rate), _F(self.decay_steps)
        s = _F(step)
        if self.cycle:
            steps = steps * (_F(1.0) if s == 0 else np.ceil(s / _F(self.decay_steps)))
        else:
            s = min(s, steps)
        p = s / steps
        return (lr0 - end) * np.power(_F(1) - p, _F(self.power)) + end

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": self.cycle,
                "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Half a cosine from η₀ to ``alpha``·η₀ over ``decay_steps``, after an optional linear warm-up."""

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay", warmup_target=None,
                 warmup_steps=0):
        _positive_steps("decay_steps", decay_steps)
        self.initial_learning_rate, self.decay_steps, self.alpha, self.name = initial_learning_rate, decay_steps, \
            alpha, name
        self.warmup_target, self.warmup_steps = warmup_target, warmup_steps

    def _decay(self, step, decay_steps, lr):
        cosine = _F(0.5) * (_F(1.0) + np.cos(_F(math.pi) * (step / decay_steps)))
        return lr * ((_F(1) - _F(self.alpha)) * cosine + _F(self.alpha))

    def __call__(self, step):
        lr0, decay_steps, s = _F(self.initial_learning_rate), _F(self.decay_steps), _F(step)
        if self.warmup_target is None:
            return self._decay(min(s, decay_steps), decay_steps, lr0)
        target, warmup = _F(self.warmup_target), _F(self.warmup_steps)
        s = min(s, decay_steps + warmup)
        if s < warmup:
            return (target - lr0) * (s / warmup) + lr0
        return self._decay(s - warmup, decay_steps, target)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """SGDR: cosine decays restarting after ``first_decay_steps``·``t_mul``ⁱ steps, scaled by ``m_mul``ⁱ."""

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name="SGDRDecay"):
        _positive_steps("first_decay_steps", first_decay_steps)
        self.initial_learning_rate, self.first_decay_steps = initial_learning_rate, first_decay_steps
        self._t_mul, self._m_mul, self.alpha, self.name = t_mul, m_mul, alpha, name

    def __call__(self, step):
        t_mul, fraction = _F(self._t_mul), _F(step) / _F(self.first_decay_steps)
        if t_mul == 1.0:
            restart = np.floor(fraction)
            fraction = fraction - restart
        else:
            restart = np.floor(np.log(_F(1.0) - fraction * (_F(1.0) - t_mul)) / np.log(t_mul))
            done = (_F(1.0) - np.power(t_mul, restart)) / (_F(1.0) - t_mul)
            fraction = (fraction - done) / np.power(t_mul, restart)
        cosine = _F(0.5) * np.power(_F(self._m_mul), restart) * (_F(1.0) + np.cos(_F(math.pi) * fraction))
        return _F(self.initial_learning_rate) * ((_F(1) - _F(self.alpha)) * cosine + _F(self.alpha))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self._t_mul, "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


_CLASSES = {cls.__name__: cls for cls in (ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay,
                                          PolynomialDecay, CosineDecay, CosineDecayRestarts)}


def serialize(schedule: LearningRateSchedule) -> dict[str, Any]:
    """Keras's serialized form, as an optimizer's ``get_config()["learning_rate"]`` holds it."""
    return {"module": "keras.optimizers.schedules", "class_name": type(schedule).__name__,
            "config": schedule.get_config(), "registered_name": None}


def deserialize(config: dict[str, Any]) -> LearningRateSchedule:
    cls = _CLASSES.get(config.get("class_name"))
    if cls is None:
        raise ValueError(f"Unknown learning rate schedule {config.get('class_name')!r}; known: {', '.join(_CLASSES)}.")
    return cls.from_config(config.get("config", {}))
