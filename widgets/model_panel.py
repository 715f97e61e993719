"""The model panel: a table of layers (Dense, Dropout, BatchNormalization), course presets, the Keras summary."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSpinBox,
                               QStackedWidget, QTableWidget, QVBoxLayout, QWidget)

from core.presets import LAYER_KINDS, PRESETS
from settings.config import LayerRow, ModelSpec
from settings.vocabulary import ACTIVATIONS
from widgets.i18n import Texts, tr, tr_noop
from widgets.number_fields import number_locale
from widgets.summary_view import SummaryView

COLUMNS = [tr_noop("Layer"), tr_noop("Units/rate"), tr_noop("Activation"), tr_noop("Penalty"), tr_noop("Factor")]
#: The kinds as the table shows them (narrow: the panel shares a dock).
KIND_LABELS = {"Dense": "Dense", "Dropout": "Dropout", "BatchNormalization": "BN"}
#: What the penalty column offers: "" (none) and Keras's regularizer names.
PENALTY_CHOICES = ("", "l1", "l2", "l1_l2")
#: A new penalty's factor, and a new Dropout's rate (Keras tutorials' usual values).
DEFAULT_FACTOR, DEFAULT_RATE = 0.001, 0.3


class LayerRowWidgets:
    """The editors of one table row; all exist for every kind, those a kind does not use are disabled, so
    changing a row's kind only updates widgets in place."""

    def __init__(self, table: QTableWidget, row: LayerRow, on_change) -> None:
        self.kind = QComboBox(table)
        for k, kind in enumerate(LAYER_KINDS):
            self.kind.addItem(KIND_LABELS[kind], kind)
            self.kind.setItemData(k, kind, Qt.ItemDataRole.ToolTipRole)
        self.size = QStackedWidget(table)
        self.units = QSpinBox(self.size)
        self.units.setRange(1, 4096)
        self.units.setKeyboardTracking(False)  # one rebuild when editing ends, not per keystroke
        self.rate = QDoubleSpinBox(self.size)
        self.rate.setRange(0.0, 0.95)
        self.rate.setSingleStep(0.05)
        self.rate.setDecimals(2)
        self.rate.setKeyboardTracking(False)
        self.rate.setToolTip(tr("Dropout: the share of units dropped in each training batch"))
        self.none = QLabel("—", self.size)
        for w in (self.units, self.rate, self.none):
            self.size.addWidget(w)
        self.activation = QComboBox(table)
        self.activation.addItems(ACTIVATIONS)
        self.penalty = QComboBox(table)
        for key in PENALTY_CHOICES:
            self.penalty.addItem(key or tr("none"), key)
        self.penalty.setToolTip(tr("kernel_regularizer: l1 adds factor·Σ|W| to the loss, l2 factor·ΣW², "
                                   "l1_l2 both"))
        self.factor = QDoubleSpinBox(table)
        self.factor.setRange(0.0, 10.0)
        self.factor.setDecimals(4)
        self.factor.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)  # narrow; keys and wheel still step
        self.factor.setSingleStep(0.0005)
        self.factor.setKeyboardTracking(False)
        for box in (self.units, self.rate, self.factor):
            box.setLocale(number_locale())  # "0.3" and "0.001" in every language and locale
        self.show(row)
        self.kind.activated.connect(lambda _: self._kind_changed(on_change))
        self.penalty.activated.connect(lambda _: self._penalty_changed(on_change))
        for signal in (self.units.valueChanged, self.rate.valueChanged, self.activation.currentTextChanged,
                       self.factor.valueChanged):
            signal.connect(on_change)

    def widgets(self):
        return self.kind, self.size, self.activation, self.penalty, self.factor

    def show(self, row: LayerRow) -> None:
        """Put ``row``'s values in the editors (without emitting)."""
        for w in (self.kind, self.units, self.rate, self.activation, self.penalty, self.factor):
            w.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(row.kind))
        self.units.setValue(row.units if row.is_dense else 16)
        self.rate.setValue(row.rate if row.kind == "Dropout" else DEFAULT_RATE)
        self.activation.setCurrentText(row.activation if row.is_dense else "relu")
        self.penalty.setCurrentIndex(self.penalty.findData(row.penalty if row.factor else ""))
        self.factor.setValue(row.factor if row.factor else DEFAULT_FACTOR)
        for w in (self.kind, self.units, self.rate, self.activation, self.penalty, self.factor):
            w.blockSignals(False)
        self._enable()

    def _enable(self) -> None:
        kind = self.kind.currentData()
        dense = kind == "Dense"
        self.size.setCurrentWidget(self.units if dense else self.rate if kind == "Dropout" else self.none)
        self.activation.setEnabled(dense)
        self.penalty.setEnabled(dense)
        self.factor.setEnabled(dense and bool(self.penalty.currentData()))

    def _kind_changed(self, on_change) -> None:
        self._enable()
        on_change()

    def _penalty_changed(self, on_change) -> None:
        self._enable()
        on_change()

    def row(self) -> LayerRow:
        kind = self.kind.currentData()
        if kind == "Dropout":
            return LayerRow(kind="Dropout", rate=round(self.rate.value(), 4))
        if kind == "BatchNormalization":
            return LayerRow(kind="BatchNormalization")
        penalty = self.penalty.currentData()
        return LayerRow(self.units.value(), self.activation.currentText(), penalty=penalty,
                        factor=round(self.factor.value(), 8) if penalty else 0.0)


class ModelPanel(QWidget):
    """Edit the layers; emits :attr:`model_requested` with the new :class:`ModelSpec`.

    Entry points: :meth:`set_spec`, :meth:`set_summary`, :meth:`set_input_note`. The last row is the
    output layer: always Dense (its kind cannot be changed, nor another kind moved below it).
    """

    model_requested = Signal(object)   # ModelSpec
    preset_requested = Signal(str)     # preset key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._updating = False
        self.rows: list[LayerRowWidgets] = []
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
        self.table = QTableWidget(0, len(COLUMNS), self)
        texts.bind(lambda _: self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS]), "Layer")
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):  # the editors' own widths; what is left goes to the activation
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == 2 else
                                        QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)  # room for the editors; the summary numbers the layers
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        layout.addWidget(self.table, 1)
        add_row, edit_row = QHBoxLayout(), QHBoxLayout()
        self.add_button = QPushButton(self)
        self.add_dropout_button = QPushButton(self)
        self.add_batchnorm_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.up_button = QPushButton(self)
        self.down_button = QPushButton(self)
        texts.bind(self.add_button.setText, "Add layer")
        texts.bind(self.add_dropout_button.setText, "Add Dropout")
        texts.bind(self.add_batchnorm_button.setText, "Add BatchNorm")
        texts.bind(self.add_dropout_button.setToolTip, "Dropout(0.3) after the selected layer (else before the output)")
        texts.bind(self.add_batchnorm_button.setToolTip,
                   "BatchNormalization after the selected layer (else before the output)")
        texts.bind(self.remove_button.setText, "Remove")
        texts.bind(self.up_button.setText, "Up")
        texts.bind(self.down_button.setText, "Down")
        for b in (self.add_button, self.add_dropout_button, self.add_batchnorm_button):
            add_row.addWidget(b)
        for b in (self.remove_button, self.up_button, self.down_button):
            edit_row.addWidget(b)
        layout.addLayout(add_row)
        layout.addLayout(edit_row)
        self.add_button.clicked.connect(self.add_layer)
        self.add_dropout_button.clicked.connect(lambda: self.add_after_selected(LayerRow(kind="Dropout",
                                                                                         rate=DEFAULT_RATE)))
        self.add_batchnorm_button.clicked.connect(lambda: self.add_after_selected(LayerRow(kind="BatchNormalization")))
        self.remove_button.clicked.connect(self.remove_layer)
        self.up_button.clicked.connect(lambda: self.move_layer(-1))
        self.down_button.clicked.connect(lambda: self.move_layer(1))
        self.summary = SummaryView(self)
        layout.addWidget(self.summary, 1)

    # --- entry points -------------------------------------------------------
    def set_spec(self, spec: ModelSpec) -> None:
        """Show ``spec`` without emitting anything.

        With as many rows as shown, the editors are updated in place: this runs inside an editor's own
        signal (an edit → the controller → the settings that hold), where deleting it is not allowed.
        """
        self._updating = True
        if len(spec.layers) == len(self.rows):
            for widgets, row in zip(self.rows, spec.layers):
                widgets.show(row)
        else:
            self.table.setRowCount(0)
            self.rows = []
            for row in spec.layers:
                self._append_row(row)
        for k, widgets in enumerate(self.rows):
            widgets.kind.setEnabled(k < len(self.rows) - 1)  # the output layer stays a Dense layer
        self._updating = False

    def set_summary(self, text: str) -> None:
        self.summary.set_summary(text)

    def set_input_note(self, text: str) -> None:
        self.input_note.setText(text)

    def spec(self) -> ModelSpec:
        return ModelSpec(tuple(widgets.row() for widgets in self.rows))

    # --- editing --------------------------------------------------------------
    def _append_row(self, row: LayerRow) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        widgets = LayerRowWidgets(self.table, row, self._emit)
        for c, w in enumerate(widgets.widgets()):
            self.table.setCellWidget(r, c, w)
        self.rows.append(widgets)

    def _insert(self, at: int, row: LayerRow) -> None:
        rows = list(self.spec().layers)
        rows.insert(at, row)
        self.set_spec(ModelSpec(tuple(rows)))
        self.table.selectRow(at)
        self._emit()

    def add_layer(self) -> None:
        """Insert a hidden layer (16 ReLU units) before the output layer."""
        self._insert(max(0, self.table.rowCount() - 1), LayerRow(16, "relu"))

    def add_after_selected(self, row: LayerRow) -> None:
        """Insert ``row`` (a Dropout or BatchNormalization) after the selected hidden layer, else before the output."""
        r, last = self.table.currentRow(), self.table.rowCount() - 1
        self._insert(r + 1 if 0 <= r < last else max(0, last), row)

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
        if not rows[-1].is_dense:
            return  # the output layer must stay a Dense layer
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
