"""Sessions, frames, images and independent SVG renderers for the figure tests."""

from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np

import core
from core.stepper import TrainingSession
from core.stepper.frame import DataContext, frame_of


def image_session(n: int = 96, seed: int = 0, hidden: int = 100) -> TrainingSession:
    """784-``hidden``-10 on random 28×28 "images" with 10 classes (the Fashion-MNIST shape)."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 28, 28)).astype("float32")
    y = rng.integers(0, 10, n)
    core.random.set_random_seed(seed)
    model = core.Sequential([core.layers.Flatten(input_shape=(28, 28)), core.layers.Dense(hidden, activation="relu"),
                             core.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return TrainingSession(model, x, y, batch_size=16, seed=seed, validation_split=0.25)


def plane_session(n: int = 120, seed: int = 0) -> TrainingSession:
    """A 2-2(tanh)-… network on points of the plane (decision boundary)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2)).astype("float32")
    y = (x[:, 0] * x[:, 1] > 0).astype("float32")
    core.random.set_random_seed(seed)
    model = core.Sequential([core.Input(shape=(2,)), core.layers.Dense(6, activation="tanh"),
                             core.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    session = TrainingSession(model, x, y, batch_size=16, seed=seed, validation_split=0.25)
    session.capture_options.decision_surface = True
    return session


def data_of(session) -> DataContext:
    classes = session.model.output_shape[-1]
    names = tuple(str(i) for i in range(max(classes, 2)))
    return DataContext.of(session, "classification" if classes > 1 else "binary", names)


def frame_now(session, data: DataContext | None = None):
    return frame_of(session, None, data or data_of(session))


def image_array(qimage) -> np.ndarray:
    """A QImage as an (h, w, 3) uint8 array."""
    from PySide6.QtGui import QImage

    rgb = qimage.convertToFormat(QImage.Format.Format_RGB888)
    h, w, stride = rgb.height(), rgb.width(), rgb.bytesPerLine()
    rows = np.frombuffer(rgb.constBits(), np.uint8, stride * h).reshape(h, stride)
    return rows[:, : w * 3].reshape(h, w, 3).copy()


def _rsvg(svg: bytes, width: int, height: int) -> np.ndarray:
    from PIL import Image

    png = subprocess.run(["rsvg-convert", "-w", str(width), "-h", str(height), "-b", "white"], input=svg,
                         capture_output=True, check=True, timeout=120).stdout
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _cairosvg(svg: bytes, width: int, height: int) -> np.ndarray:
    import cairosvg
    from PIL import Image

    png = cairosvg.svg2png(bytestring=svg, output_width=width, output_height=height, background_color="white")
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _cairosvg_available() -> bool:
    try:
        import cairosvg  # noqa: F401
    except (ImportError, OSError):  # the package, or the cairo library it loads
        return False
    return True


RENDERERS = {"librsvg": (_rsvg, lambda: shutil.which("rsvg-convert") is not None,
                         "rsvg-convert (librsvg) is not installed"),
             "cairosvg": (_cairosvg, _cairosvg_available, "CairoSVG (pip) or the cairo library is missing")}
