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
    c = w.controller
    c.session = session
    c._thread = object()  # the window believes a run is under way (curves throttled to 5 Hz)
    times = []
    app.processEvents()
    for _ in range(FRAMES):
        snap = session.step_batch()
        t0 = time.perf_counter()
        c._publish(snap, now=True)
        app.processEvents()
        times.append(time.perf_counter() - t0)
        time.sleep(1 / 30)  # frames arrive at the app's redraw rate
    c._thread = None
    w.close()
    w.deleteLater()
    med = float(np.median(times))
    return ["whole window while running (network tab; curves at 5 Hz)", f"{med * 1e3:.1f} ms", f"{1 / med:,.0f}",
            f"{np.percentile(times, 95) * 1e3:.1f} ms"]


def collect() -> tuple[list, list[dict]]:
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

    x, y, source = fashion_like(12000)
    x = x.reshape(-1, 28, 28)
    model = core.Sequential([core.layers.Flatten(input_shape=(28, 28)), core.layers.Dense(100, activation="relu"),
                             core.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    session = TrainingSession(model, x, y, batch_size=32, epochs=5, seed=0, validation_split=1 / 6)
    for _ in range(50):
        session.step_batch()
    names = [la.name for la in session.model.compute_layers if la.params]
    val = session.validation_data

    def with_setup(view, setup=None):
        view.resize(1000, 700)
        view.show()
        if setup:
            setup(view)
        return view

    views = {
        "network graph": (with_setup(NetworkView()), lambda v, s: v.set_snapshot(s)),
        "layers table": (with_setup(PropagationView()), lambda v, s: v.set_snapshot(s)),
        "matrices (W 784×100)": (with_setup(MatrixView()), lambda v, s: v.set_snapshot(s)),
        "distributions": (with_setup(DistributionView()),
                          lambda v, s: (v.set_snapshot(s), v.set_history(session.history))),
        "gradient flow": (with_setup(GradientFlowView()), lambda v, s: v.set_history(session.history, names)),
        "metrics": (with_setup(MetricsView()), lambda v, s: v.set_history(session.history, session.batches_per_epoch)),
        "samples + confusion (2,000 validation)": (
            with_setup(SamplesView(), lambda v: v.set_validation(val[0], val[1], tuple(map(str, range(10))))),
            lambda v, s: v.set_snapshot(s)),
        "inspector": (with_setup(InspectorView(), lambda v: v.select(1, 3)), lambda v, s: v.set_snapshot(s)),
        "decision boundary (2-D data only: off here)": (with_setup(DecisionView()), lambda v, s: v.set_snapshot(s)),
    }
    empty = pg.PlotWidget()
    empty.resize(1000, 700)
    empty.show()
    rows = []
    t = []
    for _ in range(FRAMES):
        t0 = time.perf_counter()
        empty.grab()
        t.append(time.perf_counter() - t0)
    base = float(np.median(t))
    rows.append(["empty plot (baseline)", f"{base * 1e3:.1f} ms", f"{1 / base:,.0f}", "—"])
    for name, (view, feed) in views.items():
        times = []
        for _ in range(FRAMES):
            snap = session.step_batch()
            t0 = time.perf_counter()
            feed(view, snap)
            view.grab()
            app.processEvents()
            times.append(time.perf_counter() - t0)
        med = float(np.median(times))
        rows.append([name, f"{med * 1e3:.1f} ms", f"{1 / med:,.0f}", f"{np.percentile(times, 95) * 1e3:.1f} ms"])
    rows.append(whole_window(app, session, x, y))
    for view, _ in views.values():
        view.close()
    app.processEvents()
    records = [dict(name=f"frame rate: {r[0]}", value=f"{r[2]} fps ({r[1]})", ratio=float(r[2].replace(",", "")),
                    target=30.0) for r in rows[1:] if "off here" not in r[0]]
    return [f"View frame time on 784-100-10 while training ({source}); target ≥ 30 fps", rows], records


def main() -> None:
    (title, rows), _ = collect()
    print_table(title, ["view", "median frame", "fps", "p95 frame"], rows)


if __name__ == "__main__":
    main()
