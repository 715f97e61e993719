"""Typing into the compare window's sides and epochs: the app survives and every side gets its value.

Run in its own process by tests/ui/test_cases_isolated.py (a crash fails that test).
"""

import pytest
from PySide6.QtCore import Qt

FINISHES = ("enter", "tab", "focus_out")


@pytest.fixture
def compare(window):
    cw = window.open_compare()
    cw.activateWindow()
    return cw


def side_optimizer(cw, i):
    return cw.comparison.sessions[i].model.optimizer


@pytest.mark.parametrize("finish", FINISHES)
@pytest.mark.parametrize("text,expected", [("100", 100.0), ("1e-6", 1e-6), ("1e3", 1000.0), ("0.05", 0.05),
                                           ("2E-3", 0.002), ("5000", 1000.0)])
def test_a_side_learning_rate_typed(compare, hands, finish, text, expected):
    hands.type(compare.sides[1].learning_rate, text, finish)
    assert side_optimizer(compare, 1).current_learning_rate() == pytest.approx(expected)
    assert compare.sides[1].variant().learning_rate == pytest.approx(expected)
    assert side_optimizer(compare, 0).current_learning_rate() == pytest.approx(0.01)  # side A unchanged


@pytest.mark.parametrize("garbage", ["abc", "", "1e", "-2", " ", "e"])
def test_garbage_in_a_side_keeps_its_value(compare, hands, dialogs, garbage):
    hands.type(compare.sides[0].learning_rate, "0.3", "enter")
    hands.type(compare.sides[0].learning_rate, garbage, "tab")
    assert side_optimizer(compare, 0).current_learning_rate() == pytest.approx(0.3)
    assert not dialogs["warning"]


def test_batch_size_zero_is_the_full_batch_and_arrows_step(compare, hands):
    field = compare.sides[0].batch_size
    hands.type(field, "0", "enter")
    assert field.text() == "full batch"
    session = compare.comparison.sessions[0]
    assert session.batch_size == session.n
    hands.key(field, Qt.Key.Key_Up)
    assert compare.comparison.sessions[0].batch_size == 1
    hands.type(field, "99999999", "enter")  # digits past the maximum are refused as they are typed
    assert compare.sides[0].batch_size.value() == 99_999
    assert compare.comparison.sessions[0].batch_size == 99_999


def test_keyboard_choices_of_activation_optimizer_and_preset(compare, hands):
    hands.choose(compare.sides[0].activation, "tanh")
    assert compare.comparison.sessions[0].model.compute_layers[0].activation.name == "tanh"
    hands.choose(compare.sides[1].optimizer, "RMSprop")
    assert type(side_optimizer(compare, 1)).__name__ == "RMSprop"
    hands.choose(compare.preset, "optimizers")
    assert len(compare.comparison.sessions) == 4


@pytest.mark.parametrize("finish", FINISHES)
def test_epochs_only_change_the_epoch_count(compare, hands, finish):
    compare.comparison.advance(100)  # samples
    comparison = compare.comparison
    steps = [s.step for s in comparison.sessions]
    assert min(steps) > 0
    hands.type(compare.epochs, "7", finish)
    assert compare.comparison is comparison and comparison.epochs == 7
    assert all(s.epochs == 7 for s in comparison.sessions) and [s.step for s in comparison.sessions] == steps
    hands.type(compare.epochs, "abc", "enter")
    assert comparison.epochs == 7


def test_typing_while_the_comparison_runs(compare, hands, qtbot):
    hands.type(compare.epochs, "500", "enter")
    compare.toggle_run()
    qtbot.waitUntil(lambda: compare.comparison.sessions[0].step > 2, timeout=30_000)
    hands.type(compare.epochs, "400", "enter")
    assert compare.comparison.epochs == 400 and compare.running
    hands.type(compare.sides[0].learning_rate, "0.2", "enter")  # a new comparison (it stops and rebuilds)
    assert side_optimizer(compare, 0).current_learning_rate() == pytest.approx(0.2)
    if compare.running:
        compare.toggle_run()
    qtbot.waitUntil(lambda: not compare.running, timeout=30_000)
