"""Compare mode: two (or four) settings trained side by side on the main window's data, curves overlaid.

The window takes the main window's data, split, layer sizes, loss and seed;
each side changes the hidden activation, the optimizer and learning rate, or
the batch size (:mod:`settings.compare_setup`). :class:`~app.compare_controller.CompareController`
builds and runs the comparison; this window only edits the sides and shows its frames.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (QComboBox, QFrame, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from app.compare_controller import CompareController
from app.discard_guard import DiscardGuard
from app.screen_fit import ScreenFit
from settings.compare_setup import MAX_SIDES, PRESETS, base_variant
from widgets.compare_side import CompareSideEditor
from widgets.compare_view import SIDE_COLORS, CompareView
from widgets.doctor_banner import DoctorBanner
from widgets.fitting import shrinkable_combos, wrap_labels
from widgets.i18n import Texts, tr
from widgets.number_fields import int_spin_box


#: the least height the side editors keep before they scroll up and down (a few rows of each)
MIN_SIDES_HEIGHT = 200


class SidesArea(QScrollArea):
    """The side editors in a row that scrolls sideways when the window is narrower than they are. As tall as
    they are when the screen has room; in presentation mode on a 768-px screen (fonts ×2: 431 px of
    editors above the plots) they also scroll up and down rather than pushing the window off the screen."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.inner = QWidget(self)
        self.row = QHBoxLayout(self.inner)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.setWidget(self.inner)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.minimumSizeHint().expandedTo(self.inner.sizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        bar = self.horizontalScrollBar().sizeHint().height()
        return QSize(100, min(self.inner.minimumSizeHint().height(), MIN_SIDES_HEIGHT) + bar)


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
        shrinkable_combos(self.preset)  # its titles are long: elided when the window is narrow
        bar.addWidget(self.preset)
        bar.addWidget(texts.label("Epochs", central))
        self.epochs = int_spin_box(central, 1, 1000)
        self.epochs.setValue(5)
        bar.addWidget(self.epochs)
        self.run_button = QPushButton(central)
        self.reset_button = QPushButton(central)
        # Short on the button, whole in the tooltip: in presentation mode the bar must fit a 1366-px screen.
        texts.bind(self.reset_button.setText, "Reset")
        texts.bind(self.reset_button.setToolTip, "Reset (take the main window's settings)")
        bar.addWidget(self.run_button)
        bar.addWidget(self.reset_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        # Four sides with every option are wider than a 1280-px screen: they scroll sideways there.
        self.sides_area = SidesArea(central)
        self.sides = [CompareSideEditor(letter, color, self.sides_area.inner) for letter, color in
                      zip("ABCD", SIDE_COLORS)]
        for editor in self.sides:
            self.sides_area.row.addWidget(editor)
        self.side_count = 2
        layout.addWidget(self.sides_area)
        self.doctor = DoctorBanner(central)  # which side stopped learning, and why
        layout.addWidget(self.doctor)
        self.view = CompareView(central)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        wrap_labels(central)
        self.screen_fit = ScreenFit(self, (1300, 860))  # or less, inside the screen
        self.guard = DiscardGuard(controller, self._ask)
        self._built: tuple[str, int, tuple] | None = None  # the preset, side count and sides last built
        self.preset.activated.connect(lambda _: self._asked(lambda: self.apply_preset(self.preset.currentData())))
        self.run_button.clicked.connect(self.toggle_run)
        self.reset_button.clicked.connect(lambda: self._asked(self.rebuild))
        # Edits are taken after the editor's own signal has returned: the question (a nested event loop) and
        # putting a side back never run inside it, and edits of one event become one rebuild.
        self._side_edit = QTimer(self, singleShot=True, interval=0)
        self._side_edit.timeout.connect(lambda: self._asked(self.rebuild))
        for editor in self.sides:
            editor.changed.connect(self._side_edit.start)
        self.epochs.valueChanged.connect(self._on_epochs)
        controller.frame_ready.connect(self.view.render)
        controller.frame_ready.connect(self._diagnose)
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
        self.doctor.reset()
        ok = self.controller.build(variants, self.epochs.value())
        if ok:
            self._built = (self.preset.currentData(), self.side_count, variants)
        self._retranslate()
        return ok

    def _asked(self, rebuild) -> bool:
        """Run ``rebuild`` if it throws no training away or the user says Yes; on No the comparison keeps its
        training and the preset and side editors show again what it was built from."""
        if self.guard.allow("compare"):
            return rebuild()
        if self._built is not None:
            key, self.side_count, variants = self._built
            self.preset.setCurrentIndex(self.preset.findData(key))
            for k, editor in enumerate(self.sides):
                editor.setVisible(k < self.side_count)
            for editor, variant in zip(self.sides, variants):
                editor.set_variant(variant)
        return False

    def _ask(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self, title, question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _on_epochs(self, epochs: int) -> None:
        """Only the epoch count changes: the sides keep their training (and a run goes on)."""
        if self.comparison is None:
            self.rebuild()
        else:
            self.comparison.set_epochs(epochs)

    def _diagnose(self, _frame) -> None:
        c = self.comparison
        if c is not None:
            self.doctor.check(list(zip(c.labels, c.sessions)), force=not self.running)

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
