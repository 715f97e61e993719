"""Leaving the app at once: what must outlive the window is saved, then the process ends.

Measured before (``benchmarks/bench_exit.py``, the 2-core machine under
load): an idle quit took 2–3.5 s and a close during training 2.5 s, of which
0.8–1.8 s was waiting for Qt's thread pool (the backend probe still
importing torch, a run's last batch) and 0.6–1 s Python's own finalization of
torch, NumPy, pyqtgraph and Qt objects. Neither is needed once the window is
gone: the run's state is not wanted, and nothing a worker writes is left half
done by ending the process (exports and numba's cache are written to a
temporary file and renamed). So :func:`leave` writes the settings, ends the
training process (it unlinks its shared memory), flushes the output and calls
``os._exit`` — which also means no interpreter shutdown with threads mid-import
(the crash the wait for the pool avoided).
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def leave(window, code: int = 0) -> NoReturn:
    """End the app now, with exit status ``code``, after the event loop of ``window`` (a closed
    :class:`~app.window.MainWindow`) has returned."""
    from app.runner import default_runner_or_none

    window.store.sync()  # QSettings writes in its destructor, which os._exit skips
    runner = default_runner_or_none()
    if runner is not None:
        # The training process is told to quit (gone in milliseconds; ended if it does not answer) and its
        # shared memory is unlinked; a thread run is told to stop but not waited for.
        runner.shutdown(timeout_ms=0)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(code)
