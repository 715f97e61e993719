"""One entry point for every file the dialog or the CLI can open: :func:`load_file`."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from core.datasets.csv_loader import load_csv
from core.datasets.dataset import Dataset
from core.datasets.errors import FormatError
from core.datasets.guard import dataset_loader
from core.datasets.idx_loader import IDX_TYPES, load_idx
from core.datasets.image_folder import load_image_folder
from core.datasets.npz_loader import load_npy_pair, load_npz
from core.safeio import ReadRejected, open_regular

#: Filters for QFileDialog (kept here so the CLI and the dialog agree).
FILE_FILTERS = [
    "All datasets (*.csv *.tsv *.txt *.npz *.npy *.gz *-ubyte *.idx1 *.idx3 *.idx)",
    "CSV / TSV (*.csv *.tsv *.txt)",
    "NumPy (*.npz *.npy)",
    "IDX, MNIST format (*-ubyte *-ubyte.gz *.idx1 *.idx3 *.idx *.gz)",
    "All files (*)",
]

_CSV_OPTIONS = {"label_column", "delimiter", "header", "task", "drop_nonfinite"}
_NPZ_OPTIONS = {"x_key", "y_key", "task"}
_FOLDER_OPTIONS = {"size", "color"}


def sniff_kind(path: Path) -> str:
    """``"csv"``, ``"npz"``, ``"npy"``, ``"idx"`` or ``"folder"`` from magic bytes and name.

    Only a regular file is opened (a FIFO would block); anything else raises
    the guarded reader's :class:`~core.safeio.NotRegularFileError`.
    """
    if path.is_dir():
        return "folder"
    with open_regular(path, what="file") as fh:
        head = fh.read(8)
        inner = b""
        if head[:2] == b"\x1f\x8b":
            fh.seek(0)
            try:
                with gzip.GzipFile(fileobj=fh, mode="rb") as gz:
                    inner = gz.read(4)
            except Exception:  # any damage: the loader reports it properly; sniffing only guesses
                inner = b""
    name = path.name.lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06") or name.endswith(".npz"):
        return "npz"
    if head.startswith(b"\x93NUMPY") or name.endswith(".npy"):
        return "npy"
    if head[:2] == b"\x1f\x8b":
        if "ubyte" in name or "idx" in name or _looks_idx(inner):
            return "idx"
        if name.endswith((".csv.gz", ".tsv.gz", ".txt.gz")):
            return "csv.gz"
        return "idx"
    if "ubyte" in name or name.endswith((".idx", ".idx1", ".idx3")) or _looks_idx(head):
        return "idx"
    return "csv"


def _looks_idx(head: bytes) -> bool:
    return len(head) >= 4 and head[0] == 0 and head[1] == 0 and head[2] in IDX_TYPES and 1 <= head[3] <= 8


def load_file(path: str | Path, max_bytes: int | None = None, **options: Any) -> Dataset:
    """Load any supported dataset file (or class-per-folder image directory).

    Raises
    ------
    DatasetError
        Always a subclass of it, with the file and place named, for any problem
        with the file (see :mod:`core.datasets.guard`).
    TypeError
        An option that this kind of file does not take (a programming error).
    """
    path = Path(path)
    try:
        kind = sniff_kind(path)
    except ReadRejected:
        kind = "unreadable"  # the loader below reports it as the right DatasetError
    if kind == "folder":
        return load_image_folder(path, max_bytes=max_bytes, **_only(options, _FOLDER_OPTIONS))
    if kind == "npz":
        return load_npz(path, max_bytes=max_bytes, **_only(options, _NPZ_OPTIONS))
    if kind == "npy":
        return load_npy_pair(path, max_bytes=max_bytes, **_only(options, {"task"}))
    if kind == "idx":
        return load_idx(path, max_bytes=max_bytes)
    if kind == "csv.gz":
        return _refuse_compressed_csv(path)
    if kind == "unreadable":
        return _unreadable(path)
    return load_csv(path, max_bytes=max_bytes, **_only(options, _CSV_OPTIONS))


@dataset_loader
def _refuse_compressed_csv(path: Path) -> Dataset:
    raise FormatError("compressed CSV: decompress it first (gunzip), then open the .csv.", path)


@dataset_loader
def _unreadable(path: Path) -> Dataset:
    sniff_kind(path)  # raises the guarded reader's error again; the boundary translates it
    raise FormatError("cannot tell what kind of file this is.", path)


def _only(options: dict[str, Any], allowed: set[str]) -> dict[str, Any]:
    unknown = set(options) - allowed
    if unknown:
        raise TypeError(f"Unknown option(s) for this kind of file: {sorted(unknown)} (allowed: {sorted(allowed)}).")
    return options
