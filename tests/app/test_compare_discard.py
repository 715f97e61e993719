"""Compare mode asks before throwing its training away (Reset, a preset, an edited side); No keeps it."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture
def compare(window, qtbot):
    cw = window.open_compare()
    qtbot.addWidget(cw)
    cw.apply_preset("optimizer")
    yield cw
    cw.stop()
    qtbot.waitUntil(lambda: not cw.running, timeout=20_000)


def trained(cw, qtbot):
    """Train every side one epoch; return the sessions and their weights."""
    cw.epochs.setValue(1)
    cw.start()
    qtbot.waitUntil(lambda: not cw.running and cw.comparison.done, timeout=60_000)
    sessions = list(cw.comparison.sessions)
    assert all(s.max_step > 0 for s in sessions) and cw.controller.trained_steps == sessions[0].max_step
    return sessions, [[np.array(w) for w in s.model.get_weights()] for s in sessions]


def kept(cw, sessions, weights):
    assert list(cw.comparison.sessions) == sessions
    for s, before in zip(sessions, weights):
        assert all(np.array_equal(a, b) for a, b in zip(before, s.model.get_weights()))


def test_reset_asks_and_no_keeps_every_side(compare, qtbot, answers):
    sessions, weights = trained(compare, qtbot)
    QTest.mouseClick(compare.reset_button, Qt.MouseButton.LeftButton)
    assert len(answers.asked) == 1 and "trained steps are discarded" in answers.asked[0][1]
    kept(compare, sessions, weights)
    answers.reply = QMessageBox.StandardButton.Yes
    QTest.mouseClick(compare.reset_button, Qt.MouseButton.LeftButton)
    assert all(s.max_step == 0 for s in compare.comparison.sessions)
    assert not set(compare.comparison.sessions) & set(sessions)


def test_a_typed_learning_rate_answered_no_puts_the_side_back(compare, qtbot, answers):
    sessions, weights = trained(compare, qtbot)
    field = compare.sides[0].learning_rate
    before = field.value()
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, "0.5")
    QTest.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(answers.asked) == 1)
    qtbot.wait(20)
    kept(compare, sessions, weights)
    assert field.value() == pytest.approx(before)  # the editor shows what the sides were built from
    answers.reply = QMessageBox.StandardButton.Yes
    field.selectAll()
    QTest.keyClicks(field, "0.5")
    QTest.keyClick(field, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: compare.comparison.sessions[0] is not sessions[0])
    assert compare.comparison.sessions[0].engine.optimizer.learning_rate == pytest.approx(0.5)


def test_a_preset_answered_no_keeps_the_comparison_and_its_name(compare, qtbot, answers):
    sessions, weights = trained(compare, qtbot)
    box = compare.preset
    other = next(i for i in range(box.count()) if box.itemData(i) == "batch")
    box.setCurrentIndex(other)
    box.activated.emit(other)  # what choosing it in the list sends
    assert len(answers.asked) == 1
    kept(compare, sessions, weights)
    assert box.currentData() == "optimizer"
    assert compare.comparison.labels == ["A · SGD (lr 0.01)", "B · Adam (lr 0.001)"]


def test_nothing_trained_nothing_asked(compare, answers):
    QTest.mouseClick(compare.reset_button, Qt.MouseButton.LeftButton)
    assert answers.asked == []
