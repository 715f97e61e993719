"""App tests: isolated QSettings and modal dialogs that answer without blocking."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox


@pytest.fixture(autouse=True, scope="session")
def workers_end_before_qt(qapp):
    """The app ends with os._exit (app.leaving), which no worker outlives; tests end normally, so they wait
    for the thread pool before Qt goes away."""
    yield
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(20_000)


@pytest.fixture(autouse=True)
def no_blocking_file_dialogs(monkeypatch):
    """A file dialog a test forgot to answer fails the test instead of waiting for a hand forever."""
    from PySide6.QtWidgets import QFileDialog

    def refuse(self, *a, **k):
        pytest.fail(f"a file dialog opened ({self.windowTitle()!r}); answer it with monkeypatch on app.dialogs")

    monkeypatch.setattr(QFileDialog, "exec", refuse)


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

    install_language("en")  # a test that switched to Korean leaves English behind
    from settings.display import DisplaySettings
    from widgets.display import display

    if display().settings != DisplaySettings():
        display().apply(DisplaySettings())  # nor does one that switched presentation mode on leave it


@pytest.fixture
def dialogs(monkeypatch):
    """Record message boxes instead of showing them; questions are answered Yes."""
    seen = {"warning": [], "question": [], "information": []}

    def warning(parent, title, text, *a, **k):
        seen["warning"].append((title, text))
        return QMessageBox.StandardButton.Ok

    def question(parent, title, text, *a, **k):
        seen["question"].append((title, text))
        return QMessageBox.StandardButton.Yes

    def information(parent, title, text, *a, **k):
        seen["information"].append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(information))
    return seen


@pytest.fixture
def answers(monkeypatch):
    """QMessageBox.question answered with ``answers.reply`` (Yes/No); the questions asked are recorded (the discard
    guard's tests)."""

    class Answers:
        reply = QMessageBox.StandardButton.No
        asked: list = []

    def question(parent, title, text, *args, **kwargs):
        Answers.asked.append((title, text))
        return Answers.reply

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    Answers.asked = []
    return Answers


def wait_for_runs_to_end(qtbot, timeout=20_000):
    """Runs stop on their own after a stop request: wait for the app's runner to be idle."""
    from app.runner import default_runner

    runner = default_runner()
    runner.request_stop()
    qtbot.waitUntil(lambda: not runner.busy, timeout=timeout)


@pytest.fixture
def window(qtbot, dialogs):
    from app.window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    wait_for_runs_to_end(qtbot)
