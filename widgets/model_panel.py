"""The model panel: a table of Dense layers, course presets and the live Keras summary."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QVBoxLayout,
                               QWidget)

from settings.config import LayerRow, ModelSpec
from settings.vocabulary import ACTIVATIONS
from core.presets import PRESETS
from widgets.i18n import Texts, tr
from widgets.number_fields import int_spin_box
from widgets.summary_view import SummaryView


class ModelPanel(QWidget):
    """Edit the layers; emits :attr:`model_requested` with the new :class:`ModelSpec`.

    Entry points: :meth:`set_spec`, :meth:`set_summary`, :meth:`set_input_note`.
    """

    model_requested = Signal(object)   # ModelSpec
    preset_requested = Signal(str)     # preset key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._updating = False
        texts = Texts(self)
        layout = QVBoxLayout(self)
        preset_row = QHBoxLayout()
        self.preset_box = QComboBox(self)
        self.preset_box.addItem("", "")
        texts.bind(lambda t: self.preset_box.setItemText(0, t), "Course presets…")
        for key, preset in PRESETS.items():
            self.preset_box.addItem(preset.title, key)
        self.preset_box.activated.connect(self._on_preset)
        preset_row.addWidget(self.preset_box, 1)
        layout.addLayout(preset_row)
        # Not bound to the language: the window sets this note from the data (and sets it
        # again after a language change); a binding would overwrite it with the placeholder.
        self.input_note = QLabel(tr("Input: from the data"), self)
        self.input_note.setWordWrap(True)
        layout.addWidget(self.input_note)
        self.table = QTableWidget(0, 2, self)
        texts.bind(lambda t: self.table.setHorizontalHeaderLabels([t, tr("Activation")]), "Units")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.up_button = QPushButton(self)
        self.down_button = QPushButton(self)
        texts.bind(self.add_button.setText, "Add layer")
        texts.bind(self.remove_button.setText, "Remove")
        texts.bind(self.up_button.setText, "Up")
        texts.bind(self.down_button.setText, "Down")
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_layer)
        self.remove_button.clicked.connect(self.remove_layer)
        self.up_button.clicked.connect(lambda: self.move_layer(-1))
        self.down_button.clicked.connect(lambda: self.move_layer(1))
        self.summary = SummaryView(self)
        layout.addWidget(self.summary, 1)

    # --- entry points -------------------------------------------------------
    def set_spec(self, spec: ModelSpec) -> None:
        """Show ``spec`` without emitting anything, updating the rows in place.

        The spec echoes back while a row's own spin box may still be delivering its
        ``valueChanged``: existing rows keep their widgets, only surplus rows go."""
        self._updating = True
        for r, row in enumerate(spec.layers):
            if r >= self.table.rowCount():
                self._append_row(row)
                continue
            units, act = self.table.cellWidget(r, 0), self.table.cellWidget(r, 1)
            for widget in (units, act):
                widget.blockSignals(True)
            units.setValue(row.units)
            act.setCurrentText(row.activation)
            for widget in (units, act):
                widget.blockSignals(False)
        while self.table.rowCount() > len(spec.layers):
            self.table.removeRow(self.table.rowCount() - 1)  # never the row being edited: no emit removes rows
        self._updating = False

    def set_summary(self, text: str) -> None:
        self.summary.set_summary(text)

    def set_input_note(self, text: str) -> None:
        self.input_note.setText(text)

    def spec(self) -> ModelSpec:
        rows = []
        for r in range(self.table.rowCount()):
            units = self.table.cellWidget(r, 0).value()
            act = self.table.cellWidget(r, 1).currentText()
            rows.append(LayerRow(units, act))
        return ModelSpec(tuple(rows))

    # --- editing --------------------------------------------------------------
    def _append_row(self, row: LayerRow, at: int | None = None) -> None:
        r = self.table.rowCount() if at is None else at
        self.table.insertRow(r)
        units = int_spin_box(self.table, 1, 4096)  # emits once when editing ends, not per keystroke
        units.setValue(row.units)
        units.valueChanged.connect(self._emit)
        act = QComboBox(self.table)
        act.addItems(ACTIVATIONS)
        act.setCurrentText(row.activation)
        act.currentTextChanged.connect(self._emit)
        self.table.setCellWidget(r, 0, units)
        self.table.setCellWidget(r, 1, act)

    def add_layer(self) -> None:
        """Insert a hidden layer (16 ReLU units) before the output layer."""
        at = max(0, self.table.rowCount() - 1)
        spec = self.spec()
        rows = list(spec.layers)
        rows.insert(at, LayerRow(16, "relu"))
        self.set_spec(ModelSpec(tuple(rows)))
        self.table.selectRow(at)
        self._emit()

    def remove_layer(self) -> None:
        r = self.table.currentRow()
        if self.table.rowCount() <= 1:
            return  # the output layer stays
        rows = list(self.spec().layers)
        rows.pop(r if 0 <= r < len(rows) - 1 else len(rows) - 2)
        self.set_spec(ModelSpec(tuple(rows)))
        self._emit()

    def move_layer(self, delta: int) -> None:
        r = self.table.currentRow()
        target = r + delta
        if r < 0 or not 0 <= target < self.table.rowCount():
            return
        rows = list(self.spec().layers)
        rows[r], rows[target] = rows[target], rows[r]
        self.set_spec(ModelSpec(tuple(rows)))
        self.table.selectRow(target)
        self._emit()

    def _emit(self, *_args) -> None:
        if not self._updating:
            self.model_requested.emit(self.spec())

    def _on_preset(self, index: int) -> None:
        key = self.preset_box.itemData(index)
        if key:
            self.preset_requested.emit(key)
        self.preset_box.setCurrentIndex(0)
