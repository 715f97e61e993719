"""The data panel: built-in sets, logic gates or a file, split and normalization, and a preview."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from settings.config import BUILTIN_SETS, GATES, DataConfig
from settings.validation import handed_over
from core.datasets import Dataset
from widgets.data_preview import DataPreview
from widgets.i18n import Texts, tr, tr_noop
from widgets.number_fields import DecimalSpinBox, int_spin_box

SOURCES = [(tr_noop("Built-in 2-D set"), "builtin"), (tr_noop("Logic gate"), "gate"), (tr_noop("File…"), "file")]
NORMALIZATIONS = [(tr_noop("automatic (÷255 for 8-bit images)"), "auto"), (tr_noop("none"), "none"),
                  ("÷ 255", "divide255"), (tr_noop("standardize"), "standardize"),
                  (tr_noop("min–max to [0, 1]"), "minmax")]
VALIDATION_SOURCES = [(tr_noop("held-out share of the training data"), "split"),
                      (tr_noop("the file's test set"), "test")]


def split_text(sizes) -> str:
    """Where the samples go, in the UI language: "training 48,000 · validation 12,000 (20% held out…) · …"."""
    text = tr("training {n}").format(n=f"{sizes.train:,}")
    if sizes.kind == "split":
        text += " · " + tr("validation {n} ({share}% held out, random_state {seed})").format(
            n=f"{sizes.validation:,}", share=f"{100 * sizes.fraction:g}", seed=sizes.random_state)
    elif sizes.kind == "test":
        text += " · " + tr("validation {n} (the test set)").format(n=f"{sizes.validation:,}")
    elif sizes.kind == "given":
        text += " · " + tr("validation {n} (given with the arrays from Python)").format(n=f"{sizes.validation:,}")
    else:
        text += " · " + tr("no validation")
    if sizes.test and sizes.kind != "test":
        text += " · " + tr("test set {n} (kept apart)").format(n=f"{sizes.test:,}")
    return text


def describe(data: Dataset) -> str:
    """The data set in one line, in the UI language."""
    text = tr("{name}: {n} samples of shape {shape}").format(name=data.name, n=f"{len(data):,}",
                                                              shape=data.input_shape)
    if data.task != "regression":
        text += tr(", {k} classes").format(k=data.num_classes)
    else:
        text += tr(", regression")
    if data.x_test is not None and handed_over(data):
        text += tr("; validation data of {n}").format(n=f"{len(data.x_test):,}")
    elif data.x_test is not None:
        text += tr("; test set of {n}").format(n=f"{len(data.x_test):,}")
    return text


def split_short(sizes) -> str:
    """The split in a few words, for the status bar: "train 48,000 · val 12,000 · test 10,000"."""
    text = tr("train {n} · val {m}").format(n=f"{sizes.train:,}", m=f"{sizes.validation:,}")
    if sizes.test and sizes.kind != "test":
        text += " · " + tr("test {n}").format(n=f"{sizes.test:,}")
    return text


class DataPanel(QWidget):
    """Emits :attr:`data_requested` (a new source), :attr:`open_requested` (file dialog)
    and :attr:`options_requested` (split or normalization). Entry point: :meth:`set_dataset`."""

    data_requested = Signal(object)      # DataConfig
    open_requested = Signal()
    options_requested = Signal(object)   # DataConfig
    evaluate_requested = Signal()        # evaluate the model on the file's test set

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._config = DataConfig()
        self._updating = False
        self._dataset: Dataset | None = None
        self._sizes = None          # settings.validation.SplitSizes of the current session
        self._test_result: dict | None = None
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
        self.n_samples = int_spin_box(self, 10, 100_000, 100)
        texts.row(form, "Points", self.n_samples)
        self.noise = DecimalSpinBox(self, 0.0, 0.5, 0.05, decimals=3)
        texts.row(form, "Noise", self.noise)
        self.gate = QComboBox(self)
        self.gate.addItems(GATES)
        texts.row(form, "Gate", self.gate)
        self.seed = int_spin_box(self, 0, 2**31 - 1)
        texts.row(form, "Seed", self.seed)
        file_row = QHBoxLayout()
        self.path_label = QLabel(self)
        self.path_label.setWordWrap(True)
        self.open_button = QPushButton(self)
        texts.bind(self.open_button.setText, "Open…")
        file_row.addWidget(self.path_label, 1)
        file_row.addWidget(self.open_button)
        form.addRow(texts.label("File", self), file_row)
        self.validation_source = QComboBox(self)
        for label, key in VALIDATION_SOURCES:
            self.validation_source.addItem(tr(label), key)
        texts.row(form, "Validate on", self.validation_source)
        self.validation = DecimalSpinBox(self, 0.0, 0.5, 0.05, decimals=3)
        texts.row(form, "Validation share", self.validation)
        self.normalization = QComboBox(self)
        for label, key in NORMALIZATIONS:
            self.normalization.addItem(tr(label), key)
        texts.row(form, "Normalization", self.normalization)
        layout.addLayout(form)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        layout.addWidget(self.description)
        self.split_label = QLabel(self)
        self.split_label.setWordWrap(True)
        layout.addWidget(self.split_label)
        test_row = QHBoxLayout()
        self.evaluate_button = QPushButton(self)
        texts.bind(self.evaluate_button.setText, "Evaluate on test set")
        texts.bind(self.evaluate_button.setToolTip, "model.evaluate(x_test, y_test) with the current weights: "
                                                    "the separate test set, never used for training")
        self.test_result = QLabel(self)
        self.test_result.setWordWrap(True)
        test_row.addWidget(self.evaluate_button)
        test_row.addWidget(self.test_result, 1)
        layout.addLayout(test_row)
        self.preview = DataPreview(self)
        self.preview.setMinimumHeight(200)  # in a short dock the panel scrolls rather than squash the preview
        layout.addWidget(self.preview, 1)
        self.source.activated.connect(self._on_source)
        for w in (self.builtin, self.gate):
            w.activated.connect(self._request)
        for w in (self.n_samples, self.seed):
            w.valueChanged.connect(self._request)
        self.noise.valueChanged.connect(self._request)
        self.open_button.clicked.connect(self.open_requested)
        self.validation.valueChanged.connect(self._options)
        self.validation_source.activated.connect(self._options)
        self.normalization.activated.connect(self._options)
        self.evaluate_button.clicked.connect(self.evaluate_requested)
        self.set_config(self._config)
        texts.on_change(self._retranslate)

    def _retranslate(self) -> None:
        for box, table in ((self.source, SOURCES), (self.normalization, NORMALIZATIONS),
                           (self.validation_source, VALIDATION_SOURCES)):
            for i, (label, _) in enumerate(table):
                box.setItemText(i, tr(label))
        self.path_label.setText(self._config.path or tr("no file"))
        if self._dataset is not None:
            self._describe(self._dataset)
        if self._sizes is not None:
            self.set_split(self._sizes)
        if self._test_result is not None:
            self.set_test_result(self._test_result)

    # --- entry points --------------------------------------------------------------
    def set_dataset(self, data: Dataset, config: DataConfig) -> None:
        self._dataset = data
        self.set_config(config)
        self._describe(data)
        self.preview.set_dataset(data)
        self.set_test_result(None)

    def set_split(self, sizes) -> None:
        """Show how many samples train, validate and wait in the test set (settings.validation.SplitSizes)."""
        self._sizes = sizes
        self.split_label.setText(split_text(sizes))

    def set_test_result(self, result: dict | None) -> None:
        """Show the last test-set evaluation (None: not evaluated yet)."""
        self._test_result = result
        has_test = self._dataset is not None and self._dataset.x_test is not None
        self.evaluate_button.setEnabled(has_test)
        if result is None:
            self.test_result.setText(tr("not evaluated yet") if has_test else tr("this data has no test set"))
            return
        metrics = sorted((k for k in result if k not in ("step", "samples")), key=lambda k: k != "loss")
        values = " · ".join(f"{key} {result[key]:.4f}" for key in metrics)
        self.test_result.setText(tr("test set ({n} samples) at step {step}: {values}").format(
            n=f"{result['samples']:,}", step=result["step"], values=values))

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
        self.validation_source.setCurrentIndex(max(0, self.validation_source.findData(config.validation)))
        self.normalization.setCurrentIndex([k for _, k in NORMALIZATIONS].index(config.normalization))
        self._show_fields(config.source)
        self._updating = False

    def _show_fields(self, source: str) -> None:
        for w in (self.builtin, self.n_samples, self.noise):
            w.setEnabled(source == "builtin")
        self.gate.setEnabled(source == "gate")
        has_test = self._dataset is not None and self._dataset.x_test is not None
        self.validation_source.setEnabled(has_test)
        self.validation.setEnabled(self._config.validation != "test" or not has_test)

    # --- intents ------------------------------------------------------------------------
    def _current(self) -> DataConfig:
        return replace(self._config, source=self.source.currentData(), builtin=self.builtin.currentText(),
                       n_samples=self.n_samples.value(), noise=round(self.noise.value(), 4),
                       gate=self.gate.currentText(), seed=self.seed.value(),
                       validation_fraction=round(self.validation.value(), 4),
                       validation=self.validation_source.currentData(),
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
