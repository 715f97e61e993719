"""Nothing stale on screen: what the main window does when something comes back into view or the session changes.

- A dock shown again (its tab picked, re-shown from the View menu, floated or docked back) renders the frame on
  screen at once, not the one from when it was hidden: hidden docks are not rendered while training, to save
  the time.
- No stale row of dock tabs: Qt (6.x) leaves the tab bar of a half-made group on screen when a second group of
  docks is tabified (a "Metrics | Inspector" bar over the views beside the real four-tab bar);
  :func:`hide_stale_tab_bars` hides every bar that is not its group's one, and :class:`StaleTabBarGuard` hides
  it again whenever Qt's layout shows it again (loading a lesson, showing a dock: a "Metric" fragment over the
  Data dock).
- A new session (other data, model or lesson; not a Reset) clears what belonged to the earlier one: the gradient
  check's results, the status bar's lesson hint, and the plot ranges the user zoomed or panned to (each plot
  follows its data again; ranges a view set itself stay its own).
"""

from __future__ import annotations

import weakref
from typing import Callable

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar, QWidget


class ShownAgain:
    """Renders a dock's view with the current frame whenever the dock becomes visible again.

    Parameters
    ----------
    current_frame : callable() -> Frame or None
        The frame the window shows now.
    """

    def __init__(self, current_frame: Callable[[], object]) -> None:
        self.current_frame = current_frame

    def watch(self, dock: QDockWidget, render: Callable[[object], None]) -> None:
        """Call ``render(frame)`` each time ``dock`` becomes visible (tab, View menu, floating)."""
        def shown(visible: bool) -> None:
            frame = self.current_frame()
            if visible and frame is not None:
                render(frame)

        dock.visibilityChanged.connect(shown)
        dock.topLevelChanged.connect(lambda _floating: shown(dock.isVisible()))


class ZoomMemory:
    """Remembers which plots the user zoomed or panned, and lets them follow their data again on a new session.

    A plot's own fixed range (a bar chart of probabilities from 0 to 1) is not a user's zoom: only ranges changed
    by hand (pyqtgraph's ``sigRangeChangedManually``) are given back to auto-range.
    """

    def __init__(self, root: QWidget) -> None:
        self.root = root
        self._known: weakref.WeakSet = weakref.WeakSet()
        self._moved: weakref.WeakSet = weakref.WeakSet()

    def watch(self) -> None:
        """Start watching every plot under the root built since the last call (views are built on first show)."""
        for box in view_boxes(self.root):
            if box not in self._known:
                self._known.add(box)
                box.sigRangeChangedManually.connect(self._marker(box))

    def _marker(self, box: pg.ViewBox) -> Callable:
        ref = weakref.ref(box)  # the connection must not keep the plot alive

        def moved(_mask) -> None:
            target = ref()
            if target is not None:
                self._moved.add(target)

        return moved

    @property
    def moved(self) -> int:
        """How many plots show a range set by hand now."""
        return len(self._moved)

    def forget(self) -> None:
        """Plots zoomed or panned by hand follow their data again."""
        for box in list(self._moved):
            box.enableAutoRange()
        self._moved.clear()


def view_boxes(root: QWidget) -> list[pg.ViewBox]:
    """Every pyqtgraph plot area inside ``root`` (PlotWidgets and plots in GraphicsLayoutWidgets alike)."""
    boxes = []
    for view in root.findChildren(pg.GraphicsView):
        scene = view.scene()
        if scene is not None:
            boxes.extend(item for item in scene.items() if isinstance(item, pg.ViewBox))
    return boxes


def hide_stale_tab_bars(window: QMainWindow) -> int:
    """Hide the main window's dock tab bars that show no current group of tabified docks, or repeat one that
    another bar shows already; returns how many were hidden."""
    docks = [d for d in window.findChildren(QDockWidget) if not d.isFloating() and not d.isHidden()]
    groups = {frozenset([d.windowTitle(), *(o.windowTitle() for o in window.tabifiedDockWidgets(d))])
              for d in docks if window.tabifiedDockWidgets(d)}
    shown, hidden = set(), 0
    for bar in window.findChildren(QTabBar):
        if bar.parent() is not window or bar.isHidden():
            continue
        titles = frozenset(bar.tabText(i) for i in range(bar.count()))
        if titles not in groups or titles in shown:
            bar.hide()
            hidden += 1
        shown.add(titles)
    return hidden


class StaleTabBarGuard(QObject):
    """Runs :func:`hide_stale_tab_bars` after any dock tab bar of ``window`` is shown (Qt re-shows a stale one
    each time it lays the dock areas out again)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._pending = False
        window.installEventFilter(self)
        for bar in window.findChildren(QTabBar):
            if bar.parent() is window:
                bar.installEventFilter(self)
        self.check()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._window and kind == QEvent.Type.ChildPolished and isinstance(event.child(), QTabBar):
            event.child().installEventFilter(self)  # a new group's bar (polished: whole, before it shows)
        elif isinstance(watched, QTabBar) and kind == QEvent.Type.Show and not self._pending:
            self._pending = True  # once, after Qt has finished this layout
            QTimer.singleShot(0, self.check)
        return False

    def check(self) -> int:
        """Hide the stale bars now; returns how many were hidden."""
        self._pending = False
        return hide_stale_tab_bars(self._window)
