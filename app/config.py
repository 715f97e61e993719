"""What the panels edit — data, model and training settings — and how a session is built from them.

Pure Python (no Qt): the controller turns these into a model and a
:class:`~core.stepper.TrainingSession`; tests can do the same without a window.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

import core
from core import optimizers
from core.datasets import Dataset, Normalizer, generate, logic_gate
from core.presets import PRESETS, LayerSpec, build_sequential

ACTIVATIONS = ("relu", "sigmoid", "tanh", "linear", "leaky_relu", "elu", "selu", "gelu", "swish", "softmax")
LOSSES = ("sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy",
          "mean_squared_error", "mean_absolute_error", "huber")
OPTIMIZERS = {"SGD": optimizers.SGD, "Adagrad": optimizers.Adagrad, "RMSprop": optimizers.RMSprop,
              "Adam": optimizers.Adam, "AdamW": optimizers.AdamW}
BUILTIN_SETS = ("spiral", "circle", "xor", "gaussians", "moons", "plane", "multi_gaussian")
GATES = ("XOR", "AND", "OR", "NAND")


def optimizer_class_name(name: str) -> str:
    """``"adam"`` → ``"Adam"``: the class name of an optimizer named in any case (unknown names unchanged)."""
    return next((key for key in OPTIMIZERS if key.lower() == name.lower()), name)


def optimizer_defaults(name: str) -> dict[str, Any]:
    """The Keras 3 defaults of an optimizer's own hyper-parameters (from its signature)."""
    sig = inspect.signature(OPTIMIZERS[name].__init__)
    return {k: p.default for k, p in sig.parameters.items()
            if k not in ("self", "kwargs") and p.default is not inspect.Parameter.empty}


LayerRow = LayerSpec  # one Dense layer of the model table: units and activation


@dataclass(frozen=True)
class ModelSpec:
    """Dense layers after the input (the last one is the output layer)."""

    layers: tuple[LayerRow, ...] = (LayerRow(8, "tanh"), LayerRow(8, "tanh"), LayerRow(1, "sigmoid"))

    @classmethod
    def from_preset(cls, key: str) -> "ModelSpec":
        return cls(PRESETS[key].layers)

    def build(self, input_shape: tuple[int, ...]) -> core.Sequential:
        """A fresh model for samples of ``input_shape`` (images are flattened first)."""
        return build_sequential(input_shape, self.layers)

    def fitted_to(self, data: Dataset, loss: str) -> "ModelSpec":
        """The same hidden layers with the output layer sized for ``data`` and ``loss``."""
        if data.task == "regression":
            units, act = (1 if data.y.ndim == 1 else data.y.shape[1]), "linear"
        elif loss == "binary_crossentropy":
            units, act = 1, "sigmoid"
        else:
            units, act = data.num_classes, "softmax"
        return replace(self, layers=self.layers[:-1] + (LayerRow(units, act),))


@dataclass(frozen=True)
class DataConfig:
    """Where the data comes from and how it is prepared."""

    source: str = "builtin"          # "builtin", "gate" or "file"
    builtin: str = "spiral"
    n_samples: int = 400
    noise: float = 0.1
    gate: str = "XOR"
    path: str = ""
    seed: int = 0
    validation_fraction: float = 0.2  # held out of the training data (train_test_split, random_state=seed)
    normalization: str = "auto"      # "auto", "none", "divide255", "standardize", "minmax"
    validation: str = "split"        # "split": the held-out share validates; "test": the file's test set does

    def load(self) -> Dataset:
        if self.source == "builtin":
            return generate(self.builtin, self.n_samples, self.noise, self.seed)
        if self.source == "gate":
            return logic_gate(self.gate)
        from core.datasets import load_file

        return load_file(self.path)


def default_loss(data: Dataset) -> str:
    if data.task == "regression":
        return "mean_squared_error"
    return "binary_crossentropy" if data.task == "binary" else "sparse_categorical_crossentropy"


@dataclass(frozen=True)
class TrainConfig:
    """Loss, optimizer, batches and where to compute."""

    loss: str = "binary_crossentropy"
    optimizer: str = "Adam"
    hyper: dict[str, Any] = field(default_factory=lambda: {"learning_rate": 0.01})
    batch_size: int = 32
    epochs: int = 50
    seed: int = 0
    backend: str = "auto"
    device: str = "auto"
    dtype: str = "float32"

    def make_optimizer(self) -> optimizers.Optimizer:
        defaults = optimizer_defaults(self.optimizer)
        args = {k: v for k, v in self.hyper.items() if k in defaults}
        return OPTIMIZERS[self.optimizer](**args)


@dataclass(frozen=True)
class Prepared:
    """Arrays ready for training: normalized, flattened as the model wants, split."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray | None
    y_val: np.ndarray | None
    normalizer: Normalizer
    x_test: np.ndarray | None = None   # the file's separate test set, evaluated on request
    y_test: np.ndarray | None = None
    validation: str = "none"           # where x_val came from: "split", "test" or "none"


def prepare(data: Dataset, config: DataConfig) -> Prepared:
    """Split off validation data (app.validation), then normalize (fitted on the training part)."""
    from app.validation import resolved_normalization, split_validation

    method = resolved_normalization(config.normalization, data)
    train, val, kind = split_validation(data, config.validation_fraction, config.validation, config.seed)
    test = data.test_set()
    normalizer = Normalizer.fit(method, train.x.reshape(len(train), -1)) if method != "divide255" else \
        Normalizer.fit(method, train.x[:1])

    def norm(x):
        shape = x.shape
        return normalizer.transform(x.reshape(len(x), -1)).reshape(shape)

    return Prepared(norm(train.x), train.y, None if val is None else norm(val.x), None if val is None else val.y,
                    normalizer, None if test is None else norm(test.x), None if test is None else test.y, kind)


def build_model(spec: ModelSpec, data: Dataset, train: TrainConfig) -> core.Sequential:
    """The compiled model for this data and these settings, with seeded initial weights."""
    core.backend.clear_session()
    core.utils.set_random_seed(train.seed)
    model = spec.build(data.input_shape)
    metrics = [] if data.task == "regression" else ["accuracy"]
    model.compile(optimizer=train.make_optimizer(), loss=train.loss, metrics=metrics,
                  backend=train.backend, device=train.device, dtype=train.dtype)
    return model


def make_session(model: core.Sequential, data: Dataset, prepared: Prepared, train: TrainConfig,
                 batch_size: int | None = None):
    """The :class:`~core.stepper.TrainingSession` of ``model`` on the prepared data (one-hot
    targets for categorical crossentropy; the shuffle seed is the training seed)."""
    from core.stepper import TrainingSession
    from core.utils import to_categorical

    y_train, y_val = prepared.y_train, prepared.y_val
    if train.loss == "categorical_crossentropy":
        y_train = to_categorical(y_train, data.num_classes)
        y_val = None if y_val is None else to_categorical(y_val, data.num_classes)
    validation = None if prepared.x_val is None else (prepared.x_val, y_val)
    return TrainingSession(model, prepared.x_train, y_train, batch_size=batch_size or train.batch_size,
                           epochs=train.epochs, seed=train.seed, validation_data=validation)
