"""What the guarded reader raises: one small family, translated by each caller into its own errors.

Data loaders turn these into :class:`~core.datasets.DatasetError` subclasses,
session files into :class:`~core.export.session_file.SessionFileError`
subclasses, so a user only ever sees the error of what they were opening.
"""

from __future__ import annotations

from pathlib import Path


class ReadRejected(Exception):
    """A file was refused; ``detail`` says why, ``path`` and ``where`` say where.

    Parameters
    ----------
    detail : str
        What is wrong and what was expected.
    path : str or Path, optional
    where : str, optional
        The place inside the file ("member 'x.npy'", "byte 16").
    """

    def __init__(self, detail: str, path: str | Path | None = None, where: str | None = None) -> None:
        self.detail = detail
        self.path = None if path is None else str(path)
        self.where = where
        prefix = Path(self.path).name if self.path else ""
        if where:
            prefix = f"{prefix}, {where}" if prefix else where
        super().__init__(f"{prefix}: {detail}" if prefix else detail)


class NotRegularFileError(ReadRejected):
    """The path is missing, a folder, a FIFO, a device or a socket (or a link to one)."""


class MissingFileError(NotRegularFileError):
    """Nothing exists at the path."""


class ReadLimitError(ReadRejected):
    """Something is over a named limit (size, dimensions, members, depth); ``limit`` names it."""

    def __init__(self, detail: str, path=None, where=None, limit: str = "") -> None:
        super().__init__(detail, path, where)
        self.limit = limit


class CorruptFileError(ReadRejected):
    """The bytes are not what the format says (bad magic, bad CRC, bad JSON, wrong sizes...)."""


class InvalidValueError(ReadRejected):
    """Well-formed content whose values are wrong: a type, a range, a shape that does not fit the rest."""


class TruncatedError(CorruptFileError):
    """The file ends before the data its header announces."""


class UnsafeContentError(ReadRejected):
    """The content needs something Propscope never does: unpickling, decrypting, following links out."""


class NonFiniteValuesError(ReadRejected):
    """An array holds NaN or Inf where only finite numbers make sense; ``count`` says how many."""

    def __init__(self, detail: str, path=None, where=None, count: int = 0) -> None:
        super().__init__(detail, path, where)
        self.count = count


class UnreadableError(ReadRejected):
    """The operating system refused to read the file (permissions, I/O error)."""


class LoadCancelled(Exception):
    """The user cancelled a long load; raised from the progress callback, passed through untouched."""
