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

    default_name = "sgd"

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

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
