"""UI tests driven by hands: QTest key and mouse events into the real windows.

Crash-prone interaction tests live in ``tests/ui/cases/case_*.py``. pytest does
not collect them directly (the name does not start with ``test_``):
``test_cases_isolated.py`` runs each module in its own Python process, so a
segmentation fault fails that test — with the output — instead of killing the
whole suite. Run one case directly while working on it:
``QT_QPA_PLATFORM=offscreen python -m pytest tests/ui/cases/case_training_panel.py``.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QInputMethodEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QMessageBox, QWidget

FINISHES = ("enter", "tab", "focus_out")


@pytest.fixture(autouse=True, scope="session")
def workers_end_before_qt(qapp):
    """The app ends with os._exit (app.leaving), which no worker outlives; tests end normally, so they wait
    for the thread pool before Qt goes away.

    torch is imported here, on the GUI thread: otherwise the backend probe of each new window
    imports it on a worker, and the garbage collection such an import sets off there may finalize
    the Qt objects of an earlier test's window off the GUI thread — a segfault this suite caught
    once (pyqtgraph's AxisItem on the GUI thread, torch's import collecting on the worker).
    """
    try:
        import torch  # noqa: F401
    except ImportError:
        pass
    yield
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(20_000)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    # QSettings(org, app) uses the native format whatever the default: isolate both, or every
    # test shares ~/.config/Propscope/Propscope.conf with any other process using it.
    for settings_format in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings("Propscope", "Propscope").clear()
    yield
    from app.i18n import install_language

    install_language("en")


@pytest.fixture
def dialogs(monkeypatch):
    """Message boxes recorded instead of shown; questions answered with ``dialogs["answer"]`` (Yes)."""
    seen = {"warning": [], "question": [], "information": [], "answer": QMessageBox.StandardButton.Yes}

    def record(kind):
        def show(parent, title, text, *args, **kwargs):
            seen[kind].append((title, text))
            return seen["answer"] if kind == "question" else QMessageBox.StandardButton.Ok
        return staticmethod(show)

    for kind in ("warning", "question", "information"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    return seen


@pytest.fixture
def window(qtbot, dialogs):
    from app.window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitActive(w)
    yield w
    w.close()
    from app.runner import default_runner

    runner = default_runner()
    runner.request_stop()
    qtbot.waitUntil(lambda: not runner.busy, timeout=20_000)
    import gc

    gc.collect()  # this window's Qt garbage goes now, on the GUI thread, not in some worker's collection


class Hands:
    """What a person's hands do to a field: focus it, select all, type, finish editing."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot

    def focus(self, widget: QWidget) -> None:
        widget.window().activateWindow()
        widget.setFocus(Qt.FocusReason.MouseFocusReason)
        QApplication.processEvents()
        assert widget.hasFocus(), f"{widget.objectName() or type(widget).__name__} did not take the focus"

    def type(self, widget: QWidget, text: str, finish: str = "enter") -> None:
        """Select the field's text with Ctrl+A, type ``text``, then Enter, Tab or focus-out."""
        self.focus(widget)
        QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        if text:
            self.keys(widget, text)
        else:
            QTest.keyClick(widget, Qt.Key.Key_Delete)
        self.finish(widget, finish)

    @staticmethod
    def keys(widget: QWidget, text: str) -> None:
        """Type ``text``: ASCII as key presses, anything else as an input method commits it
        (QTest's key clicks are ASCII only; full-width digits or Hangul come from an IME)."""
        for char in text:
            if ord(char) < 128:
                QTest.keyClick(widget, char)
            else:
                event = QInputMethodEvent()
                event.setCommitString(char)
                QApplication.sendEvent(widget, event)

    def finish(self, widget: QWidget, how: str) -> None:
        if how == "enter":
            QTest.keyClick(widget, Qt.Key.Key_Return)
        elif how == "tab":
            QTest.keyClick(widget, Qt.Key.Key_Tab)
        elif how == "focus_out":
            other = next(w for w in widget.window().findChildren(QAbstractSpinBox) + widget.window().findChildren(
                QComboBox) if w is not widget and w.isVisible() and w.isEnabled())
            other.setFocus(Qt.FocusReason.MouseFocusReason)
        else:
            raise ValueError(how)
        QApplication.processEvents()

    def key(self, widget: QWidget, key: Qt.Key, times: int = 1) -> None:
        self.focus(widget)
        for _ in range(times):
            QTest.keyClick(widget, key)
        QApplication.processEvents()

    def wheel(self, widget: QWidget, notches: int) -> None:
        """Turn the mouse wheel over ``widget`` (120 units a notch; positive is up)."""
        centre = QPointF(widget.width() / 2, widget.height() / 2)
        event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                            QPoint(0, 120 * notches), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                            Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(widget, event)
        QApplication.processEvents()

    def choose(self, combo: QComboBox, data_or_text, expect_change: bool = True) -> None:
        """Pick an item of a closed combo box with the arrow keys, as the keyboard does
        (``expect_change=False`` when the app may refuse it and put the old item back)."""
        self.focus(combo)
        target = combo.findData(data_or_text)
        if target < 0:
            target = combo.findText(str(data_or_text))
        assert target >= 0, f"{data_or_text!r} is not offered"
        key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
        for _ in range(abs(target - combo.currentIndex())):
            QTest.keyClick(combo, key)
        QApplication.processEvents()
        assert (combo.currentIndex() == target) == expect_change

    def click(self, widget: QWidget) -> None:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        QApplication.processEvents()


@pytest.fixture
def hands(qtbot) -> Hands:
    return Hands(qtbot)
