"""``Sequential`` and functional ``Model``: structure, compile, summary, weights.

Training (``fit``, ``evaluate``, ``predict``) lives in :mod:`core.training`,
mixed into :class:`Model`.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from core import losses as losses_module
from core import optimizers as optimizers_module
from core.backend.config import floatx, unique_name
from core.backend.ops import NumpyOps, Ops
from core.backend.select import get_backend
from core.layers import InputLayer, KerasTensor, Layer
from core.summary import format_shape, render_summary
from core.training import TrainingMixin

# Keras compile() arguments that change nothing for these models.
_IGNORED_COMPILE_ARGS = {"run_eagerly", "steps_per_execution", "jit_compile", "auto_scale_loss",
                         "weighted_metrics", "loss_weights"}


class Model(TrainingMixin):
    """A functional model ``Model(inputs, outputs)`` over a chain of layers.

    Parameters
    ----------
    inputs : KerasTensor
        From :func:`core.layers.Input`.
    outputs : KerasTensor
        The last layer's output; the layers between form a single chain.
    name : str, optional
    """

    _default_name = "functional"

    def __init__(self, inputs: Any = None, outputs: Any = None, name: str | None = None) -> None:
        self.name = name or unique_name(self._default_name)
        self._layers: list[Layer] = []
        self._input_shape: tuple[int, ...] | None = None
        self.ops: Ops = NumpyOps(floatx())
        self.backend_message = ""
        self.optimizer: optimizers_module.Optimizer | None = None
        self.loss: losses_module.Loss | None = None
        self.metric_identifiers: list[Any] = []
        self.compiled = False
        self.stop_training = False
        self.history = None
        if type(self) is Model:
            if inputs is None or outputs is None:
                raise TypeError("Model(inputs, outputs) needs both the Input tensor and the output tensor.")
            self._init_functional(inputs, outputs)

    def _init_functional(self, inputs: Any, outputs: Any) -> None:
        inputs, outputs = _single(inputs, "inputs"), _single(outputs, "outputs")
        chain: list[Layer] = []
        t = outputs
        while t.parent is not None:
            chain.append(t.layer)
            t = t.parent
        if t is not inputs and t.layer is not inputs.layer:
            raise ValueError("The outputs are not computed from the given inputs.")
        self._layers = [inputs.layer] + chain[::-1]
        self._input_shape = tuple(inputs.shape[1:])
        self._check_unique_names()
        for layer in self._layers:
            layer.model_name = self.name

    def _check_unique_names(self) -> None:
        seen = set()
        for layer in self._layers:
            if layer.name in seen:
                raise ValueError(
                    f"All layers added to a model must have unique names; {layer.name!r} appears twice."
                )
            seen.add(layer.name)

    # --- structure -----------------------------------------------------
    @property
    def layers(self) -> list[Layer]:
        return list(self._layers)

    @property
    def compute_layers(self) -> list[Layer]:
        """The layers that compute (every layer but the InputLayer)."""
        return [layer for layer in self._layers if not isinstance(layer, InputLayer)]

    @property
    def built(self) -> bool:
        return self._input_shape is not None and all(layer.built for layer in self._layers)

    @property
    def input_shape(self) -> tuple | None:
        return None if self._input_shape is None else (None,) + self._input_shape

    @property
    def output_shape(self) -> tuple | None:
        layers = self.compute_layers
        return layers[-1].output_shape if layers and self.built else None

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        if index is not None:
            return self._layers[index]
        for layer in self._layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: {[la.name for la in self._layers]}.")

    def build(self, input_shape: Sequence[int | None]) -> None:
        """Build every layer for inputs of ``input_shape`` (batch dimension first)."""
        shape = tuple(input_shape)
        self._input_shape = tuple(int(d) for d in shape[1:])
        for layer in self.compute_layers:
            if layer.built:
                if tuple(layer.input_shape[1:]) != tuple(shape[1:]):
                    raise ValueError(
                        f"Layer {layer.name!r} was built for inputs {format_shape(layer.input_shape)} "
                        f"but now receives {format_shape((None,) + tuple(shape[1:]))}."
                    )
            else:
                layer.ops = self.ops
                layer.build((None,) + tuple(shape[1:]))
            shape = layer.output_shape

    def initialize_weights(self, seed: int | None = None) -> None:
        """Re-draw all weights from their initializers with ``seed`` (reproducible)."""
        if not self.built:
            raise RuntimeError("Build the model (give it an input shape) before initializing weights.")
        rng = np.random.default_rng(seed)
        for layer in self.compute_layers:
            layer.reinitialize(rng)
        if self.optimizer is not None:
            self.optimizer.reset()

    # --- backend -----------------------------------------------------------
    def set_backend(self, backend: str | None = None, device: str | None = None,
                    dtype: str | None = None, strict: bool = False) -> str:
        """Move the model (and optimizer state) to a backend; returns any fallback message."""
        choice = get_backend(backend, device, dtype or self.ops.dtype, strict=strict)
        self.ops = choice.ops
        for layer in self._layers:
            layer.to_backend(self.ops)
        if self.optimizer is not None:
            self.optimizer.move_to(self.ops)
        self.backend_message = choice.message
        return choice.message

    # --- compile -------------------------------------------------------------
    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, metrics: Any = None,
                backend: str | None = None, device: str | None = None, dtype: str | None = None,
                **kwargs: Any) -> None:
        """Configure training, as Keras ``compile``.

        ``backend``, ``device`` and ``dtype`` are Propscope additions (default:
        the fastest backend here; see :func:`core.backend.get_backend`).
        """
        unknown = set(kwargs) - _IGNORED_COMPILE_ARGS
        if unknown:
            raise TypeError(f"compile() got unexpected argument(s): {sorted(unknown)}")
        self.optimizer = optimizers_module.get(optimizer)
        self.optimizer.reset()
        self.loss = None if loss is None else losses_module.get(loss)
        if metrics is None:
            self.metric_identifiers = []
        elif isinstance(metrics, (list, tuple)):
            self.metric_identifiers = list(metrics)
        else:
            self.metric_identifiers = [metrics]
        self.set_backend(backend, device, dtype)
        self.compiled = True

    # --- weights -------------------------------------------------------------
    @property
    def weights(self):
        return [v for layer in self._layers for v in layer.weights]

    trainable_weights = weights

    @property
    def trainable_variables(self):
        return self.weights

    @property
    def non_trainable_weights(self):
        return []

    def get_weights(self) -> list[np.ndarray]:
        """Copies of all weights in Keras order: kernel ``(in, out)``, bias ``(out,)``, per layer."""
        return [w for layer in self._layers for w in layer.get_weights()]

    def set_weights(self, weights: Sequence[Any]) -> None:
        weights = list(weights)
        expected = sum(len(layer.params) for layer in self._layers)
        if len(weights) != expected:
            raise ValueError(f"Model {self.name!r} expects {expected} weight arrays, got {len(weights)}.")
        k = 0
        for layer in self._layers:
            n = len(layer.params)
            layer.set_weights(weights[k:k + n])
            k += n

    def count_params(self) -> int:
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on model '{self.name}', but it is not built.")
        return sum(layer.count_params() for layer in self._layers)

    # --- summary ---------------------------------------------------------------
    def summary_rows(self) -> list[dict[str, Any]]:
        """Structured rows of the summary: name, type, output shape, params."""
        rows = []
        for layer in self._layers:
            if isinstance(self, Sequential) and isinstance(layer, InputLayer):
                continue
            rows.append({
                "name": layer.name, "type": type(layer).__name__,
                "output_shape": layer.output_shape if layer.built else None,
                "params": layer.count_params() if layer.built else None,
            })
        return rows

    def summary(self, line_length: int | None = None, positions: Any = None,
                print_fn: Callable[[str], None] | None = None, **kwargs: Any) -> str:
        """Print the Keras 3 summary table (and return it)."""
        cells = [(f"{r['name']} ({r['type']})", format_shape(r["output_shape"]),
                  "0 (unbuilt)" if r["params"] is None else f"{r['params']:,}") for r in self.summary_rows()]
        total = sum(r["params"] or 0 for r in self.summary_rows())
        nbytes = 8 if self.ops.dtype == "float64" else 4
        return render_summary(self.name, cells, total, total, nbytes, self.built, print_fn or print)

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "input_shape": self._input_shape,
            "layers": [{"class_name": type(la).__name__, "config": la.get_config()} for la in self.compute_layers],
        }

    def __call__(self, x: Any) -> Any:
        return self.predict(x, verbose=0)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


class Sequential(Model):
    """A linear stack of layers, as ``keras.Sequential``.

    Parameters
    ----------
    layers : list, optional
        Layers (and optionally a leading ``Input(shape=...)``).
    name : str, optional
    """

    _default_name = "sequential"

    def __init__(self, layers: Sequence[Any] | None = None, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name)
        for layer in layers or []:
            self.add(layer)

    def add(self, layer: Any) -> None:
        """Append a layer (or set the input with ``Input(shape=...)``)."""
        if isinstance(layer, KerasTensor):
            if self._layers or not isinstance(layer.layer, InputLayer):
                raise ValueError("Only an Input(shape=...) tensor can be added, and only as the first element.")
            self._input_shape = tuple(layer.shape[1:])
            return
        if isinstance(layer, InputLayer):
            if self._layers:
                raise ValueError("An InputLayer can only be the first layer.")
            self._input_shape = tuple(layer.output_shape[1:])
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"Only layers can be added to a Sequential model, got {layer!r}.")
        if any(existing.name == layer.name for existing in self._layers):
            raise ValueError(f"All layers added to a Sequential model should have unique names; "
                             f"{layer.name!r} is already used.")
        if not self._layers and self._input_shape is None and layer.declared_input_shape is not None:
            self._input_shape = layer.declared_input_shape
        self._layers.append(layer)
        layer.model_name = self.name
        if self._input_shape is not None:
            self.build((None,) + self._input_shape)

    def pop(self) -> Layer:
        if not self._layers:
            raise IndexError("There are no layers in the model.")
        return self._layers.pop()


def _single(x: Any, what: str) -> KerasTensor:
    if isinstance(x, (list, tuple)):
        if len(x) != 1:
            raise ValueError(f"Propscope models have exactly one input and one output; got {len(x)} {what}.")
        x = x[0]
    if not isinstance(x, KerasTensor):
        raise TypeError(f"`{what}` must come from Input(...) and layer calls, got {x!r}.")
    return x
