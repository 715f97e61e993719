"""The export, animation and session dialogs answered by typing, and the Steps bar by keyboard.

Run in its own process by tests/ui/test_cases_isolated.py (a crash fails that test).
"""

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLineEdit


def answer_dialogs(*handlers):
    """Each handler answers the next modal dialog that opens (it gets the dialog), in order."""
    pending = list(handlers)
    answered = []

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog in answered:
            QTimer.singleShot(20, poll)
            return
        answered.append(dialog)
        pending.pop(0)(dialog)
        if pending:
            QTimer.singleShot(20, poll)
    QTimer.singleShot(0, poll)


def accept_with_enter(dialog):
    """Enter on a dialog's default button (OK), as a hand presses it."""
    QTest.keyClick(dialog, Qt.Key.Key_Return)


def file_name(hands, text: str | None, seen: list):
    """A handler typing ``text`` into a file dialog's name field and saving (``None``: Escape)."""
    def answer(dialog):
        assert isinstance(dialog, QFileDialog), dialog
        seen.append(dialog.windowTitle())
        if text is None:
            QTest.keyClick(dialog, Qt.Key.Key_Escape)
            return
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        edit.setFocus()
        edit.selectAll()
        hands.keys(edit, text)
        popup = edit.completer().popup() if edit.completer() else None
        if popup is not None and popup.isVisible():
            popup.hide()  # the dialog's completer list: a hand would ignore it and press Enter
        QTest.keyClick(edit, Qt.Key.Key_Return)
        if dialog.isVisible():  # Qt's dialog may keep Enter for its completer: click Save as a hand would
            buttons = dialog.findChild(QDialogButtonBox)
            accept = next(b for b in buttons.buttons()
                          if buttons.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole)
            QTest.mouseClick(accept, Qt.MouseButton.LeftButton)
    return answer


def answer_file_dialog(hands, text: str | None, seen: list):
    """Accept the export options dialog with Enter, then type ``text`` into the file dialog."""
    answer_dialogs(accept_with_enter, file_name(hands, text, seen))


@pytest.fixture
def file_dialogs(monkeypatch):
    # Qt's own (widget) dialog, which the offscreen platform uses anyway: the same on every desktop.
    original = QFileDialog.getSaveFileName

    def widget_dialog(parent, caption="", directory="", filter="", *args, **kwargs):
        return original(parent, caption, directory, filter, None, QFileDialog.Option.DontUseNativeDialog)

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(widget_dialog))


@pytest.mark.parametrize("name", ["figure.png", "그림 ü.png", "figure.svg", "no_extension"])
def test_export_figure_by_typing_a_file_name(window, hands, dialogs, file_dialogs, tmp_path, name):
    """The options dialog (size, resolution…) accepted with Enter, then the file name typed."""
    out = tmp_path / "out"
    out.mkdir()
    window.store.setValue("last_export_dir", str(out))
    window.controller.step_phase()
    seen = []
    answer_file_dialog(hands, str(out / name), seen)
    window.exports.figure_dialog()
    assert seen == ["Export figure"]
    written = sorted(p.name for p in out.iterdir())
    if "." not in name:  # no format to write: said so, nothing written
        assert not written and dialogs["warning"] and dialogs["warning"][-1][0] == "Could not export the figure"
        return
    assert name in written  # and the numbers beside it (CSV, NPZ), as the options dialog says
    assert (out / name).stat().st_size > 1000 and not dialogs["warning"]


def test_a_cancelled_dialog_changes_nothing(window, hands, dialogs, file_dialogs, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    window.store.setValue("last_export_dir", str(out))
    seen = []
    answer_file_dialog(hands, None, seen)
    window.exports.figure_dialog()
    assert seen and not list(out.iterdir()) and not dialogs["warning"]


def test_record_an_animation_and_save_a_session_by_typing(window, hands, dialogs, file_dialogs, tmp_path):
    window.store.setValue("last_export_dir", str(tmp_path))
    for _ in range(3):
        window.controller.step_batch()
    seen, typed = [], {}

    def animation_options(dialog):
        for field, text in ((dialog.first, "1"), (dialog.last, "abc"), (dialog.every, "0"), (dialog.fps, "2.5")):
            hands.type(field, text, "tab")
        hands.type(dialog.last, "99999", "tab")  # past the last step: refused as typed
        typed.update(first=dialog.first.value(), last=dialog.last.value(), every=dialog.every.value(),
                     fps=dialog.fps.value(), fps_text=dialog.fps.text())
        accept_with_enter(dialog)

    answer_dialogs(animation_options, file_name(hands, str(tmp_path / "steps.gif"), seen))
    window.exports.animation_dialog()
    assert typed == {"first": 1, "last": 3, "every": 1, "fps": 2.5, "fps_text": "2.5 frames/s"}
    assert (tmp_path / "steps.gif").stat().st_size > 0
    answer_dialogs(file_name(hands, str(tmp_path / "lesson.propscope"), seen))
    window.files.save_session_dialog(window.exports.ask_save)
    assert (tmp_path / "lesson.propscope").exists()
    assert seen == ["Record animation", "Save session"] and not dialogs["warning"]
    assert window.controller.session.step == 3


def test_an_unwritable_place_is_a_message_not_a_crash(window, hands, dialogs, file_dialogs, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    window.controller.step_phase()
    assert window.exports.figure(str(blocker / "inside.png")) is False  # a path through a file
    assert dialogs["warning"] and dialogs["warning"][-1][0].startswith("Could not export")


def test_rewind_slider_by_keyboard_and_wheel(window, hands):
    c, slider = window.controller, window.steps.slider
    for _ in range(6):
        c.step_batch()
    hands.key(slider, Qt.Key.Key_Left, 2)
    assert c.session.step == 4 and slider.value() == 4
    hands.key(slider, Qt.Key.Key_Home)
    assert c.session.step == 0
    hands.key(slider, Qt.Key.Key_End)
    assert c.session.step == 6
    hands.wheel(slider, -1)
    assert c.session.step == slider.value() < 6


def test_run_speed_by_keyboard(window, hands):
    hands.choose(window.steps.speed, window.steps.speed.itemData(0))
    assert window.steps.batches_per_second() is not None
