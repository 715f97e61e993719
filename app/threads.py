"""Running a worker object on its own QThread, and ending it: shared by training and compare mode.

A worker is a QObject with a ``run`` slot and a ``finished(str)`` signal. Its
thread runs an event loop; ``quit()`` ends that loop as soon as ``run``
returns, which is why :func:`end_thread` calls it before waiting (waiting
without it would block until the timeout).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QThread


def start_worker(owner: QObject, worker: QObject, on_finished: Callable[[str], object]) -> QThread:
    """Run ``worker.run`` on a new thread owned by ``owner``; ``on_finished(reason)`` runs in the owner's thread."""
    thread = QThread(owner)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    worker.finished.connect(on_finished)
    thread.start()
    return thread


def end_thread(thread: QThread, worker: QObject, timeout_ms: int) -> None:
    """Wait (at most ``timeout_ms``) for a worker's thread to end, then schedule both for deletion."""
    thread.quit()
    thread.wait(timeout_ms)
    thread.deleteLater()
    worker.deleteLater()
