"""``propscope.show``: the Propscope window on a model handed over from Python.

One window per process: a second call shows the new model in the same
window. In a script the call blocks until the window is closed (Qt's event
loop runs); in IPython or Jupyter with ``%gui qt`` (or inside a running Qt
application) the event loop is already running, so the call returns at once
and the notebook stays usable while the window is open.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from propscope.convert import Prepared

_WINDOW = None


def _application():
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        from app.fonts import register_fonts
        from app.gc_guard import collect_on_gui_thread
        from app.i18n import install_language, resolve_language
        from settings.runtime import use_training_threads

        app = QApplication(sys.argv[:1])
        app.setApplicationName("Propscope")
        app.setOrganizationName("Propscope")
        collect_on_gui_thread(app)  # no Qt object is ever collected on a worker thread
        register_fonts(app)
        install_language(resolve_language(QSettings("Propscope", "Propscope").value("language", "system")))
        use_training_threads()
    return app


def event_loop_running() -> bool:
    """Whether Qt's event loop already runs for us: IPython's ``%gui qt``, or a Qt application's own loop."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    if shell is not None and str(getattr(shell, "active_eventloop", "") or "").startswith("qt"):
        return True
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    return app is not None and QThread.currentThread().loopLevel() > 0


def window():
    """The one Propscope window of this process (made on first use)."""
    global _WINDOW
    _application()
    if _WINDOW is None or not _alive(_WINDOW):
        from app.window import MainWindow

        _WINDOW = MainWindow()
    return _WINDOW


def _alive(widget) -> bool:
    try:
        widget.isVisible()
    except RuntimeError:  # the C++ object is gone
        return False
    return True


def opened_session(prepared: Prepared, main_window):
    """The :class:`app.model_opening.OpenedModelSession` of ``prepared`` on its data (or the window's)."""
    from app.model_opening import ModelSource, array_data_config, dataset_from_arrays, model_session

    c = main_window.controller
    options = dict(prepared.session_options)
    train = replace(c.train_config, batch_size=int(options.pop("batch_size", c.train_config.batch_size)),
                    epochs=int(options.pop("epochs", c.train_config.epochs)),
                    seed=int(options.pop("seed", c.train_config.seed)))
    validation_split = float(options.pop("validation_split", 0.0) or 0.0)
    validation_data = options.pop("validation_data", None)
    model = prepared.model
    if prepared.x is not None:
        if prepared.y is None:
            raise TypeError("give y with x: the targets the model trains on.")
        dataset = dataset_from_arrays(prepared.x, prepared.y, model, validation_split, validation_data)
        data_config = array_data_config()
    else:
        dataset, data_config = c.dataset, c.data_config
    labels = {"keras": f"Keras model {model.name!r}", "torch": "torch.nn.Sequential",
              "core": f"model {model.name!r}",
              "keras-file": prepared.path.name if prepared.path is not None else "a model file"}
    source = ModelSource(prepared.source, labels[prepared.source], prepared.path, None, tuple(prepared.notes))
    return model_session(model, dataset, data_config, train, source, options)


def show(prepared: Prepared):
    """Show ``prepared`` in the window (see the module docstring); returns the window."""
    app = _application()
    main_window = window()
    opened = opened_session(prepared, main_window)  # raises here, before anything on screen changes
    main_window.show_model(opened)
    main_window.show()
    main_window.raise_()
    main_window.activateWindow()
    if not event_loop_running():
        app.exec()
    return main_window
