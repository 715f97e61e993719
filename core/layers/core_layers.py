"""Keras's core layers: ``Dense``, ``Flatten`` and ``Activation``."""

from __future__ import annotations

import math
from typing import Any

from core import activations as activations_module
from core import initializers
from core import regularizers as regularizers_module
from core.arguments import refuse
from core.layers.base import Layer, WeightlessLayer

CONSTRAINTS_REFUSED = ("Weight constraints (max_norm, non_neg…) are not implemented; regularizers "
                       "(keras.regularizers.l1/l2/l1_l2) are.")


class Dense(Layer):
    """Keras ``Dense``: ``a = activation(x @ kernel + bias)``.

    Parameters
    ----------
    units : int
        Output size.
    activation : str or Activation, optional
        Default ``None`` (linear).
    use_bias : bool
        Default True.
    kernel_initializer, bias_initializer : str or Initializer
        Defaults ``"glorot_uniform"`` and ``"zeros"``, as in Keras.
    kernel_regularizer, bias_regularizer : str or Regularizer, optional
        Penalties on the weights (``keras.regularizers.l2(0.01)``), added to
        the loss while the weight trains; their gradient is added to ∂L/∂W.
    activity_regularizer : str or Regularizer, optional
        A penalty on the output ``a``, divided by the batch size.

    Notes
    -----
    Backward pass, for a batch of N samples::

        δ = ∂L/∂a ⊙ f′(z)          (softmax: a ⊙ (∂L/∂a − Σ ∂L/∂a ⊙ a))
        ∂L/∂W = xᵀ · δ             shape (in, units), as the kernel
        ∂L/∂b = Σ_samples δ
        ∂L/∂x = δ · Wᵀ             passed to the previous layer

    A frozen layer (``trainable=False``) still passes ∂L/∂x back, but its own
    gradients are not computed and its weights are not updated.
    """

    param_names = ("kernel", "bias")
    trainable_param_names = ("kernel", "bias")

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, lora_rank: int | None = None,
                 lora_alpha: float | None = None, quantization_config: Any = None, **kwargs: Any) -> None:
        refuse("Dense", CONSTRAINTS_REFUSED, kernel_constraint=kernel_constraint, bias_constraint=bias_constraint)
        refuse("Dense", "LoRA and quantization are outside what Propscope teaches.", lora_rank=lora_rank,
               lora_alpha=lora_alpha, quantization_config=quantization_config)
        if isinstance(units, bool) or not isinstance(units, int) and not hasattr(units, "__index__") or units <= 0:
            raise ValueError(
                f"Received an invalid value for `units`, expected a positive integer. Received: units={units!r}"
            )
        self.units = int(units)
        self.activation = activations_module.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        kernel_regularizer = regularizers_module.get(kernel_regularizer)
        bias_regularizer = regularizers_module.get(bias_regularizer)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.param_names = ("kernel", "bias") if self.use_bias else ("kernel",)
        self.regularizers = {k: r for k, r in (("kernel", kernel_regularizer), ("bias", bias_regularizer))
                             if r is not None}

    @property
    def kernel_regularizer(self):
        return self.regularizers.get("kernel")

    @property
    def bias_regularizer(self):
        return self.regularizers.get("bias")

    def compute_output_shape(self, input_shape):
        if len(input_shape) != 2:
            raise ValueError(
                f"Dense layer {self.name!r} expects flat input (batch, features), got {input_shape}; "
                "add a Flatten layer before it."
            )
        return (input_shape[0], self.units)

    def initial_weights(self, input_shape, rng):
        fan_in = int(input_shape[-1])
        weights = [self.kernel_initializer((fan_in, self.units), self.ops.dtype, rng)]
        if self.use_bias:
            weights.append(self.bias_initializer((self.units,), self.ops.dtype, rng))
        return weights

    @property
    def kernel(self):
        """The kernel as a Keras Variable (``.numpy()``, ``.assign()``…)."""
        return self._variables[0] if self._variables else None

    @property
    def bias(self):
        return self._variables[1] if self.use_bias and self._variables else None

    def forward(self, ops, x, training=False, record=None):
        z = x @ self.params[0]
        if self.use_bias:
            z = z + self.params[1]
        return z, self.activation.forward(ops, z)

    def backward(self, ops, x, z, a, grad_a, need_grad_x=True, grads_out=None, need_grads=True, record=None):
        delta = self.activation.backward(ops, z, a, grad_a)
        grad_x = delta @ self.params[0].T if need_grad_x else None
        if not need_grads:
            return delta, [], grad_x
        if grads_out:  # write into the engine's flat gradient buffer (core.flat)
            grads = [ops.matmul_into(grads_out[0], x.T, delta)]
            if self.use_bias:
                grads.append(ops.sum_into(grads_out[1], delta, 0))
            return delta, grads, grad_x
        grads = [x.T @ delta]
        if self.use_bias:
            grads.append(ops.sum(delta, axis=0))
        return delta, grads, grad_x

    def get_config(self):
        return {**super().get_config(), "units": self.units, "activation": self.activation.name,
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers_module.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers_module.serialize(self.bias_regularizer), "kernel_constraint": None,
                "bias_constraint": None, "quantization_config": None}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("kernel_initializer", "bias_initializer"):
            if isinstance(config.get(key), dict):
                config[key] = initializers.deserialize(config[key])
        return cls(**config)


class Flatten(WeightlessLayer):
    """Keras ``Flatten``: reshape each sample to a vector (no weights)."""

    computes = False  # only reshapes: part of showing the input, no phase of its own

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        if data_format not in (None, "channels_last", "channels_first"):
            raise ValueError(f"Invalid data_format {data_format!r}: expected 'channels_last' or 'channels_first'.")
        refuse("Flatten", "Only channels_last, the Keras default, is implemented.",
               data_format=None if data_format in (None, "channels_last") else data_format)
        super().__init__(**kwargs)
        self.data_format = "channels_last"

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else int(math.prod(rest))
        return (input_shape[0], size)

    def forward(self, ops, x, training=False, record=None):
        flat = x.reshape(x.shape[0], -1)
        return flat, flat

    def backward(self, ops, x, z, a, grad_a, need_grad_x=True, grads_out=None, need_grads=True, record=None):
        return grad_a, [], grad_a.reshape(x.shape) if need_grad_x else None

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class Activation(WeightlessLayer):
    """Keras ``Activation`` layer: applies an activation, no weights."""

    def __init__(self, activation: Any, **kwargs: Any) -> None:
        self.activation = activations_module.get(activation)
        super().__init__(**kwargs)

    def forward(self, ops, x, training=False, record=None):
        return x, self.activation.forward(ops, x)

    def local_backward(self, ops, x, a, grad_a):
        return self.activation.backward(ops, x, a, grad_a)

    def get_config(self):
        return {**super().get_config(), "activation": self.activation.name}
