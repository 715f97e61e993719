"""The paint gate: GIL-bound training waits while the GUI paints, and only then."""

import threading

from app.threads import PaintGate, gil_bound


def test_a_closed_gate_holds_the_worker_until_the_event_loop_has_run(qtbot):
    gate = PaintGate()
    gate.enabled = True
    passed = threading.Event()

    def worker():
        gate.wait()
        passed.set()

    with gate.closed():
        thread = threading.Thread(target=worker)
        thread.start()
        assert not passed.wait(0.05)  # held while the GUI draws
    assert not gate.is_open  # still closed: Qt has not painted yet (the event loop has not run)
    qtbot.waitUntil(passed.is_set, timeout=2000)
    thread.join()
    assert gate.is_open


def test_a_disabled_gate_never_holds():
    gate = PaintGate()
    with gate.closed():
        assert gate.is_open
        gate.wait()  # returns: nothing to wait for


def test_a_wait_never_blocks_for_good(qtbot):
    gate = PaintGate(max_wait_s=0.01)
    gate.enabled = True
    with gate.closed():  # a redraw that has not finished
        gate.wait()  # gives up after max_wait_s instead of waiting for ever
        assert not gate.is_open
    qtbot.waitUntil(lambda: gate.is_open, timeout=2000)


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
