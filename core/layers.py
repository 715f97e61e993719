"""Layers: ``Input``, ``Dense``, ``Flatten`` and ``Activation``, Keras-style.

Each layer keeps its backward pass beside its forward pass (micrograd's
clarity): ``forward(ops, x) -> (z, a)`` and
``backward(ops, x, z, a, grad_a) -> (delta, grads, grad_x)`` with
δ = ∂L/∂z, ``grads`` = [∂L/∂W, ∂L/∂b] in Keras variable order and
``grad_x`` = ∂L/∂a_prev. The training engine and the stepper call exactly
these, so every intermediate value can be shown.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from core import activations as activations_module
from core import initializers
from core.backend.config import floatx, unique_name
from core.backend.ops import NumpyOps, Ops


class KerasTensor:
    """A symbolic tensor of the functional API: a shape and the layer that made it."""

    def __init__(self, shape: tuple, layer: "Layer", parent: "KerasTensor | None" = None) -> None:
        self.shape = tuple(shape)
        self.layer = layer
        self.parent = parent

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, source={self.layer.name}>"


class Variable:
    """A view of one layer weight with Keras's ``Variable`` surface."""

    def __init__(self, layer: "Layer", index: int) -> None:
        self._layer = layer
        self._index = index

    @property
    def name(self) -> str:
        return self._layer.param_names[self._index]

    @property
    def path(self) -> str:
        prefix = f"{self._layer.model_name}/" if self._layer.model_name else ""
        return f"{prefix}{self._layer.name}/{self.name}"

    @property
    def value(self):
        return self._layer.params[self._index]

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.value.shape)

    @property
    def dtype(self) -> str:
        return self._layer.ops.dtype

    def numpy(self) -> np.ndarray:
        return self._layer.ops.copy_numpy(self.value)

    def assign(self, value: Any) -> None:
        value = np.asarray(value)
        if value.shape != self.shape:
            raise ValueError(f"Cannot assign shape {value.shape} to {self.path} of shape {self.shape}.")
        self._layer.ops.assign(self.value, self._layer.ops.asarray(value))

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.numpy(), dtype=dtype)

    def __repr__(self) -> str:
        return f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}>"


class Layer:
    """Base layer.

    Parameters
    ----------
    name : str, optional
        Defaults to the snake-case class name, numbered per session (``dense_1``).
    input_shape : tuple, optional
        Shape of one sample; builds the layer (and a Sequential model) at once.
    """

    param_names: tuple[str, ...] = ()

    def __init__(self, name: str | None = None, input_shape: Sequence[int] | None = None,
                 input_dim: int | None = None, dtype: str | None = None, trainable: bool = True) -> None:
        if name is not None and (not isinstance(name, str) or not name or "/" in name):
            raise ValueError(f"Invalid layer name {name!r}: use a non-empty string without '/'.")
        self.name = name or unique_name(_snake(type(self).__name__))
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        self.declared_input_shape = _as_shape(input_shape) if input_shape is not None else None
        self.dtype = dtype
        self.trainable = trainable
        self.ops: Ops = NumpyOps(dtype or floatx())
        self.params: list[Any] = []
        self.built = False
        self.input_shape: tuple | None = None  # (None, ...) once built
        self.output_shape: tuple | None = None
        self.model_name = ""

    # --- building -------------------------------------------------------
    def build(self, input_shape: tuple, rng: np.random.Generator | None = None) -> None:
        """Create weights for ``input_shape`` (batch dimension included, may be None)."""
        self.input_shape = tuple(input_shape)
        self.output_shape = self.compute_output_shape(self.input_shape)
        self.params = [self.ops.asarray(w) for w in self.initial_weights(self.input_shape, rng)]
        self.built = True

    def initial_weights(self, input_shape: tuple, rng) -> list[np.ndarray]:
        return []

    def reinitialize(self, rng: np.random.Generator | None = None) -> None:
        """Draw fresh initial weights (same shapes) from ``rng``."""
        if not self.built:
            raise RuntimeError(f"Layer {self.name!r} is not built yet.")
        for var, new in zip(self.params, self.initial_weights(self.input_shape, rng)):
            self.ops.assign(var, self.ops.asarray(new))

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def to_backend(self, ops: Ops) -> None:
        """Move weights to another backend or dtype."""
        self.params = [ops.asarray(self.ops.to_numpy(p)) for p in self.params]
        self.ops = ops

    # --- maths ------------------------------------------------------------
    def forward(self, ops: Ops, x: Any) -> tuple[Any, Any]:
        raise NotImplementedError

    def backward(self, ops: Ops, x, z, a, grad_a, need_grad_x: bool = True, grads_out=None):
        raise NotImplementedError

    # --- Keras surface -------------------------------------------------------
    @property
    def weights(self) -> list[Variable]:
        return [Variable(self, i) for i in range(len(self.params))]

    trainable_weights = weights

    @property
    def non_trainable_weights(self) -> list[Variable]:
        return []

    def get_weights(self) -> list[np.ndarray]:
        return [self.ops.copy_numpy(p) for p in self.params]

    def set_weights(self, weights: Sequence[Any]) -> None:
        weights = list(weights)
        if len(weights) != len(self.params):
            raise ValueError(
                f"Layer {self.name!r} expects {len(self.params)} weight arrays, got {len(weights)}."
            )
        for var, (pname, w) in zip(self.params, zip(self.param_names, weights)):
            w = np.asarray(w)
            if tuple(w.shape) != tuple(var.shape):
                raise ValueError(
                    f"Layer {self.name!r} {pname}: expected shape {tuple(var.shape)}, got {tuple(w.shape)}."
                )
            if not np.all(np.isfinite(w)):
                raise ValueError(f"Layer {self.name!r} {pname}: weights contain NaN or Inf.")
        for var, w in zip(self.params, weights):
            self.ops.assign(var, self.ops.asarray(w))

    def count_params(self) -> int:
        return int(sum(int(np.prod(p.shape)) for p in self.params))

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "trainable": self.trainable}

    def __call__(self, x: Any) -> Any:
        if isinstance(x, KerasTensor):
            if not self.built:
                self.build(x.shape)
            elif tuple(x.shape[1:]) != tuple(self.input_shape[1:]):
                raise ValueError(f"Layer {self.name!r} expects input {self.input_shape}, got {x.shape}.")
            return KerasTensor(self.output_shape, self, x)
        x = np.asarray(x)
        if not self.built:
            self.build((None,) + tuple(x.shape[1:]))
        return self.ops.to_numpy(self.forward(self.ops, self.ops.asarray(x))[1])

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


class InputLayer(Layer):
    """The input of a functional model (shows in its summary with 0 params)."""

    def __init__(self, shape: Sequence[int], name: str | None = None, dtype: str | None = None) -> None:
        super().__init__(name=name or unique_name("input_layer"), dtype=dtype)
        self.build((None,) + _as_shape(shape))

    def forward(self, ops, x):
        return x, x

    def backward(self, ops, x, z, a, grad_a, need_grad_x=True, grads_out=None):
        return grad_a, [], grad_a


def Input(shape: Sequence[int] | int, batch_size: int | None = None, name: str | None = None,
          dtype: str | None = None) -> KerasTensor:
    """Keras ``Input(shape=...)``: the start of a functional model or a Sequential."""
    layer = InputLayer(shape, name=name, dtype=dtype)
    return KerasTensor(layer.output_shape, layer)


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

    Notes
    -----
    Backward pass, for a batch of N samples::

        δ = ∂L/∂a ⊙ f′(z)          (softmax: a ⊙ (∂L/∂a − Σ ∂L/∂a ⊙ a))
        ∂L/∂W = xᵀ · δ             shape (in, units), as the kernel
        ∂L/∂b = Σ_samples δ
        ∂L/∂x = δ · Wᵀ             passed to the previous layer
    """

    param_names = ("kernel", "bias")

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 name: str | None = None, **kwargs: Any) -> None:
        for unsupported in ("kernel_regularizer", "bias_regularizer", "activity_regularizer",
                            "kernel_constraint", "bias_constraint"):
            if kwargs.pop(unsupported, None) is not None:
                raise ValueError(f"Dense({unsupported}=...) is not supported by Propscope yet.")
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0:
            raise ValueError(
                f"Received an invalid value for `units`, expected a positive integer. Received: units={units!r}"
            )
        self.units = int(units)
        self.activation = activations_module.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        super().__init__(name=name, **kwargs)
        self.param_names = ("kernel", "bias") if self.use_bias else ("kernel",)

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
        return self.params[0]

    @property
    def bias(self):
        return self.params[1] if self.use_bias else None

    def forward(self, ops, x):
        z = x @ self.params[0]
        if self.use_bias:
            z = z + self.params[1]
        return z, self.activation.forward(ops, z)

    def backward(self, ops, x, z, a, grad_a, need_grad_x=True, grads_out=None):
        delta = self.activation.backward(ops, z, a, grad_a)
        if grads_out:  # write into the engine's flat gradient buffer (core.flat)
            grads = [ops.matmul_into(grads_out[0], x.T, delta)]
            if self.use_bias:
                grads.append(ops.sum_into(grads_out[1], delta, 0))
            grad_x = delta @ self.params[0].T if need_grad_x else None
            return delta, grads, grad_x
        grads = [x.T @ delta]
        if self.use_bias:
            grads.append(ops.sum(delta, axis=0))
        grad_x = delta @ self.params[0].T if need_grad_x else None
        return delta, grads, grad_x

    def get_config(self):
        return {**super().get_config(), "units": self.units, "activation": self.activation.name,
                "use_bias": self.use_bias}


class Flatten(Layer):
    """Keras ``Flatten``: reshape each sample to a vector (no weights)."""

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else int(math.prod(rest))
        return (input_shape[0], size)

    def forward(self, ops, x):
        flat = x.reshape(x.shape[0], -1)
        return flat, flat

    def backward(self, ops, x, z, a, grad_a, need_grad_x=True, grads_out=None):
        return grad_a, [], grad_a.reshape(x.shape) if need_grad_x else None


class Activation(Layer):
    """Keras ``Activation`` layer: applies an activation, no weights."""

    def __init__(self, activation: Any, name: str | None = None, **kwargs: Any) -> None:
        self.activation = activations_module.get(activation)
        super().__init__(name=name, **kwargs)

    def forward(self, ops, x):
        return x, self.activation.forward(ops, x)

    def backward(self, ops, x, z, a, grad_a, need_grad_x=True, grads_out=None):
        delta = self.activation.backward(ops, z, a, grad_a)
        return delta, [], delta

    def get_config(self):
        return {**super().get_config(), "activation": self.activation.name}


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and not name[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def _as_shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    try:
        shape = tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise ValueError(f"Invalid shape {shape!r}: expected a tuple of positive integers.") from None
    if not shape or any(d <= 0 for d in shape):
        raise ValueError(f"Invalid shape {shape!r}: expected a tuple of positive integers.")
    return shape

