"""File dialogs in the UI's language, whatever the platform's.

A native dialog speaks the system's language, not the one chosen in
Settings → Language; Qt's own dialog follows Qt's translator, but two of its
labels ("Look in:" and "Files of type:") lost their Korean when Qt 6 gave
them mnemonics. These helpers open Qt's dialog, put Qt's own translations
of those two labels back, and translate the file-type names Propscope
offers (core's loaders name them in English).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from widgets.i18n import tr, tr_noop

#: names of the file types core offers (``core.datasets.FILE_FILTERS``), translated when shown
FILTER_NAMES = {"All datasets": tr_noop("All datasets"), "CSV / TSV": tr_noop("CSV / TSV"),
                "NumPy": tr_noop("NumPy"), "IDX, MNIST format": tr_noop("IDX, MNIST format"),
                "All files": tr_noop("All files")}
#: Qt's labels that its Korean catalogue knows only without their mnemonic
_QT_LABELS = {QFileDialog.DialogLabel.LookIn: ("&Look in:", "Look in:"),
              QFileDialog.DialogLabel.FileType: ("Files of &type:", "Files of type:")}


def translated_filters(filters: str | list[str]) -> str:
    """``"All files (*)"`` → ``"모든 파일 (*)"``: the name translated, the patterns kept; ``;;``-joined."""
    items = filters.split(";;") if isinstance(filters, str) else list(filters)
    out = []
    for item in items:
        match = re.match(r"^(.*?)\s*(\(.*\))$", item)
        if match and match.group(1) in FILTER_NAMES:
            item = f"{tr(FILTER_NAMES[match.group(1)])} {match.group(2)}"
        out.append(item)
    return ";;".join(out)


def make_dialog(parent: QWidget | None, title: str, start: str, filters: str | list[str] = "") -> QFileDialog:
    """Qt's own file dialog (not the platform's), every label in the UI language."""
    dialog = QFileDialog(parent, title, start, translated_filters(filters) if filters else "")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    for label, (source, older) in _QT_LABELS.items():
        text = QCoreApplication.translate("QFileDialog", source)
        if text == source:  # no translation with the mnemonic: Qt's translation of the older text
            text = QCoreApplication.translate("QFileDialog", older)
        dialog.setLabelText(label, text)
    return dialog


def open_file_name(parent: QWidget | None, title: str, start: str, filters: str | list[str]) -> str:
    """A file to open ("" when cancelled)."""
    dialog = make_dialog(parent, title, start, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    return _chosen(dialog)


def save_file_name(parent: QWidget | None, title: str, start: str, filters: str | list[str]) -> str:
    """A file to write, confirmed when it exists ("" when cancelled)."""
    dialog = make_dialog(parent, title, start, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    return _chosen(dialog)


def existing_directory(parent: QWidget | None, title: str, start: str) -> str:
    """A folder ("" when cancelled)."""
    dialog = make_dialog(parent, title, start)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return _chosen(dialog)


def _chosen(dialog: QFileDialog) -> str:
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return ""
        return dialog.selectedFiles()[0]
    finally:
        dialog.deleteLater()
