"""HDF5 files (Keras ``.h5`` / ``.weights.h5``) read as plain numeric datasets, within limits.

HDF5 can do far more than hold arrays: links to other files, datasets whose
bytes live in other files ("external storage"), virtual datasets stitched
from other files, references, variable-length and compound types. None of
that is needed to read weights, and each can read outside the file or
allocate without bound, so :func:`read_h5` refuses all of it and returns
only numeric datasets and short attributes: text, numbers, small numeric
arrays, and short lists of names (the legacy Keras ``.h5`` format keeps its
``layer_names`` and ``weight_names`` as arrays of strings).

:func:`read_h5_bytes` reads an HDF5 file held in memory, e.g. the
``model.weights.h5`` member of a ``.keras`` archive, with the same checks.

h5py is optional (Keras installs it); without it the reader says so.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core import limits
from core.safeio.errors import CorruptFileError, ReadLimitError, ReadRejected, UnreadableError, UnsafeContentError
from core.safeio.files import open_regular
from core.safeio.npy import NUMERIC, normalize

#: Groups and datasets in one HDF5 file, and how deeply groups nest.
MAX_H5_OBJECTS = 10_000
MAX_H5_DEPTH = 16
#: Characters of one text attribute (Keras keeps its model config as JSON in one).
MAX_ATTRIBUTE_CHARS = limits.MAX_JSON_BYTES
#: Items of one attribute array (numbers or names), and characters of one name in it.
MAX_ATTRIBUTE_ITEMS = 65536
MAX_NAME_CHARS = 4096


@dataclass
class H5Contents:
    """What :func:`read_h5` found.

    Attributes
    ----------
    arrays : dict[str, ndarray]
        Dataset path (``"layers/dense/vars/0"``) → its values, native byte order.
    attrs : dict[str, dict[str, Any]]
        Object path (``""`` for the root) → its attributes: text, numbers, small numeric arrays, or
        lists of names (``list[str]``).
    groups : list[str]
        Group paths, in the order visited.
    """

    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    attrs: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)


def read_h5(path: str | Path, max_bytes: int = limits.MAX_FILE_BYTES,
            max_unpacked: int = limits.MAX_UNPACKED_BYTES) -> H5Contents:
    """Every numeric dataset and attribute of the HDF5 file at ``path``.

    Raises
    ------
    ReadRejected
        A subclass: :class:`NotRegularFileError`, :class:`ReadLimitError`
        (objects, depth, sizes), :class:`UnsafeContentError` (external or soft
        links, external storage, virtual datasets, references or objects),
        :class:`CorruptFileError` (not HDF5, damaged, unsupported types).
    """
    with open_regular(path, max_bytes, "HDF5 file") as fh:
        return _read(fh, path, None, max_unpacked)


def read_h5_bytes(data: bytes | bytearray, path, where: str,
                  max_unpacked: int = limits.MAX_UNPACKED_BYTES) -> H5Contents:
    """:func:`read_h5` for an HDF5 file held in memory (``where`` names it in messages, e.g. a zip member)."""
    return _read(io.BytesIO(bytes(data)), path, where, max_unpacked)


def _read(fh, path, where: str | None, max_unpacked: int) -> H5Contents:
    try:
        import h5py
    except ImportError:  # pragma: no cover - h5py is a dependency
        raise UnreadableError("reading HDF5 files needs h5py (pip install h5py).", path) from None
    try:
        with h5py.File(fh, "r") as h5:
            out = H5Contents()
            _walk(h5, h5py, out, path, max_unpacked, where)
            return out
    except ReadRejected:
        raise
    except MemoryError:
        raise ReadLimitError("ran out of memory while reading.", path, where, limit="memory") from None
    except Exception as exc:  # h5py raises OSError, KeyError, ValueError, TypeError, RuntimeError...
        raise CorruptFileError(f"not a readable HDF5 file ({type(exc).__name__}: {_short(exc)}).",
                               path, where) from None


def _place(where: str | None, name: str) -> str:
    return f"{where}, {name}" if where else name


def _walk(root, h5py, out: H5Contents, path, max_unpacked: int, where: str | None) -> None:
    stack: list[tuple[Any, str, int]] = [(root, "", 0)]
    seen, total = 0, 0
    while stack:
        group, name, depth = stack.pop()
        if depth > MAX_H5_DEPTH:
            raise ReadLimitError(f"groups nest deeper than {MAX_H5_DEPTH} levels.", path, _place(where, name),
                                 limit="MAX_H5_DEPTH")
        out.groups.append(name)
        out.attrs[name] = _attributes(group, path, _place(where, name or "/"))
        for key in sorted(group.keys(), reverse=True):
            seen += 1
            if seen > MAX_H5_OBJECTS:
                raise ReadLimitError(f"holds more than {MAX_H5_OBJECTS:,} objects.", path, where,
                                     limit="MAX_H5_OBJECTS")
            child = f"{name}/{key}" if name else key
            link = group.get(key, getlink=True)
            if not isinstance(link, h5py.HardLink):
                raise UnsafeContentError(f"is a link ({type(link).__name__}); only plain groups and datasets are "
                                         "read.", path, _place(where, child))
            obj = group[key]
            if isinstance(obj, h5py.Group):
                stack.append((obj, child, depth + 1))
            elif isinstance(obj, h5py.Dataset):
                total += _dataset(obj, child, out, path, max_unpacked - total, where)
            else:
                raise UnsafeContentError(f"is a {type(obj).__name__}; only groups and datasets are read.",
                                         path, _place(where, child))


def _dataset(ds, name: str, out: H5Contents, path, budget: int, where: str | None) -> int:
    place = _place(where, name)
    if ds.external:
        raise UnsafeContentError("keeps its data in other files (external storage).", path, place)
    if ds.is_virtual:
        raise UnsafeContentError("is a virtual dataset built from other files.", path, place)
    dtype = ds.dtype
    if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None or dtype.kind not in NUMERIC:
        raise CorruptFileError(f"holds {dtype}; only plain numeric datasets are read.", path, place)
    shape = tuple(int(d) for d in (ds.shape or ()))
    if len(shape) > limits.MAX_ARRAY_DIMS:
        raise ReadLimitError(f"has {len(shape)} dimensions (MAX_ARRAY_DIMS).", path, place, limit="MAX_ARRAY_DIMS")
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes > budget:
        raise ReadLimitError(f"needs {nbytes:,} bytes, over what is left of the {limits.MAX_UNPACKED_BYTES:,} "
                             "allowed (MAX_UNPACKED_BYTES).", path, place, limit="MAX_UNPACKED_BYTES")
    arr = np.empty(shape, dtype=dtype)
    if arr.size:
        ds.read_direct(arr)
    out.arrays[name] = normalize(arr, path, place)
    out.attrs[name] = _attributes(ds, path, place)
    return nbytes


def _attributes(obj, path, place: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    for key in obj.attrs.keys():
        _check_attribute_size(obj, key, path, place)
        value = obj.attrs[key]
        if isinstance(value, bytes):
            value = _text(value, key, path, place)
        if isinstance(value, str):
            if len(value) > MAX_ATTRIBUTE_CHARS:
                raise ReadLimitError(f"attribute {key!r} is over {MAX_ATTRIBUTE_CHARS:,} characters.", path, place,
                                     limit="MAX_JSON_BYTES")
        elif isinstance(value, np.ndarray):
            value = _attribute_array(value, key, path, place)
        elif isinstance(value, np.generic) and value.dtype.kind in NUMERIC:
            value = value.item()
        else:
            raise CorruptFileError(f"attribute {key!r} is a {type(value).__name__}; only text and numbers are read.",
                                   path, place)
        attrs[key] = value
    return attrs


def _check_attribute_size(obj, key: str, path, place: str) -> None:
    """Refuse an attribute whose stored size is over the limit before h5py reads it into memory."""
    try:
        stored = obj.attrs.get_id(key).get_storage_size()
    except Exception:  # a damaged attribute is reported when it is read
        return
    if stored > MAX_ATTRIBUTE_CHARS * 4:
        raise ReadLimitError(f"attribute {key!r} stores {stored:,} bytes, over the {MAX_ATTRIBUTE_CHARS * 4:,} "
                             "allowed (MAX_JSON_BYTES).", path, place, limit="MAX_JSON_BYTES")


def _attribute_array(value: np.ndarray, key: str, path, place: str) -> Any:
    """A small numeric array as it is, or a one-dimensional array of names as ``list[str]``."""
    if value.size > MAX_ATTRIBUTE_ITEMS:
        raise ReadLimitError(f"attribute {key!r} holds {value.size:,} items, over {MAX_ATTRIBUTE_ITEMS:,}.", path,
                             place, limit="MAX_ATTRIBUTE_ITEMS")
    if value.dtype.kind in NUMERIC:
        return value
    if value.ndim == 1 and value.dtype.kind in "SUO":
        names = []
        for item in value.tolist():
            if isinstance(item, bytes):
                item = _text(item, key, path, place)
            if not isinstance(item, str):
                raise CorruptFileError(f"attribute {key!r} mixes {type(item).__name__} into a list of names; only "
                                       "text is read.", path, place)
            if len(item) > MAX_NAME_CHARS:
                raise ReadLimitError(f"attribute {key!r} holds a name of {len(item):,} characters, over "
                                     f"{MAX_NAME_CHARS:,}.", path, place, limit="MAX_NAME_CHARS")
            names.append(item)
        return names
    raise CorruptFileError(f"attribute {key!r} holds {value.dtype} {value.shape}; only short numeric arrays, lists "
                           "of names and text are read.", path, place)


def _text(value: bytes, key: str, path, place: str) -> str:
    try:
        return value.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise CorruptFileError(f"attribute {key!r} is not UTF-8 text.", path, place) from None


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
