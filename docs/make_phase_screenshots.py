"""Screenshots of the Fashion-MNIST lesson at 1366×768, one per phase of a batch, English and Korean.

Usage: python docs/make_phase_screenshots.py  (uses the real Fashion-MNIST files when installed).
The whole window is saved — on a 1366×768 screen it must show the steps bar and status bar too.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots" / "phases"
FASHION = Path("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")
SCREEN = {"screens": [{"name": "s", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96}]}

if "QT_QPA_PLATFORM" not in os.environ:
    config = Path(tempfile.mkdtemp()) / "screens.json"
    config.write_text(json.dumps(SCREEN))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    # QSettings(org, app) uses the native format whatever the default: isolate both, or every
    # test shares ~/.config/Propscope/Propscope.conf with any other process using it.
    for settings_format in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication.instance() or QApplication([])
    from app.fonts import register_fonts
    from app.i18n import install_language
    from app.window import MainWindow

    register_fonts(app)
    OUT.mkdir(parents=True, exist_ok=True)
    for language in ("en", "ko"):
        install_language(language)
        window = MainWindow()
        window.show()
        if not window.course.apply_lesson("fashion_784_100_10", str(FASHION)):
            raise SystemExit(f"Fashion-MNIST not found at {FASHION}")
        window.views.show_view("network")
        window.controller.step_batch()  # a batch done, so the next one shows its numbers from the start
        for index in range(len(window.controller.session.phases)):
            window.controller.step_phase()
            snap = window.controller.latest
            layer = "" if snap.phase_layer is None else f"-{snap.layers[snap.phase_layer].name}"
            for _ in range(3):
                app.processEvents()
            path = OUT / f"{language}-{index + 1:02d}-{snap.phase}{layer}.png"
            window.grab().save(str(path))
            print("saved", path, window.frameGeometry().getRect())
        window.close()
    from app.runner import default_runner

    default_runner().shutdown()


if __name__ == "__main__":
    main()
