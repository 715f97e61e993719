"""The current model and settings as Keras code and as PyTorch code, always in sync, copyable."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QTabWidget, QVBoxLayout, QWidget

from core.codegen import keras_code, keras_file_code, torch_code
from widgets.i18n import Texts


class CodeView(QWidget):
    """Entry point: :meth:`set_model` (called whenever the model or its settings change)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.keras = QPlainTextEdit(self)
        self.torch = QPlainTextEdit(self)
        for editor, title in ((self.keras, "Keras"), (self.torch, "PyTorch")):
            editor.setReadOnly(True)
            editor.setFont(font)
            editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            self.tabs.addTab(editor, title)
        layout.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        self.copy_button = QPushButton(self)
        texts = Texts(self)
        texts.bind(self.copy_button.setText, "Copy")
        texts.bind(self.copy_button.setToolTip, "Copy the code shown to the clipboard")
        self.copy_button.clicked.connect(self.copy)
        row.addStretch(1)
        row.addWidget(self.copy_button)
        layout.addLayout(row)

    def set_model(self, model, batch_size: int, epochs: int, validation_split: float = 0.0,
                  model_path=None, data_path: str | None = None, data=None) -> None:
        """Show the code for ``model``; a model opened from ``model_path`` gets Keras code that loads that file;
        ``data`` (:class:`core.codegen.DataCode`) adds the split and scaling that ran."""
        if model_path is not None:
            self.keras.setPlainText(keras_file_code(model_path, batch_size, epochs, validation_split, data_path))
        else:
            self.keras.setPlainText(keras_code(model, batch_size, epochs, validation_split, data))
        self.torch.setPlainText(torch_code(model, batch_size, epochs))

    def copy(self) -> str:
        text = self.tabs.currentWidget().toPlainText()
        QGuiApplication.clipboard().setText(text)
        return text
