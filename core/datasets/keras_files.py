"""Where Keras keeps downloaded datasets, and the message when a file is not there.

Propscope never downloads: ``mnist.load_data()`` and ``fashion_mnist.load_data()``
read the files Keras would have cached (``$KERAS_HOME/datasets`` or
``~/.keras/datasets``, and ``/tmp/.keras/datasets``) or a system copy such as
Debian's ``/usr/share/datasets/fashion-mnist/``.
"""

from __future__ import annotations

import os
from pathlib import Path

from core.datasets.errors import DatasetError

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


class DatasetNotFoundError(DatasetError, FileNotFoundError):
    """A Keras dataset file is not on this machine (and Propscope will not download it)."""


def keras_dataset_dirs() -> list[Path]:
    """The folders Keras caches datasets in, in the order Keras would use them."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    dirs = [Path(home) / "datasets", Path("/tmp/.keras/datasets")]
    return list(dict.fromkeys(dirs))


def find(name: str, subdir: str = "", system_dirs: tuple[str, ...] = ()) -> Path:
    """The first existing ``name`` among Keras's cache folders (``subdir`` inside them) and ``system_dirs``."""
    if Path(name).is_absolute():
        candidates = [Path(name)]
    else:
        candidates = [d / subdir / name if subdir else d / name for d in keras_dataset_dirs()]
        candidates += [Path(d) / name for d in system_dirs]
    for path in candidates:
        if path.is_file():
            return path
    where = "\n  ".join(str(p) for p in candidates)
    raise DatasetNotFoundError(
        f"{name} was not found, and Propscope never downloads data. Put the file where Keras keeps it:\n  "
        f"{candidates[0]}\n(download it from {ORIGIN}{name} on a machine with internet access). "
        f"Looked in:\n  {where}")
