"""Save docs/screenshots/keras-model-backward.png: a model trained in real Keras, opened in Propscope mid-backward.

Usage: QT_QPA_PLATFORM=offscreen KERAS_BACKEND=torch python docs/make_keras_screenshot.py
Needs Keras 3 (a test dependency) and the Fashion-MNIST files (dataset-fashion-mnist).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KERAS_BACKEND", "torch")
OUT = ROOT / "docs" / "screenshots"
FASHION = Path("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")


def keras_model(folder: Path) -> Path:
    """What a student does in a notebook: a 784-128-64-10 MLP, two epochs of Adam on 12,000 images, saved."""
    import keras

    from core.datasets import load_idx_pair

    x, y = load_idx_pair(str(FASHION))
    x = x[:12_000].reshape(-1, 784).astype("float32") / 255.0
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(128, activation="relu"),
                              keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10, activation="softmax")],
                             name="fashion_mlp")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y[:12_000], epochs=2, batch_size=64, verbose=0)
    path = folder / "fashion_mlp.keras"
    model.save(path)
    return path


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(OUT / ".settings"))
    app = QApplication.instance() or QApplication([])
    from app.window import MainWindow

    with tempfile.TemporaryDirectory() as folder:
        course = Path(folder) / "course"  # the path the Code dock shows
        course.mkdir()
        path = keras_model(course)
        w = MainWindow()
        w.resize(1600, 900)
        w.show()
        w.files.open_model(str(path), data_path=str(FASHION))
        assert w.loader.wait(120), "the model did not open"
        c = w.controller
        assert c.source is not None, w.context.last_error
        for _ in range(20):
            c.step_batch()
        while not (c.latest.phase == "backward" and c.latest.phase_layer == 1):  # δ flows back into layer 2
            c.step_phase()
        w.views.show_view("network").select_neuron(2, 3)
        w.docks["Model"].raise_()
        w.docks["Code"].raise_()
        for _ in range(8):
            app.processEvents()
        OUT.mkdir(parents=True, exist_ok=True)
        w.grab().save(str(OUT / "keras-model-backward.png"))
        print("saved", OUT / "keras-model-backward.png")
        w.close()


if __name__ == "__main__":
    main()
