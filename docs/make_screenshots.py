"""Save screenshots of the main window's main states to docs/screenshots/.

Usage: QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py
Uses the real Fashion-MNIST files when dataset-fashion-mnist is installed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = ROOT / "docs" / "screenshots"
FASHION = Path("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")


def tab_shots(w, shot, prefix: str) -> None:
    """One screenshot per central view (named by the view's English title in any language)."""
    from widgets.view_tabs import VIEWS

    for index in range(w.views.count()):
        w.views.setCurrentIndex(index)
        name = VIEWS[index][1].lower().replace(" ", "-")
        shot(f"{prefix}-{index + 1:02d}-{name}")


def compare_shot(w, app, name: str, preset: str, epochs: int) -> None:
    """Run compare mode to the end and save its window."""
    import time

    cw = w.open_compare()
    cw.resize(1500, 950)
    cw.apply_preset(preset)
    cw.epochs.setValue(epochs)
    cw.start()
    while cw.running:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()
    cw.grab().save(str(OUT / f"{name}.png"))
    print("saved", OUT / f"{name}.png")


def regularization_shots(w, app, shot) -> None:
    """The overfitting lessons: Dropout's crossed-out units, BatchNormalization's chain rule, both compared."""
    c = w.controller
    w.course.apply_lesson("deep_sigmoid_batchnorm")
    for _ in range(50):
        c.step_batch()
    while c.latest.phase != "update":
        c.step_phase()
    w.views.show_view("network").select_neuron(1, 3)
    shot("batchnorm-inspector")
    compare_shot(w, app, "compare-batchnorm-deep-sigmoid", "batchnorm", 20)
    w.compare_window.close()
    if FASHION.exists():
        w.course.apply_lesson("fashion_overfitting", str(FASHION))
        for _ in range(20):
            c.step_batch()
        while not (c.latest.phase == "forward" and c.latest.phase_label.endswith("dropout")):
            c.step_phase()
        w.views.show_view("network")
        shot("fashion-dropout-network")
        compare_shot(w, app, "compare-dropout-overfitting", "dropout", 12)
        w.compare_window.close()


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    # The script answers "yes, discard progress" as the user would when switching data.
    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(OUT / ".settings"))
    app = QApplication.instance() or QApplication([])
    from app.window import MainWindow

    OUT.mkdir(parents=True, exist_ok=True)
    w = MainWindow()
    w.resize(1600, 900)
    w.show()
    c = w.controller

    def shot(name: str) -> None:
        for _ in range(5):
            app.processEvents()
        w.grab().save(str(OUT / f"{name}.png"))
        print("saved", OUT / f"{name}.png")

    shot("01-start-spiral")
    for _ in range(300):
        c.step_batch()
    for _ in range(4):
        c.step_phase()
    shot("02-spiral-loss-phase")
    w.docks["Model"].raise_()
    shot("03-model-panel")
    w.docks["Training"].raise_()
    shot("04-training-panel")
    w.docks["Data"].raise_()
    c.step_phase()  # backward through the output layer: the network is coloured by δ
    tab_shots(w, shot, "spiral")
    while c.latest.phase != "update":  # the whole chain rule, update included
        c.step_phase()
    w.views.show_view("network").select_neuron(1, 3)
    shot("spiral-inspector")
    if FASHION.exists():
        w.files.open_path(str(FASHION))
        w.course.apply_preset("fashion_784_100_10")
        for _ in range(300):
            c.step_batch()
        while c.latest.phase != "loss":  # forward done: outputs, predictions and the loss are there
            c.step_phase()
        tab_shots(w, shot, "fashion")
        w.views.show_view("matrices").select_quantity("neuron tiles (W)")
        shot("fashion-matrices-tiles")
        while c.latest.phase != "update":
            c.step_phase()
        w.views.show_view("network").select_neuron(1, 2)
        shot("fashion-inspector")
        w.course.apply_lesson("fashion_optimizers", str(FASHION))  # sgd, adagrad, rmsprop, adam side by side
        compare_shot(w, app, "compare-four-optimizers", "optimizers", 2)
        w.compare_window.close()
    # Compare mode: a deep net on the spiral, sigmoid against ReLU (the vanishing gradient).
    w.course.apply_lesson("deep_sigmoid")
    compare_shot(w, app, "compare-sigmoid-vs-relu", "activation", 30)
    regularization_shots(w, app, shot)
    # The same window and views in Korean (Settings → Language → 한국어).
    w.set_language("ko")
    compare_shot(w, app, "ko-compare-sigmoid-vs-relu", "activation", 30)
    w.compare_window.close()
    if FASHION.exists():
        w.course.apply_lesson("fashion_784_100_10", str(FASHION))
        for _ in range(300):
            c.step_batch()
        while c.latest.phase != "loss":
            c.step_phase()
        tab_shots(w, shot, "ko-fashion")
        w.docks["Training"].raise_()
        shot("ko-training-panel")
        compare_shot(w, app, "ko-compare-sgd-vs-adam", "optimizer", 2)
        w.compare_window.close()
    else:
        tab_shots(w, shot, "ko-spiral")
    w.set_language("en")
    w.close()
    w.deleteLater()
    app.processEvents()


if __name__ == "__main__":
    main()
