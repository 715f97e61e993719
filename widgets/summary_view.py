"""The Keras model summary as a read-only monospace text view."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QWidget


class SummaryView(QPlainTextEdit):
    """Shows ``model.summary()`` exactly as Keras prints it.

    Entry point: :meth:`set_summary`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(font.pointSize(), 11))
        self.setFont(font)

    def set_summary(self, text: str) -> None:
        """Replace the shown summary."""
        self.setPlainText(text)
