"""A log-scale axis whose ticks read as powers of ten: 10⁻³, 10⁻², 2·10⁻² — never "4·10² (x0.001)"."""

from __future__ import annotations

import math

import pyqtgraph as pg

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(exponent: float) -> str:
    """``10⁻³`` for −3; ``2·10⁻³`` for log10(0.002) (to 2 significant digits)."""
    whole = math.floor(exponent + 1e-9)
    mantissa = 10 ** (exponent - whole)
    power = "10" + str(int(whole)).translate(_SUPERSCRIPT)
    if abs(mantissa - 1) < 1e-6:
        return power
    return f"{mantissa:.2g}·{power}"


class LogAxis(pg.AxisItem):
    """An axis for ``setLogMode``: no SI-prefix scaling, ticks written as powers of ten.

    Within a decade (no whole power of ten shown twice) the intermediate ticks
    are labelled too; otherwise only the powers of ten are, so labels never crowd.
    """

    def __init__(self, orientation: str, **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        wholes = sum(1 for v in values if abs(v - round(v)) < 1e-6)
        return [power_of_ten(v) if wholes < 2 or abs(v - round(v)) < 1e-6 else "" for v in values]
