"""The training panel: loss, optimizer with its Keras-default hyper-parameters, batches, backend."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QLabel, QSpinBox,
                               QVBoxLayout, QWidget)

from settings.config import TrainConfig
from settings.vocabulary import LOSSES, OPTIMIZERS, optimizer_defaults, optimizer_label
from widgets.i18n import Texts, tr


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
        self.hyper_form = QFormLayout(self.hyper_box)
        layout.addWidget(self.hyper_box)
        self.hyper_widgets: dict[str, QWidget] = {}
        form2 = QFormLayout()
        self.batch_size = QSpinBox(self)
        self.batch_size.setRange(1, 100_000)
        self.batch_size.setKeyboardTracking(False)
        texts.row(form2, "Batch size", self.batch_size)
        self.epochs = QSpinBox(self)
        self.epochs.setRange(1, 100_000)
        self.epochs.setKeyboardTracking(False)
        texts.row(form2, "Epochs", self.epochs)
        self.seed = QSpinBox(self)
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setKeyboardTracking(False)
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

    # --- entry points -------------------------------------------------------------
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
        self._updating = True
        self._config = config
        self.loss.setCurrentText(config.loss)
        self.optimizer.setCurrentIndex(self.optimizer.findData(config.optimizer))
        self._build_hyper(config.optimizer, config.hyper)
        self.batch_size.setValue(config.batch_size)
        self.epochs.setValue(config.epochs)
        self.seed.setValue(config.seed)
        index = self.backend.findData((config.backend, config.device))
        self.backend.setCurrentIndex(max(index, 0))
        self.dtype.setCurrentText(config.dtype)
        self._updating = False

    def set_backend_note(self, text: str) -> None:
        self.backend_note.setText(text)

    # --- hyper-parameters ---------------------------------------------------------------
    def _build_hyper(self, name: str, values: dict) -> None:
        while self.hyper_form.rowCount():
            self.hyper_form.removeRow(0)
        self.hyper_widgets = {}
        for key, default in optimizer_defaults(name).items():
            value = values.get(key, default)
            if isinstance(default, bool):
                w = QCheckBox(self.hyper_box)
                w.setChecked(bool(value))
                w.toggled.connect(self._emit)
            elif default is None:
                continue
            else:
                w = QDoubleSpinBox(self.hyper_box)
                w.setDecimals(7 if key == "epsilon" else 5)
                w.setRange(0.0, 10.0)
                w.setSingleStep(0.001 if key in ("learning_rate", "weight_decay") else 0.01)
                w.setValue(float(value))
                w.setKeyboardTracking(False)
                w.valueChanged.connect(self._emit)
            w.setToolTip(tr("Keras default: {value}").format(value=default))
            self.hyper_form.addRow(key, w)
            self.hyper_widgets[key] = w

    def _retranslate(self) -> None:
        self.backend.setItemText(0, tr("auto (fastest here)"))
        defaults = optimizer_defaults(self.optimizer.currentData())
        for key, w in self.hyper_widgets.items():
            w.setToolTip(tr("Keras default: {value}").format(value=defaults[key]))

    def _on_optimizer(self, _index: int) -> None:
        if self._updating:
            return
        self._updating = True
        self._build_hyper(self.optimizer.currentData(), {})  # a new optimizer starts from Keras's defaults
        self._updating = False
        self._emit()

    def current(self) -> TrainConfig:
        hyper = {}
        for key, w in self.hyper_widgets.items():
            hyper[key] = w.isChecked() if isinstance(w, QCheckBox) else round(w.value(), 10)
        backend, device = self.backend.currentData() or ("auto", "auto")
        return TrainConfig(loss=self.loss.currentText(), optimizer=self.optimizer.currentData(), hyper=hyper,
                           batch_size=self.batch_size.value(), epochs=self.epochs.value(), seed=self.seed.value(),
                           backend=backend, device=device, dtype=self.dtype.currentText())

    def _emit(self, *_args) -> None:
        if not self._updating:
            self.training_requested.emit(self.current())
