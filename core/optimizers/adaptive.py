"""Adaptive learning-rate optimizers: Adagrad and RMSprop."""

from __future__ import annotations

import math

from core.optimizers.base import Optimizer, check_unit_interval


class Adagrad(Optimizer):
    """Keras 3 ``Adagrad(learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7)``.

    Update rule (the accumulator starts at ``initial_accumulator_value``)::

        G ← G + g²
        w ← w − η·g / √(G + ε)

    Note where ε sits: inside the square root, as in Keras.
    """

    slot_names = ("accumulator",)

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if initial_accumulator_value < 0 or not math.isfinite(initial_accumulator_value):
            raise ValueError("`initial_accumulator_value` must be ≥ 0.")
        if epsilon < 0:
            raise ValueError("`epsilon` must be ≥ 0.")
        self.initial_accumulator_value = float(initial_accumulator_value)
        self.epsilon = float(epsilon)

    def slot_initial_value(self, name):
        return self.initial_accumulator_value

    def update_step(self, ops, index, gradient, variable, learning_rate):
        acc = self._slot("accumulator", index)
        ops.assign_add(acc, ops.square(gradient))
        ops.assign_sub(variable, (learning_rate * gradient) / ops.sqrt(acc + self.epsilon))

    def fused_spec(self, lr):
        return ("adagrad", ("accumulator",), (self.epsilon,), ())

    def get_config(self):
        return {**super().get_config(), "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}


class RMSprop(Optimizer):
    """Keras 3 ``RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False)``.

    Update rule (all state starts at 0)::

        v ← ρ·v + (1 − ρ)·g²
        centered:  ḡ ← ρ·ḡ + (1 − ρ)·g;   d = v − ḡ² + ε
        otherwise: d = v + ε
        Δ = η·g / √d
        momentum μ > 0:  m ← μ·m + Δ;  w ← w − m
        otherwise:       w ← w − Δ

    The default optimizer of ``compile()``, as in Keras.
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = check_unit_interval("rho", rho)
        self.momentum = check_unit_interval("momentum", momentum)
        if epsilon < 0:
            raise ValueError("`epsilon` must be ≥ 0.")
        self.epsilon = float(epsilon)
        self.centered = bool(centered)

    def active_slots(self):
        slots = ["velocity"]
        if self.momentum > 0:
            slots.append("momentum")
        if self.centered:
            slots.append("average_gradient")
        return tuple(slots)

    def update_step(self, ops, index, gradient, variable, learning_rate):
        rho = self.rho
        v = self._slot("velocity", index)
        ops.assign(v, rho * v + (1 - rho) * ops.square(gradient))
        if self.centered:
            avg = self._slot("average_gradient", index)
            ops.assign(avg, rho * avg + (1 - rho) * gradient)
            denominator = v - ops.square(avg) + self.epsilon
        else:
            denominator = v + self.epsilon
        increment = (learning_rate * gradient) / ops.sqrt(denominator)
        if self.momentum > 0:
            m = self._slot("momentum", index)
            ops.assign(m, self.momentum * m + increment)
            ops.assign_sub(variable, m)
        else:
            ops.assign_sub(variable, increment)

    def fused_spec(self, lr):
        return ("rmsprop", ("velocity", "average_gradient" if self.centered else None,
                            "momentum" if self.momentum > 0 else None),
                (self.rho, 1 - self.rho, self.epsilon, self.momentum), (self.centered, self.momentum > 0))

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}


class Adadelta(Optimizer):
    """Keras 3 ``Adadelta(learning_rate=0.001, rho=0.95, epsilon=1e-7)``.

    Update rule (both accumulators start at 0)::

        G ← ρ·G + (1 − ρ)·g²
        Δ = −√(D + ε)·g / √(G + ε)
        D ← ρ·D + (1 − ρ)·Δ²
        w ← w + η·Δ
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = check_unit_interval("rho", rho)
        self.epsilon = float(epsilon)

    def active_slots(self):
        return ("accumulated_grad", "accumulated_delta_var")

    def slot_groups(self):
        return [("accumulated_grad", "accumulated_delta_var")]

    def update_step(self, ops, index, gradient, variable, learning_rate):
        rho, eps = self.rho, self.epsilon
        acc_g = self._slot("accumulated_grad", index)
        acc_d = self._slot("accumulated_delta_var", index)
        ops.assign(acc_g, acc_g * rho + gradient * gradient * (1 - rho))
        delta = ((ops.sqrt(acc_d + eps) * gradient) / ops.sqrt(acc_g + eps)) * -1.0
        ops.assign(acc_d, acc_d * rho + delta * delta * (1 - rho))
        ops.assign_add(variable, delta * learning_rate)

    def fused_spec(self, lr):
        return ("adadelta", ("accumulated_grad", "accumulated_delta_var"), (self.rho, 1 - self.rho, self.epsilon, -1.0),
                ())

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
