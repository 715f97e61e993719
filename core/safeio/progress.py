"""Progress and cancellation of long reads, without threading a callback through every loader.

The thread that loads sets a callback with :func:`reporting`; the guarded
reader calls :func:`advance` as bytes arrive (and generators call it as they
go). The callback may raise :class:`~core.safeio.errors.LoadCancelled` to stop
the load; loaders let that exception through untouched.

A context variable is per thread, so a load on a worker thread never reports
into the GUI thread's callback or the reverse.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from typing import Callable, Iterator

#: ``callback(done, total, what)``; ``total`` is 0 when unknown.
ProgressCallback = Callable[[int, int, str], None]

_CURRENT: contextvars.ContextVar[ProgressCallback | None] = contextvars.ContextVar("propscope_progress",
                                                                                  default=None)


@contextmanager
def reporting(callback: ProgressCallback | None) -> Iterator[None]:
    """Route :func:`advance` calls made inside the block (on this thread) to ``callback``."""
    token = _CURRENT.set(callback)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def advance(done: int, total: int = 0, what: str = "") -> None:
    """Report progress (``done`` of ``total`` units); a no-op when nobody listens."""
    callback = _CURRENT.get()
    if callback is not None:
        callback(int(done), int(total), what)
