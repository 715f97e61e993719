"""Small Keras callbacks: ``LearningRateScheduler``, ``CSVLogger``, ``LambdaCallback``, ``TerminateOnNaN``,
and the ones Propscope refuses with a reason (``TensorBoard``…)."""

from __future__ import annotations

import collections
import csv
import os
from typing import Any

import numpy as np

from core.arguments import UnknownArgumentError
from core.callbacks.base import _HOOKS, Callback
from core.progbar import print_msg


class LearningRateScheduler(Callback):
    """Keras ``LearningRateScheduler(schedule, verbose=0)``: ``schedule(epoch, lr)`` (or ``schedule(epoch)``)
    sets the learning rate at the start of each epoch; ``learning_rate`` is added to the epoch's logs."""

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        try:
            lr = self.schedule(epoch, float(optimizer.learning_rate))
        except TypeError:  # a schedule of the epoch alone, as Keras allows
            lr = self.schedule(epoch)
        if not isinstance(lr, (float, np.float32, np.float64)):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {lr}")
        optimizer.learning_rate = lr
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)


class CSVLogger(Callback):
    """Keras ``CSVLogger(filename, separator=",", append=False)``: one row per epoch, keys sorted,
    ``val_…`` columns added even before validation runs, ``NA`` where a value is missing."""

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep, self.filename, self.append = separator, os.fspath(filename), append
        self.writer = self.keys = self.csv_file = None
        self.append_header = True

    def on_train_begin(self, logs=None):
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename, encoding="utf-8") as fh:
                    self.append_header = not bool(len(fh.readline()))
            mode = "a"
        else:
            mode = "w"
        if self.csv_file and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, mode, newline="", encoding="utf-8")  # noqa: SIM115 - kept open for fit
        self.writer = self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}

        def handle_value(k):
            zero_dim = isinstance(k, np.ndarray) and k.ndim == 0
            if isinstance(k, str):
                return k
            if isinstance(k, collections.abc.Iterable) and not zero_dim:
                return f"\"[{', '.join(map(str, k))}]\""
            return k

        if self.keys is None:
            self.keys = sorted(logs.keys())
            if self.keys and not any(k.startswith("val_") for k in self.keys):
                self.keys.extend([f"val_{k}" for k in self.keys])
        if not self.writer:
            class Dialect(csv.excel):
                delimiter = self.sep
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + (self.keys or []), dialect=Dialect)
            if self.append_header:
                self.writer.writeheader()
        row = collections.OrderedDict({"epoch": epoch})
        row.update((key, handle_value(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None


class LambdaCallback(Callback):
    """Keras ``LambdaCallback``: any hook given as a function (``on_epoch_end=lambda epoch, logs: ...``).

    The six named arguments, and any other hook name (``on_batch_end``,
    ``on_test_begin``…) by keyword, as Keras accepts them.
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None, on_train_end=None,
                 on_train_batch_begin=None, on_train_batch_end=None, **kwargs: Any):
        super().__init__()
        unknown = {k: v for k, v in kwargs.items() if k not in _HOOKS}
        if unknown:
            raise UnknownArgumentError(f"LambdaCallback got unexpected keyword argument(s) {sorted(unknown)}; "
                                       f"hooks are {', '.join(_HOOKS)}.")
        hooks = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end, on_train_begin=on_train_begin,
                     on_train_end=on_train_end, on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end, **kwargs)
        for name, fn in hooks.items():
            if fn is not None:
                setattr(self, name, fn)


class TerminateOnNaN(Callback):
    """Keras ``TerminateOnNaN(raise_error=False)``: stop (or raise) as soon as a batch loss is NaN or Inf."""

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and (np.isnan(loss) or np.isinf(loss)):
            if self.raise_error:
                raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                                   "Terminating training immediately.")
            print_msg(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


def _refused(name: str, reason: str):
    class Refused(Callback):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise NotImplementedError(f"keras.callbacks.{name} is not supported by Propscope: {reason}")

    Refused.__name__ = Refused.__qualname__ = name
    Refused.__doc__ = f"Refused: {reason}"
    return Refused


TensorBoard = _refused("TensorBoard", "Propscope has no TensorBoard writer; its own window shows the loss, "
                                      "metrics, weights and gradients live (or use CSVLogger and plot the CSV).")
RemoteMonitor = _refused("RemoteMonitor", "Propscope never sends data over the network.")
BackupAndRestore = _refused("BackupAndRestore", "save a Propscope session (File → Save) or use ModelCheckpoint.")
SwapEMAWeights = _refused("SwapEMAWeights", "optimizers with use_ema=True are not implemented.")
