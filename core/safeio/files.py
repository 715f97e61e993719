"""Opening and reading plain files safely: regular files only, sizes checked before memory is taken.

Why each step:

* ``open()`` on a FIFO blocks until someone writes to it — forever, on the
  GUI thread. The file is opened with ``O_NONBLOCK`` (which never blocks) and
  checked with ``fstat`` on the open descriptor (so a swap between the check
  and the open cannot slip a FIFO or a device in); only then is it read.
* A link is followed, but what it points to must be a regular file: a link
  named ``data.npz`` pointing at ``/dev/zero`` is refused, not read forever.
* A header's declared size is checked against the file's real size (or, for
  a compressed stream, against the most its compressed bytes can expand to)
  *before* the buffer is allocated, so a 1 KB file cannot make Propscope
  allocate 2 GiB just to report that it is truncated.
"""

from __future__ import annotations

import errno
import gzip
import os
import stat
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from core import limits
from core.safeio.errors import (CorruptFileError, MissingFileError, NotRegularFileError, ReadLimitError,
                                TruncatedError, UnreadableError)
from core.safeio.progress import advance

#: Bytes read per call: large enough to be fast, small enough to report progress and honour a cancel.
READ_CHUNK = 4 * 1024 * 1024

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def describe_mode(mode: int) -> str:
    """``"a FIFO (named pipe)"``, ``"a folder"``… for a non-regular ``st_mode``."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def check_regular(path: str | Path, what: str = "file") -> os.stat_result:
    """``os.stat`` of ``path`` (links followed) when it is a regular file; else :class:`NotRegularFileError`."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise MissingFileError(f"no such {what}.", path) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotRegularFileError("the symbolic links loop; there is no file to read.", path) from None
        raise UnreadableError(f"cannot read this {what} ({exc.strerror or exc}).", path) from None
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFileError(f"this is {describe_mode(st.st_mode)}, not a regular file; only regular files "
                                  "are read.", path)
    return st


@contextmanager
def open_regular(path: str | Path, max_bytes: int = limits.MAX_FILE_BYTES, what: str = "file") -> Iterator[BinaryIO]:
    """Open ``path`` for binary reading if it is a regular file of at most ``max_bytes``.

    Raises
    ------
    NotRegularFileError
        Missing, a folder, a FIFO, a device, a socket, or a link to one.
    ReadLimitError
        Larger than ``max_bytes`` (limit ``MAX_FILE_BYTES`` by default).
    UnreadableError
        The operating system refused (permissions, I/O).
    """
    check_regular(path, what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) \
        | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno in (errno.ENXIO, errno.EWOULDBLOCK):
            raise NotRegularFileError("this is not a regular file; only regular files are read.", path) from None
        raise UnreadableError(f"cannot open this {what} ({exc.strerror or exc}).", path) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # swapped between the check and the open
            raise NotRegularFileError(f"this is {describe_mode(st.st_mode)}, not a regular file.", path)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        if st.st_size > max_bytes:
            raise ReadLimitError(f"the {what} has {st.st_size:,} bytes, over the limit of {max_bytes:,} bytes.",
                                 path, limit="MAX_FILE_BYTES")
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        yield fh


def file_size(fh: BinaryIO) -> int:
    """Bytes in the open regular file ``fh``."""
    return os.fstat(fh.fileno()).st_size


def read_bytes(path: str | Path, max_bytes: int = limits.MAX_FILE_BYTES, what: str = "file") -> bytearray:
    """The whole regular file ``path`` (at most ``max_bytes``), read in chunks that report progress."""
    with open_regular(path, max_bytes, what) as fh:
        size = file_size(fh)
        buf = bytearray(size)
        with memoryview(buf) as view:
            got = read_into(fh, view, path, "", total=size)
        if got < size:  # the file shrank while being read
            del buf[got:]
        return buf


def read_into(fh: BinaryIO, view: memoryview, path: str | Path | None, where: str, total: int = 0,
              exact: bool = False) -> int:
    """Fill ``view`` from ``fh`` in chunks; returns the bytes read.

    With ``exact``, fewer bytes than ``len(view)`` raise :class:`TruncatedError`.
    Progress is reported against ``total`` (default ``len(view)``).
    """
    view = view.cast("B")
    wanted, got = len(view), 0
    total = total or wanted
    with stream_errors(path, where):
        while got < wanted:
            n = fh.readinto(view[got:got + READ_CHUNK])
            if not n:
                break
            got += n
            advance(got, total, "reading")
    if exact and got < wanted:
        raise TruncatedError(f"the data ends after {got:,} of the {wanted:,} bytes announced.", path, where)
    return got


def at_end(fh: BinaryIO, path: str | Path | None, where: str) -> int:
    """How many bytes follow (0 at the end); reads at most one chunk, to report trailing junk."""
    with stream_errors(path, where):
        return len(fh.read(READ_CHUNK) or b"")


@contextmanager
def stream_errors(path: str | Path | None, where: str | None = None) -> Iterator[None]:
    """Turn the errors of decompressing and reading (zlib, gzip, EOF, OS) into the reader's own."""
    try:
        yield
    except EOFError:
        raise TruncatedError("the compressed data ends early: the file is truncated.", path, where) from None
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise CorruptFileError(f"corrupt compressed data ({exc}).", path, where) from None
    except MemoryError:
        raise ReadLimitError("ran out of memory while reading.", path, where, limit="memory") from None
    except OSError as exc:
        raise UnreadableError(f"could not read ({exc.strerror or exc}).", path, where) from None


def is_gzip(fh: BinaryIO) -> bool:
    """Whether the open file starts with the gzip magic (the position is restored)."""
    pos = fh.tell()
    head = fh.read(2)
    fh.seek(pos)
    return head == b"\x1f\x8b"


def max_expanded(compressed_bytes: int) -> int:
    """The most ``compressed_bytes`` of DEFLATE data can expand to (``MAX_COMPRESSION_RATIO``)."""
    return compressed_bytes * limits.MAX_COMPRESSION_RATIO + 65536


def check_declared(declared: int, available: int, path: str | Path | None, where: str, what: str,
                   compressed: bool = False) -> None:
    """Refuse a header that announces more bytes than the file can hold, before allocating them.

    ``available`` is the bytes left in the file (raw) or the compressed bytes
    left (then the most they can expand to counts).
    """
    most = max_expanded(available) if compressed else available
    if declared > most:
        how = "expand to at most" if compressed else "holds only"
        raise TruncatedError(f"{what} announce {declared:,} bytes but the file {how} {most:,}: it is truncated "
                             "or its header is damaged.", path, where)


def open_maybe_gzip(fh: BinaryIO) -> tuple[BinaryIO, bool]:
    """``(stream, compressed)``: ``fh`` itself, or a gzip reader over it when it starts with the gzip magic."""
    if is_gzip(fh):
        return gzip.GzipFile(fileobj=fh, mode="rb"), True
    return fh, False


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PB"
