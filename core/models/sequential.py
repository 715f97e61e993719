"""``Sequential``: a linear stack of layers, built and connected as Keras 3 builds it."""

from __future__ import annotations

from typing import Any, Sequence

from core.backend.config import unique_name
from core.layers import InputLayer, KerasTensor, Layer
from core.layers.base import dtype_policy_config
from core.models.model import Model


class Sequential(Model):
    """A linear stack of layers, as ``keras.Sequential``.

    Parameters
    ----------
    layers : list, optional
        Layers (and optionally a leading ``Input(shape=...)``).
    name : str, optional
    trainable : bool
    """

    _default_name = "sequential"

    def __init__(self, layers: Sequence[Any] | None = None, trainable: bool = True, name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name, trainable=trainable, **kwargs)
        for layer in layers or []:
            self.add(layer, rebuild=False)
        if self._input_shape is not None and self._layers:
            self.build((None,) + self._input_shape)  # once, as Keras builds a list of layers

    def summary_layers(self) -> list[Layer]:
        return self.compute_layers

    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Append a layer (or set the input with ``Input(shape=...)``)."""
        if isinstance(layer, KerasTensor):
            if self._layers or not isinstance(layer.layer, InputLayer):
                raise ValueError("Only an Input(shape=...) tensor can be added, and only as the first element.")
            layer = layer.layer
        if isinstance(layer, InputLayer):
            if self._layers:
                raise ValueError("An InputLayer can only be the first layer.")
            self._input_shape = tuple(layer.output_shape[1:])
            self._input_batch = layer.output_shape[0]
            self._input_tensor = layer.output
            return
        if isinstance(layer, Model):
            raise NotImplementedError("Nesting a model inside a Sequential is not supported: add its layers.")
        if not isinstance(layer, Layer):
            raise TypeError(f"Only layers can be added to a Sequential model, got {layer!r}.")
        if any(existing.name == layer.name for existing in self._layers):
            raise ValueError(f"All layers added to a Sequential model should have unique names; "
                             f"{layer.name!r} is already used.")
        if not self._layers and self._input_shape is None and layer.declared_input_shape is not None:
            self._input_shape = layer.declared_input_shape
        self._layers.append(layer)
        if not layer.model_name:
            layer.model_name = self.name
        if not self._trainable:
            layer.trainable = False
        if self._input_shape is not None and rebuild:
            self.build((None,) + self._input_shape)
        elif self._input_shape is not None and not layer.built:
            self._build_layers_only()

    def build(self, input_shape: Sequence[int | None] | None = None) -> None:
        if input_shape is None:
            if self._input_shape is None:
                raise ValueError("You must provide an `input_shape` argument.")
            input_shape = (None,) + self._input_shape
        super().build(input_shape)
        # Keras builds a hidden functional model each time: later Model() names are numbered after it.
        unique_name("functional")
        self._connect()

    def _build_layers_only(self) -> None:
        Model.build(self, (None,) + self._input_shape)

    def _connect(self) -> None:
        """The symbolic graph Keras gives a built Sequential: ``model.input``, each ``layer.output``."""
        if self._input_tensor is None or tuple(self._input_tensor.shape[1:]) != self._input_shape:
            self._input_tensor = InputLayer(self._input_shape, batch_size=self._input_batch,
                                            dtype=self.ops.dtype).output
        t = self._input_tensor
        for layer in self.compute_layers:
            out = KerasTensor(layer.output_shape, layer, t)
            layer.connect(t, out)
            t = out

    def pop(self, rebuild: bool = True) -> Layer:
        if not self._layers:
            raise IndexError("There are no layers in the model.")
        layer = self._layers.pop()
        if rebuild and self._input_shape is not None and self._layers:
            self.build((None,) + self._input_shape)
        return layer

    def get_config(self) -> dict[str, Any]:
        """Keras's Sequential config (what ``.keras`` files store)."""
        layers = []
        if self._input_shape is not None:
            layers.append({"module": "keras.layers", "class_name": "InputLayer",
                           "config": {"batch_shape": (self._input_batch,) + self._input_shape, "dtype": self.ops.dtype,
                                      "sparse": False, "ragged": False, "name": self.input.layer.name,
                                      "optional": False}, "registered_name": None})
        for la in self.compute_layers:
            entry = {"module": "keras.layers", "class_name": type(la).__name__, "config": la.get_config(),
                     "registered_name": None}
            if la.built:
                entry["build_config"] = {"input_shape": la.input_shape}
            layers.append(entry)
        config = {"name": self.name, "trainable": self.trainable, "dtype": dtype_policy_config(self.ops.dtype),
                  "layers": layers}
        if self._input_shape is not None:
            config["build_input_shape"] = (self._input_batch,) + self._input_shape
        return config
