"""Number fields that read and write numbers the same way in every language and locale.

Why: Qt formats a spin box's number in the widget's locale, so under de_DE a
learning rate reads "0,01000" and under ko_KR "0.01000" — the same lecture
slide would show two decimal points. Every number field here uses the C
locale (a "." decimal point, no group separators) whatever the system says.

:class:`ScientificSpinBox` is the field for rates and tolerances that span
orders of magnitude (a learning rate from 1e-6 to 1e3): it takes plain or
scientific notation (``0.001``, ``1e-3``, ``2.5E-4``), shows the shortest
exact form, steps by one significant digit with the arrows (0.001 → 0.002,
0.001 → 0.0009) and by a decade with PageUp/PageDown (0.001 → 0.01).
"""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QLocale
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QProgressBar, QSpinBox, QWidget

#: Partial input that may still become a number: digits, one ".", an exponent.
_PARTIAL = re.compile(r"^[+-]?\d*\.?\d*(?:[eE][+-]?\d*)?$")
#: PageUp/PageDown (and Ctrl+wheel) step by 10: a decade here.
DECADE_STEPS = 10


def number_locale() -> QLocale:
    """The locale of every number field: C ("." decimal point, no group separators)."""
    locale = QLocale.c()
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator | QLocale.NumberOption.RejectGroupSeparator)
    return locale


def use_number_locale(root: QWidget) -> None:
    """Give ``root`` and every spin box and progress bar inside it the C number locale."""
    locale = number_locale()
    widgets = [root] if isinstance(root, (QAbstractSpinBox, QProgressBar)) else []
    widgets += root.findChildren(QAbstractSpinBox) + root.findChildren(QProgressBar)
    for widget in widgets:
        widget.setLocale(locale)


def format_number(value: float) -> str:
    """The shortest form of ``value`` to 12 significant digits: ``0.001``, ``1e-6``, ``100``, ``2.5e-4``."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    text = f"{value:.12g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def parse_number(text: str) -> float | None:
    """``text`` as a float (a "," is read as the decimal point), or None if it is not a finite number."""
    text = text.strip().replace(",", ".")
    if not text or not _PARTIAL.match(text):
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def step_significant(value: float, steps: int, smallest: float) -> float:
    """``value`` moved by ``steps`` in its leading significant digit (1e-3 → 2e-3 → … → 9e-3 → 1e-2),
    or by ``steps // 10`` decades when ``abs(steps) >= 10``."""
    if value <= 0:
        return smallest if steps > 0 else 0.0
    if abs(steps) >= DECADE_STEPS:
        return float(format_number(value * 10.0 ** int(steps / DECADE_STEPS)))
    for _ in range(abs(steps)):
        exponent = math.floor(math.log10(value))
        scale = 10.0 ** exponent
        digit = value / scale
        if steps > 0:
            digit = math.floor(digit + 1e-9) + 1
            value = 10.0 ** (exponent + 1) if digit >= 10 else digit * scale
        else:
            digit = math.ceil(digit - 1e-9) - 1
            value = 9 * 10.0 ** (exponent - 1) if digit <= 0 else digit * scale
        value = float(format_number(value))  # 3 * 0.001 is 0.0030000000000000001: keep 0.003
    return value


class TypedNumberBox(QDoubleSpinBox):
    """What both float fields do with typed text: "." (or ",") as the decimal point, scientific
    notation allowed; out of range when editing ends → the nearest bound; garbage, empty or a
    negative number where none is allowed → the last value. Emits once, when editing ends."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setKeyboardTracking(False)
        self.setLocale(number_locale())

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt's name)
        return format_number(round(value, self.decimals()))

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt's name)
        value = parse_number(text)
        return self.value() if value is None else min(max(value, self.minimum()), self.maximum())

    def validate(self, text: str, pos: int):
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # a German hand types a comma: it means the decimal point
        stripped = text.strip()
        if not _PARTIAL.match(stripped):
            return QValidator.State.Invalid, text, pos
        value = parse_number(stripped)
        if value is None or not self.minimum() <= value <= self.maximum():
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos

    def fixup(self, text: str) -> str:
        """Unfinished or out of range when editing ends ("1e", "5000"): the nearest valid value."""
        value = parse_number(text)
        if value is None or value < 0 <= self.minimum():
            return format_number(self.value())  # garbage or a negative rate: keep the last value
        return format_number(min(max(value, self.minimum()), self.maximum()))


class ScientificSpinBox(TypedNumberBox):
    """A spin box for values over many decades, typed plainly or in scientific notation.

    Parameters
    ----------
    minimum, maximum : float
        The accepted range; typed values outside it are clamped when editing ends.
    smallest : float, optional
        Where the up arrow goes from 0 (default: ``max(minimum, 1e-6)``).
    """

    def __init__(self, parent: QWidget | None = None, minimum: float = 1e-6, maximum: float = 1e3,
                 smallest: float | None = None) -> None:
        super().__init__(parent)
        self._smallest = smallest if smallest is not None else max(minimum, 1e-6)
        self.setDecimals(15)  # Qt rounds values to `decimals`: keep 12 significant digits down to 1e-3…1e-15
        self.setRange(minimum, maximum)

    # --- stepping ------------------------------------------------------------------------
    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt's name)
        value = step_significant(self.value(), steps, self._smallest)
        self.setValue(min(max(value, self.minimum()), self.maximum()))
        self.selectAll()

    def stepEnabled(self):  # noqa: N802 (Qt's name)
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self.value() < self.maximum():
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if self.value() > self.minimum():
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags


class DecimalSpinBox(TypedNumberBox):
    """A plain decimal field (a share, a momentum), shown without trailing zeros ("0.9", "0.999"),
    stepping by ``step``."""

    def __init__(self, parent: QWidget | None, minimum: float, maximum: float, step: float,
                 decimals: int = 6) -> None:
        super().__init__(parent)
        self.setDecimals(decimals)
        self.setRange(minimum, maximum)
        self.setSingleStep(step)


def int_spin_box(parent: QWidget, minimum: int, maximum: int, step: int = 1) -> QSpinBox:
    """An integer field with the C locale; emits when editing ends. Digits past the maximum are
    refused as they are typed; an empty or out-of-range entry goes back to the last value."""
    box = QSpinBox(parent)
    box.setLocale(number_locale())
    box.setRange(minimum, maximum)
    box.setSingleStep(step)
    box.setKeyboardTracking(False)
    box.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
    return box
