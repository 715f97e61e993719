"""Opening data (dialog, recent files, drag and drop) and saving and reopening sessions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMenu

from app.loading import Loader, LoadResult
from app.opening import load_dataset
from app.window_context import WindowContext
from core.datasets import FILE_FILTERS
from widgets.i18n import tr

MAX_RECENT = 8


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
        path, _ = QFileDialog.getOpenFileName(self.context.parent, tr("Open data"), start, ";;".join(FILE_FILTERS))
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Start loading a data file off the GUI thread (progress, Cancel); returns whether it started.

        When it is loaded the data is swapped in at once; on error or Cancel the
        previous data stays and the error is shown.
        """
        c = self.context.controller
        if not self.context.may_discard():
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
        """The first of the local files dropped on the window."""
        local = [u.toLocalFile() for u in urls if u.isLocalFile()]
        return bool(local) and self.open_path(local[0])

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
            self.recent_menu.addAction(path, lambda p=path: self.open_path(p))
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
        path, _ = QFileDialog.getOpenFileName(self.context.parent, tr("Open session"), str(Path.home()),
                                              tr("Propscope sessions (*.propscope)"))
        if path:
            self.open_session(path)

    def open_session(self, path: str) -> bool:
        """Start reopening a saved session off the GUI thread (progress, Cancel); returns whether it started.

        When the session and its data are loaded and checked, they are swapped in
        at once; on any problem the error is shown and what is open now stays.
        """
        from app.opening import open_session

        if not self.context.may_discard():
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
