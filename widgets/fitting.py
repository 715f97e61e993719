"""Keeping content from widening a window: labels that wrap, panels that scroll.

A QLabel that does not wrap asks for its whole text's width as its minimum,
and a dock or tab asks for its widest child's minimum: one long status line in
a view ("Batch 7: 5 of 8 shown right · bars: predicted probability…") made the
main window wider than a 1366-px projector. Labels here wrap at word breaks
instead; form panels sit in scroll areas, so a small screen scrolls them
rather than growing the window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QScrollArea, QWidget


ONE_LINE = "one_line"  # a label's property: a short counter that must not wrap (it sizes itself instead)


def wrap_labels(root: QWidget) -> None:
    """Let every text label in ``root`` wrap at word breaks (pictures, and labels marked with the
    :data:`ONE_LINE` property, stay)."""
    for label in root.findChildren(QLabel):
        if (label.pixmap() is None or label.pixmap().isNull()) and not label.property(ONE_LINE):
            label.setWordWrap(True)


def scrollable(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area that resizes it: it fills the space when it fits,
    and scrolls (instead of widening its window) when it does not."""
    area = QScrollArea(widget.parentWidget())
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    area.setWidget(widget)
    area.setObjectName(f"scroll_{widget.objectName() or type(widget).__name__}")
    return area


def shrinkable_combos(*combos: QComboBox, width: int = 72) -> None:
    """Let a view's choice boxes shrink to ``width`` px (eliding their text) when the window is narrow.

    A QComboBox asks for its longest entry's width as its minimum; in presentation mode
    ("∂L/∂W (gradient)" at fonts ×2 and one zoom step) the Matrices view's bar of choices
    alone asked for more than a 1366-px screen. They keep their full width when it fits.
    """
    for combo in combos:
        combo.setMinimumWidth(width)
