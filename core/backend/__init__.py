"""Compute backends: NumPy (always present) and torch (imported lazily).

Every formula in :mod:`core` is written once against the small :class:`Ops`
interface, so the NumPy and torch backends run the same arithmetic in the same
order. That is what makes NumPy↔torch parity a property of the design rather
than of luck.

Keras-style global settings live here too: :func:`floatx`, :func:`set_floatx`,
:func:`epsilon` and :func:`clear_session`.
"""

from core.backend.config import (
    clear_session,
    epsilon,
    floatx,
    set_epsilon,
    set_floatx,
)
from core.backend.ops import Ops
from core.backend.select import (
    BackendChoice,
    BackendUnavailable,
    available_backends,
    get_backend,
    set_num_threads,
)

__all__ = [
    "BackendChoice",
    "BackendUnavailable",
    "Ops",
    "available_backends",
    "clear_session",
    "epsilon",
    "floatx",
    "get_backend",
    "set_epsilon",
    "set_floatx",
    "set_num_threads",
]
