"""The functional ``Model``: structure, compile, summary, weights.

Training (``fit``, ``evaluate``, ``predict``) lives in :mod:`core.training`,
mixed into :class:`Model`; model and weight files in :mod:`core.model_files`;
``Sequential`` in :mod:`core.models.sequential`.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from core import losses as losses_module
from core import optimizers as optimizers_module
from core.arguments import reject_unknown
from core.backend.config import floatx, unique_name
from core.backend.ops import NumpyOps, Ops
from core.backend.select import get_backend
from core.layers import InputLayer, KerasTensor, Layer
from core.model_files import SavingMixin
from core.summary import format_shape, parameter_counts, print_summary
from core.training import TrainingMixin
from core.models.arguments import chain_depth, loss_weight_argument, metric_list, on_chain, single_input


class Model(TrainingMixin, SavingMixin):
    """A functional model ``Model(inputs, outputs)`` over a chain of layers.

    Parameters
    ----------
    inputs : KerasTensor
        From :func:`core.layers.Input` (or ``other_model.input``).
    outputs : KerasTensor or list of KerasTensor
        The last layer's output; several outputs along the same chain (e.g.
        ``[layer.output for layer in model.layers]``) make a model that can
        ``predict`` every intermediate activation.
    name : str, optional
    trainable : bool
    """

    _default_name = "functional"

    def __init__(self, inputs: Any = None, outputs: Any = None, name: str | None = None, trainable: bool = True,
                 **kwargs: Any) -> None:
        reject_unknown(type(self).__name__, kwargs)
        self.name = name or unique_name(self._default_name)
        self._layers: list[Layer] = []
        self._input_shape: tuple[int, ...] | None = None
        self._input_batch: int | None = None
        self._input_tensor: KerasTensor | None = None
        self._output_indices: list[int] | None = None
        self.ops: Ops = NumpyOps(floatx())
        self.backend_message = ""
        self.optimizer: optimizers_module.Optimizer | None = None
        self.loss: losses_module.Loss | None = None
        self._loss_identifier: Any = None
        self._loss_weight: float | None = None
        self.metric_identifiers: list[Any] = []
        self.weighted_metric_identifiers: list[Any] = []
        self._compiled_metrics: list = []
        self.compiled = False
        self.stop_training = False
        self.history = None
        self._trainable = bool(trainable)
        if type(self) is Model:
            if inputs is None or outputs is None:
                raise TypeError("Model(inputs, outputs) needs both the Input tensor and the output tensor.")
            self._init_functional(inputs, outputs)
            if not trainable:
                self.trainable = False

    def _init_functional(self, inputs: Any, outputs: Any) -> None:
        inputs = single_input(inputs, "inputs")
        outs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        for t in outs:
            if not isinstance(t, KerasTensor):
                raise TypeError(f"`outputs` must come from Input(...) and layer calls, got {t!r}.")
        deepest = max(outs, key=chain_depth)
        chain: list[Layer] = []
        t = deepest
        while t is not None and t is not inputs:
            chain.append(t.layer)
            t = t.parent
        if t is not inputs:
            raise ValueError("The outputs are not computed from the given inputs.")
        compute = chain[::-1]
        self._layers = [inputs.layer] + compute
        index = {id(layer): i for i, layer in enumerate(compute)}
        self._output_indices = []
        for out in outs:
            if out is not inputs and (id(out.layer) not in index or not on_chain(deepest, out)):
                raise ValueError(f"Output {out!r} is not on the chain from the inputs to {deepest!r}: Propscope "
                                 "models are one chain of layers.")
            self._output_indices.append(-1 if out is inputs else index[id(out.layer)])
        self._outputs = outs
        self._input_tensor = inputs
        self._input_shape = tuple(inputs.shape[1:])
        self._input_batch = inputs.shape[0]
        self._check_unique_names()
        for layer in self._layers:
            if not layer.model_name:
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
    def loss_identifier(self) -> Any:
        """The ``loss`` given to ``compile()``, as given (a name, a class, an instance)."""
        return self._loss_identifier

    @property
    def loss_weight(self) -> float | None:
        """The ``loss_weights`` given to ``compile()``, as the one weight of this model's single output."""
        return self._loss_weight

    @property
    def layers(self) -> list[Layer]:
        return list(self._layers)

    def summary_layers(self) -> list[Layer]:
        """The rows of the summary table (a Sequential hides its InputLayer, as Keras does)."""
        return self.layers

    @property
    def compute_layers(self) -> list[Layer]:
        """The layers that compute (every layer but the InputLayer)."""
        return [layer for layer in self._layers if not isinstance(layer, InputLayer)]

    @property
    def built(self) -> bool:
        return self._input_shape is not None and all(layer.built for layer in self._layers)

    @property
    def input_shape(self) -> tuple | None:
        return None if self._input_shape is None else (self._input_batch,) + self._input_shape

    @property
    def output_shape(self) -> tuple | None:
        layers = self.compute_layers
        return layers[-1].output_shape if layers and self.built else None

    @property
    def _multi_output(self) -> bool:
        return self._output_indices is not None and len(self._output_indices) > 1

    def _output_shapes(self) -> list[tuple]:
        layers = self.compute_layers
        if self._output_indices is None:
            return [self.output_shape]
        return [self.input_shape if i < 0 else layers[i].output_shape for i in self._output_indices]

    @property
    def input(self) -> KerasTensor:
        if self._input_tensor is None:
            raise AttributeError(f"Model '{self.name}' has no defined input: give it an Input(shape=...) or an "
                                 "input_shape, or call it on data first.")
        return self._input_tensor

    @property
    def inputs(self) -> list[KerasTensor]:
        return [self.input]

    @property
    def output(self) -> KerasTensor | list[KerasTensor]:
        outs = self.outputs
        return outs[0] if len(outs) == 1 else outs

    @property
    def outputs(self) -> list[KerasTensor]:
        if getattr(self, "_outputs", None) is not None:
            return list(self._outputs)
        layers = self.compute_layers
        if not layers or self._input_tensor is None:
            raise AttributeError(f"Model '{self.name}' has no defined output yet.")
        return [layers[-1].output]

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
        shape = (self._input_batch,) + self._input_shape
        for layer in self.compute_layers:
            if layer.built:
                if tuple(layer.input_shape[1:]) != tuple(shape[1:]):
                    raise ValueError(
                        f"Layer {layer.name!r} was built for inputs {format_shape(layer.input_shape)} "
                        f"but now receives {format_shape((None,) + tuple(shape[1:]))}."
                    )
                layer.output_shape = layer.compute_output_shape(shape)
            else:
                layer.ops = self.ops
                layer.build(shape)
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
    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, loss_weights: Any = None, metrics: Any = None,
                weighted_metrics: Any = None, run_eagerly: bool = False, steps_per_execution: int = 1,
                jit_compile: Any = "auto", auto_scale_loss: bool = True, *, backend: str | None = None,
                device: str | None = None, dtype: str | None = None, **kwargs: Any) -> None:
        """Configure training, as Keras ``compile``.

        A used optimizer object keeps its state (iterations, moments), as in
        Keras. ``run_eagerly`` and ``jit_compile`` only choose how Keras runs
        the same arithmetic; Propscope always runs eagerly, so both are
        recorded and change nothing. ``backend``, ``device`` and ``dtype`` are
        Propscope additions (default: the fastest backend here; see
        :func:`core.backend.get_backend`).
        """
        reject_unknown("compile()", kwargs)
        if steps_per_execution != 1:
            raise NotImplementedError(f"compile(steps_per_execution={steps_per_execution}): Keras's torch backend "
                                      "runs one step per call, and so does Propscope.")
        if jit_compile not in ("auto", True, False):
            raise ValueError(f"`jit_compile` must be 'auto', True or False, got {jit_compile!r}.")
        self.optimizer = optimizers_module.get(optimizer)
        self._loss_identifier = loss
        self.loss = None
        if loss is not None and not (isinstance(loss, str) and loss.lower() in losses_module.CROSSENTROPY):
            self.loss = losses_module.get(loss)
            if self.loss.reduction in (None, "none"):
                raise ValueError(f"compile(loss=...) needs a loss that reduces to one number per batch; "
                                 f"{self.loss.name} has reduction={self.loss.reduction!r}.")
        self._loss_weight = loss_weight_argument(loss_weights, self)
        self.metric_identifiers = metric_list(metrics, "metrics")
        self.weighted_metric_identifiers = metric_list(weighted_metrics, "weighted_metrics")
        self.run_eagerly, self.jit_compile, self.auto_scale_loss = bool(run_eagerly), jit_compile, auto_scale_loss
        self.steps_per_execution = 1
        self._compiled_metrics = []
        self.set_backend(backend, device, dtype)
        self.stop_training = False
        self.compiled = True

    @property
    def metrics(self) -> list:
        """The loss tracker and the compiled metrics (resolved by the last fit/evaluate), as Keras lists them."""
        from core.metrics import Mean

        return ([Mean(name="loss")] if self.compiled else []) + list(self._compiled_metrics)

    @property
    def metrics_names(self) -> list[str]:
        return [m.name for m in self.metrics]

    # --- weights -------------------------------------------------------------
    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for layer in self._layers:
            layer.trainable = bool(value)

    @property
    def weights(self):
        return [v for layer in self._layers for v in layer.weights]

    variables = weights

    @property
    def trainable_weights(self):
        if not self._trainable:
            return []
        return [v for layer in self._layers for v in layer.trainable_weights]

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        if not self._trainable:
            return self.weights
        return [v for layer in self._layers for v in layer.non_trainable_weights]

    non_trainable_variables = non_trainable_weights

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

    def parameter_counts(self) -> dict[str, tuple[int, int]]:
        """The summary's footer: label → (count, bytes), with the optimizer's variables once it has state."""
        return parameter_counts(self)

    # --- summary ---------------------------------------------------------------
    def summary(self, line_length: int | None = None, positions: Any = None,
                print_fn: Callable[..., None] | None = None, expand_nested: bool = False,
                show_trainable: bool = False, layer_range: Any = None) -> None:
        """Print the Keras 3 summary table (returns None, as Keras does).

        ``expand_nested`` changes nothing: Propscope models hold no nested
        models. Use :func:`core.summary.summary_text` for the text itself.
        """
        print_summary(self, line_length, positions, print_fn, expand_nested, show_trainable, layer_range)

    def summary_rows(self) -> list[dict[str, Any]]:
        """Structured rows of the summary: name, type, output shape, params."""
        return [{"name": layer.name, "type": type(layer).__name__,
                 "output_shape": layer.output_shape if layer.built else None,
                 "params": layer.count_params() if layer.built else None} for layer in self.summary_layers()]

    def get_config(self) -> dict[str, Any]:
        """Keras's functional config: the layers with their inbound nodes, the input and output layers."""
        layers, previous = [], None
        for la in self._layers:
            entry = {"module": "keras.layers", "class_name": type(la).__name__, "config": la.get_config(),
                     "registered_name": None}
            if la.built and not isinstance(la, InputLayer):
                entry["build_config"] = {"input_shape": la.input_shape}
            entry["name"] = la.name
            tensor = None if previous is None else {"class_name": "__keras_tensor__", "config": {
                "shape": previous.output_shape, "dtype": self.ops.dtype, "keras_history": [previous.name, 0, 0]}}
            entry["inbound_nodes"] = [] if tensor is None else [{"args": [tensor], "kwargs": {}}]
            layers.append(entry)
            previous = la
        compute = self.compute_layers
        outs = [[self._layers[0].name if i < 0 else compute[i].name, 0, 0] for i in (self._output_indices or [-2])]
        return {"name": self.name, "trainable": self.trainable, "layers": layers,
                "input_layers": [self._layers[0].name, 0, 0], "output_layers": outs[0] if len(outs) == 1 else outs}

    @property
    def losses(self) -> list[float]:
        """The penalties of the trained, regularized weights now (Keras's ``model.losses``, weight part)."""
        if not self._trainable:
            return []
        return [loss for layer in self._layers for loss in layer.losses]

    def __call__(self, x: Any, training: bool = False) -> Any:
        """The outputs for ``x``; ``training=True`` runs Dropout and BatchNormalization as in training (and
        moves the moving averages, as calling a Keras model in training mode does)."""
        if not training:
            return self.predict(x, verbose=0)
        from core.engine import forward_all

        x = self._prepare_x(x)
        outs = [self.ops.to_numpy(a) for a in forward_all(self.compute_layers, self.ops, self.ops.asarray(x),
                                                           self._output_indices, training=True)]
        return outs if self._multi_output else outs[0]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

