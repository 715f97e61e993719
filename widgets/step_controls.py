"""The rewind slider, run speed and where training stands (the buttons are window actions)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QWidget

from app.worker import SPEEDS


class StepControls(QWidget):
    """Emits :attr:`seek_requested` when the slider is released. Entry point: :meth:`set_status`."""

    seek_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.addWidget(QLabel("Rewind:", self))
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, 0)
        self.slider.setToolTip("Drag to any earlier step: Propscope replays it exactly")
        layout.addWidget(self.slider, 1)
        self.position = QLabel("step 0", self)
        self.position.setMinimumWidth(110)
        layout.addWidget(self.position)
        layout.addWidget(QLabel("Run speed:", self))
        self.speed = QComboBox(self)
        self.speed.addItems(list(SPEEDS))
        self.speed.setCurrentText("max")
        layout.addWidget(self.speed)
        self.slider.sliderReleased.connect(lambda: self.seek_requested.emit(self.slider.value()))
        self.slider.valueChanged.connect(lambda v: self.position.setText(f"step {v}"))

    def batches_per_second(self) -> float | None:
        return SPEEDS[self.speed.currentText()]

    def set_status(self, status: dict) -> None:
        if not status.get("ready"):
            return
        self.slider.blockSignals(True)
        self.slider.setRange(0, status["max_step"])
        if not self.slider.isSliderDown():
            self.slider.setValue(status["step"])
        self.slider.setEnabled(not status["running"])
        self.slider.blockSignals(False)
        self.position.setText(f"step {status['step']} / {status['max_step']}")
