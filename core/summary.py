"""The Keras 3 ``model.summary()`` table, character for character.

Keras draws it with ``rich``: a table ``line_length`` wide (default 88, or
the terminal width minus 4 when that is narrower; 12 more with
``show_trainable``), column edges at ``positions`` (fractions of the width),
one-space cell padding, heavy header box, a line between rows. When the
requested columns do not fit, rich shrinks them evenly (``ratio_reduce``);
text that does not fit a cell wraps at spaces and a word longer than the cell
ends in "…". This module reproduces that layout without rich (Propscope's
core depends on NumPy only).
"""

from __future__ import annotations

import re
import shutil
from typing import Any, Callable

import numpy as np

_WORD = re.compile(r"\s*\S+\s*")


def readable_memory_size(size: float) -> str:
    """``318040`` → ``"310.59 KB"`` as Keras prints parameter memory."""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def format_shape(shape: tuple | None) -> str:
    if shape is None:
        return "?"
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """rich's ``ratio_reduce``: take ``total`` away from ``values`` in proportion to ``ratios``."""
    ratios = [r if m else 0 for r, m in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining, out = total, []
    for ratio, maximum, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            out.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _divide(text: str, width: int) -> list[str]:
    """rich's ``divide_line`` without folding: break before words that do not fit."""
    breaks, offset = [], 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if start:
                breaks.append(start)
            offset = len(word)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    cuts = [0] + breaks + [len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:])] or [""]


def _fit(line: str, width: int, justify: str) -> str:
    if len(line) > width:  # rstrip_end: drop trailing spaces beyond the width
        excess = len(line) - width
        trailing = len(line) - len(line.rstrip())
        line = line[:len(line) - min(trailing, excess)]
    if justify != "left":
        line = line.rstrip()
    if len(line) > width:
        line = line[:width - 1] + "…"
    if justify == "right":
        return " " * (width - len(line)) + line
    if justify == "center":
        left = (width - len(line)) // 2
        return " " * left + line + " " * (width - len(line) - left)
    return line + " " * (width - len(line))


def _cell_lines(text: str, width: int, justify: str) -> list[str]:
    inner = max(width - 2, 0)
    return [" " + _fit(piece, inner, justify) + " " for line in text.split("\n") for piece in _divide(line, inner)]


def render_table(header: list[str], rows: list[list[str]], justify: list[str], line_length: int,
                 positions: list[float]) -> list[str]:
    """The lines of Keras's summary table."""
    widths, current = [], 0
    for pos in positions:
        width = int(pos * line_length) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width
    cols = [w + 2 for w in widths]  # rich adds the cell padding to a fixed column width
    available = line_length - (len(cols) + 1)
    if sum(cols) > available:
        cols = _ratio_reduce(sum(cols) - available, [1] * len(cols), cols, cols)
        cols = [min(c, w + 2) for c, w in zip(cols, widths)]

    def rule(left: str, mid: str, right: str, fill: str) -> str:
        return left + mid.join(fill * w for w in cols) + right

    def row(cells: list[str], sep: str) -> list[str]:
        blocks = [_cell_lines(c, w, j) for c, w, j in zip(cells, cols, justify)]
        height = max(len(b) for b in blocks)
        blocks = [b + [" " * w] * (height - len(b)) for b, w in zip(blocks, cols)]
        return [sep + sep.join(parts) + sep for parts in zip(*blocks)]

    out = [rule("┏", "┳", "┓", "━"), *row(header, "┃"), rule("┡", "╇", "┩", "━")]
    for k, cells in enumerate(rows):
        out += row(cells, "│")
        if k < len(rows) - 1:
            out.append(rule("├", "┼", "┤", "─"))
    out.append(rule("└", "┴", "┘", "─"))
    return out


def _layer_range(layers: list, layer_range: Any) -> tuple[int, int]:
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2:
        raise ValueError(f"layer_range must be a list or tuple of length 2. Received: layer_range = {layer_range} "
                         f"of length {len(layer_range)}")
    if not all(isinstance(v, str) for v in layer_range):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    lower = [i for i, la in enumerate(layers) if re.match(layer_range[0], la.name)]
    upper = [i for i, la in enumerate(layers) if re.match(layer_range[1], la.name)]
    if not lower or not upper:
        raise ValueError(f"Passed layer_names do not match the layer names in the model. Received: {layer_range}")
    if min(lower) > max(upper):
        return min(upper), max(lower) + 1
    return min(lower), max(upper) + 1


def summary_text(model, line_length: int | None = None, positions: list[float] | None = None,
                 show_trainable: bool = False, layer_range: Any = None, terminal_columns: int = 80) -> str:
    """The summary as Keras prints it for a terminal ``terminal_columns`` wide (ends with a newline).

    As in Keras, ``line_length`` defaults to 88 (100 with ``show_trainable``)
    or the terminal width minus 4 when narrower, and lines longer than the
    terminal are cut at its edge.
    """
    default_length = 88
    positions = list(positions or [0.45, 0.8, 1.0])
    header = ["Layer (type)", "Output Shape", "Param #"]
    justify = ["left", "left", "right"]
    if show_trainable:
        default_length += 12
        positions = [p * 0.9 for p in positions] + [1.0]
        header.append("Trainable")
        justify.append("center")
    line_length = line_length or min(default_length, terminal_columns - 4)
    layers = model.summary_layers()
    lo, hi = _layer_range(layers, layer_range)
    rows = []
    for layer in layers[lo:hi]:
        params = f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"
        cells = [f"{layer.name} ({type(layer).__name__})", format_shape(layer.output_shape if layer.built else None),
                 params]
        if show_trainable:
            cells.append(("Y" if layer.trainable else "N") if layer.weights else "-")
        rows.append(cells)
    lines = [f'Model: "{model.name}"', *render_table(header, rows, justify, line_length, positions)]
    counts = model.parameter_counts()
    for label, (count, nbytes) in counts.items():
        lines.append(f" {label}: {count:,} ({readable_memory_size(nbytes)})")
    # A table wider than the terminal is cut at its edge, as rich's console crops it.
    return "\n".join(line[:terminal_columns] for line in lines) + "\n"


def print_summary(model, line_length: int | None = None, positions: list[float] | None = None,
                  print_fn: Callable[..., Any] | None = None, expand_nested: bool = False,
                  show_trainable: bool = False, layer_range: Any = None) -> None:
    """Print the summary (or give it to ``print_fn`` in one call, as Keras does)."""
    text = summary_text(model, line_length, positions, show_trainable, layer_range,
                        terminal_columns=shutil.get_terminal_size().columns)
    if print_fn is None:
        print(text, end="")
    else:
        print_fn(text)


def parameter_counts(model: Any) -> dict[str, tuple[int, int]]:
    """The summary's footer: label → (count, bytes), with the optimizer's variables once it has state."""
    size = 8 if model.ops.dtype == "float64" else 4
    count = (lambda vs: sum(int(np.prod(v.shape)) for v in vs))
    trainable, frozen = count(model.trainable_weights), count(model.non_trainable_weights)
    out = {"Trainable params": (trainable, trainable * size), "Non-trainable params": (frozen, frozen * size)}
    opt_count = opt_bytes = 0
    if model.compiled and model.optimizer is not None and model.optimizer.built:
        for v in model.optimizer.variables:
            n = int(np.prod(v.shape))
            opt_count += n
            opt_bytes += n * (8 if v.dtype == "float64" else 4)
        out["Optimizer params"] = (opt_count, opt_bytes)
    total = {"Total params": (trainable + frozen + opt_count, (trainable + frozen) * size + opt_bytes)}
    return {**total, **out}
