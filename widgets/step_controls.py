"""The rewind slider, run speed and where training stands (the buttons are window actions)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from settings.speeds import DEFAULT_PACE, SPEEDS, speed_key
from widgets.fitting import ONE_LINE
from widgets.i18n import Texts, tr
from core.limits import qt_int


class StepControls(QWidget):
    """Emits :attr:`seek_requested` when the slider is released and :attr:`pace_changed` (batches per second,
    or None for "max") when the run speed changes. Entry points: :meth:`set_status`, :meth:`set_pace`."""

    seek_requested = Signal(int)
    pace_changed = Signal(object)

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
        self.position.setProperty(ONE_LINE, True)  # "step 0 / 0" broken over two lines was cut in half
        self._status: dict | None = None
        layout.addWidget(self.position)
        layout.addWidget(texts.label("Run speed:", self))
        self.speed = QComboBox(self)
        for name in SPEEDS:  # the data is the key of SPEEDS, the text is translated
            self.speed.addItem(tr(name), name)
        self.speed.setCurrentIndex(self.speed.findData(speed_key(DEFAULT_PACE)))
        texts.on_change(self._retranslate)
        layout.addWidget(self.speed)
        self.max_button = QPushButton(self)  # "max" one click away from a lesson's pace
        texts.bind(self.max_button.setText, "» max")
        texts.bind(self.max_button.setToolTip, "Train as fast as possible (the run speed \"max\")")
        layout.addWidget(self.max_button)
        self.speed.currentIndexChanged.connect(lambda _: self._pace_changed())
        self.max_button.clicked.connect(lambda: self.set_pace(None))
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
        self._fit_position()

    def _fit_position(self) -> None:
        """Room for the widest step of this run at the current font, so the label neither wraps nor
        jitters the slider's width as the step counts up."""
        total = self._status["max_step"] if self._status is not None else 0
        widest = tr("step {n} / {total}").format(n=total, total=total)
        metrics = self.position.fontMetrics()
        width = max(metrics.horizontalAdvance(widest), metrics.horizontalAdvance(self.position.text()))
        self.position.setMinimumWidth(width + metrics.averageCharWidth())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode and zoom
            self._fit_position()

    def batches_per_second(self) -> float | None:
        return SPEEDS[self.speed.currentData()]

    def set_pace(self, batches_per_second: float | None) -> None:
        """Choose the run speed nearest ``batches_per_second`` (None: "max")."""
        self.speed.setCurrentIndex(self.speed.findData(speed_key(batches_per_second)))

    def _pace_changed(self) -> None:
        self.max_button.setEnabled(self.batches_per_second() is not None)
        self.pace_changed.emit(self.batches_per_second())

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
