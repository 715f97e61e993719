"""What opening a model file raises: one family, each error saying which file, where in it, and why.

The guarded reader's errors (:class:`core.safeio.ReadRejected`) are turned into
these at the public boundary (:func:`translate`), so a user only ever sees the
error of what they were opening, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

from core import safeio


class ModelFileError(ValueError):
    """A model file cannot be opened; the message names the file and says why (base of the errors below).

    A ``ValueError``, as Keras's ``load_model`` raises for files it cannot read.
    """


class UnsafeModelError(ModelFileError):
    """Content Propscope never reads or runs: a link or device instead of a file, unsafe archive members,
    HDF5 links to other files, Python code (a ``Lambda`` layer, a serialized function)."""


class DamagedModelError(ModelFileError):
    """Not a valid zip, HDF5 or JSON where one should be: bit flips, truncation, another kind of file."""


class ModelLimitError(ModelFileError):
    """Something is over a named limit of :mod:`core.limits` (sizes, units, layers, parameters)."""


class InvalidModelError(ModelFileError):
    """Well-formed, but a value is wrong: a type, a range, a weight of the wrong shape, NaN, parts that
    do not fit together."""


class UnsupportedModelError(ModelFileError):
    """A real model that Propscope does not step through: a layer type, a custom or subclassed class,
    several inputs or outputs, an optimizer it does not implement. The message lists what is supported."""


_TRANSLATION = (
    (safeio.MissingFileError, ModelFileError),
    (safeio.NotRegularFileError, UnsafeModelError),
    (safeio.UnsafeContentError, UnsafeModelError),
    (safeio.ReadLimitError, ModelLimitError),
    (safeio.CorruptFileError, DamagedModelError),
    (safeio.UnreadableError, DamagedModelError),
    (safeio.ReadRejected, InvalidModelError),
)


def translate(exc: safeio.ReadRejected, path: str | Path) -> ModelFileError:
    """The model-file error for a guarded-reader error raised while opening ``path``."""
    cls = next(target for source, target in _TRANSLATION if isinstance(exc, source))
    message = str(exc) if exc.path or not path else f"{Path(path).name}, {exc}"
    return cls(message)


def fail(cls: type[ModelFileError], path: str | Path, where: str | None, detail: str) -> ModelFileError:
    """``cls("model.keras, config.json: layer 'dense': ...")``."""
    prefix = ", ".join(p for p in (Path(path).name if path else "", where or "") if p) or "model"
    return cls(f"{prefix}: {detail}")
