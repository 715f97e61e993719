"""Activation functions, each with its derivative beside it.

Every activation is an :class:`Activation` object: ``forward`` computes
``a = f(z)`` and ``backward`` turns ∂L/∂a into δ = ∂L/∂z. Formulas and defaults
follow Keras 3 (``leaky_relu``'s slope is 0.2, ``elu``'s alpha 1.0, ``gelu`` is
exact, not the tanh approximation), and derivatives match what autograd gives
for those formulas, including the value at kinks (ReLU′(0) = 0).

They are also plain callables, so ``core.activations.relu(x)`` works on arrays
as ``keras.activations.relu(x)`` does.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from core.backend.ops import NumpyOps, Ops

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class Activation:
    """An element-wise (or, for softmax, row-wise) activation function.

    Parameters
    ----------
    name : str
        Keras name, as accepted by ``Dense(activation=...)``.
    forward : callable
        ``forward(ops, z) -> a``.
    backward : callable
        ``backward(ops, z, a, grad_a) -> grad_z``.
    formula, derivative : str
        Human-readable formulas shown by the teaching views.
    saturation : str, optional
        ``"sigmoid"``, ``"tanh"`` or ``"relu"``: how "stuck" units are detected.
    """

    def __init__(
        self,
        name: str,
        forward: Callable,
        backward: Callable,
        formula: str,
        derivative: str,
        saturation: str | None = None,
    ) -> None:
        self.name = name
        self.__name__ = name
        self._forward = forward
        self._backward = backward
        self.formula = formula
        self.derivative = derivative
        self.saturation = saturation

    def forward(self, ops: Ops, z: Any) -> Any:
        """Return ``a = f(z)``."""
        return self._forward(ops, z)

    def backward(self, ops: Ops, z: Any, a: Any, grad_a: Any) -> Any:
        """Return δ = ∂L/∂z given ∂L/∂a (chain rule through ``f``)."""
        return self._backward(ops, z, a, grad_a)

    def __call__(self, x: Any) -> Any:
        ops = _ops_for(x)
        return self.forward(ops, ops.asarray(x) if isinstance(ops, NumpyOps) else x)

    def __repr__(self) -> str:
        return f"<activation {self.name}>"

    def get_config(self) -> str:
        return self.name


def _ops_for(x: Any) -> Ops:
    if isinstance(x, np.ndarray) and x.dtype == np.float64:
        return NumpyOps("float64")
    if type(x).__module__.startswith("torch"):
        from core.backend.torch_ops import TorchOps
        import torch

        dtype = "float64" if x.dtype == torch.float64 else "float32"
        return TorchOps(torch, device=str(x.device), dtype=dtype)
    return NumpyOps("float32")


def _softmax(ops: Ops, z):
    # Subtract the row max first: exact same values, no overflow (as Keras).
    e = ops.exp(z - ops.max(z, axis=-1, keepdims=True))
    return e / ops.sum(e, axis=-1, keepdims=True)


def _gelu(ops: Ops, z):
    return 0.5 * z * (1.0 + ops.erf(z * (1.0 / math.sqrt(2.0))))


def _gelu_backward(ops: Ops, z, a, g):
    cdf = 0.5 * (1.0 + ops.erf(z * (1.0 / math.sqrt(2.0))))
    pdf = ops.exp(-0.5 * z * z) * (1.0 / math.sqrt(2.0 * math.pi))
    return g * (cdf + z * pdf)


def _swish_backward(ops: Ops, z, a, g):
    s = ops.sigmoid(z)
    return g * (s + z * s * (1.0 - s))


linear = Activation(
    "linear", lambda ops, z: z, lambda ops, z, a, g: g, "a = z", "f′(z) = 1"
)
sigmoid = Activation(
    "sigmoid",
    lambda ops, z: ops.sigmoid(z),
    lambda ops, z, a, g: g * (a * (1.0 - a)),
    "a = 1 / (1 + e^(−z))",
    "f′(z) = a·(1 − a)",
    saturation="sigmoid",
)
tanh = Activation(
    "tanh",
    lambda ops, z: ops.tanh(z),
    lambda ops, z, a, g: g * (1.0 - a * a),
    "a = tanh(z)",
    "f′(z) = 1 − a²",
    saturation="tanh",
)
relu = Activation(
    "relu",
    lambda ops, z: ops.maximum(z, 0.0),
    lambda ops, z, a, g: ops.where(z > 0, g, 0.0),
    "a = max(0, z)",
    "f′(z) = 1 if z > 0 else 0",
    saturation="relu",
)
leaky_relu = Activation(
    "leaky_relu",
    lambda ops, z: ops.where(z > 0, z, z * 0.2),
    lambda ops, z, a, g: ops.where(z > 0, g, g * 0.2),
    "a = z if z > 0 else 0.2·z",
    "f′(z) = 1 if z > 0 else 0.2",
)
elu = Activation(
    "elu",
    lambda ops, z: ops.where(z > 0, z, ops.exp(ops.minimum(z, 0.0)) - 1.0),
    lambda ops, z, a, g: ops.where(z > 0, g, g * (a + 1.0)),
    "a = z if z > 0 else e^z − 1",
    "f′(z) = 1 if z > 0 else a + 1",
)
selu = Activation(
    "selu",
    lambda ops, z: _SELU_SCALE
    * ops.where(z > 0, z, _SELU_ALPHA * (ops.exp(ops.minimum(z, 0.0)) - 1.0)),
    lambda ops, z, a, g: ops.where(z > 0, g * _SELU_SCALE, g * (a + _SELU_SCALE * _SELU_ALPHA)),
    "a = λ·z if z > 0 else λ·α·(e^z − 1)",
    "f′(z) = λ if z > 0 else a + λ·α",
)
gelu = Activation(
    "gelu", _gelu, _gelu_backward, "a = z·Φ(z)", "f′(z) = Φ(z) + z·φ(z)"
)
swish = Activation(
    "swish",
    lambda ops, z: z * ops.sigmoid(z),
    _swish_backward,
    "a = z·σ(z)",
    "f′(z) = σ(z) + z·σ(z)·(1 − σ(z))",
)
silu = swish


def _softmax_backward(ops: Ops, z, a, g):
    # Jacobian-vector product of softmax: a ⊙ (g − Σ g⊙a).
    return a * (g - ops.sum(g * a, axis=-1, keepdims=True))


softmax = Activation(
    "softmax",
    _softmax,
    _softmax_backward,
    "a_i = e^(z_i) / Σ_j e^(z_j)",
    "δ = a ⊙ (∂L/∂a − Σ ∂L/∂a ⊙ a)",
)

_REGISTRY = {
    act.name: act
    for act in (linear, sigmoid, tanh, relu, leaky_relu, elu, selu, gelu, swish, softmax)
}
_REGISTRY["silu"] = swish
_REGISTRY[None] = linear  # type: ignore[index]


def names() -> list[str]:
    """Names accepted by :func:`get`."""
    return [k for k in _REGISTRY if k is not None]


def get(identifier: Any) -> Activation:
    """Resolve a name, ``None`` or an :class:`Activation` into an :class:`Activation`.

    Raises
    ------
    ValueError
        For an unknown name, with the list of known ones (Keras raises too:
        the course notes' ``'oftmasx'`` typo fails at model building).
    TypeError
        For a plain callable: Propscope shows every derivative, so it needs an
        :class:`Activation` that carries one.
    """
    if isinstance(identifier, Activation):
        return identifier
    if identifier is None or isinstance(identifier, str):
        key = identifier.lower() if isinstance(identifier, str) else None
        if key in _REGISTRY:
            return _REGISTRY[key]
        raise ValueError(
            f"Unknown activation function {identifier!r}. Known: {', '.join(names())}."
        )
    if callable(identifier):
        name = getattr(identifier, "__name__", "")
        if name in _REGISTRY:
            return _REGISTRY[name]
        raise TypeError(
            f"Activation {identifier!r} has no derivative Propscope can show. Use one of "
            f"{', '.join(names())}, or wrap it as core.activations.Activation(name, forward, backward, ...)."
        )
    raise TypeError(f"Could not interpret activation {identifier!r}.")


def serialize(activation: Activation) -> str:
    return activation.name


def deserialize(name: str) -> Activation:
    return get(name)
