"""Frame time of each view, and of the whole window, on 784-100-10 while it trains.

Each view gets a fresh fully captured snapshot per frame (a training batch runs
between frames, as in the app) and is painted offscreen (``grab``). Baseline in
the same run: painting an empty pyqtgraph plot. Target: every view ≥ 30 fps.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from benchmarks.common import fashion_like, print_table  # noqa: E402

FRAMES = 30


def _frames(session):
    """Frames as the window's publisher makes them while running: the history copied only when curves are due."""
    from core.stepper.frame import DataContext, Frame, HistorySlice, confusion_for

    data = DataContext.of(session, "classification", tuple(map(str, range(10))))
    state = {"history": HistorySlice.of(session.history), "confusion": None}

    def make(snap, curves: bool = True):
        if curves:
            state["history"] = HistorySlice.of(session.history)
            state["confusion"] = confusion_for(snap, data)
        return Frame(snap, state["history"], data, session.batches_per_epoch, True, state["confusion"])

    return make


def whole_window(app, session, x, y) -> list[str]:
    """The main window redrawing per snapshot while running (Network tab; curves at 5 Hz).

    Only what changed is repainted, as in the app: ``processEvents`` paints the dirty regions.
    """
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "/tmp/propscope-bench-settings")
    from app.window import MainWindow

    w = MainWindow()
    w.resize(1600, 900)
    w.show()
    frame_of_snapshot = _frames(session)
    times = []
    app.processEvents()
    for k in range(FRAMES):
        snap = session.step_batch()
        frame = frame_of_snapshot(snap, curves=k % 6 == 0)  # curves at 5 Hz, as the frame clock draws them
        t0 = time.perf_counter()
        w.views.render(frame)
        w.metrics.render(frame)
        app.processEvents()
        times.append(time.perf_counter() - t0)
        time.sleep(1 / 30)  # frames arrive at the app's redraw rate
    w.close()
    w.deleteLater()
    med = float(np.median(times))
    return ["whole window while running (network tab; curves at 5 Hz)", f"{med * 1e3:.1f} ms", f"{1 / med:,.0f}",
            f"{np.percentile(times, 95) * 1e3:.1f} ms"]


def views_on(hidden: tuple[int, ...] = (100,), samples: int = 12000, frames: int = FRAMES,
             window: bool = True) -> tuple[list[list[str]], str, object]:
    """Rows ``[view, median frame, fps, p95]`` for every view on 784-``hidden``-10 while it trains."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from core.backend import set_num_threads

    set_num_threads(1)  # as run_app does: one BLAS thread for training
    import pyqtgraph as pg

    import core
    from core.stepper import TrainingSession
    from widgets.decision_view import DecisionView
    from widgets.distribution_view import DistributionView
    from widgets.gradient_flow_view import GradientFlowView
    from widgets.inspector_view import InspectorView
    from widgets.matrix_view import MatrixView
    from widgets.metrics_view import MetricsView
    from widgets.network_view import NetworkView
    from widgets.propagation_view import PropagationView
    from widgets.samples_view import SamplesView

    x, y, source = fashion_like(samples)
    x = x.reshape(-1, 28, 28)
    core.backend.clear_session()
    model = core.Sequential([core.layers.Flatten(input_shape=(28, 28))]
                            + [core.layers.Dense(units, activation="relu") for units in hidden]
                            + [core.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    session = TrainingSession(model, x, y, batch_size=32, epochs=5, seed=0, validation_split=1 / 6)
    for _ in range(50):
        session.step_batch()

    def with_setup(view, setup=None):
        view.resize(1000, 700)
        view.show()
        if setup:
            setup(view)
        return view

    views = {
        "network graph": with_setup(NetworkView()),
        "layers table": with_setup(PropagationView()),
        f"matrices (W 784×{hidden[0]})": with_setup(MatrixView()),
        "distributions": with_setup(DistributionView()),
        "gradient flow": with_setup(GradientFlowView()),
        "metrics": with_setup(MetricsView()),
        f"samples + confusion ({len(x) // 6:,} validation)": with_setup(SamplesView()),
        "inspector": with_setup(InspectorView(), lambda v: v.select(1, 3)),
        "decision boundary (2-D data only: off here)": with_setup(DecisionView()),
    }
    frame_of_snapshot = _frames(session)
    empty = pg.PlotWidget()
    empty.resize(1000, 700)
    empty.show()
    rows = []
    t = []
    for _ in range(frames):
        t0 = time.perf_counter()
        empty.grab()
        t.append(time.perf_counter() - t0)
    base = float(np.median(t))
    rows.append(["empty plot (baseline)", f"{base * 1e3:.1f} ms", f"{1 / base:,.0f}", "—"])
    for name, view in views.items():
        times = []
        for _ in range(frames):
            frame = frame_of_snapshot(session.step_batch())  # every part new: each view's worst case
            t0 = time.perf_counter()
            view.render(frame)
            view.grab()
            app.processEvents()
            times.append(time.perf_counter() - t0)
        med = float(np.median(times))
        rows.append([name, f"{med * 1e3:.1f} ms", f"{1 / med:,.0f}", f"{np.percentile(times, 95) * 1e3:.1f} ms"])
    if window:
        rows.append(whole_window(app, session, x, y))
    for view in list(views.values()) + [empty]:
        view.close()
    app.processEvents()
    return rows, source, session


def collect() -> tuple[list, list[dict]]:
    rows, source, _ = views_on((100,))
    records = [dict(name=f"frame rate: {r[0]}", value=f"{r[2]} fps ({r[1]})", ratio=float(r[2].replace(",", "")),
                    target=30.0) for r in rows[1:] if "off here" not in r[0]]
    return [f"View frame time on 784-100-10 while training ({source}); target ≥ 30 fps", rows], records


def main() -> None:
    (title, rows), _ = collect()
    print_table(title, ["view", "median frame", "fps", "p95 frame"], rows)


if __name__ == "__main__":
    main()
