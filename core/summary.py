"""The Keras 3 ``model.summary()`` table, character for character."""

from __future__ import annotations

from typing import Callable


def readable_memory_size(size: float) -> str:
    """``318040`` → ``"310.59 KB"`` as Keras prints parameter memory."""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} EB"


def format_shape(shape: tuple | None) -> str:
    if shape is None:
        return "?"
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def render_summary(model_name: str, rows: list[tuple[str, str, str]], total: int, trainable: int,
                   bytes_per_param: int, built: bool, print_fn: Callable[[str], None] | None = None) -> str:
    """Render the summary table.

    Parameters
    ----------
    rows : list of (name_and_type, output_shape, params)
        Already formatted cells, one row per layer.
    """
    widths = [33, 24, 15]
    widths[0] = max(widths[0], *(len(r[0]) + 2 for r in rows)) if rows else widths[0]
    widths[1] = max(widths[1], *(len(r[1]) + 2 for r in rows)) if rows else widths[1]

    def line(left: str, mid: str, right: str, fill: str) -> str:
        return left + mid.join(fill * w for w in widths) + right

    def cells(values: tuple[str, str, str], sep: str) -> str:
        a = (" " + values[0]).ljust(widths[0])
        b = (" " + values[1]).ljust(widths[1])
        c = (values[2] + " ").rjust(widths[2])
        return sep + a + sep + b + sep + c + sep

    out = [f'Model: "{model_name}"', line("┏", "┳", "┓", "━"),
           cells(("Layer (type)", "Output Shape", "Param #"), "┃"), line("┡", "╇", "┩", "━")]
    for k, row in enumerate(rows):
        out.append(cells(row, "│"))
        out.append(line("├", "┼", "┤", "─") if k < len(rows) - 1 else line("└", "┴", "┘", "─"))
    if not rows:
        out.append(line("└", "┴", "┘", "─"))
    non_trainable = total - trainable
    out.append(f" Total params: {total:,} ({readable_memory_size(total * bytes_per_param)})")
    out.append(f" Trainable params: {trainable:,} ({readable_memory_size(trainable * bytes_per_param)})")
    out.append(f" Non-trainable params: {non_trainable:,} ({readable_memory_size(non_trainable * bytes_per_param)})")
    text = "\n".join(out)
    if print_fn is not None:
        print_fn(text)
    return text
