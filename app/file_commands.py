"""Opening data and models (dialogs, recent files, drag and drop) and saving and reopening sessions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QMenu

from app import dialogs
from app.loading import Loader, LoadResult
from app.opening import load_dataset
from app.window_context import WindowContext
from core.datasets import FILE_FILTERS
from widgets.i18n import tr

MAX_RECENT = 8
#: What a file is, by its name: a model (Keras), a session, or else data.
MODEL_SUFFIXES = (".keras", ".h5", ".hdf5")
SESSION_SUFFIXES = (".propscope",)


class FileCommands:
    """The File menu's data and session commands.

    Parameters
    ----------
    context : WindowContext
    loader : Loader
        Opens files off the GUI thread (progress, Cancel).
    show_data_config : callable(DataConfig)
        Shows what holds in the data panel after an attempt.
    """

    def __init__(self, context: WindowContext, loader: Loader, show_data_config) -> None:
        self.context = context
        self.loader = loader
        self.recent_menu: QMenu | None = None
        self.show_data_config = show_data_config

    def attach_recent_menu(self, menu: QMenu) -> None:
        """The menu that lists the recent files (filled now and after each opened file)."""
        self.recent_menu = menu
        self.fill_recent()

    # --- data ------------------------------------------------------------------------------
    def open_data_dialog(self) -> None:
        start = self.context.store.value("last_dir", str(Path.home()))
        path = dialogs.open_file_name(self.context.parent, tr("Open data"), start, FILE_FILTERS)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Start loading a data file off the GUI thread (progress, Cancel); returns whether it started.

        When it is loaded the data is swapped in at once; on error or Cancel the
        previous data stays and the error is shown.
        """
        c = self.context.controller
        if not self.context.may_discard("data"):
            return False
        config = replace(c.data_config, source="file", path=str(path))

        def done(result: LoadResult) -> None:
            if result.error:
                self.context.show_error(tr("Could not load the data"), result.error)
            elif not result.cancelled and c.load_data(config, dataset=result.value):
                self.remember(path)
            self.show_data_config(c.data_config)

        return self.loader.start(tr("Loading {name}…").format(name=Path(path).name), lambda: load_dataset(config),
                                 done)

    def open_dropped(self, urls) -> bool:
        """Local files dropped on the window: a model with a data file opens on that data; otherwise the
        first file opens as what its name says (a model, a session, data)."""
        local = [u.toLocalFile() for u in urls if u.isLocalFile()]
        models = [p for p in local if kind_of(p) == "model"]
        data = [p for p in local if kind_of(p) == "data"]
        if models and data:
            return self.open_model(models[0], data_path=data[0])
        return bool(local) and self.open_any(local[0])

    def open_any(self, path: str) -> bool:
        """Open ``path`` as what its name says it is."""
        kind = kind_of(path)
        if kind == "model":
            return self.open_model(path)
        if kind == "session":
            return self.open_session(path)
        return self.open_path(path)

    # --- models ------------------------------------------------------------------------------
    def open_model_dialog(self) -> None:
        start = self.context.store.value("last_dir", str(Path.home()))
        path = dialogs.open_file_name(self.context.parent, tr("Open model"), start,
                                      tr("Keras models (*.keras *.h5 *.hdf5)"))
        if path:
            self.open_model(path)

    def open_model(self, path: str, data_path: str | None = None) -> bool:
        """Start opening a Keras model file off the GUI thread (progress, Cancel) on the current data (or on
        ``data_path``); returns whether it started. It is swapped in once it is complete and fits the data;
        on any problem the error is shown and what is open now stays."""
        from app.model_opening import open_model_session

        if not self.context.may_discard("open_model"):
            return False
        c = self.context.controller
        dataset, data_config, train = c.dataset, c.data_config, c.train_config

        def done(result: LoadResult) -> None:
            if result.error:
                self.context.show_error(tr("Could not open the model"), result.error)
            elif not result.cancelled and c.adopt_model(result.value):
                self.remember(str(path))
                self.context.notify(tr("Opened {source}").format(source=result.value.source.label), 10_000)
            self.show_data_config(c.data_config)

        return self.loader.start(tr("Opening {name}…").format(name=Path(path).name),
                                 lambda: open_model_session(path, dataset, data_config, train, data_path), done)

    # --- recent files ----------------------------------------------------------------------
    def remember(self, path: str) -> None:
        store = self.context.store
        recent = [p for p in self.recent_files() if p != path]
        recent.insert(0, path)
        store.setValue("recent_files", recent[:MAX_RECENT])
        store.setValue("last_dir", str(Path(path).parent))
        self.fill_recent()

    def recent_files(self) -> list[str]:
        """The remembered paths; whatever else a damaged settings file holds there is ignored."""
        value = self.context.store.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            return []
        return [v for v in value if isinstance(v, str) and 0 < len(v) <= 4096 and "\0" not in v][:MAX_RECENT]

    def fill_recent(self) -> None:
        if self.recent_menu is None:
            return
        self.recent_menu.clear()
        for path in self.recent_files():
            self.recent_menu.addAction(path, lambda p=path: self.open_any(p))
        self.recent_menu.setEnabled(bool(self.recent_files()))

    # --- sessions --------------------------------------------------------------------------
    def save_session_dialog(self, ask_save) -> None:
        path = ask_save(tr("Save session"), "session.propscope", tr("Propscope sessions (*.propscope)"))
        if path:
            self.save_session(path)

    def save_session(self, path: str) -> bool:
        from core.export.session_file import save_session

        c = self.context.controller
        if c.session is None or c.running:
            return False
        ref = {k: getattr(c.data_config, k) for k in c.data_config.__dataclass_fields__}
        settings = {"data": c.dataset.describe(), "class_names": list(c.dataset.class_names)}
        try:
            save_session(c.session, path, data_ref=ref, settings=settings)
        except (OSError, RuntimeError, ValueError) as exc:
            self.context.show_error(tr("Could not export {what}").format(what=tr("the session")), str(exc))
            return False
        self.context.notify(tr("Exported {what}: {result}").format(what=tr("the session"), result=path), 10_000)
        return True

    def open_session_dialog(self) -> None:
        path = dialogs.open_file_name(self.context.parent, tr("Open session"), str(Path.home()),
                                      tr("Propscope sessions (*.propscope)"))
        if path:
            self.open_session(path)

    def open_session(self, path: str) -> bool:
        """Start reopening a saved session off the GUI thread (progress, Cancel); returns whether it started.

        When the session and its data are loaded and checked, they are swapped in
        at once; on any problem the error is shown and what is open now stays.
        """
        from app.opening import open_session

        if not self.context.may_discard("open_session"):
            return False
        c = self.context.controller

        def done(result: LoadResult) -> None:
            if result.error:
                self.context.show_error(tr("Could not open the session"), result.error)
            elif not result.cancelled:
                opened = result.value
                c.adopt_session(opened.session, opened.extras, opened.dataset, opened.data_config)
                self.show_data_config(c.data_config)

        return self.loader.start(tr("Opening {name}…").format(name=Path(path).name), lambda: open_session(path),
                                 done)


def kind_of(path: str) -> str:
    """``"model"``, ``"session"`` or ``"data"``, by the file's name."""
    name = str(path).lower()
    if name.endswith(MODEL_SUFFIXES):
        return "model"
    if name.endswith(SESSION_SUFFIXES):
        return "session"
    return "data"
