"""Every failure to load data raises a :class:`DatasetError` that says where and why.

Messages name the file, the place (line and column, byte offset, or array
key) and what was expected, so the UI and the CLI can show them as they are.
"""

from __future__ import annotations

from pathlib import Path


class DatasetError(Exception):
    """Base class of all data-loading errors.

    Parameters
    ----------
    message : str
        What went wrong and what was expected.
    path : str or Path, optional
        The file concerned; prefixed to the message.
    where : str, optional
        The place in the file ("line 7, column 3", "byte 16", "key 'x'").
    """

    def __init__(self, message: str, path: str | Path | None = None, where: str | None = None) -> None:
        self.path = None if path is None else str(path)
        self.where = where
        self.detail = message
        prefix = ""
        if self.path:
            prefix = f"{Path(self.path).name}"
            prefix += f", {where}: " if where else ": "
        elif where:
            prefix = f"{where}: "
        super().__init__(prefix + message)


class EmptyFileError(DatasetError):
    """The file has no data at all."""


class ParseError(DatasetError):
    """A cell, row or header could not be read (non-numeric cell, ragged row...)."""


class FormatError(DatasetError):
    """The file is not in the format its name or contents claim (bad magic, bad zip...)."""


class TruncatedFileError(FormatError):
    """The file ends before the data its header announces."""


class ShapeMismatchError(DatasetError):
    """Arrays that must agree do not (sample counts, image sizes...)."""


class NonFiniteError(DatasetError):
    """NaN or Inf values were found; ``count`` says how many, ``rows`` which samples.

    Loaders accept ``drop_nonfinite=True`` to drop those samples instead.
    """

    def __init__(self, message: str, path=None, where=None, count: int = 0, rows=None) -> None:
        super().__init__(message, path, where)
        self.count = count
        self.rows = rows


class TooLargeError(DatasetError):
    """The data would not fit in the memory available; checked before reading."""


class UnsafeFileError(DatasetError):
    """The file needs pickle (object arrays) to load, which Propscope never does, or is encrypted."""


class NotAFileError(DatasetError):
    """The path is missing, or a FIFO, a device or a socket (or a link to one): only regular files are read."""


class ArrayChoiceError(DatasetError):
    """An archive holds arrays but none with a known name; ``arrays`` lists them
    (name → shape) so the caller can choose ``x_key`` and ``y_key``."""

    def __init__(self, message: str, path=None, arrays: dict | None = None) -> None:
        super().__init__(message, path)
        self.arrays = arrays or {}
