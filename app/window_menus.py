"""The main window's actions, menus, toolbar and language switch (mixed into MainWindow).

Every text is an English source passed through ``tr``; the window's
:class:`widgets.i18n.Texts` binder sets it again when the language changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QToolBar

from app.i18n import LANGUAGES, install_language, resolve_language
from widgets.i18n import tr, tr_noop


class MenuActions:
    """File, Train, Lessons, View, Settings and Help menus, the toolbar, and Settings → Language."""

    def _action(self, text: str, shortcut: str | QKeySequence | None, slot, tip: str = "") -> QAction:
        """An action with translated ``text`` and ``tip`` (English sources); the tooltip names its shortcut."""
        action = QAction(self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))

        def set_texts(_=None, action=action, text=text, tip=tip):
            action.setText(tr(text))
            shown = tr(tip) if tip else tr(text).replace("&", "")
            action.setToolTip(f"{shown} ({action.shortcut().toString()})" if shortcut else shown)

        set_texts()
        self.texts.on_change(set_texts)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        c = self.controller
        A = self._action
        self.act_open = A(tr_noop("&Open data…"), QKeySequence.StandardKey.Open, self.open_data_dialog,
                          tr_noop("Open a CSV, NPZ/NPY or IDX(.gz) file"))
        self.act_quit = A(tr_noop("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        self.act_save_session = A(tr_noop("&Save session…"), QKeySequence.StandardKey.Save, self.save_session_dialog,
                                  tr_noop("Save model, weights, optimizer state, data and history"))
        self.act_open_session = A(tr_noop("Open sess&ion…"), "Ctrl+Shift+O", self.open_session_dialog)
        self.act_export_weights = A(tr_noop("Export &weights…"), "Ctrl+E", self.export_weights_dialog,
                                    tr_noop("NPZ, CSV, JSON, PyTorch .pt and Keras .weights.h5"))
        self.act_export_figure = A(tr_noop("Export &figure…"), "Ctrl+Shift+E", self.export_figure_dialog,
                                   tr_noop("The current view as PNG (300 dpi) or SVG"))
        self.act_export_pack = A(tr_noop("Export &lecture pack…"), "Ctrl+L", self.export_pack_dialog,
                                 tr_noop("Every figure, the weights, summary, history and an index page"))
        self.act_record = A(tr_noop("Record &animation…"), "Ctrl+Shift+A", self.record_dialog,
                            tr_noop("The current view over a range of steps, as GIF"))
        self.act_phase = A(tr_noop("Step &phase"), "F6", c.step_phase,
                           tr_noop("Run the next phase: one layer's forward or backward pass, the loss, or the update"))
        self.act_batch = A(tr_noop("Step &batch"), "F7", c.step_batch, tr_noop("Finish the current batch"))
        self.act_back = A(tr_noop("Step bac&k"), "Shift+F7", lambda: c.seek(c.session.step - 1) if c.session
                          else None, tr_noop("Go back one step (exact replay)"))
        self.act_epoch = A(tr_noop("Step &epoch"), "F8", c.step_epoch, tr_noop("Train to the end of this epoch"))
        self.act_run = A(tr_noop("&Run"), "F5", self.toggle_run, tr_noop("Run or pause training"))
        self.act_reset = A(tr_noop("Re&set"), "Ctrl+Shift+R", self.confirm_reset, tr_noop("Back to step 0"))
        self.act_test = A(tr_noop("Evaluate on &test set"), "Ctrl+T", c.evaluate_test,
                          tr_noop("model.evaluate(x_test, y_test): the file's separate test set"))
        self.act_compare = A(tr_noop("&Compare settings side by side…"), "Ctrl+K", self.open_compare,
                             tr_noop("Train two or four configurations side by side on the same batches and seed"))
        bar = self.menuBar()
        file_menu = bar.addMenu("")
        self.texts.bind(file_menu.setTitle, "&File")
        file_menu.addAction(self.act_open)
        self.recent_menu = file_menu.addMenu("")
        self.texts.bind(self.recent_menu.setTitle, "Open &recent")
        file_menu.addSeparator()
        for a in (self.act_open_session, self.act_save_session, None, self.act_export_weights,
                  self.act_export_figure, self.act_export_pack, self.act_record):
            file_menu.addSeparator() if a is None else file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        train_menu = bar.addMenu("")
        self.texts.bind(train_menu.setTitle, "&Train")
        for a in (self.act_phase, self.act_batch, self.act_back, self.act_epoch, self.act_run, self.act_reset,
                  None, self.act_test, self.act_compare):
            train_menu.addSeparator() if a is None else train_menu.addAction(a)
        self.lesson_menu = bar.addMenu("")
        self.texts.bind(self.lesson_menu.setTitle, "&Lessons")
        from app.lessons import lessons

        for lesson in lessons():
            action = self.lesson_menu.addAction("", lambda key=lesson.key: self.apply_lesson(key))
            self.texts.bind(action.setText, lesson.title)
        view_menu = bar.addMenu("")
        self.texts.bind(view_menu.setTitle, "&View")
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        self._make_language_menu(bar)
        help_menu = bar.addMenu("")
        self.texts.bind(help_menu.setTitle, "&Help")
        help_menu.addAction(A(tr_noop("&Keyboard shortcuts"), "F1", self.show_shortcuts))
        toolbar = QToolBar(self)
        self.texts.bind(toolbar.setWindowTitle, "Training")
        toolbar.setObjectName("toolbar_training")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for a in (self.act_open, None, self.act_phase, self.act_batch, self.act_epoch, self.act_back, None,
                  self.act_run, self.act_reset):
            toolbar.addSeparator() if a is None else toolbar.addAction(a)
        self.addToolBar(toolbar)

    def _make_language_menu(self, bar) -> None:
        """Settings → Language: the system's, English or Korean; kept in the settings."""
        settings_menu = bar.addMenu("")
        self.texts.bind(settings_menu.setTitle, "&Settings")
        menu = settings_menu.addMenu("")
        self.texts.bind(menu.setTitle, "&Language")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in ("system", *LANGUAGES):
            action = menu.addAction("", lambda code=code: self.set_language(code))
            action.setCheckable(True)
            group.addAction(action)
            if code == "system":
                self.texts.bind(action.setText, "System default")
            else:
                action.setText(LANGUAGES[code])  # each language named in itself
            self.language_actions[code] = action
        self.language_actions[self.settings.value("language", "system") or "system"].setChecked(True)

    def set_language(self, code: str) -> str:
        """Switch the UI language now ("system", "en" or "ko") and remember it; returns the language used."""
        self.settings.setValue("language", code)
        if code in self.language_actions:
            self.language_actions[code].setChecked(True)
        used = install_language(resolve_language(code))
        QApplication.processEvents()  # deliver the LanguageChange events now
        return used
