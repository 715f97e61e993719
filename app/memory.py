"""Giving memory freed by a dropped session back to the system.

A Fashion-MNIST session frees hundreds of megabytes when the next lesson or
data set replaces it — once a full garbage collection has found it, as it can
sit in a reference cycle — but glibc's allocator keeps much of it: after a large
block is freed it raises its mmap threshold (up to 32 MB), so later arrays
come from the heap, whose free pages stay with the process. Measured
(``benchmarks/bench_exit.py``): RSS 566 MB after the first Fashion-MNIST
lesson load, 784 MB after ten; with :func:`release_freed_memory` after each,
641 MB from the second load on (1.12×).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_LIBC: list = []


def _libc():
    if not _LIBC:
        name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
        try:
            libc = ctypes.CDLL(name) if name else None
        except OSError:
            libc = None
        _LIBC.append(libc if libc is not None and hasattr(libc, "malloc_trim") else None)
    return _LIBC[0]


def release_freed_memory() -> bool:
    """Return the allocator's free pages to the system (glibc ``malloc_trim``); False where there is no
    such call (other C libraries, other systems: they keep their own policy)."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
