"""Every lesson through every phase in every view, on the screen Qt was given; report what left it.

Run as a script in its own process (tests/ui/test_screen_fit.py): the offscreen
platform takes its screen size from ``QT_QPA_PLATFORM=offscreen:configfile=…``.
Prints one JSON line: the screen, the checks made and every window that left the
available geometry (with where it was), or whose steps bar or status bar was hidden.

Usage: fit_every_lesson.py FOLDER_FOR_DATA LANGUAGE [quick | presentation]
(``presentation``: the same walk in presentation mode at its largest size, fonts ×2, zoomed in once more.)
"""

import gzip
import json
import struct
import sys
import tempfile
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox


def write_idx(path: Path, arr: np.ndarray) -> None:
    header = bytes([0, 0, 0x08, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    path.write_bytes(gzip.compress(header + arr.astype(np.uint8).tobytes()))


def fashion_like(folder: Path) -> Path:
    """A small Fashion-MNIST look-alike: 28×28 train/t10k images in IDX, ten classes."""
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 320), ("t10k", 80)):
        labels = rng.integers(0, 10, n)
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, 28, 28)))
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", labels)
    return folder / "train-images-idx3-ubyte.gz"


def main() -> None:
    folder, language = Path(sys.argv[1]), sys.argv[2]
    mode = sys.argv[3] if len(sys.argv) > 3 else ""
    quick = mode == "quick"
    app = QApplication(sys.argv[:1])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    # QSettings(org, app) uses the native format whatever the default: isolate both, or every
    # test shares ~/.config/Propscope/Propscope.conf with any other process using it.
    for settings_format in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, tempfile.mkdtemp())
    QMessageBox.warning = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok)
    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    QMessageBox.information = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok)
    from app.i18n import install_language
    from settings.lessons import lessons
    from app.window import MainWindow
    from widgets.view_tabs import VIEWS

    install_language(language)
    avail = app.primaryScreen().availableGeometry()
    problems, checks = [], 0
    fashion = fashion_like(folder)

    def check(win, where: str) -> None:
        nonlocal checks
        app.processEvents()
        checks += 1
        frame = win.frameGeometry()
        if not avail.contains(frame):
            problems.append(f"{where}: {type(win).__name__} frame {frame.x()},{frame.y()} "
                            f"{frame.width()}×{frame.height()} outside {avail.width()}×{avail.height()}")
        # (The compare window has no steps or status bar; statusBar() would make one.)
        bars = [("status bar", win.statusBar()), ("steps bar", win.docks["Steps"])] if hasattr(win, "docks") else []
        for name, bar in bars:
            top_left = bar.mapToGlobal(bar.rect().topLeft())
            rect = bar.rect().translated(top_left)
            if not bar.isVisible() or bar.height() < 10 or not avail.contains(rect):
                problems.append(f"{where}: the {name} is not fully visible ({rect})")

    window = MainWindow()
    window.show()
    if mode == "presentation":
        from dataclasses import replace

        settings = replace(window.presentation.settings, presentation=True, size=2.0)
        window.presentation.apply(settings, quiet=True)
        window.presentation.zoom(+1)
    check(window, "start")
    window.open_compare()
    check(window.compare_window, "compare window at start")
    window.compare_window.close()
    chosen = lessons(fashion)[:2] if quick else lessons(fashion)
    for lesson in chosen:
        window.course.apply_lesson(lesson.key, str(fashion))
        check(window, lesson.key)
        views = [VIEWS[0][0]] if quick else [key for key, _, _ in VIEWS]
        for view in views:
            window.views.show_view(view)
            for _ in range(len(window.controller.session.phases)):
                window.controller.step_phase()
                check(window, f"{lesson.key} · {view} · {window.controller.latest.phase}")
        compare = getattr(window, "compare_window", None)
        if compare is not None and compare.isVisible():
            check(compare, f"{lesson.key} · compare window")
            compare.close()
    window.close()
    print(json.dumps({"screen": [avail.width(), avail.height()], "checks": checks, "problems": problems}))


if __name__ == "__main__":
    main()
