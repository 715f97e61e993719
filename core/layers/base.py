"""The layer base class, ``Input`` and the symbolic tensors of the functional API.

Each layer keeps its backward pass beside its forward pass (micrograd's
clarity): ``forward(ops, x, training=False, record=None) -> (z, a)`` and
``backward(ops, x, z, a, grad_a, need_grad_x, grads_out, need_grads, record=None) -> (delta, grads, grad_x)``
with δ = ∂L/∂z, ``grads`` the gradients of the layer's trainable weights
(``trainable_param_names``, in Keras order) and ``grad_x`` = ∂L/∂a_prev. The
training engine and the stepper call exactly these, so every intermediate
value can be shown.

``training`` is Keras's flag: ``fit`` and the stepper run layers with
``training=True``; ``evaluate``, ``predict`` and calling a layer run them with
``False`` (Dropout passes its input through, BatchNormalization uses its
moving statistics). ``record`` is a dict the engine hands a layer for one
batch: in the forward pass the layer writes what its backward pass and the
views need (Dropout's mask, BatchNormalization's batch mean, variance and
x̂), and the same dict comes back to ``backward`` and to ``update_state``,
which runs in the update phase (BatchNormalization's moving averages).

Weights live in ``layer.params`` (backend arrays, in Keras's ``weights``
order); ``layer.weights`` gives them as :class:`~core.variables.Variable`
handles. A weight is trained when its name is in ``trainable_param_names``
*and* ``layer.trainable`` is true; everything else is a non-trainable weight
(a frozen layer's kernel, a normalization's mean).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from core import regularizers as regularizers_module
from core.arguments import refuse, reject_unknown
from core.backend.config import floatx, snake_name, unique_name
from core.backend.ops import NumpyOps, Ops
from core.variables import Variable, layer_variable


class KerasTensor:
    """A symbolic tensor of the functional API: a shape and the layer that made it."""

    def __init__(self, shape: tuple, layer: "Layer", parent: "KerasTensor | None" = None) -> None:
        self.shape = tuple(shape)
        self.layer = layer
        self.parent = parent

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def dtype(self) -> str:
        return self.layer.dtype

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.layer.name}>"


def dtype_policy_config(dtype: str) -> dict[str, Any]:
    """Keras's serialized ``DTypePolicy`` for ``dtype``."""
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": dtype}, "registered_name": None}


def resolve_dtype(dtype: Any) -> str | None:
    """A layer's ``dtype=`` argument as ``"float32"``/``"float64"`` (or None)."""
    if dtype is None:
        return None
    if isinstance(dtype, dict):  # a serialized DTypePolicy
        dtype = dtype.get("config", {}).get("name")
    name = getattr(dtype, "name", dtype)
    if name in ("float32", "float64"):
        return name
    raise NotImplementedError(f"dtype={name!r}: Propscope computes in float32 or float64 only "
                              "(no mixed precision or integer layers).")


class Layer:
    """Base layer.

    Parameters
    ----------
    name : str, optional
        Defaults to the snake-case class name, numbered per session (``dense_1``).
    trainable : bool
        Whether the optimizer updates this layer's weights (default True).
    dtype : str, optional
        ``"float32"`` or ``"float64"`` (inside a model, the model's dtype wins).
    input_shape, input_dim : optional
        Shape of one sample; builds the layer (and a Sequential model) at once.
    activity_regularizer : str or Regularizer, optional
        A penalty on the layer's output, divided by the batch size and added
        to the loss (as Keras adds it).
    autocast : bool
        Accepted as in Keras; with one compute dtype there is nothing to cast.
    """

    param_names: tuple[str, ...] = ()
    #: whether the layer computes something of its own, shown as its own forward and backward phase
    #: (core.stepper.phases); False for layers that only reshape or stand for the input
    computes: bool = True
    #: weights that get gradients (when the layer is trainable); the rest never do
    trainable_param_names: tuple[str, ...] = ()
    #: whether :meth:`update_state` changes weights in the update phase (BatchNormalization)
    updates_state: bool = False

    def __init__(self, *, name: str | None = None, trainable: bool = True, dtype: Any = None,
                 input_shape: Sequence[int] | None = None, input_dim: int | None = None,
                 activity_regularizer: Any = None, autocast: bool = True, **kwargs: Any) -> None:
        reject_unknown(type(self).__name__, kwargs)
        self.activity_regularizer = regularizers_module.get(activity_regularizer)
        #: weight regularizers by weight name (``{"kernel": L2(0.01)}``); the penalty counts while the weight trains
        self.regularizers: dict[str, Any] = {}
        if name is not None and (not isinstance(name, str) or not name or "/" in name):
            raise ValueError(f"Invalid layer name {name!r}: use a non-empty string without '/'.")
        if not isinstance(trainable, bool):
            raise ValueError(f"Expected `trainable` to be a boolean. Received: trainable={trainable!r} "
                             f"(of type {type(trainable)})")
        self.name = name or unique_name(snake_name(type(self).__name__))
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        self.declared_input_shape = _as_shape(input_shape) if input_shape is not None else None
        self._trainable = trainable
        self.autocast = bool(autocast)
        self.ops: Ops = NumpyOps(resolve_dtype(dtype) or floatx())
        self.params: list[Any] = []
        self._variables: list[Variable] = []
        self.built = False
        self.input_shape: tuple | None = None  # (None, ...) once built
        self.output_shape: tuple | None = None
        self.model_name = ""
        self._input_tensor: KerasTensor | None = None
        self._output_tensor: KerasTensor | None = None

    # --- building -------------------------------------------------------
    def build(self, input_shape: tuple, rng: np.random.Generator | None = None) -> None:
        """Create weights for ``input_shape`` (batch dimension included, may be None)."""
        self.input_shape = tuple(input_shape)
        self.output_shape = self.compute_output_shape(self.input_shape)
        self.params = [self.ops.asarray(w) for w in self.initial_weights(self.input_shape, rng)]
        self._variables = [layer_variable(self, i) for i in range(len(self.params))]
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
    def forward(self, ops: Ops, x: Any, training: bool = False, record: dict | None = None) -> tuple[Any, Any]:
        raise NotImplementedError

    def backward(self, ops: Ops, x, z, a, grad_a, need_grad_x: bool = True, grads_out=None,
                 need_grads: bool = True, record: dict | None = None):
        raise NotImplementedError

    def update_state(self, ops: Ops, record: dict) -> None:
        """The update phase's change to non-trainable state (BatchNormalization's moving averages)."""

    def weights_problem(self, weights: dict[str, Any]) -> str | None:
        """Why these (finite, well-shaped) weights cannot be this layer's, or None (a variance below 0…)."""
        return None

    def noise_streams(self) -> list:
        """The layer's :class:`core.random.NoiseStream` objects (a Dropout layer has one)."""
        return []

    def weight_penalties(self) -> list[tuple[int, Any]]:
        """``(index in params, regularizer)`` for each regularized weight that trains now."""
        if not self.regularizers:
            return []
        return [(j, self.regularizers[self.param_names[j]]) for j in self.trainable_indices
                if self.param_names[j] in self.regularizers]

    # --- Keras surface -------------------------------------------------------
    @property
    def dtype(self) -> str:
        return self.ops.dtype

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)

    @property
    def trainable_indices(self) -> list[int]:
        """Positions in ``params`` that the optimizer updates (none when frozen)."""
        if not self._trainable:
            return []
        return [i for i, n in enumerate(self.param_names[:len(self.params)]) if n in self.trainable_param_names]

    @property
    def weights(self) -> list[Variable]:
        return list(self._variables)

    @property
    def variables(self) -> list[Variable]:
        return list(self._variables)

    @property
    def trainable_weights(self) -> list[Variable]:
        return [self._variables[i] for i in self.trainable_indices]

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self) -> list[Variable]:
        keep = set(self.trainable_indices)
        return [v for i, v in enumerate(self._variables) if i not in keep]

    non_trainable_variables = non_trainable_weights

    @property
    def input(self) -> KerasTensor:
        if self._input_tensor is None:
            raise AttributeError(f"Layer '{self.name}' has never been called and thus has no defined input.")
        return self._input_tensor

    @property
    def output(self) -> KerasTensor:
        if self._output_tensor is None:
            raise AttributeError(f"Layer '{self.name}' has never been called and thus has no defined output.")
        return self._output_tensor

    def connect(self, input_tensor: KerasTensor, output_tensor: KerasTensor) -> None:
        """Record the symbolic tensors this layer reads and makes (``layer.input``, ``layer.output``)."""
        self._input_tensor, self._output_tensor = input_tensor, output_tensor

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
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer '{self.name}', but the layer isn't "
                             "built. You can build it manually via: `layer.build(input_shape)`.")
        return int(sum(int(np.prod(p.shape)) for p in self.params))

    def get_config(self) -> dict[str, Any]:
        """Keras's layer config: name, trainable, dtype policy, then the layer's own arguments."""
        config = {"name": self.name, "trainable": self.trainable, "dtype": dtype_policy_config(self.dtype)}
        if self.activity_regularizer is not None:  # as Keras: only when set
            config["activity_regularizer"] = regularizers_module.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Layer":
        return cls(**config)

    @property
    def losses(self) -> list[float]:
        """The current penalties of the layer's trained, regularized weights (Keras's ``layer.losses``)."""
        return [float(self.ops.item(reg.penalty(self.ops, self.params[j]))) for j, reg in self.weight_penalties()]

    def __call__(self, x: Any, training: bool = False) -> Any:
        if isinstance(x, KerasTensor):
            if not self.built:
                self.build(x.shape)
            elif tuple(x.shape[1:]) != tuple(self.input_shape[1:]):
                raise ValueError(f"Layer {self.name!r} expects input {self.input_shape}, got {x.shape}.")
            out = KerasTensor(self.compute_output_shape(x.shape), self, x)
            self.connect(x, out)
            return out
        x = np.asarray(x)
        if not self.built:
            self.build((None,) + tuple(x.shape[1:]))
        record: dict = {}
        out = self.forward(self.ops, self.ops.asarray(x), training=bool(training), record=record)[1]
        if training and self.trainable:  # as Keras: a call in training mode moves BatchNormalization's averages
            self.update_state(self.ops, record)
        return self.ops.to_numpy(out)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


class WeightlessLayer(Layer):
    """A layer without weights whose δ passes straight through: ∂L/∂x = δ."""

    def backward(self, ops, x, z, a, grad_a, need_grad_x=True, grads_out=None, need_grads=True, record=None):
        delta = self.local_backward(ops, x, a, grad_a)
        return delta, [], delta

    def local_backward(self, ops, x, a, grad_a):
        raise NotImplementedError


class InputLayer(Layer):
    """The input of a functional model (shows in its summary with 0 params)."""

    computes = False  # part of showing the input, not a phase

    def __init__(self, shape: Sequence[int] | None = None, batch_size: int | None = None, dtype: Any = None,
                 sparse: bool | None = None, batch_shape: Sequence[int | None] | None = None,
                 input_tensor: Any = None, optional: bool = False, name: str | None = None, **kwargs: Any) -> None:
        reject_unknown("InputLayer", kwargs)
        refuse("InputLayer", sparse=bool(sparse), input_tensor=input_tensor, optional=bool(optional))
        super().__init__(name=name or unique_name("input_layer"), dtype=dtype)
        if batch_shape is not None:
            if shape is not None:
                raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
            batch_size, shape = batch_shape[0], batch_shape[1:]
        if shape is None:
            raise ValueError("You must pass a `shape` argument.")
        self.batch_size = None if batch_size is None else int(batch_size)
        self.build((self.batch_size,) + _as_shape(shape))
        self._output_tensor = KerasTensor(self.output_shape, self)

    def forward(self, ops, x, training=False, record=None):
        return x, x

    def backward(self, ops, x, z, a, grad_a, need_grad_x=True, grads_out=None, need_grads=True, record=None):
        return grad_a, [], grad_a

    def get_config(self):
        return {"batch_shape": self.output_shape, "dtype": self.dtype, "sparse": False, "ragged": False,
                "name": self.name, "optional": False}

    @classmethod
    def from_config(cls, config):
        config = {k: v for k, v in config.items() if k != "ragged"}
        return cls(**config)


def Input(shape: Sequence[int] | int | None = None, batch_size: int | None = None, dtype: Any = None,
          sparse: bool | None = None, batch_shape: Sequence[int | None] | None = None, name: str | None = None,
          tensor: Any = None, optional: bool = False) -> KerasTensor:
    """Keras ``Input(shape=...)``: the start of a functional model or a Sequential."""
    layer = InputLayer(shape, batch_size=batch_size, dtype=dtype, sparse=sparse, batch_shape=batch_shape,
                       input_tensor=tensor, optional=optional, name=name)
    return layer.output


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
