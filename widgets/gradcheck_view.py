"""The gradient-check panel: backprop against central differences on the current batch, per layer."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from core.gradcheck import GradCheckEntry
from widgets.i18n import Texts, tr, tr_noop

EXPLANATION = tr_noop(
    "Backpropagation computes ∂L/∂W exactly; a finite difference estimates it as "
    "(L(w + h) − L(w − h)) / 2h. The relative error ‖g_num − g_bp‖ / (‖g_num‖ + ‖g_bp‖) is below 1e-7 "
    "when backprop is right (computed in float64). Around 1e-4 or more points to a bug — or to a kink "
    "(ReLU at 0, |e| at 0) or a clipped probability that the finite difference straddles.")


def verdict(error: float) -> tuple[str, str]:
    """The verdict (in the UI language) and its colour."""
    if error < 1e-7:
        return tr("correct"), "#009E73"
    if error < 1e-4:
        return tr("probably fine (kinks?)"), "#E69F00"
    return tr("suspicious"), "#D55E00"


class GradCheckView(QWidget):
    """Emits :attr:`check_requested`; entry point :meth:`set_results`."""

    check_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = Texts(self)
        layout = QVBoxLayout(self)
        self.button = QPushButton(self)
        texts.bind(self.button.setText, "Check gradients on the current batch")
        self.button.clicked.connect(self.check_requested)
        layout.addWidget(self.button)
        self.table = QTableWidget(0, 5, self)
        texts.bind(lambda t: self.table.setHorizontalHeaderLabels(
            [t, tr("Parameter"), tr("Relative error"), tr("Checked"), tr("Verdict")]), "Layer")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)
        self.explanation = QLabel(self)
        texts.bind(self.explanation.setText, EXPLANATION)
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.entries: list[GradCheckEntry] = []
        texts.on_change(lambda: self.entries and self.set_results(self.entries))

    def set_results(self, entries: list[GradCheckEntry]) -> None:
        self.entries = list(entries)
        self.table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            text, color = verdict(e.relative_error)
            cells = [e.layer, e.param, f"{e.relative_error:.2e}", tr("{k} of {n}").format(k=e.checked, n=e.total), text]
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if c == 4:
                    item.setForeground(QColor(color))
                self.table.setItem(r, c, item)
