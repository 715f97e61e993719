"""Work deferred until a window's first frame: nothing before it is painted, all of it after."""

from PySide6.QtWidgets import QMainWindow

from app.first_frame import AfterFirstFrame


def test_callbacks_wait_for_the_first_paint_then_run_in_order(qtbot):
    w = QMainWindow()
    qtbot.addWidget(w)
    ran = []
    first = AfterFirstFrame(w)
    first.then(lambda: ran.append("probe"), 0)
    first.then(lambda: ran.append("prewarm"), 30)
    qtbot.wait(60)
    assert ran == [] and not first.painted  # never shown: never painted, nothing runs
    w.show()
    qtbot.waitUntil(lambda: len(ran) == 2, timeout=5000)
    assert first.painted and ran == ["probe", "prewarm"]
    first.then(lambda: ran.append("late"))  # after the first frame: runs from the event loop at once
    assert ran == ["probe", "prewarm"]
    qtbot.waitUntil(lambda: ran[-1:] == ["late"], timeout=5000)


def test_the_window_starts_the_probe_and_training_process_only_after_its_first_frame(qtbot, dialogs, monkeypatch):
    from app.runner import default_runner
    from app.window import MainWindow

    started = []
    monkeypatch.setattr("app.backend_probe.BackendProbe.start", lambda self: started.append("probe"))
    monkeypatch.setattr(type(default_runner()), "prewarm", lambda self: started.append("prewarm"))
    w = MainWindow()
    qtbot.addWidget(w)
    qtbot.wait(50)
    assert started == []  # built but not shown: no import of superqt, no process started
    w.show()
    qtbot.waitUntil(lambda: len(started) == 2, timeout=5000)
    assert started == ["probe", "prewarm"]  # the probe first, the training process after it
    w.close()
