"""The data panel: built-in sets, logic gates or a file, split and normalization, and a preview."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from settings.config import BUILTIN_SETS, GATES, DataConfig
from core.datasets import Dataset
from widgets.data_preview import DataPreview
from widgets.i18n import Texts, tr, tr_noop

SOURCES = [(tr_noop("Built-in 2-D set"), "builtin"), (tr_noop("Logic gate"), "gate"), (tr_noop("File…"), "file")]
NORMALIZATIONS = [(tr_noop("automatic (÷255 for 8-bit images)"), "auto"), (tr_noop("none"), "none"),
                  ("÷ 255", "divide255"), (tr_noop("standardize"), "standardize"),
                  (tr_noop("min–max to [0, 1]"), "minmax")]


def describe(data: Dataset) -> str:
    """The data set in one line, in the UI language."""
    text = tr("{name}: {n} samples of shape {shape}").format(name=data.name, n=f"{len(data):,}",
                                                              shape=data.input_shape)
    if data.task != "regression":
        text += tr(", {k} classes").format(k=data.num_classes)
    else:
        text += tr(", regression")
    if data.x_test is not None:
        text += tr("; test set of {n}").format(n=f"{len(data.x_test):,}")
    return text


class DataPanel(QWidget):
    """Emits :attr:`data_requested` (a new source), :attr:`open_requested` (file dialog)
    and :attr:`options_requested` (split or normalization). Entry point: :meth:`set_dataset`."""

    data_requested = Signal(object)      # DataConfig
    open_requested = Signal()
    options_requested = Signal(object)   # DataConfig

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._config = DataConfig()
        self._updating = False
        self._dataset: Dataset | None = None
        texts = Texts(self)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.source = QComboBox(self)
        for label, key in SOURCES:
            self.source.addItem(tr(label), key)
        texts.row(form, "Source", self.source)
        self.builtin = QComboBox(self)
        self.builtin.addItems(BUILTIN_SETS)
        texts.row(form, "Set", self.builtin)
        self.n_samples = QSpinBox(self)
        self.n_samples.setRange(10, 100_000)
        self.n_samples.setSingleStep(100)
        self.n_samples.setKeyboardTracking(False)
        texts.row(form, "Points", self.n_samples)
        self.noise = QDoubleSpinBox(self)
        self.noise.setRange(0.0, 0.5)
        self.noise.setSingleStep(0.05)
        self.noise.setKeyboardTracking(False)
        texts.row(form, "Noise", self.noise)
        self.gate = QComboBox(self)
        self.gate.addItems(GATES)
        texts.row(form, "Gate", self.gate)
        self.seed = QSpinBox(self)
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setKeyboardTracking(False)
        texts.row(form, "Seed", self.seed)
        file_row = QHBoxLayout()
        self.path_label = QLabel(self)
        self.path_label.setWordWrap(True)
        self.open_button = QPushButton(self)
        texts.bind(self.open_button.setText, "Open…")
        file_row.addWidget(self.path_label, 1)
        file_row.addWidget(self.open_button)
        form.addRow(texts.label("File", self), file_row)
        self.validation = QDoubleSpinBox(self)
        self.validation.setRange(0.0, 0.5)
        self.validation.setSingleStep(0.05)
        self.validation.setKeyboardTracking(False)
        texts.row(form, "Validation share", self.validation)
        self.normalization = QComboBox(self)
        for label, key in NORMALIZATIONS:
            self.normalization.addItem(tr(label), key)
        texts.row(form, "Normalization", self.normalization)
        layout.addLayout(form)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        layout.addWidget(self.description)
        self.preview = DataPreview(self)
        layout.addWidget(self.preview, 1)
        self.source.activated.connect(self._on_source)
        for w in (self.builtin, self.gate):
            w.activated.connect(self._request)
        for w in (self.n_samples, self.seed):
            w.valueChanged.connect(self._request)
        self.noise.valueChanged.connect(self._request)
        self.open_button.clicked.connect(self.open_requested)
        self.validation.valueChanged.connect(self._options)
        self.normalization.activated.connect(self._options)
        self.set_config(self._config)
        texts.on_change(self._retranslate)

    def _retranslate(self) -> None:
        for box, table in ((self.source, SOURCES), (self.normalization, NORMALIZATIONS)):
            for i, (label, _) in enumerate(table):
                box.setItemText(i, tr(label))
        self.path_label.setText(self._config.path or tr("no file"))
        if self._dataset is not None:
            self._describe(self._dataset)

    # --- entry points --------------------------------------------------------------
    def set_dataset(self, data: Dataset, config: DataConfig) -> None:
        self.set_config(config)
        self._dataset = data
        self._describe(data)
        self.preview.set_dataset(data)

    def _describe(self, data: Dataset) -> None:
        text = describe(data)
        if data.source:
            text += f"\n{data.source}"
        for warning in data.meta.get("warnings", []):
            text += f"\n⚠ {warning}"
        self.description.setText(text)

    def set_config(self, config: DataConfig) -> None:
        self._updating = True
        self._config = config
        self.source.setCurrentIndex([k for _, k in SOURCES].index(config.source))
        self.builtin.setCurrentText(config.builtin)
        self.n_samples.setValue(config.n_samples)
        self.noise.setValue(config.noise)
        self.gate.setCurrentText(config.gate)
        self.seed.setValue(config.seed)
        self.path_label.setText(config.path or tr("no file"))
        self.validation.setValue(config.validation_fraction)
        self.normalization.setCurrentIndex([k for _, k in NORMALIZATIONS].index(config.normalization))
        self._show_fields(config.source)
        self._updating = False

    def _show_fields(self, source: str) -> None:
        for w in (self.builtin, self.n_samples, self.noise):
            w.setEnabled(source == "builtin")
        self.gate.setEnabled(source == "gate")

    # --- intents ------------------------------------------------------------------------
    def _current(self) -> DataConfig:
        return replace(self._config, source=self.source.currentData(), builtin=self.builtin.currentText(),
                       n_samples=self.n_samples.value(), noise=round(self.noise.value(), 4),
                       gate=self.gate.currentText(), seed=self.seed.value(),
                       validation_fraction=round(self.validation.value(), 4),
                       normalization=self.normalization.currentData())

    def _on_source(self, _index: int) -> None:
        if self.source.currentData() == "file":
            self.open_requested.emit()
            self.set_config(self._config)  # the dialog decides; until then nothing changes
        else:
            self._request()

    def _request(self, *_args) -> None:
        if not self._updating:
            self.data_requested.emit(self._current())

    def _options(self, *_args) -> None:
        if not self._updating:
            self.options_requested.emit(self._current())
