"""The numbers behind a figure, written beside it: ``<stem>.csv`` (and ``<stem>.<table>.csv``) and ``<stem>.npz``.

A figure's data is a few named tables. A :class:`Table` is columns of equal
length (one CSV row per entry: nodes, edges, curve points) or a matrix with
its axis names (one CSV row per matrix row). The first table is
``<stem>.csv``, the others ``<stem>.<name>.csv``; the NPZ holds every table
(``name`` for a matrix, ``name/column`` for columns) and ``meta/*`` strings
(the caption and the lesson fingerprint), never objects (it loads with
``allow_pickle=False``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np

from core.export.atomic import atomic_path, write_text


@dataclass(frozen=True)
class Table:
    """Either ``columns`` (name → 1-D array, equal lengths) or ``matrix`` with ``rows``/``cols`` naming its axes."""

    columns: Mapping[str, np.ndarray] = field(default_factory=dict)
    matrix: np.ndarray | None = None
    rows: str = "row"
    cols: str = "column"

    @classmethod
    def of_columns(cls, **columns) -> "Table":
        arrays = {k: np.asarray(v) for k, v in columns.items()}
        lengths = {len(v) for v in arrays.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: { {k: len(v) for k, v in arrays.items()} }")
        return cls(columns=arrays)

    @classmethod
    def of_matrix(cls, matrix, rows: str = "row", cols: str = "column") -> "Table":
        m = np.asarray(matrix)
        return cls(matrix=np.atleast_2d(m) if m.ndim < 2 else m.reshape(m.shape[0], -1), rows=rows, cols=cols)

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        if self.matrix is not None:
            m = self.matrix
            writer.writerow([f"{self.rows} \\ {self.cols}", *range(m.shape[1])])
            if m.dtype.kind in "biuf":  # numbers: NumPy formats a whole matrix at once
                body = np.column_stack([np.arange(len(m)), m]) if m.size else m
                fmt = ["%d"] + ["%d" if m.dtype.kind in "biu" else "%.9g"] * m.shape[1]
                np.savetxt(out, body, fmt=fmt, delimiter=",")
                return out.getvalue().replace("nan", "")
            for r, row in enumerate(m):
                writer.writerow([r, *(_cell(v) for v in row)])
        else:
            names = list(self.columns)
            writer.writerow(names)
            arrays = [self.columns[n] for n in names]
            for k in range(len(arrays[0]) if arrays else 0):
                writer.writerow([_cell(a[k]) for a in arrays])
        return out.getvalue()


def _cell(value) -> str:
    if isinstance(value, (float, np.floating)):
        return "" if not np.isfinite(value) else f"{float(value):.9g}"
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def write_figure_data(stem: str | Path, tables: Mapping[str, Table], meta: Mapping[str, str] | None = None,
                      durable: bool = True) -> list[Path]:
    """Write ``tables`` beside the figure ``stem`` (a path without suffix); returns the files written."""
    stem = Path(stem)
    if not tables:
        return []
    written = []
    for k, (name, table) in enumerate(tables.items()):
        path = stem.with_name(stem.name + ".csv") if k == 0 else stem.with_name(f"{stem.name}.{name}.csv")
        write_text(path, table.csv_text(), durable)
        written.append(path)
    arrays: dict[str, np.ndarray] = {}
    for name, table in tables.items():
        if table.matrix is not None:
            arrays[name] = np.asarray(table.matrix)
        else:
            for col, values in table.columns.items():
                values = np.asarray(values)
                arrays[f"{name}/{col}"] = values.astype(str) if values.dtype == object else values
    for key, value in (meta or {}).items():
        arrays[f"meta/{key}"] = np.asarray(str(value))
    path = stem.with_name(stem.name + ".npz")
    with atomic_path(path, durable) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **arrays)  # uncompressed: written in a third of the time, read by anything
    written.append(path)
    return written
