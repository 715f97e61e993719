"""Stochastic gradient descent with optional (Nesterov) momentum."""

from __future__ import annotations

from core.optimizers.base import Optimizer, check_unit_interval


class SGD(Optimizer):
    """Keras 3 ``SGD(learning_rate=0.01, momentum=0.0, nesterov=False)``.

    Update rule, for gradient g, learning rate η and momentum μ::

        μ = 0:            w ← w − η·g
        μ > 0:            m ← μ·m − η·g          (m starts at 0)
                          w ← w + m
        nesterov=True:    m ← μ·m − η·g
                          w ← w + μ·m − η·g

    Parameters
    ----------
    learning_rate : float
        η, default 0.01 (``lr=`` is accepted too).
    momentum : float
        μ in [0, 1], default 0.0.
    nesterov : bool
        Use Nesterov momentum, default False.
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.momentum = check_unit_interval("momentum", momentum)
        self.nesterov = bool(nesterov)

    def active_slots(self):
        return ("momentum",) if self.momentum != 0 else ()

    def update_step(self, ops, index, gradient, variable, learning_rate):
        if self.momentum == 0:
            ops.assign_sub(variable, gradient * learning_rate)
            return
        m = self._slot("momentum", index)
        ops.assign(m, m * self.momentum - gradient * learning_rate)
        if self.nesterov:
            ops.assign_add(variable, m * self.momentum - gradient * learning_rate)
        else:
            ops.assign_add(variable, m)

    def fused_spec(self, lr):
        return ("sgd", ("momentum" if self.momentum != 0 else None,), (self.momentum,),
                (self.momentum != 0, self.nesterov))

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}


class Lion(Optimizer):
    """Keras 3 ``Lion(learning_rate=0.001, beta_1=0.9, beta_2=0.99)``: the sign of an interpolated momentum.

    Update rule (m starts at 0)::

        w ← w − η·sign(β₁·m + (1 − β₁)·g)
        m ← β₂·m + (1 − β₂)·g
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError("Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates "
                             f"to SignSGD. Received: beta_1={beta_1}.")
        self.beta_1 = float(beta_1)
        self.beta_2 = check_unit_interval("beta_2", beta_2)

    def active_slots(self):
        return ("momentum",)

    def update_step(self, ops, index, gradient, variable, learning_rate):
        m = self._slot("momentum", index)
        c = ops.sign(m * self.beta_1 + gradient * (1 - self.beta_1))
        ops.assign_sub(variable, c * learning_rate)
        ops.assign(m, m * self.beta_2 + gradient * (1 - self.beta_2))

    def fused_spec(self, lr):
        return ("lion", ("momentum",), (self.beta_1, 1 - self.beta_1, self.beta_2, 1 - self.beta_2, 1.0, 0.0), ())

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
