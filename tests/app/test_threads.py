"""The paint gate: GIL-bound training waits while the GUI paints, and only then."""

import threading
import time

from app.threads import PaintGate, gil_bound


def test_a_closed_gate_holds_the_worker_until_the_event_loop_has_run(qtbot):
    gate = PaintGate()
    gate.enabled = True
    passed = []

    def worker():
        gate.wait()
        passed.append(time.perf_counter())

    with gate.closed():
        thread = threading.Thread(target=worker)
        thread.start()
        time.sleep(0.05)
        assert not passed  # held while the GUI draws
    time.sleep(0.05)
    assert not passed  # still held: Qt has not painted yet (the event loop has not run)
    qtbot.waitUntil(lambda: bool(passed), timeout=2000)
    thread.join()


def test_a_disabled_gate_never_holds():
    gate = PaintGate()
    with gate.closed():
        start = time.perf_counter()
        gate.wait()
        assert time.perf_counter() - start < 0.05


def test_a_wait_never_blocks_for_good():
    gate = PaintGate()
    gate.enabled = True
    gate._open.clear()  # a redraw that never finished
    start = time.perf_counter()
    gate.wait()
    assert 0.9 < time.perf_counter() - start < 2.0


def test_small_networks_are_gil_bound_and_large_ones_are_not():
    import numpy as np

    import core
    from core.stepper import TrainingSession

    def session(inputs, hidden, batch):
        model = core.Sequential([core.Input(shape=(inputs,)), core.layers.Dense(hidden, activation="relu"),
                                 core.layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        x = np.zeros((64, inputs), np.float32)
        return TrainingSession(model, x, np.zeros(64, int), batch_size=batch)

    assert gil_bound(session(2, 8, 32))            # the spiral-sized net: mostly Python per batch
    assert not gil_bound(session(784, 100, 32))    # 79,510 weights × 32 samples: mostly BLAS
