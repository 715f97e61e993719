"""Compare mode: two (or four) settings trained side by side on the main window's data, curves overlaid.

The window takes the main window's data, split, layer sizes, loss and seed;
each side changes the hidden activation, the optimizer and learning rate, or
the batch size (:mod:`settings.compare_setup`). :class:`~app.compare_controller.CompareController`
builds and runs the comparison; this window only edits the sides and shows its frames.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from app.compare_controller import CompareController
from settings.compare_setup import MAX_SIDES, PRESETS, base_variant
from widgets.compare_side import CompareSideEditor
from widgets.compare_view import SIDE_COLORS, CompareView
from widgets.i18n import Texts, tr


class CompareWindow(QMainWindow):
    """The compare-mode window: side editors, presets, epochs, run — and the overlaid plots.

    Parameters
    ----------
    controller : CompareController
    parent : QWidget, optional
    """

    def __init__(self, controller: CompareController, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.controller = controller
        self.last_error: tuple[str, str] | None = None
        texts = Texts(self)
        texts.bind(self.setWindowTitle, "Propscope · compare settings side by side")
        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.header = QLabel(central)
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        bar = QHBoxLayout()
        bar.addWidget(texts.label("Comparison", central))
        self.preset = QComboBox(central)
        for key, (title, _) in PRESETS.items():
            self.preset.addItem(tr(title), key)
        bar.addWidget(self.preset)
        bar.addWidget(texts.label("Epochs", central))
        self.epochs = QSpinBox(central)
        self.epochs.setRange(1, 1000)
        self.epochs.setValue(5)
        bar.addWidget(self.epochs)
        self.run_button = QPushButton(central)
        self.reset_button = QPushButton(central)
        texts.bind(self.reset_button.setText, "Reset (take the main window's settings)")
        bar.addWidget(self.run_button)
        bar.addWidget(self.reset_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        sides = QHBoxLayout()
        self.sides = [CompareSideEditor(letter, color, central) for letter, color in zip("ABCD", SIDE_COLORS)]
        for editor in self.sides:
            sides.addWidget(editor)
        self.side_count = 2
        layout.addLayout(sides)
        self.view = CompareView(central)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self.resize(1300, 860)
        self.preset.activated.connect(lambda _: self.apply_preset(self.preset.currentData()))
        self.run_button.clicked.connect(self.toggle_run)
        self.reset_button.clicked.connect(self.rebuild)
        for editor in self.sides:
            editor.changed.connect(self.rebuild)
        self.epochs.valueChanged.connect(lambda _: self.rebuild())
        controller.frame_ready.connect(self.view.render)
        controller.running_changed.connect(lambda _: self._retranslate())
        controller.error.connect(self._error)
        controller.info.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        texts.on_change(self._retranslate)
        self._retranslate()
        self.apply_preset("activation")

    @property
    def comparison(self):
        return self.controller.comparison

    @property
    def running(self) -> bool:
        return self.controller.running

    # --- building ----------------------------------------------------------------------------
    def apply_preset(self, key: str) -> bool:
        """Set the sides to one of the course's comparisons, on the main window's current settings."""
        main = self.controller.main
        self.preset.setCurrentIndex(self.preset.findData(key))
        variants = PRESETS[key][1](base_variant(main.spec, main.train_config))[:MAX_SIDES]
        self.side_count = len(variants)
        for editor, variant in zip(self.sides, variants):
            editor.set_variant(variant)
        for k, editor in enumerate(self.sides):
            editor.setVisible(k < self.side_count)
        return self.rebuild()

    def rebuild(self) -> bool:
        """A fresh comparison from the main window's data and settings and the sides as edited."""
        variants = tuple(editor.variant() for editor in self.sides[:self.side_count])
        ok = self.controller.build(variants, self.epochs.value())
        self._retranslate()
        return ok

    # --- running -------------------------------------------------------------------------------
    def toggle_run(self) -> None:
        if self.running:
            self.stop()
        else:
            self.start()

    def start(self) -> None:
        self.controller.start(self.epochs.value())

    def stop(self) -> None:
        """Stop after the current batch (returns at once)."""
        self.controller.stop()

    # --- texts -----------------------------------------------------------------------------------
    def _retranslate(self) -> None:
        for i in range(self.preset.count()):
            self.preset.setItemText(i, tr(PRESETS[self.preset.itemData(i)][0]))
        self.run_button.setText(tr("Pause") if self.running else tr("Run all"))
        main = self.controller.main
        if main.dataset is not None:
            sizes = "-".join(str(row.units) for row in main.spec.layers if row.is_dense)
            self.header.setText(tr("Every side trains on {data} with layers {sizes}, loss {loss} and seed {seed}: "
                                   "the same batches in the same order, from the same initial weights when "
                                   "the layer sizes agree.").format(data=main.dataset.name, sizes=sizes,
                                                                    loss=main.train_config.loss,
                                                                    seed=main.train_config.seed))

    def _error(self, title: str, message: str) -> None:
        self.last_error = (title, message)
        QMessageBox.warning(self, title, message)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.stop()
        super().closeEvent(event)
