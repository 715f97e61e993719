"""Zip archives (``.npz``, ``.propscope``, ``.keras``) whose every member is checked before a byte is unpacked.

:class:`SafeZip` refuses, with the reader's own errors:

* more members or a bigger central directory than ``MAX_ARCHIVE_MEMBERS``
  allows (checked from the end record, before :mod:`zipfile` reads them all);
* member names that are absolute, climb out (``..``), use backslashes or
  control characters, or appear twice;
* encrypted members, compression methods other than stored and DEFLATE,
  sizes over ``MAX_UNPACKED_BYTES`` in total, a DEFLATE member claiming to
  expand more than DEFLATE can (``MAX_COMPRESSION_RATIO``), data past the end;
* any error of :mod:`zipfile` or :mod:`zlib` while reading (bit flips, bad
  CRC, truncation) as :class:`~core.safeio.errors.CorruptFileError`.
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

import numpy as np

from core import limits
from core.safeio import npy
from core.safeio.errors import CorruptFileError, ReadLimitError, ReadRejected, TruncatedError, UnsafeContentError
from core.safeio.files import file_size, max_expanded, open_regular, read_into, stream_errors

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
#: Central-directory bytes per member allowed (46 fixed + name + extra fields).
_CD_BYTES_PER_MEMBER = 1024
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "DEFLATE"}
_METHOD_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA", 99: "AES encryption", 9: "DEFLATE64"}
#: Everything zipfile may raise on a hostile archive.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OverflowError, struct.error, EOFError,
               UnicodeError, KeyError, IndexError, TypeError, NotImplementedError, RuntimeError, zlib.error)


class SafeZip:
    """A validated zip archive, read member by member within limits.

    Open with :meth:`open` (a path) or :meth:`from_bytes` (a member of another
    archive), as a context manager.

    Parameters
    ----------
    fh : binary file
        Seekable, positioned anywhere.
    size : int
        Bytes in ``fh``.
    path : str or Path
        For messages.
    where : str
        For messages ("member 'weights.npz'" when nested).
    max_unpacked : int
        Total unpacked bytes allowed (``MAX_UNPACKED_BYTES`` by default).
    npz : bool
        Name ``key.npy`` members "key 'key'" in messages (an ``.npz``'s arrays).
    """

    def __init__(self, fh: BinaryIO, size: int, path, where: str = "",
                 max_unpacked: int = limits.MAX_UNPACKED_BYTES, npz: bool = False) -> None:
        self.path, self.where, self.npz = path, where, npz
        _check_end_record(fh, size, path, where)
        try:
            self._zip = zipfile.ZipFile(fh)
            infos = self._zip.infolist()
        except _ZIP_ERRORS as exc:
            raise CorruptFileError(f"not a valid zip archive ({_short(exc)}).", path, where or None) from None
        self.infos: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            _check_member(info, size, path, where)
            if info.filename in self.infos:
                raise CorruptFileError(f"member {info.filename!r} appears twice.", path, where or None)
            if not info.is_dir():
                self.infos[info.filename] = info
                total += info.file_size
        if total > max_unpacked:
            raise ReadLimitError(f"the archive unpacks to {total:,} bytes, over the {max_unpacked:,} allowed "
                                 "(MAX_UNPACKED_BYTES).", path, where or None, limit="MAX_UNPACKED_BYTES")
        self.unpacked_bytes = total

    # --- opening -------------------------------------------------------------------
    @classmethod
    @contextmanager
    def open(cls, path: str | Path, max_bytes: int = limits.MAX_FILE_BYTES,
             max_unpacked: int = limits.MAX_UNPACKED_BYTES, what: str = "archive",
             npz: bool = False) -> Iterator["SafeZip"]:
        """The archive at ``path`` (a regular file of at most ``max_bytes``)."""
        with open_regular(path, max_bytes, what) as fh:
            archive = cls(fh, file_size(fh), path, "", max_unpacked, npz)
            with archive:
                yield archive

    @classmethod
    @contextmanager
    def from_bytes(cls, data: bytes | bytearray, path, where: str,
                   max_unpacked: int = limits.MAX_UNPACKED_BYTES, npz: bool = False) -> Iterator["SafeZip"]:
        """An archive held in memory (e.g. an ``.npz`` member of a session file)."""
        archive = cls(io.BytesIO(data), len(data), path, where, max_unpacked, npz)
        with archive:
            yield archive

    def __enter__(self) -> "SafeZip":
        return self

    def __exit__(self, *exc) -> None:
        self._zip.close()

    # --- reading ---------------------------------------------------------------------
    def names(self) -> list[str]:
        """Member names (folders left out), in archive order."""
        return list(self.infos)

    def size(self, name: str) -> int:
        """Unpacked bytes of member ``name``."""
        return self._info(name).file_size

    def read(self, name: str, max_bytes: int = limits.MAX_UNPACKED_BYTES,
             limit_name: str = "MAX_UNPACKED_BYTES") -> bytearray:
        """The unpacked bytes of member ``name`` (at most ``max_bytes``, the limit called ``limit_name``)."""
        info = self._info(name)
        where = self._where(name)
        if info.file_size > max_bytes:
            raise ReadLimitError(f"unpacks to {info.file_size:,} bytes, over the {max_bytes:,} allowed "
                                 f"({limit_name}).", self.path, where, limit=limit_name)
        buf = bytearray(info.file_size)
        with self._member(info, where) as fh:
            read_into(fh, memoryview(buf), self.path, where, exact=True)
        return buf

    def read_array(self, name: str, kinds: str = npy.NUMERIC, max_bytes: int = limits.MAX_UNPACKED_BYTES,
                   limit_name: str = "MAX_UNPACKED_BYTES") -> np.ndarray:
        """The ``.npy`` member ``name`` as an array, checked as :func:`core.safeio.npy.read_array` checks."""
        info = self._info(name)
        where = self._where(name)
        with self._member(info, where) as fh:
            return npy.read_array(fh, info.file_size, self.path, where, kinds, max_bytes, limit_name)

    def array_headers(self) -> dict[str, tuple[tuple[int, ...], np.dtype]]:
        """``{key: (shape, dtype)}`` of every ``key.npy`` member, without reading the data (an ``.npz``)."""
        out = {}
        for name, info in self.infos.items():
            where = self._where(name)
            if not name.endswith(".npy"):
                raise CorruptFileError("is not a .npy array.", self.path, where)
            with self._member(info, where) as fh:
                shape, dtype, _ = npy.read_header(fh, self.path, where, npy.TEXT_OR_NUMERIC + "c")
            out[name[:-4]] = (shape, dtype)
        return out

    def arrays(self, kinds: str = npy.NUMERIC, max_bytes: int = limits.MAX_UNPACKED_BYTES) -> dict[str, np.ndarray]:
        """Every member of an ``.npz`` as ``{key: array}`` (members must all be ``.npy``)."""
        out = {}
        for name in self.infos:
            if not name.endswith(".npy"):
                raise CorruptFileError("is not a .npy array.", self.path, self._where(name))
            out[name[:-4]] = self.read_array(name, kinds, max_bytes)
        return out

    # --- helpers -----------------------------------------------------------------------
    def _info(self, name: str) -> zipfile.ZipInfo:
        info = self.infos.get(name)
        if info is None:
            raise CorruptFileError(f"has no member {name!r}.", self.path, self.where or None)
        return info

    def _where(self, name: str) -> str:
        own = f"key {name[:-4]!r}" if self.npz and name.endswith(".npy") else f"member {name!r}"
        return f"{self.where}, {own}" if self.where else own

    @contextmanager
    def _member(self, info: zipfile.ZipInfo, where: str) -> Iterator[BinaryIO]:
        try:
            with self._zip.open(info) as fh, stream_errors(self.path, where):
                yield fh
        except ReadRejected:
            raise
        except _ZIP_ERRORS as exc:
            raise CorruptFileError(f"is damaged ({_short(exc)}).", self.path, where) from None


def _check_member(info: zipfile.ZipInfo, archive_size: int, path, where: str) -> None:
    name = info.filename
    place = f"{where}, member {name!r}" if where else f"member {name!r}"
    if (not name or len(name) > 255 or name.startswith(("/", "\\")) or "\\" in name or ":" in name
            or any(ord(ch) < 32 or ord(ch) == 127 for ch in name) or ".." in name.split("/")):
        raise UnsafeContentError("has an unsafe name (absolute, climbing out with '..', or with control "
                                 "characters).", path, place)
    if info.flag_bits & 0x1:
        raise UnsafeContentError("is encrypted; Propscope reads only unencrypted archives.", path, place)
    if info.compress_type not in _METHODS:
        method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
        raise CorruptFileError(f"uses compression {method}; only stored and DEFLATE members are read.", path, place)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UnsafeContentError("is a symbolic link.", path, place)
    if info.header_offset < 0 or info.header_offset + info.compress_size > archive_size:
        raise TruncatedError("its data lies past the end of the archive: the file is truncated.", path, place)
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise CorruptFileError("a stored member's sizes disagree.", path, place)
    if info.compress_type == zipfile.ZIP_DEFLATED and info.file_size > max_expanded(info.compress_size):
        raise ReadLimitError(f"claims to expand {info.compress_size:,} bytes to {info.file_size:,}, more than "
                             f"DEFLATE can (a zip bomb?; MAX_COMPRESSION_RATIO).", path, place,
                             limit="MAX_COMPRESSION_RATIO")


def _check_end_record(fh: BinaryIO, size: int, path, where: str) -> None:
    """Bound the central directory before :mod:`zipfile` reads it whole (it trusts the end record)."""
    place = where or None
    tail_len = min(size, 22 + 65535 + 20)
    try:
        fh.seek(size - tail_len)
        tail = fh.read(tail_len)
    except (OSError, ValueError) as exc:
        raise CorruptFileError(f"cannot read the archive ({_short(exc)}).", path, place) from None
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise CorruptFileError("not a zip archive (no end-of-archive record): not this format, or truncated.",
                               path, place)
    entries, cd_size = struct.unpack("<xxxxxxxxxxHI", tail[at:at + 16])
    locator = tail.rfind(_ZIP64_LOCATOR, 0, at)
    if locator >= 0 and at - locator == 20:
        (eocd64_offset,) = struct.unpack("<Q", tail[locator + 8:locator + 16])
        try:
            fh.seek(eocd64_offset)
            record = fh.read(56)
        except (OSError, ValueError, OverflowError) as exc:
            raise CorruptFileError(f"damaged zip64 record ({_short(exc)}).", path, place) from None
        if len(record) < 56 or not record.startswith(_ZIP64_EOCD):
            raise CorruptFileError("damaged zip64 end record.", path, place)
        entries, cd_size = struct.unpack("<Q", record[32:40])[0], struct.unpack("<Q", record[40:48])[0]
    if entries > limits.MAX_ARCHIVE_MEMBERS or cd_size > limits.MAX_ARCHIVE_MEMBERS * _CD_BYTES_PER_MEMBER:
        raise ReadLimitError(f"the archive lists {entries:,} members ({cd_size:,} bytes of directory), over the "
                             f"limit of {limits.MAX_ARCHIVE_MEMBERS:,} (MAX_ARCHIVE_MEMBERS).", path, place,
                             limit="MAX_ARCHIVE_MEMBERS")
    if cd_size > size:
        raise TruncatedError("the archive's directory is larger than the file: it is truncated.", path, place)
    fh.seek(0)


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
