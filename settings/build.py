"""Settings → a compiled model and its training session, through core's one builder.

The window, the ``propscope train`` command and compare mode all call
:func:`build_session`; session files rebuild through the same
:mod:`core.stepper.builder`. Pure Python (no Qt).
"""

from __future__ import annotations

from dataclasses import dataclass

import core
from core.datasets import Dataset
from core.stepper import TrainingSession, builder
from core.stepper.builder import CompileSpec
from settings.config import DataConfig, ModelSpec, Prepared, TrainConfig, prepare


@dataclass(frozen=True)
class Built:
    """What :func:`build_session` made: the model, its session, and the prepared arrays it trains on."""

    model: core.Sequential
    session: TrainingSession
    prepared: Prepared


def compile_spec(data: Dataset, train: TrainConfig) -> CompileSpec:
    """How the model is compiled for ``data``: accuracy is measured for classification only."""
    metrics = () if data.task == "regression" else ("accuracy",)
    return CompileSpec(loss=train.loss, optimizer=train.make_optimizer(), metrics=metrics, backend=train.backend,
                       device=train.device, dtype=train.dtype)


def build_model(spec: ModelSpec, data: Dataset, train: TrainConfig) -> core.Sequential:
    """The compiled model for this data and these settings, with initial weights from the training seed."""
    return builder.build_model(spec.model_config(data.input_shape), compile_spec(data, train), seed=train.seed)


def build_session(data: Dataset, data_config: DataConfig, spec: ModelSpec, train: TrainConfig,
                  batch_size: int | None = None, prepared: Prepared | None = None) -> Built:
    """A fresh model and :class:`~core.stepper.TrainingSession` for these settings.

    ``prepared`` reuses arrays already split and normalized (compare mode
    prepares once for every side); ``batch_size`` overrides the training
    settings' (a full-batch side). The shuffle seed is the training seed.
    """
    prepared = prepare(data, data_config) if prepared is None else prepared
    model = build_model(spec, data, train)
    session = builder.build_session(model, prepared.x_train, prepared.y_train,
                                    validation=(prepared.x_val, prepared.y_val),
                                    batch_size=batch_size or train.batch_size, epochs=train.epochs, seed=train.seed)
    return Built(model, session, prepared)
