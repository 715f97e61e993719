"""Callbacks for ``fit``/``evaluate``/``predict`` (Keras ``keras.callbacks``)."""

from core.callbacks.base import Callback, CallbackList
from core.callbacks.logging import History, ProgbarLogger
from core.callbacks.monitor import EarlyStopping, ModelCheckpoint, MonitorCallback, ReduceLROnPlateau
from core.callbacks.simple import (BackupAndRestore, CSVLogger, LambdaCallback, LearningRateScheduler,
                                   RemoteMonitor, SwapEMAWeights, TensorBoard, TerminateOnNaN)

__all__ = ["BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History",
           "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint", "MonitorCallback", "ProgbarLogger",
           "ReduceLROnPlateau", "RemoteMonitor", "SwapEMAWeights", "TensorBoard", "TerminateOnNaN"]


def __getattr__(name: str):
    """Keras names Propscope refuses raise with the reason (see core.unsupported)."""
    from core.unsupported import missing

    return missing("callbacks", name)
