"""Screenshots of one whole Fashion-MNIST batch, phase by phase, as a class sees it at 1366×768.

Six presses of F6 through 784-100(relu)-10 — forward · dense, forward ·
dense_1, loss, backward · dense_1, backward · dense, update — in normal and
presentation mode, in English and in Korean, into
``docs/screenshots/phase-<language>-<mode>-<k>-<phase>.png``.

The whole window is saved on an offscreen 1366×768 screen, so the window is
fitted to it as on a projector (app/screen_fit.py): the steps bar and the
status bar must show too.

Usage: python docs/make_phase_screenshots.py [--quick]   (``--quick``: English normal mode only)
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
FASHION = Path("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")
SIZE = (1366, 768)
SCREEN = {"screens": [{"name": "s", "x": 0, "y": 0, "width": SIZE[0], "height": SIZE[1], "logicalDpi": 96}]}
SAMPLE = 3  # a sample whose prediction is wrong after one batch makes the loss worth reading

if "QT_QPA_PLATFORM" not in os.environ:
    config = Path(tempfile.mkdtemp()) / "screens.json"
    config.write_text(json.dumps(SCREEN))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def save(window, path: Path) -> None:
    """The window as a 256-colour PNG (a third of the size; the UI has few colours)."""
    from PIL import Image

    raw = path.with_suffix(".raw.png")
    window.grab().save(str(raw))
    Image.open(raw).convert("RGB").quantize(256, dither=Image.Dither.NONE).save(path, optimize=True)
    raw.unlink()


def shoot(language: str, presentation: bool, quick_views: bool = False) -> list[Path]:
    from dataclasses import replace

    from PySide6.QtWidgets import QApplication

    from app.window import MainWindow

    app = QApplication.instance()
    window = MainWindow()
    window.set_language(language)
    window.show()
    window.course.apply_lesson("fashion_784_100_10", str(FASHION))
    window.presentation.apply(replace(window.presentation.settings, presentation=presentation, size=1.5,
                                      zoom=1.0), quiet=True)
    window.views.set_sample(SAMPLE)
    window.inspector.set_sample(SAMPLE)
    window.views.show_view("network")
    window.docks["Inspector"].show()
    window.docks["Inspector"].raise_()
    for _ in range(5):
        app.processEvents()
    mode = "presentation" if presentation else "normal"
    saved = []
    c = window.controller
    for k in range(len(c.session.phases)):
        c.step_phase()
        for _ in range(5):
            app.processEvents()
        snap = c.latest
        name = snap.phase if snap.phase_layer is None else f"{snap.phase}-{snap.layers[snap.phase_layer].name}"
        path = OUT / f"phase-{language}-{mode}-{k + 1}-{name}.png"
        save(window, path)
        saved.append(path)
        print("saved", path, window.frameGeometry().getRect())
    if not quick_views:
        for key in ("matrices", "samples"):
            window.views.show_view(key)
            for _ in range(5):
                app.processEvents()
            path = OUT / f"phase-{language}-{mode}-after-{key}.png"
            save(window, path)
            saved.append(path)
            print("saved", path, window.frameGeometry().getRect())
    window.presentation.apply(replace(window.presentation.settings, presentation=False))
    window.close()
    window.deleteLater()
    app.processEvents()
    return saved


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.fonts import register_fonts

    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    # QSettings(org, app) uses the native format whatever the default: isolate both, or the
    # screenshots read and write ~/.config/Propscope/Propscope.conf, shared with any other process.
    for settings_format in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication.instance() or QApplication([])
    register_fonts(app)
    OUT.mkdir(parents=True, exist_ok=True)
    quick = "--quick" in sys.argv
    runs = [("en", False)] if quick else [("en", False), ("en", True), ("ko", False), ("ko", True)]
    for language, presentation in runs:
        shoot(language, presentation, quick)


if __name__ == "__main__":
    main()
