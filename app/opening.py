"""What opening a data file or a session file does, as plain functions for :class:`app.loading.Loader`.

Qt-free: each function runs on the loader's worker thread and returns
everything the controller needs to swap in at once, or raises the loaders'
own errors (``DatasetError``, ``SessionFileError``) with the message to show.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from settings.config import DataConfig
from settings.data_ref import data_config_from_ref
from core import losses
from core.datasets import Dataset, DatasetError
from core.stepper import TrainingSession


def load_dataset(config: DataConfig) -> Dataset:
    """The data ``config`` names, refused when it cannot be trained on (fewer than 2 samples)."""
    dataset = config.load()
    if len(dataset) < 2:
        raise DatasetError("the data set has fewer than 2 samples.")
    return dataset


@dataclass(frozen=True)
class OpenedSession:
    """A reopened session with the data the app shows beside it."""

    session: TrainingSession
    extras: dict[str, Any]
    dataset: Dataset
    data_config: DataConfig


def open_session(path: str | Path) -> OpenedSession:
    """Reopen ``path`` (see :func:`core.export.session_file.load_session`) and find its data.

    The data reference is checked (:func:`settings.data_ref.data_config_from_ref`)
    before anything is regenerated or read. When the reference cannot be
    reproduced but the file carries its arrays, the app shows those arrays.
    """
    from app.cli import load_prepared
    from core.export.session_file import load_session

    session, extras = load_session(path, data_loader=load_prepared)
    try:
        config = data_config_from_ref(extras.get("data_ref") or {})
        dataset = load_dataset(config)
    except (DatasetError, ValueError) as exc:  # the arrays in the file are all training needs
        dataset, config = dataset_from_session(session, extras.get("settings") or {}, str(exc))
    return OpenedSession(session, extras, dataset, config)


def dataset_from_session(session: TrainingSession, settings: dict, why: str = "") -> tuple[Dataset, DataConfig]:
    """A :class:`Dataset` of the session's own (already prepared) arrays, and the config that reproduces them:
    no normalization, the stored validation data as the test set."""
    ops = session.engine.ops
    x, y = ops.to_numpy(session.xs), ops.to_numpy(session.y_metric)
    val = session.validation_data
    labels, task, names = _labels(session.model.loss, y, settings)
    x_val = y_val = None
    if val is not None:
        x_val = np.asarray(val[0])
        y_val = _labels(session.model.loss, np.asarray(val[1]), settings)[0]
        if labels.dtype.kind in "iu" and y_val.dtype.kind in "iu" and y_val.size and y_val.max() >= len(names):
            x_val = y_val = None
    source = "the arrays stored in the session file" + (f" ({why})" if why else "")
    dataset = Dataset(x, labels, task, names, (), source, x_val, y_val, name="session data")
    config = replace(DataConfig(), source="file", path="", normalization="none", validation_fraction=0.0)
    return dataset, config


def _labels(loss, y: np.ndarray, settings: dict) -> tuple[np.ndarray, str, tuple[str, ...]]:
    if isinstance(loss, losses.SparseCategoricalCrossentropy):
        labels = y.reshape(len(y)).astype(np.int64)
    elif isinstance(loss, losses.CategoricalCrossentropy):
        labels = np.argmax(y.reshape(len(y), -1), axis=1).astype(np.int64)
    elif isinstance(loss, losses.BinaryCrossentropy) and y.reshape(len(y), -1).shape[1] == 1:
        labels = (y.reshape(len(y)) > 0.5).astype(np.int64)
    else:
        return y.astype(np.float32), "regression", ()
    count = max(int(labels.max()) + 1 if labels.size else 0, 2 if isinstance(loss, losses.BinaryCrossentropy) else 1)
    stored = tuple(settings.get("class_names") or ())
    names = stored if len(stored) >= count else tuple(str(i) for i in range(count))
    return labels, "binary" if len(names) == 2 else "classification", names
