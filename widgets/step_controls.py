"""The rewind slider, run speed and where training stands (the buttons are window actions)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QWidget

from settings.speeds import SPEEDS
from widgets.i18n import Texts, tr
from core.limits import qt_int


class StepControls(QWidget):
    """Emits :attr:`seek_requested` when the slider is released. Entry point: :meth:`set_status`."""

    seek_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = Texts(self)
        layout = QHBoxLayout(self)
        layout.addWidget(texts.label("Rewind:", self))
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, 0)
        texts.bind(self.slider.setToolTip, "Drag to any earlier step: Propscope replays it exactly")
        layout.addWidget(self.slider, 1)
        self.position = QLabel(self)
        self.position.setMinimumWidth(110)
        self._status: dict | None = None
        layout.addWidget(self.position)
        layout.addWidget(texts.label("Run speed:", self))
        self.speed = QComboBox(self)
        for name in SPEEDS:  # the data is the key of SPEEDS, the text is translated
            self.speed.addItem(tr(name), name)
        self.speed.setCurrentIndex(self.speed.findData("max"))
        texts.on_change(self._retranslate)
        layout.addWidget(self.speed)
        self.slider.sliderReleased.connect(lambda: self.seek_requested.emit(self.slider.value()))
        self.slider.valueChanged.connect(self._on_slider_value)
        self._show_position()

    def _on_slider_value(self, value: int) -> None:
        self.position.setText(tr("step {n}").format(n=value))
        if not self.slider.isSliderDown():  # arrows, PageUp/PageDown, wheel, a click on the groove
            self.seek_requested.emit(value)

    def _retranslate(self) -> None:
        for i in range(self.speed.count()):
            self.speed.setItemText(i, tr(self.speed.itemData(i)))
        self._show_position()

    def _show_position(self) -> None:
        if self._status is None:
            self.position.setText(tr("step {n}").format(n=0))
        else:
            self.position.setText(tr("step {n} / {total}").format(n=self._status["step"],
                                                                    total=self._status["max_step"]))

    def batches_per_second(self) -> float | None:
        return SPEEDS[self.speed.currentData()]

    def set_status(self, status: dict) -> None:
        if not status.get("ready"):
            return
        self.slider.blockSignals(True)
        self.slider.setRange(0, qt_int(status["max_step"]))  # Qt ints: a huge step cannot overflow the slider
        if not self.slider.isSliderDown():
            self.slider.setValue(qt_int(status["step"]))
        self.slider.setEnabled(not status["running"])
        self.slider.blockSignals(False)
        self._status = status
        self._show_position()
