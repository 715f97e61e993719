"""``.npy`` arrays read without pickle and without trusting the header's shape.

NumPy's own reader allocates the array its header announces before reading a
byte of data, so a 100-byte file announcing 10¹² floats asks for 8 TB. Here
the header is parsed (with NumPy's safe literal parser, never ``eval`` or
pickle), its dtype and shape are checked, the announced size must equal the
bytes actually present, and only then is the array allocated and filled.
"""

from __future__ import annotations

import math
from typing import BinaryIO

import numpy as np

from core import limits
from core.safeio.errors import CorruptFileError, ReadLimitError, TruncatedError, UnsafeContentError
from core.safeio.files import read_into

#: dtype kinds by name: what a caller may accept.
NUMERIC = "biuf"          # booleans, integers, floats
FLOAT = "f"
TEXT_OR_NUMERIC = "biufUS"  # labels may be text

KIND_NAMES = {"b": "booleans", "i": "integers", "u": "unsigned integers", "f": "floats", "c": "complex numbers",
               "U": "text", "S": "bytes", "O": "Python objects", "V": "raw records", "M": "dates", "m": "durations"}


def kind_name(dtype: np.dtype) -> str:
    return KIND_NAMES.get(dtype.kind, str(dtype))


def read_header(fh: BinaryIO, path, where: str, kinds: str = NUMERIC) -> tuple[tuple[int, ...], np.dtype, bool]:
    """``(shape, dtype, fortran_order)`` of the ``.npy`` stream at ``fh``, validated.

    Raises :class:`UnsafeContentError` for object arrays (they need pickle),
    :class:`CorruptFileError` for anything that is not a plain array of the
    ``kinds`` allowed, :class:`ReadLimitError` beyond ``MAX_ARRAY_DIMS``.
    """
    try:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            raise ValueError(f"unsupported .npy version {version[0]}.{version[1]}")
    except (ValueError, SyntaxError, TypeError, OSError, EOFError, UnicodeError, RecursionError,
            MemoryError) as exc:
        raise CorruptFileError(f"not a valid .npy array header ({_short(exc)}).", path, where) from None
    if dtype.hasobject:
        raise UnsafeContentError("holds Python objects, which can only be loaded with pickle; Propscope never "
                                 "unpickles files (they can run code). Save numeric arrays instead.", path, where)
    if dtype.fields is not None or dtype.subdtype is not None:
        raise CorruptFileError(f"holds structured records ({dtype}); expected a plain array of numbers.", path, where)
    if dtype.kind not in kinds or dtype.itemsize == 0:
        allowed = ", ".join(KIND_NAMES[k] for k in kinds)
        raise CorruptFileError(f"holds {kind_name(dtype)} ({dtype}); expected {allowed}.", path, where)
    if not isinstance(shape, tuple) or not all(isinstance(d, int) and d >= 0 for d in shape):
        raise CorruptFileError(f"the header's shape {shape!r} is not a list of sizes.", path, where)
    if len(shape) > limits.MAX_ARRAY_DIMS:
        raise ReadLimitError(f"the array has {len(shape)} dimensions, over the limit of {limits.MAX_ARRAY_DIMS} "
                             "(MAX_ARRAY_DIMS).", path, where, limit="MAX_ARRAY_DIMS")
    return tuple(shape), dtype, bool(fortran)


def array_bytes(shape: tuple[int, ...], dtype: np.dtype) -> int:
    """Exact bytes of an array (Python ints: a hostile shape cannot overflow)."""
    return math.prod(shape) * dtype.itemsize


def read_array(fh: BinaryIO, available: int, path, where: str, kinds: str = NUMERIC,
               max_bytes: int = limits.MAX_UNPACKED_BYTES, limit_name: str = "MAX_UNPACKED_BYTES") -> np.ndarray:
    """The ``.npy`` array at ``fh``, whose stream has ``available`` bytes from the start of its header.

    The data must exactly fill what follows the header: more is junk, less is
    truncation, and both are refused before the array is allocated. The array
    comes back in native byte order and C order, writable, never a view of
    anything else.
    """
    start = fh.tell()
    shape, dtype, fortran = read_header(fh, path, where, kinds)
    data_bytes = available - (fh.tell() - start)
    needed = array_bytes(shape, dtype)
    if needed > data_bytes:
        raise TruncatedError(f"the header announces {shape} {dtype} ({needed:,} bytes) but only {data_bytes:,} "
                             "bytes of data follow.", path, where)
    if needed > max_bytes:
        raise ReadLimitError(f"the array {shape} of {dtype} needs {needed:,} bytes of memory, over the "
                             f"{max_bytes:,} that can be used ({limit_name}).", path, where, limit=limit_name)
    if needed < data_bytes:
        raise CorruptFileError(f"{data_bytes - needed:,} unexpected byte(s) after the {shape} array.", path, where)
    out = np.empty(shape[::-1] if fortran else shape, dtype=dtype)
    if needed:
        read_into(fh, memoryview(out).cast("B"), path, where, exact=True)
    if fortran:
        out = np.ascontiguousarray(out.T)
    return normalize(out, path, where)


def normalize(arr: np.ndarray, path=None, where: str | None = None) -> np.ndarray:
    """Native byte order; booleans as 0/1 whatever their bytes; text that is valid Unicode.

    Works in place where it can: ``arr`` must be the caller's own.
    """
    if not arr.dtype.isnative:
        arr.byteswap(inplace=True)  # the array is this reader's own: swap in place, no copy
        arr = arr.view(arr.dtype.newbyteorder("="))
    if arr.dtype.kind == "b":
        arr = arr.view(np.uint8) != 0
    elif arr.dtype.kind == "U" and arr.size:
        codes = arr.view(np.uint32)
        if codes.max() > 0x10FFFF or np.any((codes >= 0xD800) & (codes <= 0xDFFF)):
            raise CorruptFileError("holds text that is not valid Unicode.", path, where)
    return arr


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
