"""``keras.datasets.mnist.load_data()`` from the local ``mnist.npz`` (never downloaded)."""

from __future__ import annotations

import numpy as np

from core.datasets.errors import DatasetError
from core.datasets.keras_files import find


def load_data(path: str = "mnist.npz"):
    """``(x_train, y_train), (x_test, y_test)``: 60,000 + 10,000 uint8 images 28×28 and their digits.

    Reads Keras's cached ``mnist.npz`` (``~/.keras/datasets/mnist.npz``, or
    ``$KERAS_HOME/datasets``); ``path`` may name another file there or be an
    absolute path. A missing file raises
    :class:`~core.datasets.keras_files.DatasetNotFoundError` saying where to put it.
    """
    file = find(path, system_dirs=("/usr/share/datasets/mnist",))
    try:
        with np.load(file, allow_pickle=False) as f:
            return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
    except KeyError as exc:
        raise DatasetError(f"{file}: not Keras's mnist.npz (missing array {exc}).") from None
    except (ValueError, OSError, EOFError) as exc:
        raise DatasetError(f"{file}: cannot be read as Keras's mnist.npz ({exc}).") from None
