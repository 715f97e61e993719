"""Presentation mode and zoom: the View menu's actions, applied to the app's display and the window's docks.

Presentation mode (F11) makes every text at least 18 pt at 1366×768 (fonts
×1.5 or ×2 of a 12 pt normal size), edges, curves and points thicker, colours
full strength, and hides the docks the lecturer chose (View → Presentation
mode hides…). Ctrl+= / Ctrl+- / Ctrl+0 zoom every text in either mode. The
mode, its size, the zoom and the chosen docks are kept between runs, as is
which docks were open before presentation mode hid them.
"""

from __future__ import annotations

import json
from dataclasses import replace

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

from settings.display import PRESENTATION_SIZES, DisplaySettings
from widgets.display import display
from widgets.i18n import Texts, tr, tr_noop

STORE_KEY = "display"
STORE_DOCKS_KEY = "display_docks_before"


class PresentationMode:
    """The display actions at the top of the View menu (``menu``), for ``docks`` (key → dock, with their
    English ``titles``), kept in ``store``."""

    def __init__(self, window, menu: QMenu, texts: Texts, docks: dict[str, QDockWidget], titles: dict[str, str],
                 store: QSettings) -> None:
        self.window, self.docks, self.store = window, docks, store
        self.settings = load(store)
        self._extras: list[QWidget] = []  # status bar details presentation mode leaves out
        self._visible_before: list[str] = _read_list(store.value(STORE_DOCKS_KEY))
        before = menu.actions()[0] if menu.actions() else None
        self._menu, self._before = menu, before
        self.toggle = self._action(texts, tr_noop("&Presentation mode"), "F11", self.set_presentation,
                                   checkable=True)
        size_menu = QMenu(menu)
        menu.insertMenu(before, size_menu)
        texts.bind(size_menu.setTitle, "Presentation &size")
        group = QActionGroup(size_menu)
        self.size_actions: dict[float, QAction] = {}
        for size in PRESENTATION_SIZES:
            action = size_menu.addAction(f"×{size:g}", lambda s=size: self.set_size(s))
            action.setCheckable(True)
            group.addAction(action)
            self.size_actions[size] = action
        hide_menu = QMenu(menu)
        menu.insertMenu(before, hide_menu)
        texts.bind(hide_menu.setTitle, "Presentation mode &hides")
        self.hide_actions: dict[str, QAction] = {}
        for key in docks:
            action = hide_menu.addAction("", lambda on=False, k=key: self.set_hidden(k, on))
            action.setCheckable(True)
            texts.bind(lambda t, a=action: a.setText(t.replace("&", "&&")), titles.get(key, key))
            self.hide_actions[key] = action
        self.zoom_in = self._action(texts, tr_noop("Zoom &in"), [QKeySequence("Ctrl+="), QKeySequence("Ctrl++")],
                                    lambda: self.zoom(+1))
        self.zoom_out = self._action(texts, tr_noop("Zoom &out"), "Ctrl+-", lambda: self.zoom(-1))
        self.zoom_reset = self._action(texts, tr_noop("&Actual size"), "Ctrl+0", lambda: self.zoom(0))
        menu.insertSeparator(before) if before is not None else menu.addSeparator()
        self._show_state(quiet=True)

    def _action(self, texts: Texts, text: str, shortcut, slot, checkable: bool = False) -> QAction:
        action = QAction(self.window)
        shortcuts = shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)]
        action.setShortcuts(shortcuts)
        action.setCheckable(checkable)
        texts.bind(action.setText, text)
        action.triggered.connect(slot)
        self.window.addAction(action)
        self._menu.insertAction(self._before, action)
        return action

    def hide_when_presenting(self, *widgets: QWidget) -> None:
        """Leave ``widgets`` (details of the status bar) out in presentation mode: at large fonts they
        crowded out the epoch, batch, phase and loss ("Fashion-MN…")."""
        self._extras.extend(widgets)
        self._show_extras()

    def _show_extras(self) -> None:
        for widget in self._extras:
            widget.setVisible(not self.settings.presentation)

    # --- changing ----------------------------------------------------------------------------
    def start(self) -> None:
        """Apply the kept settings (at start-up, after the window's layout is restored)."""
        self.apply(self.settings, restoring=True, quiet=True)

    def set_presentation(self, on: bool) -> None:
        self.apply(replace(self.settings, presentation=bool(on)))

    def set_size(self, size: float) -> None:
        self.apply(replace(self.settings, size=size))

    def zoom(self, direction: int) -> None:
        """One zoom step in (+1), out (−1), or back to 100 % (0)."""
        self.apply(self.settings.zoomed(direction))

    def set_hidden(self, key: str, hidden: bool) -> None:
        keys = [k for k in self.settings.hidden_docks if k != key] + ([key] if hidden else [])
        self.apply(replace(self.settings, hidden_docks=tuple(keys)))

    def apply(self, settings: DisplaySettings, restoring: bool = False, quiet: bool = False) -> None:
        old = self.settings
        self.settings = settings
        if settings.presentation and (not old.presentation or restoring):
            if not restoring or not self._visible_before:
                self._visible_before = [k for k, d in self.docks.items() if d.isVisible()]
            self._hide_chosen()
        elif settings.presentation and old.hidden_docks != settings.hidden_docks:
            for key in set(old.hidden_docks) - set(settings.hidden_docks):
                if key in self._visible_before and key in self.docks:
                    self.docks[key].show()
            self._hide_chosen()
        elif not settings.presentation and old.presentation:
            for key in self._visible_before:
                if key in self.docks:
                    self.docks[key].show()
            self._visible_before = []
        self._show_extras()
        display().apply(settings)
        bar = self.window.statusBar()
        if bar.currentMessage():  # a font change lays the bar out again over its message: show it on its own
            bar.showMessage(bar.currentMessage(), 10_000)
        self.store.setValue(STORE_KEY, json.dumps(settings.to_dict()))
        self.store.setValue(STORE_DOCKS_KEY, json.dumps(self._visible_before))
        self._show_state(quiet)

    def _hide_chosen(self) -> None:
        for key in self.settings.hidden_docks:
            if key in self.docks:
                self.docks[key].hide()

    def _show_state(self, quiet: bool = False) -> None:
        s = self.settings
        self.toggle.setChecked(s.presentation)
        for size, action in self.size_actions.items():
            action.setChecked(size == s.size)
        for key, action in self.hide_actions.items():
            action.setChecked(key in s.hidden_docks)
        self.zoom_reset.setEnabled(s.zoom != 1.0)
        if not quiet:
            self.window.statusBar().showMessage(tr("Text size {pt} pt (zoom {zoom}%)").format(
                pt=f"{display().pt():.0f}", zoom=f"{s.zoom * 100:.0f}"), 3000)


def load(store: QSettings) -> DisplaySettings:
    """The display settings kept in ``store`` (the defaults when absent or unreadable)."""
    raw = store.value(STORE_KEY)
    try:
        data = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        data = None
    return DisplaySettings.from_dict(data)


def _read_list(raw) -> list[str]:
    try:
        value = json.loads(raw) if isinstance(raw, str) else []
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []
