"""How long stopping a run blocks the GUI thread (target < 100 ms; it was 999 ms), against an idle window.

A settings change is measured too, but it builds a new model and session
besides stopping the run (about 0.25 s for 48,000 Fashion-MNIST images), so
it has no target here.

The main window trains as ``run_app`` sets it up (run mode in the training
process, garbage collected on the GUI thread), then a pause, a settings change and a reset are
requested while it runs, as a lecturer clicks them. For each, the GUI
thread's longest stall is measured two ways: the time the call itself takes,
and the lateness of a 5 ms timer from the request until the run has ended
(a frozen window shows as a late tick). Baseline in the same run: the same
timer in the idle window. Two sets: the 8-8-1 spiral (a GIL-bound batch: the
case that froze the window for 999 ms) and Fashion-MNIST 784-100-10.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from benchmarks.common import FASHION_DIR, print_table  # noqa: E402

TRIALS = 6


class Ticker:
    """A 5 ms timer that records how late each tick fires (ms)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.clock = QElapsedTimer()
        self.clock.start()
        self.late: list[float] = []
        self.last = self.clock.nsecsElapsed()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        self.late.append(max(0.0, (now - self.last) / 1e6 - 5.0))
        self.last = now

    def reset(self) -> None:
        self.late, self.last = [], self.clock.nsecsElapsed()


def spin(app, seconds: float, until=None) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end and not (until and until()):
        app.processEvents()
        time.sleep(0.001)


def stalls(app, window, ticker, action: str) -> tuple[float, float]:
    """Start a run, let it train, then ``action`` it: (longest GUI stall in ms, ms until the worker ended)."""
    from dataclasses import replace

    c = window.controller
    c.run(None)
    spin(app, 0.4)
    ticker.reset()
    t0 = time.perf_counter()
    if action == "pause":
        c.pause()
    elif action == "settings change":
        c.set_training(replace(c.train_config, seed=c.train_config.seed + 1))
    else:
        c.reset()
    call = (time.perf_counter() - t0) * 1e3
    spin(app, 10.0, until=lambda: not c.runner.busy)
    ended = (time.perf_counter() - t0) * 1e3
    spin(app, 0.05)
    return max([call, *ticker.late]), ended


def collect() -> tuple[list, list[dict]]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "/tmp/propscope-bench-settings")
    app = QApplication.instance() or QApplication([])
    from app.window import MainWindow
    from settings.config import DataConfig, ModelSpec, TrainConfig
    from settings.runtime import use_training_threads

    use_training_threads()
    from app.gc_guard import collect_on_gui_thread
    from app.process_runner import install

    collect_on_gui_thread(app)  # as run_app does
    runner = install()  # as run_app does: run mode trains in a process of its own
    w = MainWindow()
    w.resize(1600, 900)
    w.show()
    ticker = Ticker()
    spin(app, 30.0, until=lambda: w.backend_probe.done and runner.child_ready)  # torch imported, child started
    spin(app, 0.5)
    ticker.reset()
    spin(app, 2.0)
    idle = max(ticker.late)
    rows, worst = [["idle window (baseline)", f"{idle:.1f} ms", "—", "—"]], {"stop": 0.0, "change": 0.0}
    sets = [("8-8-1 spiral", lambda: w.controller.load_data(DataConfig(), spec=ModelSpec(),
                                                             train=TrainConfig(epochs=100_000)))]
    fashion = Path(FASHION_DIR) / "train-images-idx3-ubyte.gz"
    if fashion.exists():
        # The file loads off the GUI thread: wait for it, or it lands (a new session) in the middle of a trial.
        sets.append(("Fashion-MNIST 784-100-10", lambda: (w.files.open_path(str(fashion)), w.loader.wait(120),
                                                          w.course.apply_preset("fashion_784_100_10"))))
    for name, load in sets:
        load()
        for action in ("pause", "settings change", "reset"):
            results = [stalls(app, w, ticker, action) for _ in range(TRIALS)]
            stall = max(r[0] for r in results)
            kind = "change" if action == "settings change" else "stop"
            worst[kind] = max(worst[kind], stall)
            rows.append([f"{action} while training the {name}", f"{stall:.1f} ms",
                         f"{np.median([r[1] for r in results]):.0f} ms", f"{stall / max(idle, 1e-3):.1f}×"])
    w.close()
    spin(app, 10.0, until=lambda: not w.controller.runner.busy)
    runner.shutdown()  # the training process ends and its shared memory goes, as when the app leaves
    records = [dict(name="longest GUI stall when a run is paused or reset", ratio=worst["stop"], target=100.0,
                    value=f"{worst['stop']:.1f} ms (idle {idle:.1f} ms)", lower_is_better=True),
               # A settings change also builds the new model and session: not a stop, no target here.
               dict(name="longest GUI stall for a settings change during a run (stop + rebuild)",
                    value=f"{worst['change']:.1f} ms", ratio=worst["change"] / max(idle, 1e-3))]
    return [f"GUI stall when a run is paused, changed or reset ({TRIALS} tries each; target < 100 ms)", rows], records


def main() -> None:
    (title, rows), _ = collect()
    print_table(title, ["request", "longest stall", "until the worker ended (median)", "× idle"], rows)


if __name__ == "__main__":
    main()
