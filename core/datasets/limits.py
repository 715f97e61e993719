"""Memory checks made before reading a file, so a huge file fails fast and clearly."""

from __future__ import annotations

import os

from core.datasets.errors import TooLargeError


def available_memory() -> int:
    """Bytes of memory available to this process now (best effort)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 8 * 1024**3


def memory_budget(max_bytes: int | None = None) -> int:
    """``max_bytes`` when given (tests, cautious callers), else 80% of the memory available now."""
    return max_bytes if max_bytes is not None else int(available_memory() * 0.8)


def check_fits(needed: int, path, what: str, max_bytes: int | None = None) -> int:
    """Raise :class:`TooLargeError` if ``needed`` bytes exceed the budget (:func:`memory_budget`).

    Returns the budget.
    """
    budget = memory_budget(max_bytes)
    if needed > budget:
        raise TooLargeError(
            f"{what} needs about {_human(needed)} of memory but only {_human(budget)} can be used; "
            "use a smaller file or a subset.",
            path,
        )
    return budget


def _human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PB"
