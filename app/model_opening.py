"""A model from outside — a Keras file, or a model handed over from Python — as the window's session.

Qt-free: :func:`open_model_session` runs on the loader's worker thread (File →
Open model…, drag and drop, ``propscope open``); :func:`model_session` also
serves ``propscope.show``. Each returns everything the controller needs to
swap in at once (:class:`OpenedModelSession`), or raises with the message to
show; nothing the window shows changes before that.

The data is the window's (or the ``--data`` file's), prepared as the data
panel says. It must fit the model: samples of its input shape (images of the
same number of values are reshaped, as ``x.reshape`` in a notebook), targets
its loss can take. A model saved without compile settings is compiled with the
Training panel's loss and optimizer, and says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

import core
from app.opening import load_dataset
from core.datasets import Dataset
from core.stepper import TrainingSession, builder
from settings.config import DataConfig, LayerRow, ModelSpec, Prepared, TrainConfig, prepare
from settings.validation import ARRAYS_SOURCE
from settings.vocabulary import OPTIMIZERS, default_loss, loss_fits, optimizer_defaults

#: The Keras optimizer a PyTorch-rule optimizer shows as in the Training panel (its rule is named beside it).
KERAS_TWIN = {"TorchSGD": "sgd", "TorchAdagrad": "adagrad", "TorchRMSprop": "rmsprop", "TorchAdam": "adam",
              "TorchAdamW": "adamw"}


@dataclass(frozen=True)
class ModelSource:
    """Where the model shown came from.

    Attributes
    ----------
    kind : str
        ``"keras-file"``, ``"keras"`` (a live keras.Model), ``"torch"`` or ``"core"``.
    label : str
        For people: ``"mnist.keras (Keras 3.15.1)"``.
    path : Path or None
        The model file (the Code dock loads it).
    data_path : str or None
        The data file given with it, if any.
    notes : tuple of str
        What did not come across exactly.
    """

    kind: str
    label: str
    path: Path | None = None
    data_path: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpenedModelSession:
    """An outside model ready to show: the model, its session, the data beside it, the settings the panels show."""

    model: object
    session: TrainingSession
    dataset: Dataset
    data_config: DataConfig
    train: TrainConfig
    source: ModelSource


def open_model_session(path: str | Path, dataset: Dataset | None, data_config: DataConfig, train: TrainConfig,
                       data_path: str | None = None) -> OpenedModelSession:
    """Open the Keras model file at ``path`` on ``dataset`` (or the data file ``data_path``)."""
    from core.model_loading import open_model

    opened = open_model(path)
    if data_path:
        data_config = replace(data_config, source="file", path=str(data_path))
        dataset = load_dataset(data_config)
    source = ModelSource("keras-file", f"{Path(path).name} ({opened.saved_by})", Path(path), data_path,
                         tuple(opened.notes))
    return model_session(opened.model, dataset, data_config, train, source)


def model_session(model, dataset: Dataset | None, data_config: DataConfig, train: TrainConfig,
                  source: ModelSource, session_options: dict | None = None) -> OpenedModelSession:
    """The session of ``model`` (compiled here with the panel's settings when it is not) on ``dataset``."""
    if dataset is None:
        raise ValueError("Open data first (File → Open data…): the model needs data to train on.")
    notes = list(source.notes)
    if not model.compiled:
        loss = train.loss if loss_fits(train.loss, dataset.task) else default_loss(dataset.task)
        model.compile(optimizer=train.make_optimizer(), loss=loss,
                      metrics=None if dataset.task == "regression" else ["accuracy"])
        notes.append(f"The file holds no compile settings: compiled with {type(model.optimizer).__name__} and "
                     f"{loss} from the Training panel.")
    prepared = fitted_arrays(model, dataset, prepare(dataset, data_config))
    options = {"batch_size": train.batch_size, "epochs": train.epochs, "seed": train.seed, **(session_options or {})}
    session = builder.build_session(model, prepared.x_train, prepared.y_train,
                                    validation=(prepared.x_val, prepared.y_val), **options)
    train = replace(panel_training(model, train), batch_size=session.batch_size, epochs=session.epochs)
    return OpenedModelSession(model, session, dataset, data_config, train, replace(source, notes=tuple(notes)))


def reopened_session(pristine, dataset: Dataset, data_config: DataConfig, train: TrainConfig,
                     source: ModelSource) -> OpenedModelSession:
    """A new session of an opened model from ``pristine`` (its untouched copy: the state it was opened in), on
    this data with these settings; recompiled with the panel's loss and optimizer when they differ from its own."""
    from core.model_loading.copies import copy_model

    model = copy_model(pristine)
    if recompile_needed(model, train):
        # The panel names losses only: the model's own loss object stays when the name is the same
        # (a crossentropy from logits, as a torch model's CrossEntropyLoss, keeps from_logits).
        same = getattr(model.loss, "name", None) == train.loss
        model.compile(optimizer=train.make_optimizer(), loss=model.loss_identifier if same else train.loss,
                      metrics=None if dataset.task == "regression" else ["accuracy"])
    return model_session(model, dataset, data_config, train, source)


def recompile_needed(model, train: TrainConfig) -> bool:
    """Whether the panel's loss or optimizer settings differ from what ``model`` was compiled with."""
    shown = panel_training(model, train)
    if (shown.loss, shown.optimizer, set(shown.hyper)) != (train.loss, train.optimizer, set(train.hyper)):
        return True
    # The panel's spin boxes round (Keras keeps 0.0010000000474974513 for 0.001): compare as numbers.
    return any(not math.isclose(float(shown.hyper[k]), float(train.hyper[k]), rel_tol=1e-6, abs_tol=1e-12)
               for k in train.hyper)


def dense_rows(model) -> ModelSpec:
    """The model panel's rows for a model: its Dense layers (units, activation)."""
    rows = tuple(LayerRow(la.units, la.activation.name) for la in model.compute_layers
                 if isinstance(la, core.layers.Dense))
    return ModelSpec(rows) if rows else ModelSpec()


def fitted_arrays(model, dataset: Dataset, prepared: Prepared) -> Prepared:
    """``prepared`` with samples of the model's input shape, once the data is known to fit the model."""
    want = tuple(int(d) for d in model.input_shape[1:])
    have = tuple(int(d) for d in dataset.input_shape)
    if want != have and math.prod(want) != math.prod(have):
        raise ValueError(f"The model takes samples of shape {want}; the data ({dataset.name}) has samples of shape "
                         f"{have}. Open data that fits (File → Open data…), or give the data with the model: "
                         "propscope open MODEL --data FILE.")
    _check_targets(model, dataset)

    def shaped(x):
        return None if x is None or want == have else x.reshape((len(x), *want))

    if want == have:
        return prepared
    return replace(prepared, x_train=shaped(prepared.x_train), x_val=shaped(prepared.x_val))


def _check_targets(model, dataset: Dataset) -> None:
    outputs = int(model.output_shape[-1])
    loss = model.loss_identifier
    name = getattr(loss, "name", loss if isinstance(loss, str) else "")
    if dataset.task == "regression":
        width = 1 if dataset.y.ndim == 1 else dataset.y.shape[1]
        if width != outputs:
            raise ValueError(f"The model has {outputs} outputs; the data ({dataset.name}) has {width} target "
                             "columns.")
        return
    classes = dataset.num_classes
    if name in ("binary_crossentropy",) or outputs == 1:
        if classes > 2:
            raise ValueError(f"The model has one output (binary); the data ({dataset.name}) has {classes} classes.")
    elif classes > outputs:
        raise ValueError(f"The model has {outputs} outputs; the data ({dataset.name}) has {classes} classes.")


def panel_training(model, base: TrainConfig) -> TrainConfig:
    """What the Training panel shows for ``model``: its loss and optimizer (a PyTorch rule as its Keras twin,
    named beside it) with the optimizer's numeric settings."""
    opt = model.optimizer
    key = KERAS_TWIN.get(type(opt).__name__, type(opt).__name__.lower())
    if key not in OPTIMIZERS:
        return base
    defaults = optimizer_defaults(key)
    hyper = {k: v for k, v in opt.get_config().items()
             if k in defaults and isinstance(v, (int, float, bool)) and not isinstance(v, dict)}
    loss = getattr(model.loss, "name", None) or base.loss
    try:
        return replace(base, loss=loss, optimizer=key, hyper=hyper)
    except ValueError:  # a loss the panel does not list: keep the panel's
        return replace(base, optimizer=key, hyper=hyper)


def dataset_from_arrays(x: np.ndarray, y: np.ndarray, model, validation_split: float = 0.0,
                        validation_data: tuple | None = None, name: str = "your data") -> Dataset:
    """A :class:`Dataset` of arrays handed over from Python, its task read from the model's loss; validation
    data is the last ``validation_split`` of the samples, as Keras's ``fit`` takes it."""
    x, y = np.asarray(x), np.asarray(y)
    loss = model.loss_identifier
    name_of_loss = getattr(loss, "name", loss if isinstance(loss, str) else "")
    outputs = int(model.output_shape[-1])
    x_val = y_val = None
    if validation_data is not None:
        x_val, y_val = (np.asarray(a) for a in validation_data[:2])
    elif validation_split:
        cut = int(len(x) * (1 - validation_split))
        x, y, x_val, y_val = x[:cut], y[:cut], x[cut:], y[cut:]
    if name_of_loss in ("sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy") \
            or isinstance(loss, (core.losses.SparseCategoricalCrossentropy, core.losses.CategoricalCrossentropy,
                                 core.losses.BinaryCrossentropy)):
        labels, val_labels = _labels(y, outputs), None if y_val is None else _labels(y_val, outputs)
        count = max(outputs, 2)
        task = "binary" if count == 2 else "classification"
        return Dataset(x, labels, task, tuple(str(i) for i in range(count)), (), ARRAYS_SOURCE, x_val,
                       val_labels, name=name)
    return Dataset(x, y.astype(np.float32), "regression", (), (), ARRAYS_SOURCE, x_val,
                   None if y_val is None else y_val.astype(np.float32), name=name)


def _labels(y: np.ndarray, outputs: int) -> np.ndarray:
    if y.ndim == 2 and y.shape[1] == outputs > 1:
        return np.argmax(y, axis=1).astype(np.int64)
    flat = y.reshape(len(y))
    return (flat > 0.5).astype(np.int64) if outputs == 1 else flat.astype(np.int64)


def array_data_config() -> DataConfig:
    """The data settings of arrays from Python: used as they are (no normalization), the held-out part (if any)
    as validation data."""
    # The held-out part sits in the data set's test slot: it validates, by explicit choice (validation="test").
    return replace(DataConfig(), source="file", path="", normalization="none", validation_fraction=0.0,
                   validation="test")
