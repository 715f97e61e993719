"""The training panel: loss, optimizer with its Keras-default hyper-parameters, batches, backend.

Every field is built once and updated in place: the settings echo back from
the controller while a field's own signal may still be running, so nothing
here is ever deleted or rebuilt in response (a spin box destroyed inside its
``valueChanged`` crashed the app). Each optimizer has its own page of
hyper-parameter fields; choosing an optimizer shows its page.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QStackedWidget, QVBoxLayout,
                               QWidget)

from core import limits
from settings.config import TrainConfig
from settings.vocabulary import LOSSES, OPTIMIZERS, optimizer_defaults, optimizer_label
from widgets.i18n import Texts, tr
from widgets.number_fields import DecimalSpinBox, ScientificSpinBox, format_number, int_spin_box

#: Hyper-parameters that span decades: (minimum, maximum, where the up arrow goes from 0).
SCIENTIFIC = {"learning_rate": (1e-6, 1e3, 1e-6), "epsilon": (0.0, 1.0, 1e-10),
              "weight_decay": (0.0, 1.0, 1e-6), "initial_accumulator_value": (0.0, 1e3, 1e-3)}
#: Decays and momenta: [0, 1] ([0, 1) for Adam's betas), in steps of 0.01.
UNIT_INTERVAL = {"momentum": 1.0, "rho": 1.0, "beta_1": 0.999999, "beta_2": 0.999999}


def hyper_field(key: str, default, parent: QWidget) -> QWidget | None:
    """The field for one optimizer hyper-parameter (None for options without a number, e.g. clipnorm)."""
    if isinstance(default, bool):
        return QCheckBox(parent)
    if default is None:
        return None
    if key in SCIENTIFIC:
        low, high, smallest = SCIENTIFIC[key]
        return ScientificSpinBox(parent, low, high, smallest)
    return DecimalSpinBox(parent, 0.0, UNIT_INTERVAL.get(key, 1e3), 0.01)


class HyperPage(QWidget):
    """The hyper-parameter fields of one optimizer, Keras defaults first."""

    def __init__(self, optimizer: str, on_edit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.optimizer = optimizer
        self.defaults = optimizer_defaults(optimizer)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.fields: dict[str, QWidget] = {}
        for key, default in self.defaults.items():
            field = hyper_field(key, default, self)
            if field is None:
                continue
            field.setObjectName(f"{optimizer}.{key}")
            if isinstance(field, QCheckBox):
                field.toggled.connect(on_edit)
            else:
                field.valueChanged.connect(on_edit)
            form.addRow(key, field)
            self.fields[key] = field
        self.set_values({})

    def set_values(self, values: dict) -> None:
        """Show ``values`` (Keras defaults for missing keys) without emitting anything."""
        for key, field in self.fields.items():
            value = values.get(key, self.defaults[key])
            field.blockSignals(True)
            if isinstance(field, QCheckBox):
                field.setChecked(bool(value))
            else:
                value = float(value)
                if isinstance(field, ScientificSpinBox) and not field.minimum() <= value <= field.maximum():
                    # A session file may hold lr 5000: show what trains, never a clamped value.
                    field.setRange(min(field.minimum(), value), max(field.maximum(), value))
                field.setValue(value)
            field.blockSignals(False)

    def values(self) -> dict:
        return {key: field.isChecked() if isinstance(field, QCheckBox) else float(format_number(field.value()))
                for key, field in self.fields.items()}

    def retranslate(self) -> None:
        for key, field in self.fields.items():
            default = self.defaults[key]
            shown = format_number(default) if isinstance(default, float) else default
            field.setToolTip(tr("Keras default: {value}").format(value=shown))


class TrainingPanel(QWidget):
    """Emits :attr:`training_requested` with a new :class:`TrainConfig`.

    Entry points: :meth:`set_config`, :meth:`set_backends`.
    """

    training_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._updating = False
        self._config = TrainConfig()
        texts = Texts(self)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.loss = QComboBox(self)
        self.loss.addItems(LOSSES)
        texts.row(form, "Loss", self.loss)
        self.optimizer = QComboBox(self)
        for key in OPTIMIZERS:  # shown as Keras names its classes ("Adam"), kept as compile() takes them
            self.optimizer.addItem(optimizer_label(key), key)
        texts.row(form, "Optimizer", self.optimizer)
        layout.addLayout(form)
        self.hyper_box = QGroupBox(self)
        texts.bind(self.hyper_box.setTitle, "Hyper-parameters (Keras defaults)")
        self.hyper_stack = QStackedWidget(self.hyper_box)
        QVBoxLayout(self.hyper_box).addWidget(self.hyper_stack)
        self.pages = {name: HyperPage(name, self._emit, self.hyper_stack) for name in OPTIMIZERS}
        for page in self.pages.values():
            self.hyper_stack.addWidget(page)
        layout.addWidget(self.hyper_box)
        form2 = QFormLayout()
        self.batch_size = int_spin_box(self, 1, limits.MAX_BATCH_SIZE)
        texts.row(form2, "Batch size", self.batch_size)
        self.epochs = int_spin_box(self, 1, limits.MAX_EPOCHS)
        texts.row(form2, "Epochs", self.epochs)
        self.seed = int_spin_box(self, 0, limits.MAX_SEED)
        texts.row(form2, "Seed", self.seed)
        self.backend = QComboBox(self)
        texts.row(form2, "Backend", self.backend)
        self.dtype = QComboBox(self)
        self.dtype.addItems(["float32", "float64"])
        texts.row(form2, "Precision", self.dtype)
        layout.addLayout(form2)
        self.backend_note = QLabel(self)
        self.backend_note.setWordWrap(True)
        layout.addWidget(self.backend_note)
        layout.addStretch(1)
        self.loss.activated.connect(self._emit)
        self.optimizer.activated.connect(self._on_optimizer)
        for w in (self.batch_size, self.epochs, self.seed):
            w.valueChanged.connect(self._emit)
        self.backend.activated.connect(self._emit)
        self.dtype.activated.connect(self._emit)
        self.set_backends([{"backend": "numpy", "device": "cpu", "label": "numpy · cpu"}])
        self.set_config(self._config)
        texts.on_change(self._retranslate)
        self._retranslate()

    # --- entry points -------------------------------------------------------------
    @property
    def hyper_widgets(self) -> dict[str, QWidget]:
        """The hyper-parameter fields of the optimizer shown, by Keras name."""
        return self.pages[self.optimizer.currentData()].fields

    def set_backends(self, entries: list[dict[str, str]]) -> None:
        """Fill the backend list (e.g. "torch · cuda: <GPU>", "torch · cpu", "numpy · cpu")."""
        self._updating = True
        current = (self._config.backend, self._config.device)
        self.backend.clear()
        entries = [e for e in entries if e["backend"] != "auto"]
        self.backend.addItem(tr("auto (fastest here)"), ("auto", "auto"))
        for e in entries:
            self.backend.addItem(e["label"], (e["backend"], e["device"]))
        index = self.backend.findData(current)
        self.backend.setCurrentIndex(max(index, 0))
        self._updating = False

    def set_config(self, config: TrainConfig) -> None:
        """Show ``config`` in place (no field is rebuilt) without emitting anything."""
        self._updating = True
        self._config = config
        self.loss.setCurrentText(config.loss)
        self.optimizer.setCurrentIndex(max(0, self.optimizer.findData(config.optimizer)))
        page = self.pages.get(config.optimizer)
        if page is not None:
            page.set_values(config.hyper)
            self.hyper_stack.setCurrentWidget(page)
        for field, value in ((self.batch_size, config.batch_size), (self.epochs, config.epochs),
                             (self.seed, config.seed)):
            field.setValue(value)
        index = self.backend.findData((config.backend, config.device))
        self.backend.setCurrentIndex(max(index, 0))
        self.dtype.setCurrentText(config.dtype)
        self._updating = False

    def set_backend_note(self, text: str) -> None:
        self.backend_note.setText(text)

    # --- reactions ------------------------------------------------------------------------
    def _retranslate(self) -> None:
        self.backend.setItemText(0, tr("auto (fastest here)"))
        for page in self.pages.values():
            page.retranslate()

    def _on_optimizer(self, _index: int) -> None:
        if self._updating:
            return
        page = self.pages[self.optimizer.currentData()]
        page.set_values({})  # a new optimizer starts from Keras's defaults
        self.hyper_stack.setCurrentWidget(page)
        self._emit()

    def current(self) -> TrainConfig:
        page = self.pages[self.optimizer.currentData()]
        backend, device = self.backend.currentData() or ("auto", "auto")
        return TrainConfig(loss=self.loss.currentText(), optimizer=page.optimizer, hyper=page.values(),
                           batch_size=self.batch_size.value(), epochs=self.epochs.value(), seed=self.seed.value(),
                           backend=backend, device=device, dtype=self.dtype.currentText())

    def _emit(self, *_args) -> None:
        if not self._updating:
            self.training_requested.emit(self.current())

