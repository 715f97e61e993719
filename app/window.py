"""The main window (minimal until the desktop-app issue lands): course presets and their summaries."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMainWindow, QVBoxLayout, QWidget

from core.backend import clear_session
from core.presets import PRESETS
from widgets.summary_view import SummaryView


class MainWindow(QMainWindow):
    """Pick a course model and read its Keras summary."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Propscope")
        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.preset_box = QComboBox(central)
        for key, preset in PRESETS.items():
            self.preset_box.addItem(preset.title, key)
        self.summary_view = SummaryView(central)
        self.status = QLabel(central)
        layout.addWidget(QLabel("Course model:", central))
        layout.addWidget(self.preset_box)
        layout.addWidget(self.summary_view, 1)
        layout.addWidget(self.status)
        self.setCentralWidget(central)
        self.preset_box.currentIndexChanged.connect(self._show_preset)
        self._show_preset()
        self.resize(820, 520)

    def _show_preset(self) -> None:
        clear_session()  # names start at "dense" for each preset, as in a fresh notebook
        preset = PRESETS[self.preset_box.currentData()]
        model = preset.build()
        self.summary_view.set_summary(model.summary(print_fn=lambda s: None))
        self.status.setText(f"{preset.title}: {model.count_params():,} parameters · "
                            f"loss {preset.loss} · optimizer {preset.optimizer}")


def run_app() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Propscope")
    window = MainWindow()
    window.show()
    return app.exec()
