"""The main window's actions, menus, toolbar and language switch.

Every text is an English source passed through ``tr``; the window's
:class:`widgets.i18n.Texts` binder sets it again when the language changes.
"""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QToolBar

from app.i18n import LANGUAGES, install_language, resolve_language
from settings.lessons import lessons
from widgets.i18n import Texts, tr, tr_noop


class WindowActions:
    """File, Train, Lessons, View, Settings and Help menus and the toolbar of ``window``.

    Parameters
    ----------
    window : QMainWindow
        Owns the actions (their shortcuts work anywhere in it).
    texts : Texts
        The window's text binder.
    do : namespace of callables
        What each action does: ``open_data``, ``open_model``, ``quit``, ``save_session``, ``open_session``,
        ``export_weights``, ``export_keras``, ``export_figure``, ``export_pack``, ``record``, ``step_phase``,
        ``step_batch``, ``step_back``, ``step_epoch``, ``toggle_run``, ``reset``, ``compare``, ``lesson(key)``,
        ``shortcuts``, ``fingerprint``.
    docks : dict
        Docks to list in the View menu.
    store : QSettings
        Where the language choice is kept.
    """

    def __init__(self, window: QMainWindow, texts: Texts, do: SimpleNamespace, docks: dict, store: QSettings) -> None:
        self.window, self.texts = window, texts
        A = self._action
        self.open = A(tr_noop("&Open data…"), QKeySequence.StandardKey.Open, do.open_data,
                      tr_noop("Open a CSV, NPZ/NPY or IDX(.gz) file"))
        self.open_model = A(tr_noop("Open &model…"), "Ctrl+Shift+M", do.open_model,
                            tr_noop("Open a Keras model file (.keras, or .h5 from Keras 3 or tf.keras 2) to step it "
                                    "on the current data"))
        self.quit = A(tr_noop("&Quit"), QKeySequence.StandardKey.Quit, do.quit)
        self.save_session = A(tr_noop("&Save session…"), QKeySequence.StandardKey.Save, do.save_session,
                              tr_noop("Save model, weights, optimizer state, data and history"))
        self.open_session = A(tr_noop("Open sess&ion…"), "Ctrl+Shift+O", do.open_session)
        self.export_weights = A(tr_noop("Export &weights…"), "Ctrl+E", do.export_weights,
                                tr_noop("NPZ, CSV, JSON, PyTorch .pt and Keras .weights.h5"))
        self.export_keras = A(tr_noop("Export &Keras model…"), "Ctrl+Shift+K", do.export_keras,
                              tr_noop("The model at this step as a .keras file that keras.models.load_model opens"))
        self.export_figure = A(tr_noop("Export &figure…"), "Ctrl+Shift+E", do.export_figure,
                               tr_noop("The current view as a clean figure: PNG, SVG or PDF, with its numbers"))
        self.export_pack = A(tr_noop("Export &lecture pack…"), "Ctrl+L", do.export_pack,
                             tr_noop("Every figure, a PDF handout, the weights, summary, history and an index page"))
        self.record = A(tr_noop("Record &animation…"), "Ctrl+Shift+A", do.record,
                        tr_noop("A view over a range of steps or one batch's phases, as GIF or MP4"))
        self.phase = A(tr_noop("Step &phase"), "F6", do.step_phase,
                       tr_noop("Run the next phase: one layer's forward or backward pass, the loss, or the update"))
        self.batch = A(tr_noop("Step &batch"), "F7", do.step_batch, tr_noop("Finish the current batch"))
        self.back = A(tr_noop("Step bac&k"), "Shift+F7", do.step_back, tr_noop("Go back one step (exact replay)"))
        self.epoch = A(tr_noop("Step &epoch"), "F8", do.step_epoch, tr_noop("Train to the end of this epoch"))
        self.run = A(tr_noop("&Run"), "F5", do.toggle_run, tr_noop("Run or pause training"))
        self.reset = A(tr_noop("Re&set"), "Ctrl+Shift+R", do.reset, tr_noop("Back to step 0"))
        self.test = A(tr_noop("Evaluate on &test set"), "Ctrl+T", do.evaluate_test,
                      tr_noop("model.evaluate(x_test, y_test): the file's separate test set"))
        self.compare = A(tr_noop("&Compare settings side by side…"), "Ctrl+K", do.compare,
                         tr_noop("Train two or four configurations side by side on the same batches and seed"))
        self.shortcuts = A(tr_noop("&Keyboard shortcuts"), "F1", do.shortcuts)
        self.fingerprint = A(tr_noop("Lesson &fingerprint…"), None, do.fingerprint,
                             tr_noop("The code that tells whether two runs are the same run"))
        bar = window.menuBar()
        file_menu = self._menu(bar, tr_noop("&File"))
        file_menu.addAction(self.open)
        file_menu.addAction(self.open_model)
        self.recent_menu = file_menu.addMenu("")
        texts.bind(self.recent_menu.setTitle, "Open &recent")
        self._fill(file_menu, None, self.open_session, self.save_session, None, self.export_weights,
                   self.export_keras, self.export_figure, self.export_pack, self.record, None, self.quit)
        self._fill(self._menu(bar, tr_noop("&Train")), self.phase, self.batch, self.back, self.epoch, self.run,
                   self.reset, None, self.test, self.compare)
        self.lesson_menu = self._menu(bar, tr_noop("&Lessons"))
        for lesson in lessons():
            action = self.lesson_menu.addAction("", lambda key=lesson.key: do.lesson(key))
            texts.bind(action.setText, lesson.title)
        self.view_menu = view_menu = self._menu(bar, tr_noop("&View"))
        for dock in docks.values():
            view_menu.addAction(dock.toggleViewAction())
        # Every mnemonic of the menu bar and the toolbar is unique (Alt+S was both Reset and Settings).
        settings_menu = self._menu(bar, tr_noop("Setti&ngs"))
        self.language = LanguageMenu(self._menu(settings_menu, tr_noop("&Language")), texts, store)
        self._fill(self._menu(bar, tr_noop("&Help")), self.shortcuts, self.fingerprint)
        self.toolbar = toolbar = QToolBar(window)
        texts.bind(toolbar.setWindowTitle, "Training")
        toolbar.setObjectName("toolbar_training")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._fill(toolbar, self.open, None, self.phase, self.batch, self.epoch, self.back, None, self.run,
                   self.reset)
        window.addToolBar(toolbar)

    @property
    def stepping(self) -> tuple[QAction, ...]:
        """The actions that step (disabled while a run is under way)."""
        return self.phase, self.batch, self.back, self.epoch

    def shown_shortcuts(self) -> list[str]:
        return [f"{a.text().replace('&', '')}: {a.shortcut().toString()}" for a in
                (self.open, self.open_model, self.phase, self.batch, self.back, self.epoch, self.run, self.reset,
                 self.quit)]

    def show_running(self, running: bool) -> None:
        self.run.setText(tr("P&ause") if running else tr("&Run"))
        for action in self.stepping:
            action.setEnabled(not running)

    def _action(self, text: str, shortcut, slot, tip: str = "") -> QAction:
        """An action with translated ``text`` and ``tip`` (English sources); the tooltip names its shortcut."""
        action = QAction(self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))

        def set_texts(_=None, action=action, text=text, tip=tip):
            action.setText(tr(text))
            shown = tr(tip) if tip else tr(text).replace("&", "")
            action.setToolTip(f"{shown} ({action.shortcut().toString()})" if shortcut else shown)

        set_texts()
        self.texts.on_change(set_texts)
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def _menu(self, parent, title: str) -> QMenu:
        menu = parent.addMenu("")
        self.texts.bind(menu.setTitle, title)
        return menu

    @staticmethod
    def _fill(container, *actions) -> None:
        for action in actions:
            container.addSeparator() if action is None else container.addAction(action)


class LanguageMenu:
    """Settings → Language: the system's, English or Korean; the choice is kept in the settings."""

    def __init__(self, menu: QMenu, texts: Texts, store: QSettings) -> None:
        self.store = store
        group = QActionGroup(menu)
        self.actions: dict[str, QAction] = {}
        for code in ("system", *LANGUAGES):
            action = menu.addAction("", lambda code=code: self.set_language(code))
            action.setCheckable(True)
            group.addAction(action)
            if code == "system":
                texts.bind(action.setText, "System default")
            else:
                action.setText(LANGUAGES[code])  # each language named in itself
            self.actions[code] = action
        self.actions[self.store.value("language", "system") or "system"].setChecked(True)

    def set_language(self, code: str) -> str:
        """Switch the UI language now ("system", "en" or "ko") and remember it; returns the language used."""
        self.store.setValue("language", code)
        if code in self.actions:
            self.actions[code].setChecked(True)
        used = install_language(resolve_language(code))
        QApplication.processEvents()  # deliver the LanguageChange events now
        return used
