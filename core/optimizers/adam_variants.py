"""Nadam and Adamax, the Adam variants of Keras 3.

The update rules follow Keras's torch backend (``torch_nadam``/``torch_adamax``)
operation for operation; per-step scalars are computed once per step in the
model dtype, as Keras casts them to the variable dtype.
"""

from __future__ import annotations

import numpy as np

from core.optimizers.base import Optimizer, check_unit_interval
from core.variables import Variable


class Nadam(Optimizer):
    """Keras 3 ``Nadam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7)``: Adam with Nesterov momentum.

    At step t = iterations + 1, with μ_t = β₁·(1 − ½·0.96ᵗ) and Π_t = μ₁⋯μ_t::

        m ← β₁·m + (1 − β₁)·g
        v ← β₂·v + (1 − β₂)·g²
        m̂ = μ_{t+1}·m / (1 − Π_t·μ_{t+1}) + (1 − μ_t)·g / (1 − Π_t)
        v̂ = v / (1 − β₂ᵗ)
        w ← w − η·m̂ / (√v̂ + ε)
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = check_unit_interval("beta_1", beta_1)
        self.beta_2 = check_unit_interval("beta_2", beta_2)
        self.epsilon = float(epsilon)
        self._products = [1.0]  # Π after 0, 1, 2… steps, in the dtype of the last build

    def slot_groups(self):
        return [("momentum", "velocity")]

    def active_slots(self):
        return ("momentum", "velocity")

    def _u_product(self, steps: int, f) -> float:
        """Π_{t≤steps} μ_t, accumulated step by step in the model dtype exactly as Keras's variable is
        (recomputed from the iteration count, so rewinding needs no extra state)."""
        if getattr(self, "_product_type", None) is not f:
            self._products, self._product_type = [f(1.0)], f
        while len(self._products) <= steps:
            t = f(len(self._products))
            u_t = f(self.beta_1) * (f(1.0) - f(0.5) * np.power(f(0.96), t))
            self._products.append(f(self._products[-1] * u_t))
        return self._products[steps]

    def _begin_step(self, ops):
        f = ops.scalar_type
        t = f(self._iterations + 1)
        b1 = f(self.beta_1)
        u_t = b1 * (f(1.0) - f(0.5) * np.power(f(0.96), t))
        u_t1 = b1 * (f(1.0) - f(0.5) * np.power(f(0.96), t + f(1)))
        product_t = self._u_product(self._iterations + 1, f)
        self._step_scalars = (float(u_t1), float(f(1) - product_t * u_t1), float(f(1) - u_t), float(f(1) - product_t),
                              float(f(1) - np.power(f(self.beta_2), t)))
        return super()._begin_step(ops)

    def update_step(self, ops, index, gradient, variable, learning_rate):
        u_t1, denom_m, one_minus_u_t, denom_g, bias_v = self._step_scalars
        m = self._slot("momentum", index)
        v = self._slot("velocity", index)
        ops.assign(m, m * self.beta_1 + gradient * (1 - self.beta_1))
        ops.assign(v, v * self.beta_2 + gradient * gradient * (1 - self.beta_2))
        m_hat = (m * u_t1) / denom_m + (gradient * one_minus_u_t) / denom_g
        v_hat = v / bias_v
        ops.assign_sub(variable, (m_hat * learning_rate) / (ops.sqrt(v_hat) + self.epsilon))

    def fused_spec(self, lr):
        u_t1, denom_m, one_minus_u_t, denom_g, bias_v = self._step_scalars
        return ("nadam", ("momentum", "velocity"), (self.beta_1, 1 - self.beta_1, self.beta_2, 1 - self.beta_2, u_t1,
                                                   denom_m, one_minus_u_t, denom_g, bias_v, self.epsilon), ())

    def _extra_variables(self):
        f = self._ops.scalar_type

        def write(array):
            raise ValueError("Nadam's u_product follows from the iteration count; assign `iterations` instead.")
        return [Variable("u_product", f"{self.name}/u_product", lambda: self._u_product(self._iterations, f), write,
                         self._ops.dtype)]

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}


class Adamax(Optimizer):
    """Keras 3 ``Adamax(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7)``: Adam with the infinity norm.

    At step t = iterations + 1::

        m ← β₁·m + (1 − β₁)·g
        u ← max(β₂·u, |g|)
        w ← w − η·m / ((u + ε)·(1 − β₁ᵗ))
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = check_unit_interval("beta_1", beta_1)
        self.beta_2 = check_unit_interval("beta_2", beta_2)
        self.epsilon = float(epsilon)

    def active_slots(self):
        return ("momentum", "norm")

    def slot_groups(self):
        return [("momentum", "norm")]

    def _begin_step(self, ops):
        f = ops.scalar_type
        self._bias = float(f(1) - np.power(f(self.beta_1), f(self._iterations + 1)))
        return super()._begin_step(ops)

    def update_step(self, ops, index, gradient, variable, learning_rate):
        m = self._slot("momentum", index)
        u = self._slot("norm", index)
        ops.assign(m, m * self.beta_1 + gradient * (1 - self.beta_1))
        ops.assign(u, ops.maximum(u * self.beta_2, ops.abs(gradient)))
        ops.assign_sub(variable, (m * learning_rate) / ((u + self.epsilon) * self._bias))

    def fused_spec(self, lr):
        return ("adamax", ("momentum", "norm"), (self.beta_1, 1 - self.beta_1, self.beta_2, self.epsilon, self._bias),
                ())

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
