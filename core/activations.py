"""Activation functions, each with its derivative beside it.

Every activation is an :class:`Activation` object: ``forward`` computes
``a = f(z)`` and ``backward`` turns ∂L/∂a into δ = ∂L/∂z. Formulas and defaults
follow Keras 3 (``leaky_relu``'s slope is 0.2, ``elu``'s alpha 1.0, ``gelu`` is
exact unless ``approximate=True``), and derivatives match what autograd gives
for those formulas, including the value at kinks (ReLU′(0) = 0).

They are also plain callables with Keras's keyword arguments, so
``core.activations.relu(x, max_value=6.0)`` works on arrays as
``keras.activations.relu`` does. Parameterized forms (``relu_with``,
``leaky_relu_with``…) are what the ``ReLU``/``LeakyReLU``/``Softmax`` layers use.
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
    config : dict, optional
        The keyword arguments of a parameterized form (``{"max_value": 6.0}``).
    """

    def __init__(self, name: str, forward: Callable, backward: Callable, formula: str, derivative: str,
                 saturation: str | None = None, config: dict[str, Any] | None = None) -> None:
        self.name = name
        self.__name__ = name
        self._forward = forward
        self._backward = backward
        self.formula = formula
        self.derivative = derivative
        self.saturation = saturation
        self.config = dict(config or {})

    def forward(self, ops: Ops, z: Any) -> Any:
        """Return ``a = f(z)``."""
        return self._forward(ops, z)

    def backward(self, ops: Ops, z: Any, a: Any, grad_a: Any) -> Any:
        """Return δ = ∂L/∂z given ∂L/∂a (chain rule through ``f``)."""
        return self._backward(ops, z, a, grad_a)

    def __call__(self, x: Any, **kwargs: Any) -> Any:
        act = self
        if kwargs:
            factory = _FACTORIES.get(self.name)
            if factory is None:
                raise TypeError(f"{self.name}() got unexpected keyword argument(s) {sorted(kwargs)}.")
            act = factory(**{**self.config, **kwargs})
        ops = _ops_for(x)
        return act.forward(ops, ops.asarray(x) if isinstance(ops, NumpyOps) else x)

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


def _softplus(ops: Ops, z):
    # log(1 + e^z) without overflow: max(z, 0) + log1p(e^−|z|).
    return ops.maximum(z, 0.0) + ops.log1p(ops.exp(-ops.abs(z)))


def _check_axis(axis: int) -> None:
    if axis not in (-1,):
        raise NotImplementedError(f"axis={axis}: Propscope's softmax works over the last axis (axis=-1).")


# --- parameterized forms ------------------------------------------------------------
def relu_with(negative_slope: float = 0.0, max_value: float | None = None, threshold: float = 0.0) -> Activation:
    """Keras ``relu(x, negative_slope, max_value, threshold)`` as an activation with its derivative."""
    if max_value is not None and max_value < 0:
        raise ValueError(f"max_value of a ReLU layer cannot be a negative value. Received: {max_value}")
    if negative_slope is None or negative_slope < 0:
        raise ValueError(f"negative_slope of a ReLU layer cannot be a negative value. Received: {negative_slope}")
    ns, mx, th = float(negative_slope), None if max_value is None else float(max_value), float(threshold)

    def forward(ops, z):
        a = ops.where(z > th, z, 0.0) if th else ops.maximum(z, 0.0)  # maximum keeps NaN, as torch.relu
        if mx is not None:
            a = ops.minimum(a, mx)
        if ns:
            a = a - ns * ops.maximum(th - z, 0.0)
        return a

    def backward(ops, z, a, g):
        inside = z > th if mx is None else (z > th) & (z <= mx)
        slope = ops.where(inside, g, 0.0)
        return slope + ops.where(z < th, g * ns, 0.0) if ns else slope

    config = {"negative_slope": ns, "max_value": mx, "threshold": th}
    plain = not ns and mx is None and not th
    return Activation("relu", forward, backward, "a = max(0, z)" if plain else
                      f"a = min(max(z, {th:g}), {mx}) − {ns:g}·max({th:g} − z, 0)",
                      "f′(z) = 1 if z > 0 else 0" if plain else "f′(z) = 1 inside the linear part, else slope",
                      saturation="relu", config=config)


def leaky_relu_with(negative_slope: float = 0.2) -> Activation:
    ns = float(negative_slope)
    return Activation("leaky_relu", lambda ops, z: ops.where(z > 0, z, z * ns),
                      lambda ops, z, a, g: ops.where(z > 0, g, g * ns),
                      f"a = z if z > 0 else {ns:g}·z", f"f′(z) = 1 if z > 0 else {ns:g}",
                      config={"negative_slope": ns})


def elu_with(alpha: float = 1.0) -> Activation:
    al = float(alpha)
    return Activation("elu", lambda ops, z: ops.where(z > 0, z, (ops.exp(ops.minimum(z, 0.0)) - 1.0) * al),
                      lambda ops, z, a, g: ops.where(z > 0, g, g * (a + al)),
                      "a = z if z > 0 else α·(e^z − 1)", "f′(z) = 1 if z > 0 else a + α", config={"alpha": al})


def celu_with(alpha: float = 1.0) -> Activation:
    al = float(alpha)
    return Activation("celu", lambda ops, z: ops.maximum(z, 0.0) + ops.minimum((ops.exp(z / al) - 1.0) * al, 0.0),
                      lambda ops, z, a, g: ops.where(z > 0, g, g * ops.exp(ops.minimum(z, 0.0) / al)),
                      "a = max(0, z) + min(0, α·(e^(z/α) − 1))", "f′(z) = 1 if z > 0 else e^(z/α)",
                      config={"alpha": al})


def gelu_with(approximate: bool = False) -> Activation:
    if not approximate:
        def forward(ops, z):
            return 0.5 * z * (1.0 + ops.erf(z * (1.0 / math.sqrt(2.0))))

        def backward(ops, z, a, g):
            cdf = 0.5 * (1.0 + ops.erf(z * (1.0 / math.sqrt(2.0))))
            pdf = ops.exp(-0.5 * z * z) * (1.0 / math.sqrt(2.0 * math.pi))
            return g * (cdf + z * pdf)
        return Activation("gelu", forward, backward, "a = z·Φ(z)", "f′(z) = Φ(z) + z·φ(z)")
    c = math.sqrt(2.0 / math.pi)

    def forward_tanh(ops, z):
        return 0.5 * z * (1.0 + ops.tanh(c * (z + 0.044715 * z * z * z)))

    def backward_tanh(ops, z, a, g):
        t = ops.tanh(c * (z + 0.044715 * z * z * z))
        return g * (0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * c * (1.0 + 3 * 0.044715 * z * z))
    return Activation("gelu", forward_tanh, backward_tanh, "a = ½z·(1 + tanh(√(2/π)(z + 0.044715z³)))",
                      "f′ from the tanh approximation", config={"approximate": True})


def softmax_with(axis: int = -1) -> Activation:
    _check_axis(axis)

    def forward(ops, z):  # subtract the row max first: same values, no overflow (as Keras)
        e = ops.exp(z - ops.max(z, axis=-1, keepdims=True))
        return e / ops.sum(e, axis=-1, keepdims=True)

    return Activation("softmax", forward, lambda ops, z, a, g: a * (g - ops.sum(g * a, axis=-1, keepdims=True)),
                      "a_i = e^(z_i) / Σ_j e^(z_j)", "δ = a ⊙ (∂L/∂a − Σ ∂L/∂a ⊙ a)")


def log_softmax_with(axis: int = -1) -> Activation:
    _check_axis(axis)

    def forward(ops, z):
        shifted = z - ops.max(z, axis=-1, keepdims=True)
        return shifted - ops.log(ops.sum(ops.exp(shifted), axis=-1, keepdims=True))

    return Activation("log_softmax", forward, lambda ops, z, a, g: g - ops.exp(a) * ops.sum(g, axis=-1, keepdims=True),
                      "a_i = z_i − log Σ_j e^(z_j)", "δ = ∂L/∂a − softmax(z)·Σ ∂L/∂a")


def _hard_sigmoid(ops, z):
    return ops.clip(z + 3.0, 0.0, 6.0) / 6.0


def _mish_backward(ops, z, a, g):
    t = ops.tanh(_softplus(ops, z))
    return g * (t + z * (1.0 - t * t) * ops.sigmoid(z))


def _swish_backward(ops, z, a, g):
    s = ops.sigmoid(z)
    return g * (s + z * s * (1.0 - s))


linear = Activation("linear", lambda ops, z: z, lambda ops, z, a, g: g, "a = z", "f′(z) = 1")
sigmoid = Activation("sigmoid", lambda ops, z: ops.sigmoid(z), lambda ops, z, a, g: g * (a * (1.0 - a)),
                     "a = 1 / (1 + e^(−z))", "f′(z) = a·(1 − a)", saturation="sigmoid")
tanh = Activation("tanh", lambda ops, z: ops.tanh(z), lambda ops, z, a, g: g * (1.0 - a * a),
                  "a = tanh(z)", "f′(z) = 1 − a²", saturation="tanh")
relu = relu_with()
leaky_relu = leaky_relu_with()
elu = elu_with()
celu = celu_with()
selu = Activation(
    "selu", lambda ops, z: _SELU_SCALE * ops.where(z > 0, z, _SELU_ALPHA * (ops.exp(ops.minimum(z, 0.0)) - 1.0)),
    lambda ops, z, a, g: ops.where(z > 0, g * _SELU_SCALE, g * (a + _SELU_SCALE * _SELU_ALPHA)),
    "a = λ·z if z > 0 else λ·α·(e^z − 1)", "f′(z) = λ if z > 0 else a + λ·α")
gelu = gelu_with()
swish = Activation("swish", lambda ops, z: z * ops.sigmoid(z), _swish_backward, "a = z·σ(z)",
                   "f′(z) = σ(z) + z·σ(z)·(1 − σ(z))")
silu = swish
softmax = softmax_with()
log_softmax = log_softmax_with()
softplus = Activation("softplus", _softplus, lambda ops, z, a, g: g * ops.sigmoid(z), "a = log(1 + e^z)",
                      "f′(z) = σ(z)")
softsign = Activation("softsign", lambda ops, z: z / (ops.abs(z) + 1.0),
                      lambda ops, z, a, g: g / ops.square(ops.abs(z) + 1.0), "a = z / (1 + |z|)",
                      "f′(z) = 1 / (1 + |z|)²")
hard_sigmoid = Activation("hard_sigmoid", _hard_sigmoid,
                          lambda ops, z, a, g: ops.where((z > -3.0) & (z < 3.0), g * (1.0 / 6.0), 0.0),
                          "a = relu6(z + 3) / 6", "f′(z) = 1/6 if −3 < z < 3 else 0", saturation="sigmoid")
hard_silu = Activation("hard_silu", lambda ops, z: z * _hard_sigmoid(ops, z),
                       lambda ops, z, a, g: g * (_hard_sigmoid(ops, z)
                                                 + ops.where((z > -3.0) & (z < 3.0), z * (1.0 / 6.0), 0.0)),
                       "a = z·relu6(z + 3) / 6", "f′(z) = hard_sigmoid(z) + z/6 on (−3, 3)")
hard_swish = hard_silu
relu6 = Activation("relu6", lambda ops, z: ops.clip(z, 0.0, 6.0),
                   lambda ops, z, a, g: ops.where((z > 0) & (z < 6.0), g, 0.0), "a = min(max(0, z), 6)",
                   "f′(z) = 1 if 0 < z < 6 else 0", saturation="relu")
mish = Activation("mish", lambda ops, z: z * ops.tanh(_softplus(ops, z)), _mish_backward,
                  "a = z·tanh(softplus(z))", "f′(z) = tanh(sp(z)) + z·(1 − tanh²(sp(z)))·σ(z)")
exponential = Activation("exponential", lambda ops, z: ops.exp(z), lambda ops, z, a, g: g * a, "a = e^z",
                         "f′(z) = e^z")
log_sigmoid = Activation("log_sigmoid", lambda ops, z: -_softplus(ops, -z),
                         lambda ops, z, a, g: g * ops.sigmoid(-z), "a = log σ(z)", "f′(z) = σ(−z)")
hard_tanh = Activation("hard_tanh", lambda ops, z: ops.clip(z, -1.0, 1.0),
                       lambda ops, z, a, g: ops.where((z > -1.0) & (z < 1.0), g, 0.0), "a = clip(z, −1, 1)",
                       "f′(z) = 1 if −1 < z < 1 else 0", saturation="tanh")

_REGISTRY = {act.name: act for act in (
    linear, sigmoid, tanh, relu, leaky_relu, elu, selu, gelu, swish, softmax, softplus, softsign, hard_sigmoid,
    relu6, mish, exponential, log_softmax, celu, hard_silu, log_sigmoid, hard_tanh)}
_REGISTRY["silu"] = swish
_REGISTRY["hard_swish"] = hard_silu
_REGISTRY[None] = linear  # type: ignore[index]
_FACTORIES: dict[str, Callable[..., Activation]] = {
    "relu": relu_with, "leaky_relu": leaky_relu_with, "elu": elu_with, "celu": celu_with, "gelu": gelu_with,
    "softmax": softmax_with, "log_softmax": log_softmax_with}
# Keras 3 names Propscope does not compute, so get() can say so instead of "unknown".
_NOT_IMPLEMENTED = ("glu", "sparsemax", "squareplus", "soft_shrink", "hard_shrink", "tanh_shrink", "threshold",
                    "sparse_plus", "sparse_sigmoid")


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
    NotImplementedError
        For a Keras activation Propscope does not compute (``glu``…).
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
        if key in _NOT_IMPLEMENTED:
            raise NotImplementedError(f"Activation {identifier!r} is a Keras 3 activation that Propscope does not "
                                      f"compute. Available: {', '.join(names())}.")
        raise ValueError(f"Unknown activation function {identifier!r}. Known: {', '.join(names())}.")
    if isinstance(identifier, dict) and "config" in identifier:
        return get(identifier["config"])
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


def __getattr__(name: str):
    """Keras names Propscope refuses raise with the reason (see core.unsupported)."""
    from core.unsupported import missing

    return missing("activations", name)
