"""Starting the desktop app: :func:`run_app` (``propscope``, ``propscope open``).

The order matters: garbage collection is pinned to the GUI thread before any
worker starts, fonts and the language before the first widget, the compute
thread setting before any training, the training process's runner before the
window asks for it; the process ends through :func:`app.leaving.leave`.
"""

from __future__ import annotations

import sys
from typing import NoReturn

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from app.i18n import install_language, resolve_language
from app.window import MainWindow


def run_app(model_path: str | None = None, data_path: str | None = None) -> NoReturn:
    """Run the desktop app (``propscope``), opening the Keras model ``model_path`` (on ``data_path``) first when
    given (``propscope open``); the process ends when the window closes (:func:`app.leaving.leave`)."""
    from app.fonts import register_fonts
    from app.gc_guard import collect_on_gui_thread
    from settings.runtime import use_training_threads

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Propscope")
    app.setOrganizationName("Propscope")
    collect_on_gui_thread(app)  # before any worker starts: no Qt object is collected on a worker thread
    register_fonts(app)  # Hangul everywhere, even without a system CJK font
    install_language(resolve_language(QSettings("Propscope", "Propscope").value("language", "system")))
    use_training_threads()
    from app.process_runner import install

    install()  # run mode trains in a process of its own (started after the first frame)
    window = MainWindow()
    window.show()
    if model_path:
        QTimer.singleShot(0, lambda: window.files.open_model(model_path, data_path))
    code = app.exec()
    from app.leaving import leave

    leave(window, code)  # at once: no wait for worker threads, no interpreter shutdown (see app.leaving)
