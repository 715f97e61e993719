"""The CLI's promise: every error is one line on stderr and a non-zero exit, never a traceback.

Two halves: argparse types that reject impossible numbers before anything
runs (negative or zero epochs, a validation share outside [0, 1), a million
units — each with the limit named), and :func:`one_line_errors`, which turns
whatever a command raises into ``propscope: <message>``.

Exit codes: 2 for bad input (arguments, files, data), 1 for a failure while
working (a save that could not be written, an unexpected error), 130 when
interrupted.
"""

from __future__ import annotations

import argparse
import functools
import math
import sys
from typing import Callable

from core import limits

#: Exit codes.
BAD_INPUT, FAILED, INTERRUPTED = 2, 1, 130


def bounded_int(minimum: int, limit: str) -> Callable[[str], int]:
    """An argparse type: a whole number from ``minimum`` to the named limit of :mod:`core.limits`."""
    maximum = getattr(limits, limit)

    def parse(text: str) -> int:
        try:
            value = int(text.strip().replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(f"{value} is outside {minimum} to {maximum:,} ({limit})")
        return value

    parse.__name__ = "whole number"
    return parse


def bounded_float(minimum: float, maximum: float, include_maximum: bool = True) -> Callable[[str], float]:
    """An argparse type: a finite number in ``[minimum, maximum]`` (or ``[minimum, maximum)``)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        inside = minimum <= value <= maximum if include_maximum else minimum <= value < maximum
        if not math.isfinite(value) or not inside:
            bracket = "]" if include_maximum else ")"
            raise argparse.ArgumentTypeError(f"{text} is outside [{minimum:g}, {maximum:g}{bracket}")
        return value

    parse.__name__ = "number"
    return parse


def input_shape(text: str) -> tuple[int, ...]:
    """An argparse type: ``784`` or ``28x28``, within ``MAX_SAMPLE_DIMS`` and ``MAX_FEATURES``."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        dims = tuple(int(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a shape such as 784 or 28x28") from None
    if not dims or any(d < 1 for d in dims) or len(dims) > limits.MAX_SAMPLE_DIMS:
        raise argparse.ArgumentTypeError(f"{text!r}: 1 to {limits.MAX_SAMPLE_DIMS} positive sizes expected")
    if math.prod(dims) > limits.MAX_FEATURES:
        raise argparse.ArgumentTypeError(f"{text!r} has {math.prod(dims):,} values, over the limit of "
                                         f"{limits.MAX_FEATURES:,} (MAX_FEATURES)")
    return dims


def say(message: str) -> None:
    """One line on stderr, prefixed like every message of the command."""
    text = " ".join(str(message).split()) or "unknown error"
    print(f"propscope: {text}", file=sys.stderr)


def one_line_errors(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Wrap a sub-command so that no exception leaves it: each becomes one line and an exit code."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        from core.datasets import DatasetError
        from core.export.session_file import SessionFileError

        try:
            return command(args)
        except KeyboardInterrupt:
            say("interrupted.")
            return INTERRUPTED
        except (SessionFileError, DatasetError, limits.LimitError) as exc:
            say(exc)
            return BAD_INPUT
        except MemoryError:
            say("out of memory: use a smaller model or data set.")
            return FAILED
        except OSError as exc:
            where = f" ({exc.filename})" if getattr(exc, "filename", None) and str(exc.filename) not in str(exc) \
                else ""
            say(f"{exc.strerror or exc}{where}" if exc.strerror else f"{exc}")
            return FAILED
        except (ValueError, TypeError, RuntimeError) as exc:
            say(exc)
            return BAD_INPUT
        except Exception as exc:  # the promise holds for bugs too: a line, not a traceback
            say(f"unexpected error ({type(exc).__name__}): {exc}")
            return FAILED

    return run
