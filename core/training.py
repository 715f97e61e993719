"""``fit``, ``evaluate`` and ``predict`` with Keras 3 semantics.

Keras details kept on purpose: ``validation_split`` takes the *last* fraction
of the arrays before shuffling; each epoch's ``loss`` is the mean of the batch
losses weighted by batch size, each computed before that batch's update; the
metrics use the same pre-update predictions; ``evaluate`` and ``predict`` run in
batches of 32 by default.
"""

from __future__ import annotations

import math
import sys
import time
from typing import Any

import numpy as np

from core import metrics as metrics_module
from core import random as prandom
from core.engine import StepEngine, as_ops_targets


class History:
    """What ``fit`` returns: ``history.history["loss"]`` etc., one value per epoch."""

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.params: dict[str, Any] = {}
        self.model = None

    def record(self, epoch: int, logs: dict[str, float]) -> None:
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)

    def __repr__(self) -> str:
        return f"<History epochs={len(self.epoch)} keys={list(self.history)}>"


class Callback:
    """Base class for ``fit(callbacks=[...])``; override the hooks you need."""

    model = None

    def on_train_begin(self, logs=None): ...
    def on_train_end(self, logs=None): ...
    def on_epoch_begin(self, epoch, logs=None): ...
    def on_epoch_end(self, epoch, logs=None): ...
    def on_train_batch_end(self, batch, logs=None): ...


def check_finite_inputs(x: np.ndarray, what: str) -> None:
    """Raise a clear error if ``x`` has NaN or Inf (training would be garbage)."""
    # One sum is ~5× cheaper than isfinite() over the whole array; only a
    # non-finite sum (NaN/Inf present, or overflow) needs the exact count.
    if np.issubdtype(x.dtype, np.floating) and x.size and not np.isfinite(np.sum(x, dtype=np.float64)):
        bad = x.size - int(np.count_nonzero(np.isfinite(x)))
        if bad:
            raise ValueError(f"{what} contains {bad} NaN/Inf value(s); clean or drop those samples first.")


def _as_float_array(x: Any, what: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"{what} must be numeric, got an array of {arr.dtype}.")
    check_finite_inputs(arr, what)
    return arr


class TrainingMixin:
    """The training loop of :class:`core.models.Model`."""

    # --- preparation ---------------------------------------------------------
    def _require_compiled(self) -> None:
        if not getattr(self, "compiled", False):
            raise RuntimeError("You must call compile() before training or evaluating the model.")
        if self.loss is None:
            raise ValueError("No loss to compute: pass `loss=` to compile().")

    def _prepare_x(self, x: Any) -> np.ndarray:
        x = _as_float_array(x, "x")
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

    def make_engine(self, y_shape: tuple, out_shape: tuple) -> StepEngine:
        """A :class:`StepEngine` for this model with its metrics resolved for these shapes."""
        metrics = [metrics_module.resolve(m, y_shape, out_shape) for m in self.metric_identifiers]
        return StepEngine(self.compute_layers, self.loss, self.optimizer, metrics, self.ops)

    def _targets(self, x: np.ndarray, y: Any):
        y = _as_float_array(y, "y")
        if y.shape[0] != x.shape[0]:
            raise ValueError(f"x has {x.shape[0]} samples but y has {y.shape[0]}; they must match.")
        return y

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
            validation_data: Any = None, shuffle: bool = True, initial_epoch: int = 0,
            **kwargs: Any) -> History:
        """Train for ``epochs`` epochs; return a :class:`History`."""
        self._require_compiled()
        batch_size = 32 if batch_size is None else int(batch_size)
        if batch_size <= 0:
            raise ValueError(f"batch_size must be positive, got {batch_size}.")
        if not 0.0 <= validation_split < 1.0:
            raise ValueError(f"validation_split must be in [0, 1), got {validation_split}.")
        x = self._prepare_x(x)
        y = self._targets(x, y)
        if validation_split and validation_data is None:
            split_at = int(math.floor(x.shape[0] * (1.0 - validation_split)))
            x, x_val, y, y_val = x[:split_at], x[split_at:], y[:split_at], y[split_at:]
            validation_data = (x_val, y_val)
        n = x.shape[0]
        if n == 0:
            raise ValueError("No training samples (after the validation split).")
        ops = self.ops
        engine = self.make_engine(y.shape, self.output_shape)
        xs = ops.asarray(x)
        y_loss, y_metric = as_ops_targets(ops, self.loss, y, self.output_shape)
        steps = math.ceil(n / batch_size)
        verbose = 1 if verbose == "auto" else int(verbose)
        history = History()
        history.params = {"verbose": verbose, "epochs": epochs, "steps": steps}
        history.model = self
        self.history = history
        callbacks = list(callbacks or [])
        for cb in callbacks:
            cb.model = self
            cb.on_train_begin()
        self.stop_training = False
        # One seed per fit, then each epoch's order depends on (seed, epoch) only:
        # the stepper uses the same rule, so both see the same batches.
        shuffle_seed = prandom.draw_seed()
        for epoch in range(initial_epoch, epochs):
            for cb in callbacks:
                cb.on_epoch_begin(epoch)
            start_time = time.perf_counter()
            order = prandom.epoch_permutation(n, shuffle_seed, epoch) if shuffle else None
            loss_sum = 0.0
            metric_sums = [0.0] * len(engine.metrics)
            for step, start in enumerate(range(0, n, batch_size)):
                if order is None:
                    sl = slice(start, start + batch_size)
                    xb, yb, ymb = xs[sl], y_loss[sl], y_metric[sl]
                else:
                    idx = ops.as_index(order[start:start + batch_size])
                    xb, yb, ymb = ops.take_rows(xs, idx), ops.take_rows(y_loss, idx), ops.take_rows(y_metric, idx)
                trace = engine.train_batch(xb, yb, ymb)
                b = trace.batch_size
                loss_sum = loss_sum + trace.loss * b
                for k, s in enumerate(engine.metric_sums(ymb, trace.output)):
                    metric_sums[k] = metric_sums[k] + s
                if callbacks:
                    for cb in callbacks:
                        cb.on_train_batch_end(step, {"loss": ops.item(trace.loss)})
            logs = {"loss": float(np.float32(ops.item(loss_sum) / n))}
            for m, s in zip(engine.metrics, metric_sums):
                logs[m.name] = float(np.float32(ops.item(s) / n))
            if validation_data is not None:
                val = self.evaluate(*validation_data[:2], batch_size=batch_size, verbose=0, return_dict=True)
                logs.update({f"val_{k}": v for k, v in val.items()})
            history.record(epoch, logs)
            if verbose:
                self._print_epoch(epoch, epochs, steps, time.perf_counter() - start_time, logs, verbose)
            for cb in callbacks:
                cb.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        for cb in callbacks:
            cb.on_train_end()
        return history

    @staticmethod
    def _print_epoch(epoch: int, epochs: int, steps: int, seconds: float, logs: dict, verbose: int) -> None:
        per_step = seconds / max(steps, 1)
        unit = f"{per_step * 1e3:.0f}ms/step" if per_step >= 1e-3 else f"{per_step * 1e6:.0f}us/step"
        values = " - ".join(f"{k}: {v:.4f}" for k, v in sorted(logs.items()))
        if verbose == 1:
            print(f"Epoch {epoch + 1}/{epochs}")
            print(f"{steps}/{steps} {'━' * 20} {seconds:.0f}s {unit} - {values}")
        else:
            print(f"Epoch {epoch + 1}/{epochs}")
            print(f"{steps}/{steps} - {seconds:.0f}s - {unit} - {values}")
        sys.stdout.flush()

    # --- evaluate / predict -----------------------------------------------------
    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None, verbose: Any = "auto",
                 return_dict: bool = False, **kwargs: Any):
        """Loss (and metrics) over ``x, y`` in batches; Keras's return convention."""
        self._require_compiled()
        batch_size = 32 if batch_size is None else int(batch_size)
        x = self._prepare_x(x)
        y = self._targets(x, y)
        ops = self.ops
        engine = self.make_engine(y.shape, self.output_shape)
        xs = ops.asarray(x)
        y_loss, y_metric = as_ops_targets(ops, self.loss, y, self.output_shape)
        n = x.shape[0]
        loss_sum = 0.0
        sums = [0.0] * len(engine.metrics)
        for start in range(0, n, batch_size):
            sl = slice(start, start + batch_size)
            out = engine.forward(xs[sl])
            b = int(out.shape[0])
            loss_sum = loss_sum + self.loss.reduce(ops, self.loss.per_sample(ops, y_loss[sl], out)) * b
            for k, s in enumerate(engine.metric_sums(y_metric[sl], out)):
                sums[k] = sums[k] + s
        logs = {"loss": float(np.float32(ops.item(loss_sum) / max(n, 1)))}
        for m, s in zip(engine.metrics, sums):
            logs[m.name] = float(np.float32(ops.item(s) / max(n, 1)))
        if verbose not in (0, "0") and verbose != "auto":
            print(" - ".join(f"{k}: {v:.4f}" for k, v in logs.items()))
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def predict(self, x: Any, batch_size: int | None = None, verbose: Any = "auto", **kwargs: Any) -> np.ndarray:
        """Model outputs for ``x`` as a NumPy array, computed in batches."""
        batch_size = 32 if batch_size is None else int(batch_size)
        x = self._prepare_x(x)
        ops = self.ops
        layers = self.compute_layers
        outs = []
        for start in range(0, x.shape[0], batch_size):
            h = ops.asarray(x[start:start + batch_size])
            for layer in layers:
                h = layer.forward(ops, h)[1]
            outs.append(ops.to_numpy(h))
        if not outs:
            return np.zeros((0,) + tuple(self.output_shape[1:]), dtype=ops.dtype)
        return np.concatenate(outs, axis=0)

    def train_on_batch(self, x: Any, y: Any, return_dict: bool = False):
        """One optimizer step on one batch; returns the batch loss (and metrics)."""
        self._require_compiled()
        x = self._prepare_x(x)
        y = self._targets(x, y)
        engine = self.make_engine(y.shape, self.output_shape)
        y_loss, y_metric = as_ops_targets(self.ops, self.loss, y, self.output_shape)
        trace = engine.train_batch(self.ops.asarray(x), y_loss, y_metric)
        logs = {"loss": float(np.float32(self.ops.item(trace.loss)))}
        for m, s in zip(engine.metrics, engine.metric_sums(y_metric, trace.output)):
            logs[m.name] = float(np.float32(self.ops.item(s) / trace.batch_size))
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def test_on_batch(self, x: Any, y: Any, return_dict: bool = False):
        return self.evaluate(x, y, batch_size=len(x), verbose=0, return_dict=return_dict)

    def predict_on_batch(self, x: Any) -> np.ndarray:
        return self.predict(x, batch_size=len(x), verbose=0)
