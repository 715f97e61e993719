"""Callbacks for ``fit`` (Keras ``keras.callbacks`` subset)."""

from __future__ import annotations

import math

from core.training import Callback, History


class LambdaCallback(Callback):
    """Call the given functions at the matching hooks."""

    def __init__(self, on_epoch_end=None, on_train_batch_end=None, on_train_begin=None, on_train_end=None):
        if on_epoch_end:
            self.on_epoch_end = on_epoch_end
        if on_train_batch_end:
            self.on_train_batch_end = on_train_batch_end
        if on_train_begin:
            self.on_train_begin = on_train_begin
        if on_train_end:
            self.on_train_end = on_train_end


class TerminateOnNaN(Callback):
    """Stop training as soon as a batch loss is NaN or Inf."""

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


__all__ = ["Callback", "History", "LambdaCallback", "TerminateOnNaN"]
