"""``fit``, ``evaluate``, ``predict`` and the ``*_on_batch`` methods, with Keras 3's arguments and semantics.

Every argument of Keras 3's signatures is honoured or refused; an unknown one
raises. Batches come from the one :class:`~core.loop.EpochLoop` the stepper
uses too. Keras details kept on purpose: ``validation_split`` takes the *last*
fraction of the arrays before shuffling; each epoch's ``loss`` is the mean of
the batch losses weighted by batch size, each computed before that batch's
update; callbacks get running means; ``evaluate`` and ``predict`` run in
batches of 32 by default and show a progress bar unless ``verbose=0``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core import fit_data
from core import losses as losses_module
from core import metrics as metrics_module
from core import random as prandom
from core.arguments import reject_unknown
from core.callbacks import CallbackList
from core.callbacks.base import python_logs
from core.engine import StepEngine, forward_all
from core.loop import BatchArrays, EpochLoop, EpochSchedule

# Kept for older imports (the stepper's session files).
check_finite_inputs = fit_data.check_finite_inputs
_as_float_array = fit_data.as_float_array


def _positive_int(name: str, value: Any, default: int | None) -> int | None:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"`{name}` must be a positive integer, got {value!r}.")
    return int(value)


def _check_verbose(verbose: Any) -> Any:
    if verbose not in ("auto", 0, 1, 2):
        raise ValueError(f"`verbose` must be 'auto', 0, 1 or 2, got {verbose!r}.")
    return verbose


def _should_eval(epoch: int, validation_freq: Any) -> bool:
    epoch += 1  # one-indexed, as Keras counts for validation_freq
    if isinstance(validation_freq, int) and not isinstance(validation_freq, bool):
        return epoch % validation_freq == 0
    if isinstance(validation_freq, (list, tuple)):
        return epoch in validation_freq
    raise ValueError(f"Expected `validation_freq` to be a list or int. Received: validation_freq={validation_freq} "
                     f"of the type {type(validation_freq)}.")


class TrainingMixin:
    """The training loop of :class:`core.models.Model`."""

    # --- preparation ---------------------------------------------------------
    def _require_compiled(self) -> None:
        if not getattr(self, "compiled", False):
            raise RuntimeError("You must call compile() before training or evaluating the model.")
        if self._loss_identifier is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        if self._multi_output:
            raise NotImplementedError("Training or evaluating a model with several outputs is not supported; "
                                      "it can predict() (e.g. to look at intermediate activations).")

    def _prepare_x(self, x: Any) -> np.ndarray:
        x = fit_data.as_float_array(x, "x")
        if x.ndim < 2:
            raise ValueError(f"x must have a batch dimension, got shape {x.shape}.")
        if not self.built:
            self.build((None,) + tuple(x.shape[1:]))
        elif tuple(x.shape[1:]) != tuple(self._input_shape):
            raise ValueError(
                f"Input has shape {tuple(x.shape)} but the model expects samples of shape "
                f"{tuple(self._input_shape)} (i.e. {('None',) + tuple(self._input_shape)})."
            )
        return x

    def _targets(self, x: np.ndarray, y: Any):
        return fit_data.training_arrays(x, y)[1]

    def make_engine(self, y_shape: tuple, out_shape: tuple, training: bool = True) -> StepEngine:
        """A :class:`StepEngine` for this model with its loss and metrics resolved for these shapes.

        ``training=False`` (evaluation) leaves the weights where they are: no
        flat buffers are bound for an optimizer that will not run.
        """
        self.loss = losses_module.resolve(self._loss_identifier, y_shape, out_shape)
        metrics = [metrics_module.resolve(m, y_shape, out_shape) for m in self.metric_identifiers]
        weighted = [metrics_module.resolve(m, y_shape, out_shape) for m in self.weighted_metric_identifiers]
        names = {m.name for m in metrics}
        for m in weighted:
            if m.name in names:
                # Keras logs it as weighted_…, but still lists it under its own name in evaluate()'s order.
                m.order_name, m.name = m.name, f"weighted_{m.name}"
        self._compiled_metrics = metrics + weighted
        return StepEngine(self.compute_layers, self.loss, self.optimizer, metrics, self.ops, weighted_metrics=weighted,
                          loss_weight=self._loss_weight, flat=training, trainable=self.trainable)

    def _arrays(self, engine: StepEngine, x, y, sw) -> BatchArrays:
        return BatchArrays.from_numpy(engine, x, y, self.output_shape, sw)

    # --- for the stepper (core.stepper builds sessions on the same checks) ---------------
    def require_compiled(self) -> None:
        """Raise unless ``compile()`` gave the model a loss and an optimizer."""
        self._require_compiled()

    def prepare_inputs(self, x: Any) -> np.ndarray:
        """``x`` as float arrays of the model's sample shape (building the model on first use)."""
        return self._prepare_x(x)

    def prepare_targets(self, x: np.ndarray, y: Any):
        """``y`` as a float array with one row per sample of ``x``."""
        return self._targets(x, y)

    # --- fit ---------------------------------------------------------------------
    def fit(self, x: Any = None, y: Any = None, batch_size: int | None = None, epochs: int = 1,
            verbose: Any = "auto", callbacks: list | None = None, validation_split: float = 0.0,
            validation_data: Any = None, shuffle: bool = True, class_weight: dict | None = None,
            sample_weight: Any = None, initial_epoch: int = 0, steps_per_epoch: int | None = None,
            validation_steps: int | None = None, validation_batch_size: int | None = None,
            validation_freq: int | list = 1):
        """Train for ``epochs`` epochs; return the :class:`~core.callbacks.History`."""
        self._require_compiled()
        batch_size = _positive_int("batch_size", batch_size, 32)
        epochs = int(epochs)
        _check_verbose(verbose)
        if shuffle == "batch":
            raise NotImplementedError("shuffle='batch' (for HDF5 data) is not supported; use shuffle=True.")
        steps_per_epoch = _positive_int("steps_per_epoch", steps_per_epoch, None)
        validation_steps = _positive_int("validation_steps", validation_steps, None)
        val_batch = _positive_int("validation_batch_size", validation_batch_size, batch_size)
        _should_eval(0, validation_freq)  # validates its type before training starts
        x = self._prepare_x(x)
        x, y, sw = fit_data.training_arrays(x, y, sample_weight, class_weight)
        val = None
        if validation_data is not None:
            val = fit_data.unpack_validation(validation_data)
            self._prepare_x(val[0])
        elif validation_split:
            (x, y, sw), val = fit_data.split_validation(x, y, sw, validation_split)
        engine = self.make_engine(y.shape, self.output_shape)
        loop = EpochLoop(engine, self._arrays(engine, x, y, sw), batch_size, bool(shuffle), prandom.draw_seed())
        val_arrays = None if val is None else self._arrays(engine, *val)
        schedule = EpochSchedule(loop.batches_per_pass, steps_per_epoch, first_pass=int(initial_epoch))
        cbs = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, verbose=verbose, epochs=epochs,
                           steps=schedule.steps, model=self)
        want_logs = cbs.wants_batch_logs("train")
        self.stop_training = False
        cbs.on_train_begin()
        training_logs: dict = {}
        for epoch in range(int(initial_epoch), epochs):
            loop.reset_epoch()
            cbs.on_epoch_begin(epoch)
            for step, pass_index, batch in schedule.epoch(epoch):
                cbs.on_train_batch_begin(step)
                loop.train_batch(pass_index, batch)
                cbs.on_train_batch_end(step, loop.logs() if want_logs() else {})
                if self.stop_training:
                    break
            epoch_logs = loop.logs()
            if val_arrays is not None and _should_eval(epoch, validation_freq):
                val_logs = self._evaluate(engine, val_arrays, val_batch, validation_steps, cbs)
                epoch_logs.update({f"val_{k}": v for k, v in python_logs(val_logs).items()})
            cbs.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        cbs.on_train_end(training_logs)
        return self.history

    # --- evaluate / predict -----------------------------------------------------
    def _evaluate(self, engine: StepEngine, arrays: BatchArrays, batch_size: int, steps: int | None,
                  cbs: CallbackList) -> dict:
        loop = EpochLoop(engine, arrays, batch_size)
        want_logs = cbs.wants_batch_logs("test")
        self.stop_evaluating = False
        cbs.on_test_begin()
        for step, _, batch in EpochSchedule(loop.batches_per_pass, steps).epoch(0):
            cbs.on_test_batch_begin(step)
            loop.test_batch(batch)
            cbs.on_test_batch_end(step, loop.logs() if want_logs() else {})
            if self.stop_evaluating:
                break
        logs = loop.logs()
        cbs.on_test_end(logs)
        return logs

    def _in_metric_order(self, logs: dict, engine: StepEngine):
        """Keras's ``_flatten_metrics_in_order``: loss, the compiled metrics, then any other key sorted."""
        names = ["loss"] + [(getattr(m, "order_name", None) or m.name) for m in engine.metrics]
        values = [logs[k] for k in names if k in logs] + [logs[k] for k in sorted(logs) if k not in names]
        return values[0] if len(values) == 1 else values

    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None, verbose: Any = "auto",
                 sample_weight: Any = None, steps: int | None = None, callbacks: list | None = None,
                 return_dict: bool = False, **kwargs: Any):
        """Loss (and metrics) over ``x, y`` in batches; Keras's return convention."""
        reject_unknown("evaluate()", kwargs)
        self._require_compiled()
        batch_size = _positive_int("batch_size", batch_size, 32)
        steps = _positive_int("steps", steps, None)
        _check_verbose(verbose)
        x, y, sw = fit_data.training_arrays(self._prepare_x(x), y, sample_weight)
        engine = self.make_engine(y.shape, self.output_shape, training=False)
        arrays = self._arrays(engine, x, y, sw)
        n_batches = -(-arrays.n // batch_size)
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, verbose=verbose, epochs=1,
                           steps=steps or n_batches, model=self)
        logs = python_logs(self._evaluate(engine, arrays, batch_size, steps, cbs))
        return logs if return_dict else self._in_metric_order(logs, engine)

    def predict(self, x: Any, batch_size: int | None = None, verbose: Any = "auto", steps: int | None = None,
                callbacks: list | None = None):
        """Model outputs for ``x`` as a NumPy array (a list for a model with several outputs), in batches."""
        batch_size = _positive_int("batch_size", batch_size, 32)
        steps = _positive_int("steps", steps, None)
        _check_verbose(verbose)
        x = self._prepare_x(x)
        ops = self.ops
        n_batches = -(-x.shape[0] // batch_size)
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, verbose=verbose, epochs=1, steps=steps or n_batches,
                           model=self)
        self.stop_predicting = False
        cbs.on_predict_begin()
        outs: list[list[np.ndarray]] = []
        for step, _, batch in EpochSchedule(n_batches, steps).epoch(0):
            cbs.on_predict_batch_begin(step)
            xb = ops.asarray(x[batch * batch_size:(batch + 1) * batch_size])
            got = [ops.to_numpy(a) for a in forward_all(self.compute_layers, ops, xb, self._output_indices)]
            outs.append(got)
            cbs.on_predict_batch_end(step, {"outputs": got[0] if len(got) == 1 else got})
            if self.stop_predicting:
                break
        cbs.on_predict_end()
        shapes = self._output_shapes()
        result = [np.concatenate([o[k] for o in outs], axis=0) if outs
                  else np.zeros((0,) + tuple(shapes[k][1:]), dtype=ops.dtype) for k in range(len(shapes))]
        return result if self._multi_output else result[0]

    # --- single batches ---------------------------------------------------------------
    def _one_batch(self, x, y, sample_weight, class_weight, train: bool, return_dict: bool):
        self._require_compiled()
        x, y, sw = fit_data.training_arrays(self._prepare_x(x), y, sample_weight, class_weight)
        engine = self.make_engine(y.shape, self.output_shape, training=train)
        loop = EpochLoop(engine, self._arrays(engine, x, y, sw), batch_size=max(len(x), 1))
        if train:
            loop.train_batch(0, 0)
        else:
            loop.test_batch(0)
        logs = python_logs(loop.logs())
        return logs if return_dict else self._in_metric_order(logs, engine)

    def train_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None, class_weight: dict | None = None,
                       return_dict: bool = False):
        """One optimizer step on one batch; returns its loss (and metrics) as Keras does."""
        return self._one_batch(x, y, sample_weight, class_weight, True, return_dict)

    def test_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None, return_dict: bool = False):
        """Loss (and metrics) of one batch, without updating."""
        return self._one_batch(x, y, sample_weight, None, False, return_dict)

    def predict_on_batch(self, x: Any):
        return self.predict(x, batch_size=max(len(x), 1), verbose=0)
