"""Adam, with AMSGrad, and AdamW."""

from __future__ import annotations

import numpy as np

from core.optimizers.base import Optimizer, check_unit_interval


class Adam(Optimizer):
    """Keras 3 ``Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False)``.

    Update rule at step t = iterations + 1 (m and v start at 0)::

        α ← η·√(1 − β₂ᵗ) / (1 − β₁ᵗ)
        m ← m + (g − m)·(1 − β₁)
        v ← v + (g² − v)·(1 − β₂)
        amsgrad: v̂ ← max(v̂, v), use v̂ for v below
        w ← w − α·m / (√v + ε)

    Bias correction is folded into α, so ε is added to the *uncorrected* √v
    (the "epsilon hat" of the Adam paper), exactly as Keras does.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = check_unit_interval("beta_1", beta_1, closed_right=False)
        self.beta_2 = check_unit_interval("beta_2", beta_2, closed_right=False)
        if epsilon < 0:
            raise ValueError("`epsilon` must be ≥ 0.")
        self.epsilon = float(epsilon)
        self.amsgrad = bool(amsgrad)

    def active_slots(self):
        return ("momentum", "velocity", "velocity_hat") if self.amsgrad else ("momentum", "velocity")

    def slot_groups(self):
        return [("momentum", "velocity")] + ([("velocity_hat",)] if self.amsgrad else [])

    def _begin_step(self, ops):
        # α depends only on the step: compute it once per step, in the model
        # dtype, as Keras casts every term to the variable dtype.
        f = ops.scalar_type
        t = f(self._iterations + 1)
        lr = f(self.current_learning_rate())
        b1_power = np.power(f(self.beta_1), t)
        b2_power = np.power(f(self.beta_2), t)
        self._alpha = float(lr * np.sqrt(f(1) - b2_power) / (f(1) - b1_power))
        return super()._begin_step(ops)

    def update_step(self, ops, index, gradient, variable, learning_rate):
        m = self._slot("momentum", index)
        v = self._slot("velocity", index)
        t = ops.scratch((id(self), index, 0), variable)
        u = ops.scratch((id(self), index, 1), variable)
        ops.sub_into(t, gradient, m)                 # m ← m + (g − m)·(1 − β₁)
        ops.mul_(t, 1 - self.beta_1)
        ops.add_(m, t)
        ops.square_into(t, gradient)                 # v ← v + (g² − v)·(1 − β₂)
        ops.assign_sub(t, v)
        ops.mul_(t, 1 - self.beta_2)
        ops.add_(v, t)
        if self.amsgrad:
            v_hat = self._slot("velocity_hat", index)
            ops.assign(v_hat, ops.maximum(v_hat, v))
            v = v_hat
        ops.sqrt_into(t, v)                          # w ← w − α·m / (√v + ε)
        ops.add_(t, self.epsilon)
        ops.mul_into(u, m, self._alpha)
        ops.div_(u, t)
        ops.assign_sub(variable, u)

    def fused_spec(self, lr):
        return ("adam", ("momentum", "velocity", "velocity_hat" if self.amsgrad else None),
                (1 - self.beta_1, 1 - self.beta_2, self.epsilon, self._alpha), (self.amsgrad,))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}


class AdamW(Adam):
    """Keras 3 ``AdamW(learning_rate=0.001, weight_decay=0.004, ...)``.

    Adam with decoupled weight decay applied first, to every variable::

        w ← w − w·wd·η
        then the Adam update above.
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, **kwargs):
        if weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         amsgrad=amsgrad, weight_decay=weight_decay, **kwargs)
