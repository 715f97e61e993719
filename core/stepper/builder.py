"""Building a compiled model and its :class:`TrainingSession`: the one way every caller does it.

The window and compare mode (through :mod:`settings.build`), the ``propscope``
command and session files all come here, so a model is described, compiled
and given its training targets the same way everywhere: a categorical
crossentropy on class labels gets one-hot targets whoever builds it.

A model is described as plain data — the ``model.json`` of a session file::

    {"name": "sequential", "input_shape": [784],
     "layers": [{"class": "Dense", "name": "dense", "units": 100, "activation": "relu"}, ...]}

with Dropout, BatchNormalization, ActivityRegularization and regularizers as
:mod:`core.layers.description` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core import layers as core_layers
from core.layers.description import LAYER_CLASSES, layer_entry, layer_from_entry
from core.backend import clear_session
from core.models import Sequential
from core.random import set_random_seed
from core.stepper.session import TrainingSession
from core.utils import to_categorical

ONE_HOT_LOSSES = ("categorical_crossentropy",)


#: The layer types of the plain description; any other model (opened from a Keras file, say) is described by
#: its Keras config instead (``{"keras": …}``), read back through :mod:`core.model_loading`.
PLAIN_LAYERS = tuple(getattr(core_layers, name) for name in LAYER_CLASSES)


def model_config(model) -> dict[str, Any]:
    """A built model as plain data (see the module docstring): rows (:mod:`core.layers.description`) for a
    Sequential of Dense, Flatten, Activation, Dropout, BatchNormalization and ActivityRegularization layers;
    otherwise its Keras config under ``"keras"`` (what a ``.keras`` file's config.json holds)."""
    if not isinstance(model, Sequential) or any(type(layer) not in PLAIN_LAYERS for layer in model.compute_layers):
        import json

        from core.model_files import json_default, serialized_config

        keras = serialized_config(model)
        keras.pop("compile_config", None)
        return {"name": model.name, "input_shape": list(model.input_shape[1:]),
                "keras": json.loads(json.dumps(keras, default=json_default))}
    return {"name": model.name, "input_shape": list(model.input_shape[1:]),
            "layers": [layer_entry(layer) for layer in model.compute_layers]}


def dense_stack(input_shape: tuple[int, ...], dense: list[tuple[int, str]]) -> dict[str, Any]:
    """The description of Dense layers ``(units, activation)`` on samples of ``input_shape`` (images flattened)."""
    if not dense:
        raise ValueError("The model needs at least one Dense layer (the output layer).")
    return layer_stack(input_shape, [{"class": "Dense", "units": int(units), "activation": activation}
                                     for units, activation in dense])


def layer_stack(input_shape: tuple[int, ...], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The description of layers (entries of :mod:`core.layers.description`, names optional) on samples of
    ``input_shape`` (images flattened first); the last one, the output layer, must be Dense."""
    if not entries or entries[-1].get("class") != "Dense":
        raise ValueError("The last layer is the output layer and must be a Dense layer.")
    rows: list[dict[str, Any]] = [{"class": "Flatten"}] if len(input_shape) > 1 else []
    return {"name": "sequential", "input_shape": list(input_shape), "layers": rows + [dict(e) for e in entries]}


def model_from_config(config: dict[str, Any]) -> Sequential:
    """A built (not compiled) model from its description; layers without a name get Keras's automatic names."""
    model = Sequential(name=config.get("name"))
    model.add(core_layers.Input(shape=tuple(config["input_shape"])))
    for entry in config["layers"]:
        model.add(layer_from_entry(entry))  # a frozen layer stays frozen
    return model


@dataclass(frozen=True)
class CompileSpec:
    """What ``Model.compile`` gets: loss and optimizer (names, instances or configs), metrics, where to compute."""

    loss: Any
    optimizer: Any
    metrics: tuple[str, ...] = ()
    backend: str = "auto"
    device: str = "auto"
    dtype: str = "float32"


def build_model(config: dict[str, Any], compile_spec: CompileSpec, seed: int | None = None) -> Sequential:
    """A fresh, compiled model; with ``seed``, its initial weights are those of ``set_random_seed(seed)``.

    Names restart at ``dense``, ``dense_1``… (``clear_session``), so the same
    description always gives the same layer names.
    """
    clear_session()
    if seed is not None:
        set_random_seed(seed)
    model = model_from_config(config)
    model.compile(optimizer=compile_spec.optimizer, loss=compile_spec.loss,
                  metrics=list(compile_spec.metrics) or None, backend=compile_spec.backend,
                  device=compile_spec.device, dtype=compile_spec.dtype)
    return model


def training_targets(model, y) -> np.ndarray:
    """``y`` as the model's loss wants it: class labels become one-hot rows for categorical crossentropy."""
    y = np.asarray(y)
    if model.loss.name in ONE_HOT_LOSSES and (y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1)):
        units = int(model.output_shape[-1])
        try:
            return to_categorical(y, units)
        except ValueError as exc:
            raise ValueError(f"categorical_crossentropy needs class labels 0…{units - 1} for an output layer "
                             f"of {units} units: {exc}") from None
    return y


def _validation(model, validation: tuple | None) -> tuple | None:
    """``(x_val, y_val[, sample weights])`` with targets as the loss wants them, or None."""
    if validation is None or validation[0] is None:
        return None
    return (validation[0], training_targets(model, validation[1]), *validation[2:])


def build_session(model, x, y, validation: tuple | None = None, **options) -> TrainingSession:
    """The :class:`TrainingSession` of a compiled ``model`` on ``x, y`` (and ``validation = (x_val, y_val)``).

    Targets go through :func:`training_targets`; ``options`` are those of
    :class:`TrainingSession` (``batch_size``, ``epochs``, ``seed``, ``sample_weight``…).
    """
    return TrainingSession(model, x, training_targets(model, y), validation_data=_validation(model, validation),
                           **options)


def restore_session(model, x, y, state, validation: tuple | None = None, path=None,
                    sample_weight=None) -> TrainingSession:
    """A session of ``model`` continuing from ``state`` (:meth:`TrainingSession.from_state`: every array is
    checked first), its targets made as :func:`build_session` makes them."""
    return TrainingSession.from_state(model, x, training_targets(model, y), state, _validation(model, validation),
                                      path, sample_weight=sample_weight)
