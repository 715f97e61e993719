"""One side of compare mode: hidden activation, optimizer, learning rate, batch size, and the remedies against
overfitting (Dropout, BatchNormalization, L2) after the hidden layers."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QWidget

from core import limits
from settings.compare_setup import FULL_BATCH, Variant
from settings.vocabulary import HIDDEN_ACTIVATIONS, OPTIMIZERS, optimizer_label
from widgets.i18n import Texts, tr
from widgets.number_fields import ScientificSpinBox, format_number, int_spin_box, use_number_locale


class CompareSideEditor(QGroupBox):
    """Edits a :class:`~settings.compare_setup.Variant`; emits :attr:`changed` on every edit.

    Entry points: :meth:`set_variant`, :meth:`variant`.
    """

    changed = Signal()

    def __init__(self, title: str, color: tuple[int, int, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        # The side's colour in the plots, on its frame: the legend without a legend.
        self.setStyleSheet(f"QGroupBox {{ border: 3px solid rgb{color}; border-radius: 4px; margin-top: 1.2em; "
                           f"padding-top: 4px }} QGroupBox::title {{ color: rgb{color}; font-weight: bold; "
                           "subcontrol-origin: margin; left: 8px }")
        texts = Texts(self)
        form = QFormLayout(self)
        self.activation = QComboBox(self)
        self.activation.addItems(HIDDEN_ACTIVATIONS)
        texts.row(form, "Hidden activation", self.activation)
        self.optimizer = QComboBox(self)
        for key in OPTIMIZERS:
            self.optimizer.addItem(optimizer_label(key), key)
        texts.row(form, "Optimizer", self.optimizer)
        self.learning_rate = ScientificSpinBox(self, 1e-6, 1e3)  # 1e-6 … 1e3, plain or scientific
        texts.row(form, "Learning rate", self.learning_rate)
        self.batch_size = int_spin_box(self, FULL_BATCH, limits.MAX_BATCH_SIZE)
        texts.bind(self.batch_size.setSpecialValueText, "full batch")  # shown for 0
        texts.row(form, "Batch size", self.batch_size)
        self.dropout = QDoubleSpinBox(self)
        self.dropout.setRange(0.0, 0.9)
        self.dropout.setSingleStep(0.05)
        self.dropout.setDecimals(2)
        self.dropout.setKeyboardTracking(False)
        texts.bind(self.dropout.setSpecialValueText, "none")  # shown for 0
        texts.bind(self.dropout.setToolTip, "Dropout(rate) after every hidden Dense layer")
        texts.row(form, "Dropout", self.dropout)
        self.batchnorm = QCheckBox(self)
        texts.bind(self.batchnorm.setText, "after every hidden layer")
        texts.row(form, "BatchNormalization", self.batchnorm)
        self.l2 = QDoubleSpinBox(self)
        self.l2.setRange(0.0, 1.0)
        self.l2.setDecimals(5)
        self.l2.setSingleStep(0.0005)
        self.l2.setKeyboardTracking(False)
        texts.bind(self.l2.setSpecialValueText, "none")
        texts.bind(self.l2.setToolTip, "kernel_regularizer=l2(factor) on every hidden Dense layer")
        texts.row(form, "L2 penalty", self.l2)
        texts.on_change(self._retitle)
        self._retitle()
        self.activation.activated.connect(self.changed)
        self.optimizer.activated.connect(self.changed)
        self.learning_rate.valueChanged.connect(self.changed)
        self.batch_size.valueChanged.connect(self.changed)
        self.dropout.valueChanged.connect(self.changed)
        self.batchnorm.toggled.connect(self.changed)
        self.l2.valueChanged.connect(self.changed)
        use_number_locale(self)  # "0.3" and "0.0005" in every language and locale

    def _retitle(self) -> None:
        self.setTitle(tr("Side {name}").format(name=self._title))

    def set_variant(self, variant: Variant) -> None:
        """Show ``variant`` without emitting :attr:`changed`."""
        widgets = (self.activation, self.optimizer, self.learning_rate, self.batch_size, self.dropout,
                   self.batchnorm, self.l2)
        for w in widgets:
            w.blockSignals(True)
        self.activation.setCurrentText(variant.activation)
        self.optimizer.setCurrentIndex(self.optimizer.findData(variant.optimizer))
        self.learning_rate.setValue(variant.learning_rate)
        self.batch_size.setValue(variant.batch_size)
        self.dropout.setValue(variant.dropout)
        self.batchnorm.setChecked(variant.batchnorm)
        self.l2.setValue(variant.l2)
        for w in widgets:
            w.blockSignals(False)

    def variant(self) -> Variant:
        return Variant(self.activation.currentText(), self.optimizer.currentData(),
                       float(format_number(self.learning_rate.value())), self.batch_size.value(),
                       dropout=round(self.dropout.value(), 4), batchnorm=self.batchnorm.isChecked(),
                       l2=round(self.l2.value(), 8))
