"""Validation and test data, as the course uses them (Qt-free).

- **Validation** is the held-out share of the *training* data, picked exactly as
  ``train_test_split(x, y, test_size=0.2, random_state=42)`` picks it (Keras's
  ``validation_split`` idea, the course's code). It is evaluated after every epoch.
- A file's **test set** (Fashion-MNIST's t10k files, ``x_test`` in an NPZ) stays
  apart: it is evaluated only when asked, like ``model.evaluate(x_test, y_test)``
  at the end of a notebook. Validating on it instead is an explicit choice
  (``DataConfig.validation == "test"``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.codegen import DataCode
from core.datasets import Dataset
from core.datasets.splits import holdout_indices

#: DataConfig.validation: where the validation data comes from.
VALIDATION_SOURCES = ("split", "test")
MIN_SAMPLES_TO_SPLIT = 5
#: ``Dataset.source`` of arrays handed over from Python (``propscope.show(model, x, y)``): their validation data
#: (``validation_data``, or the last ``validation_split`` of ``x`` as ``fit`` takes it) sits in the test slot.
ARRAYS_SOURCE = "arrays from Python"


def handed_over(data: Dataset | None) -> bool:
    """Whether ``data`` came from Python arrays: its test slot holds the validation data given with them,
    not a test set."""
    return data is not None and data.source == ARRAYS_SOURCE


def split_validation(data: Dataset, fraction: float, source: str, random_state: int
                     ) -> tuple[Dataset, Dataset | None, str]:
    """``(train, validation, kind)``; ``kind`` is ``"split"``, ``"test"`` or ``"none"``.

    ``source == "test"`` validates on the file's test set when it has one; otherwise
    ``fraction`` of the training data is held out (none for tiny sets such as a logic gate).
    """
    if source == "test" and data.x_test is not None:
        return data, data.test_set(), "test"
    if fraction > 0 and len(data) >= MIN_SAMPLES_TO_SPLIT:
        train, held_out = holdout_indices(len(data), fraction, random_state)
        return data.subset(train, "train"), data.subset(held_out, "validation"), "split"
    return data, None, "none"


def resolved_normalization(method: str, data: Dataset) -> str:
    """``"auto"`` made concrete: ÷255 for 8-bit images, else none."""
    if method == "auto":
        return "divide255" if data.x.dtype == np.uint8 else "none"
    return method


@dataclass(frozen=True)
class SplitSizes:
    """How many samples train, validate and wait in the test set, and where validation comes from."""

    train: int
    validation: int
    test: int
    kind: str  # "split", "test", "given" (handed over with arrays from Python) or "none"
    fraction: float
    random_state: int


def split_sizes(prepared, fraction: float, random_state: int, data: Dataset | None = None) -> SplitSizes:
    """The sizes of ``prepared``; ``data`` tells validation data handed over from Python (no test set then)."""
    given = handed_over(data)
    test = 0 if prepared.x_test is None or given else len(prepared.x_test)
    kind = "given" if given and prepared.validation == "test" else prepared.validation
    return SplitSizes(len(prepared.x_train), 0 if prepared.x_val is None else len(prepared.x_val), test, kind,
                      fraction, random_state)


def data_code(prepared, data_config, train_config, num_classes: int) -> DataCode:
    """What the Code dock needs to write the data preparation that actually ran."""
    return DataCode(normalization=prepared.normalizer.method, validation=prepared.validation,
                    test_size=data_config.validation_fraction, random_state=data_config.seed,
                    has_test=prepared.x_test is not None, one_hot=train_config.loss == "categorical_crossentropy",
                    num_classes=num_classes, seed=train_config.seed)


def evaluate_test(model, prepared, batch_size: int) -> dict[str, float]:
    """``model.evaluate(x_test, y_test)`` on the prepared (normalized) test set, as a dict."""
    from core.stepper.builder import training_targets

    if prepared.x_test is None:
        raise ValueError("This data has no separate test set.")
    return model.evaluate(prepared.x_test, training_targets(model, prepared.y_test), batch_size=batch_size,
                          verbose=0, return_dict=True)
