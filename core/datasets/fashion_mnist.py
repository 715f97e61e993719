"""``keras.datasets.fashion_mnist.load_data()`` from the local IDX files (never downloaded)."""

from __future__ import annotations

from core.datasets.idx_loader import read_idx
from core.datasets.keras_files import find

FILES = ("train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz")
SYSTEM_DIRS = ("/usr/share/datasets/fashion-mnist",)


def load_data():
    """``(x_train, y_train), (x_test, y_test)``: 60,000 + 10,000 uint8 images 28×28 and their classes.

    Reads the four ``.gz`` files from ``~/.keras/datasets/fashion-mnist/`` (or
    ``$KERAS_HOME/datasets/fashion-mnist/``) or Debian's
    ``/usr/share/datasets/fashion-mnist/``. A missing file raises
    :class:`~core.datasets.keras_files.DatasetNotFoundError` saying where to put it.
    """
    y_train, x_train, y_test, x_test = (read_idx(find(name, "fashion-mnist", SYSTEM_DIRS)) for name in FILES)
    return (x_train, y_train), (x_test, y_test)
