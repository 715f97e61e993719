"""The guarded reader: every file Propscope reads — data, sessions, models, settings — comes through here.

What it promises, whatever the bytes:

* only **regular files** are opened (a FIFO, a device, a socket, a folder or a
  link to one is refused without blocking);
* **sizes are checked before memory is taken**: the file against
  ``MAX_FILE_BYTES``, a header's declared shape against the bytes really
  present, a compressed stream against the most it can expand to;
* **archives** are validated member by member (names, sizes, flags,
  compression methods, encryption, count) before anything is unpacked;
* **JSON** is bounded in size and depth, strict (no NaN, no duplicate keys)
  and read field by field against a schema (:class:`Fields`);
* **arrays** never need pickle and are checked for dtype, shape and
  finiteness (:func:`check_array`);
* every failure is a :class:`ReadRejected` subclass, which each caller turns
  into its own error type (``DatasetError``, ``SessionFileError``…) at its
  public boundary. Nothing else escapes, except :class:`LoadCancelled`
  raised by the caller's own progress callback.

The limits are named constants in :mod:`core.limits`; messages name them.

How to read each kind of file
-----------------------------
A plain binary or text file::

    from core import safeio
    with safeio.open_regular(path, max_bytes=...) as fh:   # FIFO-safe, size-checked
        ...                                                 # then read_into(fh, view, path, where, exact=True)
    data = safeio.read_bytes(path)                          # small files, whole

A zip archive — ``.npz``, a ``.propscope`` session, a Keras ``.keras`` file::

    with safeio.SafeZip.open(path) as archive:
        config = safeio.parse_json(archive.read("config.json", max_bytes=safeio.limits.MAX_JSON_BYTES),
                                   path, "config.json")
        weights = archive.read_array("weights/0.npy", kinds="f")       # one .npy member
        with safeio.SafeZip.from_bytes(archive.read("inner.npz"), path, "inner.npz") as inner:
            arrays = inner.arrays(kinds="f")                          # a nested .npz
        # an HDF5 member (model.weights.h5 inside a .keras file), read in memory:
        contents = safeio.read_h5_bytes(archive.read("model.weights.h5"), path, "member 'model.weights.h5'")

A ``.npy`` stream of known length (``available`` bytes from its header)::

    arr = safeio.read_array(fh, available, path, where, kinds="biuf")

HDF5 (Keras ``.h5``, ``.weights.h5``): numeric datasets and short attributes only
(no external links, external storage, virtual datasets, references)::

    contents = safeio.read_h5(path)      # contents.arrays["layers/dense/vars/0"], contents.attrs[""]
    # attributes: text, numbers, small numeric arrays, lists of names (legacy Keras "layer_names")

Then check what the arrays must be for *your* model::

    safeio.check_array(w, "dense/kernel", kinds="f", shape=(784, 100), finite=True)

and translate at your public boundary::

    try:
        ...
    except safeio.ReadRejected as exc:
        raise MyModelFileError(str(exc)) from None

Long reads report progress to whoever set :func:`reporting` on the current
thread, and stop when that callback raises :class:`LoadCancelled`.
"""

from core import limits
from core.safeio.archive import SafeZip
from core.safeio.arrays import FLOAT32_MAX, check_array
from core.safeio.errors import (CorruptFileError, InvalidValueError, LoadCancelled, MissingFileError,
                                NonFiniteValuesError, NotRegularFileError, ReadLimitError, ReadRejected,
                                TruncatedError, UnreadableError, UnsafeContentError)
from core.safeio.files import (check_declared, check_regular, file_size, open_maybe_gzip, open_regular, read_bytes,
                               read_into, stream_errors)
from core.safeio.hdf5 import H5Contents, read_h5, read_h5_bytes
from core.safeio.jsondoc import Fields, parse_json
from core.safeio.npy import read_array, read_header
from core.safeio.progress import advance, reporting

__all__ = [
    "FLOAT32_MAX", "CorruptFileError", "Fields", "H5Contents", "InvalidValueError", "LoadCancelled",
    "MissingFileError",
    "NonFiniteValuesError", "NotRegularFileError", "ReadLimitError", "ReadRejected", "SafeZip", "TruncatedError",
    "UnreadableError", "UnsafeContentError", "advance", "check_array", "check_declared", "check_regular",
    "file_size", "limits", "open_maybe_gzip", "open_regular", "parse_json", "read_array", "read_bytes", "read_h5",
    "read_h5_bytes",
    "read_header", "read_into", "reporting", "stream_errors",
]
