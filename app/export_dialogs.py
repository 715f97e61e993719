"""The export dialogs: a figure's size, resolution and options; an animation's view, steps and frame rate."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QHBoxLayout, QLabel, QRadioButton, QSpinBox, QVBoxLayout, QWidget)

from widgets.figures.canvas import SIZES
from widgets.i18n import Texts, tr, tr_noop
from widgets.number_fields import use_number_locale

#: Figure sizes as the dialogs offer them (English sources).
SIZE_NAMES = {"slide": tr_noop("16:9 slide, full (13.3 × 7.5 in)"),
              "half": tr_noop("16:9 slide, half (6.7 × 7.5 in)"),
              "four_three": tr_noop("4:3 slide (10 × 7.5 in)"),
              "wide": tr_noop("16:9 slide under a title (13.3 × 5.8 in)")}
DPIS = (150, 300, 600)


@dataclass(frozen=True)
class FigureOptions:
    size: str = "slide"
    dpi: int = 300
    text_to_paths: bool = False
    data: bool = True


def _size_box(parent: QWidget, current: str) -> QComboBox:
    box = QComboBox(parent)
    for key, name in SIZE_NAMES.items():
        w, h = SIZES[key].width, SIZES[key].height
        box.addItem(f"{tr(name)} · {w}×{h}", key)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


class FigureDialog(QDialog):
    """Size, resolution (PNG), text as outlines (SVG) and the numbers beside the figure."""

    def __init__(self, parent: QWidget | None, options: FigureOptions) -> None:
        super().__init__(parent)
        texts = Texts(self)
        texts.bind(self.setWindowTitle, "Export figure")
        form = QFormLayout(self)
        self.size_box = _size_box(self, options.size)
        texts.row(form, "Size", self.size_box)
        self.dpi_box = QComboBox(self)
        for dpi in DPIS:
            self.dpi_box.addItem(tr("{dpi} dpi").format(dpi=dpi), dpi)
        self.dpi_box.setCurrentIndex(max(0, self.dpi_box.findData(options.dpi)))
        texts.row(form, "PNG resolution", self.dpi_box)
        self.outlines = QCheckBox(self)
        texts.bind(self.outlines.setText, "SVG: text as outlines (looks the same everywhere, not editable)")
        self.outlines.setChecked(options.text_to_paths)
        form.addRow(self.outlines)
        self.data = QCheckBox(self)
        texts.bind(self.data.setText, "Write the numbers beside the figure (CSV and NPZ)")
        self.data.setChecked(options.data)
        form.addRow(self.data)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def options(self) -> FigureOptions:
        return FigureOptions(self.size_box.currentData(), int(self.dpi_box.currentData()), self.outlines.isChecked(),
                             self.data.isChecked())


class AnimationDialog(QDialog):
    """Which view, which steps (a range, every k-th) or the phases of one batch, and the frame rate."""

    def __init__(self, parent: QWidget | None, views: list[tuple[str, str]], current_view: str, max_step: int,
                 step: int) -> None:
        super().__init__(parent)
        texts = Texts(self)
        texts.bind(self.setWindowTitle, "Record animation")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.view_box = QComboBox(self)
        for key, title in views:
            self.view_box.addItem(tr(title), key)
        self.view_box.setCurrentIndex(max(0, self.view_box.findData(current_view)))
        texts.row(form, "View", self.view_box)
        self.range_button, self.batch_button = QRadioButton(self), QRadioButton(self)
        texts.bind(self.range_button.setText, "A range of steps")
        texts.bind(self.batch_button.setText, "The phases of one batch")
        group = QButtonGroup(self)
        group.addButton(self.range_button)
        group.addButton(self.batch_button)
        self.first, self.last, self.every = (QSpinBox(self) for _ in range(3))
        for box, value in ((self.first, max(0, step - 30)), (self.last, step)):
            box.setRange(0, max_step)
            box.setValue(value)
        for box in (self.first, self.last, self.every):
            box.setCorrectionMode(QSpinBox.CorrectionMode.CorrectToPreviousValue)  # garbage: the last value
        self.every.setRange(1, max(1, max_step))
        self.every.setValue(1)
        row = QHBoxLayout()
        for text, box in (("from", self.first), ("to", self.last), ("every", self.every)):
            row.addWidget(texts.label(text, self))
            row.addWidget(box)
        form.addRow(self.range_button, row)
        self.batch = QSpinBox(self)
        self.batch.setRange(1, max_step + 1)
        self.batch.setValue(max(1, step))
        texts.bind(lambda t: self.batch.setPrefix(t + " "), "step")
        form.addRow(self.batch_button, self.batch)
        self.fps = QDoubleSpinBox(self)
        self.fps.setRange(0.5, 60)
        self.fps.setDecimals(1)
        self.fps.setValue(4)
        texts.bind(lambda t: self.fps.setSuffix(" " + t), "frames/s")
        texts.row(form, "Frame rate", self.fps)
        self.size_box = _size_box(self, "slide")
        texts.row(form, "Size", self.size_box)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.range_button.setChecked(True)
        for signal in (self.first.valueChanged, self.last.valueChanged, self.every.valueChanged,
                       self.batch.valueChanged, self.range_button.toggled, self.fps.valueChanged):
            signal.connect(self._explain)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._explain()
        use_number_locale(self)  # "4.0 frames/s" in every language and locale

    def steps(self) -> range | None:
        if not self.range_button.isChecked():
            return None
        first, last = sorted((self.first.value(), self.last.value()))
        return range(first, last + 1, self.every.value())

    def batch_step(self) -> int | None:
        return None if self.range_button.isChecked() else self.batch.value()

    def _explain(self, *_args) -> None:
        steps = self.steps()
        frames = len(steps) if steps is not None else None
        seconds = None if frames is None else frames / self.fps.value()
        self.note.setText(tr("One frame per phase of the batch, each labelled with its step and phase.")
                          if frames is None else
                          tr("{frames} frames, {seconds} s, each labelled with its step and phase.").format(
                              frames=frames, seconds=f"{seconds:.1f}"))
