"""Keras 3's progress bar, character for character (``keras.utils.Progbar``).

``verbose=1`` redraws one line in place (``\\b``/``\\r``, bold and green ANSI
codes, at most every ``interval`` seconds)::

    1500/1500 ━━━━━━━━━━━━━━━━━━━━ 2s 1ms/step - accuracy: 0.8213 - loss: 0.5068

``verbose=2`` prints one line when the bar finishes
(``1500/1500 - 2s - 1ms/step - accuracy: 0.8213 - loss: 0.5068``). Values
above 1e-3 print with four decimals, smaller ones as ``6.2317e-05``.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import time
from typing import Any, Iterable

import numpy as np

_INTERACTIVE = [True]


def enable_interactive_logging() -> None:
    """Progress bars and messages go to stdout (the default)."""
    _INTERACTIVE[0] = True


def disable_interactive_logging() -> None:
    """Progress bars and messages go to the ``logging`` module instead of stdout."""
    _INTERACTIVE[0] = False


def is_interactive_logging_enabled() -> bool:
    return _INTERACTIVE[0]


def print_msg(message: str, line_break: bool = True) -> None:
    """Write to stdout and flush, as ``keras.utils.io_utils.print_msg`` does (or log it when disabled)."""
    if not _INTERACTIVE[0]:
        logging.getLogger("core").info(message)
        return
    sys.stdout.write(f"{message}\n" if line_break else message)
    sys.stdout.flush()


def format_value(value: float, signed: bool = True) -> str:
    """Keras's number format: ``0.5068`` above 1e-3 (by magnitude when ``signed``), else ``6.2317e-05``."""
    big = abs(value) > 1e-3 if signed else value > 1e-3
    return f" {value:.4f}" if big else f" {value:.4e}"


class Progbar:
    """Displays a progress bar.

    Parameters
    ----------
    target : int or None
        Total number of steps expected, None if unknown.
    width : int
        Progress bar width on screen.
    verbose : int
        0 (silent), 1 (live bar) or 2 (one line at the end).
    interval : float
        Minimum seconds between redraws.
    stateful_metrics, stateless_metrics : iterable of str, optional
        Names shown as given (stateful) or averaged over steps (stateless);
        by default every value is averaged, as Keras's default.
    unit_name : str
        ``"step"`` or ``"sample"``.
    """

    def __init__(self, target: int | None, width: int = 20, verbose: int = 1, interval: float = 0.05,
                 stateful_metrics: Iterable[str] | None = None, stateless_metrics: Iterable[str] | None = None,
                 unit_name: str = "step") -> None:
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError("Only one of `stateful_metrics` or `stateless_metrics` can be provided.")
        self.target, self.width, self.verbose, self.interval, self.unit_name = target, width, verbose, interval, \
            unit_name
        if stateful_metrics is not None:
            self.stateful_metrics, self.stateless_metrics = set(stateful_metrics), None
        elif stateless_metrics is not None:
            self.stateful_metrics, self.stateless_metrics = None, set(stateless_metrics)
        else:
            self.stateful_metrics, self.stateless_metrics = set(), None
        self._dynamic_display = ((hasattr(sys.stdout, "isatty") and sys.stdout.isatty())
                                 or "ipykernel" in sys.modules or "posix" in sys.modules
                                 or "PYCHARM_HOSTED" in os.environ)
        self._seen_so_far = 0
        self._values: dict[str, Any] = {}
        self._values_order: list[str] = []
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step: float | None = None
        self._prev_total_width = 0

    def due(self, finalize: bool = False) -> bool:
        """Whether :meth:`update` would redraw now (callers skip computing values otherwise)."""
        return self.verbose == 1 and (finalize or time.time() - self._last_update >= self.interval)

    def update(self, current: int, values: list[tuple[str, Any]] | None = None, finalize: bool | None = None) -> None:
        """Show step ``current`` with ``(name, value)`` pairs; ``finalize`` ends the bar."""
        if finalize is None:
            finalize = False if self.target is None else current >= self.target
        for k, v in values or []:
            if k not in self._values_order:
                self._values_order.append(k)
            stateless = (k not in self.stateful_metrics) if self.stateful_metrics is not None \
                else k in self.stateless_metrics
            if stateless:
                if finalize:
                    self._values[k] = [v, 1]
                else:
                    base = max(current - self._seen_so_far, 1)
                    if k not in self._values:
                        self._values[k] = [v * base, base]
                    else:
                        self._values[k][0] += v * base
                        self._values[k][1] += base
            else:
                self._values[k] = [v, 1]
        self._seen_so_far = current
        now = time.time()
        per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._draw(current, now, per_unit, finalize)
        elif self.verbose == 2 and finalize and self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            info = f"%{digits}d/%d - {now - self._start:.0f}s -" % (current, self.target)
            info += self._format_time(per_unit, self.unit_name)
            info += self._metrics(signed=False)
            print_msg(info + "\n", line_break=False)
        self._last_update = now

    def _metrics(self, signed: bool) -> str:
        out = ""
        for k in self._values_order:
            out += f" - {k}:"
            entry = self._values[k]
            if isinstance(entry, list):
                total, count = entry
                if not isinstance(total, float):
                    total = np.mean(total)
                out += format_value(total / max(1, count), signed)
            else:
                out += f" {entry}"
        return out

    def _draw(self, current: int, now: float, per_unit: float, finalize: bool) -> None:
        message = "\b" * self._prev_total_width + "\r" if self._dynamic_display else "\n"
        special = 0
        if self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            bar = f"\x1b[1m{f'%{digits}d/%d' % (current, self.target)}\x1b[0m "
            special += 8
            filled = int(self.width * float(current) / self.target)
            if filled > 0:
                bar += f"\33[32m{'━' * filled}\x1b[0m"
                special += 9
            bar += f"\33[37m{'━' * (self.width - filled)}\x1b[0m"
            special += 9
        else:
            bar = "%7d/Unknown" % current
        message += bar
        if self.target is not None and self.target > 0 and not finalize:
            eta = per_unit * (self.target - current)
            if eta > 3600:
                eta_format = "%d:%02d:%02d" % (eta // 3600, (eta % 3600) // 60, eta % 60)
            elif eta > 60:
                eta_format = "%d:%02d" % (eta // 60, eta % 60)
            else:
                eta_format = "%ds" % eta
            info = f" \x1b[1m{eta_format}\x1b[0m"
        else:
            info = f" \x1b[1m{now - self._start:.0f}s\x1b[0m"
        special += 8
        info += self._format_time(per_unit, self.unit_name) + self._metrics(signed=True)
        message += info
        total_width = len(bar) + len(info) - special
        if self._prev_total_width > total_width:
            message += " " * (self._prev_total_width - total_width)
        if finalize:
            message += "\n"
        print_msg(message, line_break=False)
        self._prev_total_width = total_width

    def add(self, n: int, values: list[tuple[str, Any]] | None = None) -> None:
        self.update(self._seen_so_far + n, values)

    @staticmethod
    def _format_time(per_unit: float, unit_name: str) -> str:
        if per_unit >= 1 or per_unit == 0:
            return f" {per_unit:.0f}s/{unit_name}"
        if per_unit >= 1e-3:
            return f" {per_unit * 1000.0:.0f}ms/{unit_name}"
        return f" {per_unit * 1000000.0:.0f}us/{unit_name}"

    def _estimate_step_duration(self, current: int, now: float) -> float:
        # The first step (often slower: warm-up) is left out once there are more.
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit
