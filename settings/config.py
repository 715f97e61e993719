"""What the panels edit — data, model and training settings — and how the data is prepared.

Pure Python (no Qt). :mod:`settings.build` turns these into a model and a
:class:`~core.stepper.TrainingSession`; tests can do the same without a window.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from core import optimizers
from core.datasets import Dataset, Normalizer, generate, logic_gate
from core.presets import PRESETS, LayerSpec
from core.stepper.builder import layer_stack
from settings import vocabulary

BUILTIN_SETS = ("spiral", "circle", "xor", "gaussians", "moons", "plane", "multi_gaussian")
GATES = ("XOR", "AND", "OR", "NAND")


LayerRow = LayerSpec  # one row of the model table: a Dense, Dropout or BatchNormalization layer


@dataclass(frozen=True)
class ModelSpec:
    """Layers after the input: Dense rows, and Dropout and BatchNormalization rows between them (the last row is
    the output layer, a Dense one)."""

    layers: tuple[LayerRow, ...] = (LayerRow(8, "tanh"), LayerRow(8, "tanh"), LayerRow(1, "sigmoid"))

    @classmethod
    def from_preset(cls, key: str) -> "ModelSpec":
        return cls(PRESETS[key].layers)

    def model_config(self, input_shape: tuple[int, ...]) -> dict[str, Any]:
        """The model's description for :mod:`core.stepper.builder` (images are flattened first)."""
        return layer_stack(tuple(input_shape), [row.entry() for row in self.layers])

    @property
    def hidden_dense(self) -> tuple[LayerRow, ...]:
        """The Dense rows before the output layer."""
        return tuple(row for row in self.layers[:-1] if row.is_dense)

    def fitted_to(self, data: Dataset, loss: str) -> "ModelSpec":
        """The same hidden layers with the output layer sized for ``data`` and ``loss``."""
        if data.task == "regression":
            units, act = (1 if data.y.ndim == 1 else data.y.shape[1]), "linear"
        elif loss not in vocabulary.CLASS_LOSSES:  # binary crossentropy, or a regression loss on 0/1 targets
            units, act = 1, "sigmoid"
        else:
            units, act = data.num_classes, "softmax"
        keep = self.layers[:-1] if self.layers and self.layers[-1].is_dense else self.layers
        return replace(self, layers=tuple(keep) + (LayerRow(units, act),))


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


@dataclass(frozen=True)
class TrainConfig:
    """Loss, optimizer, batches and where to compute."""

    loss: str = "binary_crossentropy"
    optimizer: str = "adam"
    hyper: dict[str, Any] = field(default_factory=lambda: {"learning_rate": 0.01})
    batch_size: int = 32
    epochs: int = 50
    seed: int = 0
    backend: str = "auto"
    device: str = "auto"
    dtype: str = "float32"

    def __post_init__(self) -> None:
        # One spelling everywhere: "Adam" (a class name, an old session) becomes "adam", "mse" "mean_squared_error".
        object.__setattr__(self, "optimizer", vocabulary.optimizer_key(self.optimizer))
        object.__setattr__(self, "loss", vocabulary.loss_name(self.loss))

    def make_optimizer(self) -> optimizers.Optimizer:
        return vocabulary.make_optimizer(self.optimizer, self.hyper)


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
    """Split off validation data (settings.validation), then normalize (fitted on the training part)."""
    from settings.validation import resolved_normalization, split_validation

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
