"""CSV and TSV files: delimiter and header sniffing, a label column, clear errors.

Numeric files take a fast path through ``np.loadtxt``; anything it rejects is
re-read by a line-by-line parser whose only job is to say exactly where and
why the file is wrong (line, column, the cell's text, what was expected).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np

from core import limits
from core.datasets.dataset import Dataset
from core.datasets.errors import EmptyFileError, FormatError, NonFiniteError, ParseError, TooLargeError
from core.datasets.guard import dataset_loader
from core.datasets.limits import check_fits
from core.datasets.targets import infer_targets
from core.safeio import check_regular, read_bytes

LABEL_NAMES = ("label", "labels", "target", "targets", "class", "y", "species", "category", "output")
_DELIMITERS = (",", "\t", ";", "|")
_SAMPLE_ROWS = 50


def decode_text(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), else CP949 (Korean Excel exports), else Latin-1."""
    nul = raw.find(b"\x00", 0, 65536)
    if nul >= 0 and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError("this is binary data, not a text CSV file.", path, f"byte {nul}")
    for encoding in ("utf-8-sig", "utf-16", "cp949"):
        if encoding == "utf-16" and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


def sniff_delimiter(lines: list[str], suffix: str) -> str | None:
    """The delimiter that most consistently splits the sample lines into several cells.

    A ragged line does not defeat it (that line is reported later, by number).
    Returns None for runs of white space; "," when nothing splits (one column).
    """
    if suffix == ".tsv":
        return "\t"
    best, best_score = ",", (0.0, 1)
    for d in _DELIMITERS + (None,):
        counts = Counter(len(_split(line, d)) for line in lines)
        cells, hits = counts.most_common(1)[0]
        score = (hits / len(lines), cells)
        if cells > 1 and score > best_score:
            best, best_score = d, score
    return best


def _split(line: str, delimiter: str | None, lineno: int | None = None, path=None) -> list[str]:
    """The cells of one line. While sniffing (no ``lineno``) a line the csv module cannot take (a cell over
    its field limit, a stray NUL) is split plainly; while parsing it is reported with its line number."""
    if delimiter is None:
        return line.split()
    try:
        return [c.strip() for c in next(csv.reader([line], delimiter=delimiter))]
    except (csv.Error, StopIteration) as exc:
        if lineno is None:
            return [c.strip() for c in line.split(delimiter)]
        raise ParseError(f"this row cannot be read as CSV ({exc}).", path, f"line {lineno}") from None


def _content_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) of non-blank, non-comment lines."""
    return [(i + 1, line) for i, line in enumerate(text.splitlines())
            if line.strip() and not line.lstrip().startswith("#")]


def detect_header(first: list[str], rest: list[list[str]]) -> bool:
    """A header has a non-numeric cell above a column that is numeric below."""
    if not rest:
        return not all(_is_number(c) for c in first)
    for j, cell in enumerate(first):
        column = [r[j] for r in rest if j < len(r)]
        if column and not _is_number(cell) and all(_is_number(c) for c in column):
            return True
    return False


def _label_index(label_column, names: list[str] | None, ncols: int, path: Path) -> int:
    if label_column is None:
        if names:
            for j, name in enumerate(names):
                if name.strip().lower() in LABEL_NAMES:
                    return j
        return ncols - 1
    if isinstance(label_column, str) and not label_column.lstrip("-").isdigit():
        if not names:
            raise ParseError(f"label column {label_column!r} was asked for by name, but the file has no header "
                             "row; give its index instead.", path)
        lowered = [n.strip().lower() for n in names]
        if label_column.strip().lower() not in lowered:
            raise ParseError(f"no column named {label_column!r}; the columns are {', '.join(names)}.", path, "line 1")
        return lowered.index(label_column.strip().lower())
    index = int(label_column)
    if not -ncols <= index < ncols:
        raise ParseError(f"label column {index} does not exist: the file has {ncols} columns.", path)
    return index % ncols


@dataset_loader
def load_csv(path: str | Path, label_column: int | str | None = None, delimiter: str | None = None,
             header: bool | None = None, task: str | None = None, drop_nonfinite: bool = False,
             max_bytes: int | None = None) -> Dataset:
    """Load a CSV/TSV file with one sample per row.

    Parameters
    ----------
    label_column : int or str, optional
        Index (negative counts from the end) or header name. Default: a column
        named label/target/class/y…, else the last column.
    delimiter : str, optional
        Default: sniffed from the first lines (``.tsv`` means tab).
    header : bool, optional
        Default: sniffed (a text cell above a numeric column).
    task : {"classification", "regression"}, optional
        Default: text or few whole-number labels → classification.
    drop_nonfinite : bool
        Drop rows containing NaN/Inf instead of raising :class:`NonFiniteError`.
    """
    path = Path(path)
    size = check_regular(path, "CSV file").st_size
    if size == 0:
        raise EmptyFileError("the file is empty.", path)
    # Text becomes float64 cells: roughly 8 bytes per 2–4 characters, plus the text itself.
    check_fits(size * 4, path, "Parsing this CSV", max_bytes)
    text = decode_text(read_bytes(path, what="CSV file"), path)
    lines = _content_lines(text)
    del text
    if not lines:
        raise EmptyFileError("the file has no data rows (only blank lines or comments).", path)
    if len(lines) > limits.MAX_SAMPLES + 1:
        raise TooLargeError(f"{len(lines):,} rows, over the limit of {limits.MAX_SAMPLES:,} samples (MAX_SAMPLES).",
                            path)
    sample = [line for _, line in lines[: _SAMPLE_ROWS + 1]]
    if delimiter is None:
        delimiter = sniff_delimiter(sample, path.suffix.lower())
    if delimiter is not None and all(line.rstrip().endswith(delimiter) for line in sample):
        # Every line ends with the delimiter (some spreadsheet exports): no empty last column.
        lines = [(n, line.rstrip()[: -len(delimiter)]) for n, line in lines]
        sample = [line for _, line in lines[: _SAMPLE_ROWS + 1]]
    first = _split(sample[0], delimiter)
    if header is None:
        header = detect_header(first, [_split(s, delimiter) for s in sample[1:]])
    names = [n or f"column {j + 1}" for j, n in enumerate(first)] if header else None
    data_lines = lines[1:] if header else lines
    if not data_lines:
        raise EmptyFileError("the file has a header but no data rows.", path)
    ncols = len(first)
    if ncols > limits.MAX_FEATURES + 1:
        raise TooLargeError(f"rows have {ncols:,} columns, over the limit of {limits.MAX_FEATURES:,} features "
                            "(MAX_FEATURES).", path, "line 1")
    if ncols < 2:
        raise ParseError("a sample needs at least one feature and a label, but rows have 1 column.", path, "line 1")
    label_at = _label_index(label_column, names, ncols, path)
    x, raw_labels, line_numbers = _parse_rows(data_lines, delimiter, ncols, label_at, names, path)
    feature_names = tuple(n for j, n in enumerate(names) if j != label_at) if names else tuple(
        f"x{j + 1}" for j in range(ncols - 1))
    with np.errstate(over="ignore"):
        x = x.astype(np.float32)  # 1e308 becomes Inf here: checked below with NaN and Inf
    bad = ~np.isfinite(x).all(axis=1)
    if raw_labels.dtype.kind == "f":
        with np.errstate(over="ignore"):
            bad |= ~np.isfinite(raw_labels.astype(np.float32))
    if bad.any():
        rows = np.flatnonzero(bad)
        if not drop_nonfinite:
            raise NonFiniteError(
                f"{int(rows.size)} row(s) contain NaN or Inf, or numbers too large for float32 "
                f"(first at line {line_numbers[rows[0]]}); "
                "drop them or fix the file.", path, f"line {line_numbers[rows[0]]}", count=int(rows.size), rows=rows)
        keep = ~bad
        x, raw_labels = x[keep], raw_labels[keep]
        if len(x) == 0:
            raise EmptyFileError("every row contains NaN or Inf.", path)
    label_name = names[label_at] if names else f"column {label_at + 1}"
    y, task, classes = infer_targets(raw_labels, path, f"label column {label_name!r}", task)
    side = math.isqrt(x.shape[1])
    if side * side == x.shape[1] and side >= 8 and (
            (names and all(re.fullmatch(r"(pixel)?\d+(x\d+)?", n.strip().lower()) for n in feature_names))
            or (not names and side == 28)):
        x = x.reshape(len(x), side, side)  # MNIST-style CSV: show samples as images
        feature_names = ()
    kind = "TSV" if delimiter == "\t" else "CSV"
    return Dataset(x, y, task, classes, feature_names, f"{path.name} ({kind}, label {label_name!r})",
                   name=path.stem, meta={"dropped_nonfinite": int(bad.sum()) if drop_nonfinite else 0,
                                         "label_column": label_name, "header": bool(header)})


def _parse_rows(data_lines, delimiter, ncols, label_at, names, path):
    """Features (float64), raw labels and the line number of each row."""
    line_numbers = np.fromiter((n for n, _ in data_lines), dtype=np.int64, count=len(data_lines))
    fast = _fast_numeric(data_lines, delimiter, ncols, label_at)
    if fast is not None:
        return fast[0], fast[1], line_numbers
    features, labels = [], []
    feature_cols = [j for j in range(ncols) if j != label_at]
    for lineno, line in data_lines:
        cells = _split(line, delimiter, lineno, path)
        if len(cells) != ncols:
            raise ParseError(f"this row has {len(cells)} cells but the file has {ncols} columns.", path,
                             f"line {lineno}")
        row = []
        for j in feature_cols:
            cell = cells[j]
            column = f"column {names[j]!r}" if names else f"column {j + 1}"
            if cell == "":
                raise ParseError(f"empty cell in {column} (a missing value); every feature needs a number.",
                                 path, f"line {lineno}, column {j + 1}")
            try:
                row.append(float(cell))
            except ValueError:
                raise ParseError(f"{cell[:40]!r} in {column} is not a number.", path,
                                 f"line {lineno}, column {j + 1}") from None
        features.append(row)
        label = cells[label_at]
        if label == "":
            raise ParseError("the label cell is empty.", path, f"line {lineno}, column {label_at + 1}")
        labels.append(label)
    x = np.array(features, dtype=np.float64).reshape(len(features), len(feature_cols))
    raw = np.array(labels)
    try:
        raw = raw.astype(np.float64)
    except ValueError:
        pass  # text labels: class names
    return x, raw, line_numbers


def _fast_numeric(data_lines, delimiter, ncols, label_at):
    """np.loadtxt over the data lines when every cell is a plain number, else None."""
    body = "\n".join(line for _, line in data_lines)
    try:
        table = np.loadtxt(io.StringIO(body), delimiter=delimiter, dtype=np.float64, ndmin=2,
                           comments=None, quotechar='"')
    except (ValueError, TypeError):
        return None
    if table.shape != (len(data_lines), ncols):
        return None
    return np.delete(table, label_at, axis=1), table[:, label_at]
