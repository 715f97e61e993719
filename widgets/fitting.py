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
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QWidget


def wrap_labels(root: QWidget) -> None:
    """Let every text label in ``root`` wrap at word breaks (pictures and one-word labels stay)."""
    for label in root.findChildren(QLabel):
        if label.pixmap() is None or label.pixmap().isNull():
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
