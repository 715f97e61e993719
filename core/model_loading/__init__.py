"""Opening Keras model files: Keras 3 ``.keras`` archives and legacy HDF5 ``.h5`` full-model files.

:func:`open_model` returns an :class:`OpenedModel` (the built, weighted and —
when the file says so — compiled core model, plus what the file said about
it); :func:`load_model` is Keras's ``keras.models.load_model`` on top of it.
The file's kind is told by its first bytes (a zip or an HDF5 signature), not
by its name.

Safe by construction: nothing from a file is executed or unpickled. Every
byte comes through the guarded reader (:mod:`core.safeio`): zip members are
checked before unpacking, JSON is bounded and strict, HDF5 is read as plain
numeric datasets only; classes are looked up only in core's own registries
(:mod:`core.model_loading.registry`), so ``Lambda`` layers, serialized
functions and custom or subclassed classes are refused (as Keras's
``safe_mode`` refuses lambdas), whatever ``safe_mode`` says. Only
:class:`ModelFileError` subclasses leave :func:`open_model`; on any failure
the global state (automatic names, the random generator) is as it was.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from core import limits, safeio
from core import random as prandom
from core.model_loading.errors import (DamagedModelError, InvalidModelError, ModelFileError, ModelLimitError,
                                       UnsafeModelError, UnsupportedModelError, translate)
from core.model_loading.opened import OpenedModel
from core.model_loading.registry import LAYERS, supported_text

ZIP_MAGIC = b"PK\x03\x04"
HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
#: File name endings the Open dialog offers.
SUFFIXES = (".keras", ".h5", ".hdf5")

__all__ = ["LAYERS", "DamagedModelError", "InvalidModelError", "ModelFileError", "ModelLimitError", "OpenedModel",
           "SUFFIXES", "UnsafeModelError", "UnsupportedModelError", "load_model", "open_model", "supported_text"]


def open_model(path: str | os.PathLike, compile: bool = True) -> OpenedModel:
    """Open the Keras model file at ``path``.

    Parameters
    ----------
    path : str or PathLike
        A ``.keras`` archive or a legacy ``.h5`` model file.
    compile : bool
        Apply the saved compile settings (optimizer with its state, loss, metrics), as Keras does.

    Raises
    ------
    ModelFileError
        A subclass naming the file, the place in it and the reason: :class:`UnsupportedModelError`
        (a layer type, custom class or several inputs/outputs, with what is supported),
        :class:`UnsafeModelError`, :class:`DamagedModelError`, :class:`ModelLimitError`,
        :class:`InvalidModelError`. Nothing else changed.
    """
    path = Path(os.fspath(path))
    try:
        with prandom.global_state_kept():
            kind = _kind(path)
            if kind == "keras":
                from core.model_loading.keras_archive import read_keras_archive

                return read_keras_archive(path, compile)
            from core.model_loading.legacy_h5 import read_legacy_h5

            return read_legacy_h5(path, compile)
    except (ModelFileError, safeio.LoadCancelled):
        raise
    except safeio.ReadRejected as exc:
        raise translate(exc, path) from None
    except limits.LimitError as exc:
        raise ModelLimitError(f"{path.name}: {exc}") from None
    except MemoryError:
        raise ModelLimitError(f"{path.name}: ran out of memory while opening it.") from None
    except Exception as exc:  # the promise: a message, never a traceback, whatever the bytes
        raise InvalidModelError(f"{path.name}: inconsistent model file ({type(exc).__name__}: "
                                f"{str(exc)[:300]}).") from None


def load_model(filepath: str | os.PathLike, custom_objects: Any = None, compile: bool = True,
               safe_mode: bool = True) -> Any:
    """Keras's ``keras.models.load_model``: the model saved in a ``.keras`` or legacy ``.h5`` file.

    ``custom_objects`` must be empty: Propscope never loads custom classes or
    functions. ``safe_mode`` is accepted for compatibility; Propscope is always
    safe (a ``Lambda`` layer is refused even with ``safe_mode=False``).
    """
    if custom_objects:
        raise NotImplementedError("load_model(custom_objects=...): Propscope never loads custom classes or "
                                  f"functions; it opens models made of {supported_text()}.")
    if safe_mode not in (True, False):
        raise ValueError(f"safe_mode must be True or False, got {safe_mode!r}.")
    return open_model(filepath, compile=compile).model


def _kind(path: Path) -> str:
    with safeio.open_regular(path, what="model file") as fh:
        head = fh.read(8)
    if head.startswith(ZIP_MAGIC):
        return "keras"
    if head == HDF5_MAGIC or path.suffix.lower() in (".h5", ".hdf5"):
        return "h5"  # HDF5 may put a user block first; h5py finds the signature further in
    raise DamagedModelError(f"{path.name}: not a Keras model file (neither a .keras zip archive nor an HDF5 .h5 "
                            "file).")
