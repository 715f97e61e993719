"""PyTorch's update rules, for models that come from ``torch.nn`` with a ``torch.optim`` optimizer.

Keras and PyTorch give the same optimizers different rules, so a step of a
model imported from PyTorch must follow PyTorch's to match it:

================  ==========================================  ==========================================
optimizer         Keras 3 (:mod:`core.optimizers`)             PyTorch (these classes)
================  ==========================================  ==========================================
SGD momentum      m ← μm − ηg;  w ← w + m                      b ← μb + (1 − d)g (b = g at first);
                                                               w ← w − ηb  (nesterov: w ← w − η(g + μb))
Adagrad           G starts at 0.1;  w ← w − ηg/√(G + ε)        G starts at 0;  w ← w − ηg/(√G + ε),
                                                               ε = 1e-10, η/(1 + (t − 1)·lr_decay)
RMSprop           ρ = 0.9, w ← w − ηg/√(v + ε), ε = 1e-7       α = 0.99, w ← w − ηg/(√v + ε), ε = 1e-8;
                  momentum buffer holds ηg/√(v + ε)            momentum buffer holds g/(√v + ε)
Adam              ε = 1e-7 added to the uncorrected √v         ε = 1e-8 added to the bias-corrected √v̂
weight_decay      decoupled (w ← w − ηλw), every optimizer     L2 (g ← g + λw), except AdamW
================  ==========================================  ==========================================

Each class here names its state as ``torch.optim`` does (``momentum_buffer``,
``sum``, ``square_avg``, ``exp_avg``…), carries :attr:`update_rule` =
``"torch"`` and :attr:`torch_class`, and writes its rule in its docstring.
Per-step scalars (bias corrections, the decayed learning rate) are computed
in Python floats as PyTorch does; the element-wise work runs on the model's
backend, on the flat buffers like every optimizer here.
"""

from __future__ import annotations

import math

from core.optimizers.base import Optimizer, check_unit_interval


class TorchRule(Optimizer):
    """Base of the PyTorch-rule optimizers: ``weight_decay`` is PyTorch's (L2 added to the gradient,
    decoupled for AdamW), not Keras's decoupled decay."""

    update_rule = "torch"
    #: the ``torch.optim`` class whose rule this is
    torch_class = ""

    def __init__(self, learning_rate, weight_decay: float = 0.0, **kwargs) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        if not math.isfinite(float(weight_decay)) or float(weight_decay) < 0:
            raise ValueError(f"`weight_decay` must be ≥ 0, got {weight_decay!r}.")
        self.torch_weight_decay = float(weight_decay)

    def _l2(self, ops, gradient, variable):
        """PyTorch's coupled weight decay: g + λw."""
        return gradient + variable * self.torch_weight_decay if self.torch_weight_decay else gradient

    def get_config(self):
        return {**super().get_config(), "weight_decay": self.torch_weight_decay}

    def describe_rule(self) -> str:
        """One line for the UI: which rule the updates follow."""
        return f"PyTorch's {self.torch_class} update rule"


class TorchSGD(TorchRule):
    """``torch.optim.SGD(lr, momentum=0, dampening=0, weight_decay=0, nesterov=False)``::

        g ← g + λw
        b ← g at the first step, then b ← μ·b + (1 − d)·g       (when μ > 0)
        w ← w − η·(g + μ·b)  if nesterov,  w ← w − η·b  otherwise  (w ← w − η·g when μ = 0)
    """

    torch_class = "torch.optim.SGD"

    def __init__(self, learning_rate=0.001, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate, weight_decay, **kwargs)
        self.momentum = float(momentum)
        if not math.isfinite(self.momentum) or self.momentum < 0:
            raise ValueError(f"`momentum` must be ≥ 0, got {momentum!r}.")
        self.dampening = float(dampening)
        self.nesterov = bool(nesterov)
        if self.nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening (as torch.optim.SGD).")

    def active_slots(self):
        return ("momentum_buffer",) if self.momentum else ()

    def _begin_step(self, ops):
        self._first = self._iterations == 0
        return super()._begin_step(ops)

    def update_step(self, ops, index, gradient, variable, learning_rate):
        g = self._l2(ops, gradient, variable)
        if self.momentum:
            b = self._slot("momentum_buffer", index)
            if self._first:
                ops.assign(b, g)
            else:
                ops.assign(b, b * self.momentum + g * (1 - self.dampening))
            g = g + b * self.momentum if self.nesterov else b
        ops.assign_sub(variable, g * learning_rate)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "dampening": self.dampening,
                "nesterov": self.nesterov}


class TorchAdagrad(TorchRule):
    """``torch.optim.Adagrad(lr=0.01, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10)``::

        g ← g + λw
        η_t = η / (1 + (t − 1)·lr_decay)
        G ← G + g²                  (G starts at initial_accumulator_value)
        w ← w − η_t·g / (√G + ε)
    """

    torch_class = "torch.optim.Adagrad"

    def __init__(self, learning_rate=0.01, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                 epsilon=1e-10, **kwargs):
        super().__init__(learning_rate, weight_decay, **kwargs)
        self.lr_decay = float(lr_decay)
        self.initial_accumulator_value = float(initial_accumulator_value)
        self.epsilon = float(epsilon)
        if self.lr_decay < 0 or self.initial_accumulator_value < 0 or self.epsilon < 0:
            raise ValueError("`lr_decay`, `initial_accumulator_value` and `epsilon` must be ≥ 0.")

    def active_slots(self):
        return ("sum",)

    def slot_initial_value(self, name):
        return self.initial_accumulator_value

    def _begin_step(self, ops):
        lr = self.current_learning_rate() / (1 + self._iterations * self.lr_decay)
        return ops.scalar(lr)

    def update_step(self, ops, index, gradient, variable, learning_rate):
        g = self._l2(ops, gradient, variable)
        total = self._slot("sum", index)
        ops.assign_add(total, g * g)
        ops.assign_sub(variable, (g * learning_rate) / (ops.sqrt(total) + self.epsilon))

    def get_config(self):
        return {**super().get_config(), "lr_decay": self.lr_decay,
                "initial_accumulator_value": self.initial_accumulator_value, "epsilon": self.epsilon}


class TorchRMSprop(TorchRule):
    """``torch.optim.RMSprop(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False)``::

        g ← g + λw
        v ← α·v + (1 − α)·g²
        centered:  ḡ ← ḡ + (1 − α)·(g − ḡ);  d = √(v − ḡ²) + ε
        otherwise: d = √v + ε
        momentum μ > 0:  b ← μ·b + g/d;  w ← w − η·b
        otherwise:       w ← w − η·g/d
    """

    torch_class = "torch.optim.RMSprop"

    def __init__(self, learning_rate=0.01, alpha=0.99, epsilon=1e-8, weight_decay=0.0, momentum=0.0, centered=False,
                 **kwargs):
        super().__init__(learning_rate, weight_decay, **kwargs)
        self.alpha = check_unit_interval("alpha", alpha)
        self.epsilon = float(epsilon)
        self.momentum = float(momentum)
        if self.epsilon < 0 or self.momentum < 0:
            raise ValueError("`epsilon` and `momentum` must be ≥ 0.")
        self.centered = bool(centered)

    def active_slots(self):
        return ("square_avg",) + (("momentum_buffer",) if self.momentum else ()) + \
            (("grad_avg",) if self.centered else ())

    def update_step(self, ops, index, gradient, variable, learning_rate):
        g = self._l2(ops, gradient, variable)
        v = self._slot("square_avg", index)
        ops.assign(v, v * self.alpha + g * g * (1 - self.alpha))
        if self.centered:
            avg = self._slot("grad_avg", index)
            ops.assign_add(avg, (g - avg) * (1 - self.alpha))
            denominator = ops.sqrt(v - avg * avg) + self.epsilon
        else:
            denominator = ops.sqrt(v) + self.epsilon
        if self.momentum:
            b = self._slot("momentum_buffer", index)
            ops.assign(b, b * self.momentum + g / denominator)
            ops.assign_sub(variable, b * learning_rate)
        else:
            ops.assign_sub(variable, (g / denominator) * learning_rate)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha, "epsilon": self.epsilon, "momentum": self.momentum,
                "centered": self.centered}


class TorchAdam(TorchRule):
    """``torch.optim.Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False)``,
    at step t = iterations + 1::

        g ← g + λw
        m ← m + (g − m)·(1 − β₁)
        v ← β₂·v + (1 − β₂)·g²
        amsgrad: v_max ← max(v_max, v), used for v below
        w ← w − (η / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε)

    ε is added after the bias correction of √v (Keras adds its ε before it).
    """

    torch_class = "torch.optim.Adam"
    decoupled = False

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, weight_decay=0.0,
                 amsgrad=False, **kwargs):
        super().__init__(learning_rate, weight_decay, **kwargs)
        self.beta_1 = check_unit_interval("beta_1", beta_1, closed_right=False)
        self.beta_2 = check_unit_interval("beta_2", beta_2, closed_right=False)
        self.epsilon = float(epsilon)
        if self.epsilon < 0:
            raise ValueError("`epsilon` must be ≥ 0.")
        self.amsgrad = bool(amsgrad)

    def active_slots(self):
        return ("exp_avg", "exp_avg_sq") + (("max_exp_avg_sq",) if self.amsgrad else ())

    def _begin_step(self, ops):
        t = self._iterations + 1
        lr = self.current_learning_rate()
        self._step_size = lr / (1 - self.beta_1 ** t)
        self._bias2_sqrt = math.sqrt(1 - self.beta_2 ** t)
        self._decay = 1 - lr * self.torch_weight_decay
        return super()._begin_step(ops)

    def update_step(self, ops, index, gradient, variable, learning_rate):
        if self.decoupled:
            if self.torch_weight_decay:
                ops.assign(variable, variable * self._decay)
            g = gradient
        else:
            g = self._l2(ops, gradient, variable)
        m = self._slot("exp_avg", index)
        v = self._slot("exp_avg_sq", index)
        ops.assign_add(m, (g - m) * (1 - self.beta_1))
        ops.assign(v, v * self.beta_2 + g * g * (1 - self.beta_2))
        if self.amsgrad:
            v_max = self._slot("max_exp_avg_sq", index)
            ops.assign(v_max, ops.maximum(v_max, v))
            v = v_max
        denominator = ops.sqrt(v) / self._bias2_sqrt + self.epsilon
        ops.assign_sub(variable, (m / denominator) * self._step_size)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                "amsgrad": self.amsgrad}


class TorchAdamW(TorchAdam):
    """``torch.optim.AdamW(lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False)``:
    :class:`TorchAdam` with decoupled decay first, ``w ← w·(1 − η·λ)``, and no L2 term."""

    torch_class = "torch.optim.AdamW"
    decoupled = True

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, weight_decay=0.01,
                 amsgrad=False, **kwargs):
        super().__init__(learning_rate, beta_1, beta_2, epsilon, weight_decay, amsgrad, **kwargs)


#: Class name → class, for session files and the torch importer.
TORCH_RULES = {cls.__name__: cls for cls in (TorchSGD, TorchAdagrad, TorchRMSprop, TorchAdam, TorchAdamW)}
