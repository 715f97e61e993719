"""Cyclic garbage made on a worker thread (a torch import, a model load) is collected on the GUI thread only."""

import gc
import threading
import weakref

import pytest

from app.gc_guard import GuiThreadCollector


class Node:
    pass


def garbage_then_allocations(died_on: list, held: list) -> None:
    """On the calling thread: a reference cycle (unreachable at once), then enough allocations for a collection
    (kept, as a loaded model's arrays are)."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    weakref.finalize(a, lambda: died_on.append(threading.get_ident()))
    del a, b
    held.append([[i] for i in range(20 * gc.get_threshold()[0])])  # past generation 0's threshold many times


def on_worker(died_on: list, held: list) -> int:
    worker = threading.Thread(target=garbage_then_allocations, args=(died_on, held))
    worker.start()
    worker.join(30)
    return worker.ident


@pytest.fixture
def collector(qapp):
    gc.collect()
    made = GuiThreadCollector(interval_ms=20)
    yield made
    made.stop()
    gc.collect()


def test_without_the_guard_a_worker_collects_the_cycle(qapp):
    """The hazard itself: the interpreter collects on whichever thread allocates."""
    assert gc.isenabled()
    gc.collect()
    died_on, held = [], []
    worker = on_worker(died_on, held)
    assert died_on == [worker]


def test_with_the_guard_the_gui_thread_collects_it(collector, qtbot):
    assert not gc.isenabled()
    died_on, held = [], []
    on_worker(died_on, held)
    assert died_on == []  # the worker did not collect
    qtbot.waitUntil(lambda: bool(died_on), timeout=10_000)  # the GUI thread's timer did
    assert died_on == [threading.get_ident()] and collector.collections >= 1


def test_the_guard_collects_only_past_the_thresholds_and_gives_collection_back(qapp):
    gc.collect()
    made = GuiThreadCollector(interval_ms=60_000)
    assert made.check() == -1  # nothing allocated since: nothing to do
    kept = [[i] for i in range(2 * gc.get_threshold()[0])]
    assert made.check() >= 0 and made.collections == 1
    del kept
    made.stop()
    assert gc.isenabled()
