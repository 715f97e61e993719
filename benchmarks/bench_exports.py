"""The lecture pack of 784-100-10 (target < 2 s), one figure in each format, and an animation frame.

The session trains 200 batches of Fashion-MNIST (or same-shape synthetic data)
first. Same-run baselines: the pack as it was before (widgets grabbed at 3x as
PNG and Qt's raw SVG, ``benchmarks/legacy_pack.py``; 5.1 s when the issue was
filed), and writing the weights alone (NPZ, JSON, CSV, PyTorch, Keras .h5).
torch is imported before timing, as the window's backend probe does at
start-up; a cold ``propscope export --lecture-pack`` pays torch's import
(shown) on top.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from benchmarks.common import fashion_like, print_table  # noqa: E402

RUNS = 3


def _session():
    import core
    from core.stepper import TrainingSession

    x, y, source = fashion_like(12000)
    model = core.Sequential([core.layers.Flatten(input_shape=(28, 28)), core.layers.Dense(100, activation="relu"),
                             core.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    session = TrainingSession(model, x.reshape(-1, 28, 28), y, batch_size=32, epochs=5, seed=0,
                              validation_split=1 / 6)
    for _ in range(200):
        session.step_batch()
    return session, source


def _median(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def collect() -> tuple[list, list[dict]]:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from app.fonts import register_fonts

    register_fonts(app)
    t0 = time.perf_counter()
    try:
        import torch  # noqa: F401  (the app's backend probe imports it at start-up)
    except ImportError:
        pass
    torch_import = time.perf_counter() - t0
    from app.figure_export import render_image, save_pdf, save_png, save_svg
    from app.lecture_pack import build_lecture_pack
    from core.export import export_all
    from core.stepper.frame import DataContext, frame_of
    from widgets.figures import FigureContext, make_figure

    session, source = _session()
    folder = Path(tempfile.mkdtemp(prefix="propscope-bench-"))
    try:
        export_all(session.model, folder / "warm")  # h5py and friends imported, as in a running app
        names = tuple(str(k) for k in range(10))
        weights = _median(lambda: export_all(session.model, folder / "weights"))
        from benchmarks.legacy_pack import legacy_pack

        legacy = _median(lambda: legacy_pack(session, folder / "legacy", class_names=names))
        pack = _median(lambda: build_lecture_pack(session, folder / "pack", data_description=source,
                                                  class_names=names, data_name=source))
        size_mb = sum(p.stat().st_size for p in (folder / "pack").rglob("*") if p.is_file()) / 1e6
        frame = frame_of(session, None, DataContext.of(session, "classification", names))
        make = _median(lambda: make_figure("network", frame, FigureContext(source, "ABCD-EFGH")).close())
        figure = make_figure("network", frame, FigureContext(source, "ABCD-EFGH"))
        png = _median(lambda: save_png(figure, folder / "n.png", dpi=300))
        svg = _median(lambda: save_svg(figure, folder / "n.svg"))
        pdf = _median(lambda: save_pdf(figure, folder / "n.pdf"))
        frame_72 = _median(lambda: render_image(figure, 72))
        figure.close()
        app.processEvents()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rows = [["weights in every format (baseline)", f"{weights:.2f} s", "1.0×"],
            ["the pack before issue #20: 9 widget grabs (PNG 3×, raw SVG), weights (baseline)", f"{legacy:.2f} s",
             f"{legacy / weights:.1f}×"],
            ["lecture pack: 9 figures (PNG, SVG, numbers), handout PDF, weights, index", f"{pack:.2f} s",
             f"{pack / weights:.1f}× ({pack / legacy:.2f}× the old pack)"],
            ["  its size", f"{size_mb:.1f} MB", "—"],
            ["network figure: compose from a fresh view", f"{make * 1e3:.0f} ms", f"{make / weights:.2f}×"],
            ["  PNG 4000×2250 (300 dpi)", f"{png * 1e3:.0f} ms", f"{png / weights:.2f}×"],
            ["  portable SVG", f"{svg * 1e3:.0f} ms", f"{svg / weights:.2f}×"],
            ["  vector PDF", f"{pdf * 1e3:.0f} ms", f"{pdf / weights:.2f}×"],
            ["  one animation frame (960×540)", f"{frame_72 * 1e3:.0f} ms", f"{frame_72 / weights:.2f}×"],
            ["(torch import a cold CLI pays first)", f"{torch_import:.2f} s", "—"]]
    records = [dict(name="lecture pack 784-100-10",
                    value=f"{pack:.2f} s (the old pack {legacy:.2f} s, weights alone {weights:.2f} s)",
                    ratio=pack, target=2.0, lower_is_better=True)]
    return [f"Exports of 784-100-10 after 200 batches ({source}); median of {RUNS}; target: pack < 2 s", rows], records


def main() -> None:
    (title, rows), _ = collect()
    print_table(title, ["export", "time", "× baseline"], rows)


if __name__ == "__main__":
    main()
