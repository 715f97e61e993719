"""Typing into every field of the Training dock: the app survives and the session gets the value.

Run in its own process by tests/ui/test_cases_isolated.py (a crash fails that test).
"""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from settings.training_changes import describe_change
from settings.vocabulary import LOSSES, OPTIMIZERS, optimizer_defaults, optimizer_label
from widgets.number_fields import ScientificSpinBox

FINISHES = ("enter", "tab", "focus_out")


def trained(window, batches=3):
    """Give the session progress, so a restart would have to ask."""
    window.docks["Training"].raise_()
    for _ in range(batches):
        window.controller.step_batch()
    assert window.controller.session.step == batches


def lr_field(window):
    return window.training_panel.hyper_widgets["learning_rate"]


@pytest.mark.parametrize("finish", FINISHES)
def test_typing_a_learning_rate_changes_it_in_place_and_training_continues(window, hands, dialogs, finish):
    trained(window)
    c = window.controller
    session, weights = c.session, [w.copy() for w in c.model.get_weights()]
    iterations = int(c.model.optimizer.iterations)
    hands.type(lr_field(window), "0.1", finish)
    assert c.train_config.hyper["learning_rate"] == 0.1
    assert c.model.optimizer.current_learning_rate() == 0.1          # the optimizer the session steps with
    assert c.session is session and session.step == 3      # nothing restarted
    assert int(c.model.optimizer.iterations) == iterations  # Adam's state is kept
    assert all(np.array_equal(a, b) for a, b in zip(weights, c.model.get_weights()))
    assert not dialogs["question"]                         # nothing is discarded, so nothing is asked
    assert "learning_rate=0.1" in window.code.keras.toPlainText()
    c.step_batch()
    assert session.history.scalar("learning_rate")[1][-1] == pytest.approx(0.1)


@pytest.mark.parametrize("text,expected", [
    ("1e-6", 1e-6), ("1e3", 1000.0), ("100", 100.0), ("2.5E-4", 2.5e-4), ("0,5", 0.5), ("0.000001", 1e-6),
    ("5000", 1000.0), ("1e-9", 1e-6), ("+3e+2", 300.0)])
def test_learning_rates_from_1e_6_to_1e3_plain_or_scientific(window, hands, text, expected):
    hands.type(lr_field(window), text, "enter")
    assert window.controller.model.optimizer.current_learning_rate() == pytest.approx(expected, rel=1e-12)
    assert lr_field(window).text() in {"1e-6", "1000", "100", "0.00025", "0.5", "300"}


@pytest.mark.parametrize("garbage", ["abc", "", "1e", "-5", "-0.1", "nan", "inf", "e-3", " ", "--", "ｘ", "1e+"])
@pytest.mark.parametrize("finish", FINISHES)
def test_garbage_in_the_learning_rate_keeps_the_last_value(window, hands, dialogs, garbage, finish):
    hands.type(lr_field(window), "0.05", "enter")
    hands.type(lr_field(window), garbage, finish)
    assert window.controller.model.optimizer.current_learning_rate() == 0.05
    assert lr_field(window).text() == "0.05"
    assert not dialogs["warning"]


def test_refused_keystrokes_leave_what_is_a_number_and_pasted_garbage_is_refused(window, hands):
    from PySide6.QtGui import QGuiApplication

    field = lr_field(window)
    hands.type(field, "1.2.3", "enter")  # the second "." is refused as it is typed
    assert window.controller.model.optimizer.current_learning_rate() == pytest.approx(1.23)
    hands.type(field, "１２", "enter")  # full-width digits (a Korean input method) are digits
    assert window.controller.model.optimizer.current_learning_rate() == 12.0
    QGuiApplication.clipboard().setText("0x10")
    hands.focus(field)
    field.selectAll()
    hands.key(field, Qt.Key.Key_Escape)
    from PySide6.QtTest import QTest

    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    hands.finish(field, "enter")
    assert window.controller.model.optimizer.current_learning_rate() == 12.0 and field.text() == "12"


def test_arrows_step_by_significant_digit_and_page_keys_by_decade(window, hands):
    field = lr_field(window)
    hands.type(field, "0.001", "enter")
    hands.key(field, Qt.Key.Key_Up)
    assert window.controller.model.optimizer.current_learning_rate() == pytest.approx(0.002)
    hands.key(field, Qt.Key.Key_Down, 2)
    assert window.controller.model.optimizer.current_learning_rate() == pytest.approx(0.0009)
    hands.key(field, Qt.Key.Key_PageUp)
    assert window.controller.model.optimizer.current_learning_rate() == pytest.approx(0.009)
    hands.key(field, Qt.Key.Key_PageDown, 3)
    assert window.controller.model.optimizer.current_learning_rate() == pytest.approx(9e-6)
    hands.wheel(field, 2)
    assert field.text() == "2e-5"
    assert window.controller.model.optimizer.current_learning_rate() == pytest.approx(2e-5)
    hands.key(field, Qt.Key.Key_PageDown, 5)
    assert field.text() == "1e-6"  # the minimum holds


def test_every_hyper_parameter_of_every_optimizer(window, hands, dialogs):
    trained(window)
    c, panel = window.controller, window.training_panel
    for name in OPTIMIZERS:
        hands.choose(panel.optimizer, name)
        assert c.train_config.optimizer == name and type(c.model.optimizer).__name__ == optimizer_label(name)
        for key, field in panel.hyper_widgets.items():
            default = optimizer_defaults(name)[key]
            if isinstance(default, bool):
                hands.focus(field)
                hands.key(field, Qt.Key.Key_Space)
                assert getattr(c.model.optimizer, key) is (not default)
                continue
            value = {"learning_rate": "0.02", "epsilon": "1e-5", "weight_decay": "0.01",
                     "initial_accumulator_value": "0.2", "momentum": "0.5", "rho": "0.8", "beta_1": "0.85",
                     "beta_2": "0.99"}[key]
            for finish in FINISHES:
                hands.type(field, value, finish)
                assert float(getattr(c.model.optimizer, key)) == pytest.approx(float(value)), (name, key, finish)
                hands.type(field, "garbage!", finish)
                assert float(getattr(c.model.optimizer, key)) == pytest.approx(float(value)), (name, key, finish)
            if key not in ("learning_rate",):
                hands.type(field, "7", "enter")  # out of range: clamped to what the optimizer accepts
                assert float(getattr(c.model.optimizer, key)) <= 1000
        c.step_batch()  # the changed optimizer trains
        assert c.session.step >= 1 and np.isfinite(c.session.history.scalar("loss")[1][-1])
    assert not [w for w in dialogs["warning"] if "Training" in w[0]]


def test_momentum_switched_on_mid_run_keeps_training(window, hands):
    hands.choose(window.training_panel.optimizer, "SGD")
    trained(window)
    c = window.controller
    session = c.session
    hands.type(window.training_panel.hyper_widgets["momentum"], "0.9", "enter")
    assert c.session is session and c.model.optimizer.momentum == 0.9
    c.step_batch()
    assert "momentum" in c.model.optimizer.slots and session.step == 4
    c.seek(1)
    c.seek(4)  # the replay uses momentum 0 before the change, 0.9 after: the same weights as first time
    assert session.step == 4


@pytest.mark.parametrize("finish", FINISHES)
def test_epochs_only_change_the_epoch_count(window, hands, dialogs, finish):
    trained(window)
    c = window.controller
    session = c.session
    hands.type(window.training_panel.epochs, "3", finish)
    assert c.train_config.epochs == 3 and session.epochs == 3 and c.session is session and session.step == 3
    assert "epochs=3," in window.code.keras.toPlainText()
    hands.type(window.training_panel.epochs, "0", "enter")  # below the minimum: the last value stays
    assert session.epochs == 3
    hands.type(window.training_panel.epochs, "99999999", "enter")  # digits past the maximum are refused
    assert session.epochs == 99_999
    assert not dialogs["question"]


def test_batch_size_keeps_the_weights_and_the_optimizer_state(window, hands, dialogs):
    trained(window)
    c = window.controller
    weights = [w.copy() for w in c.model.get_weights()]
    iterations = int(c.model.optimizer.iterations)
    hands.type(window.training_panel.batch_size, "64", "tab")
    assert c.session.batch_size == 64 and c.train_config.batch_size == 64
    assert all(np.array_equal(a, b) for a, b in zip(weights, c.model.get_weights()))
    assert int(c.model.optimizer.iterations) == iterations
    c.step_batch()
    assert int(c.model.optimizer.iterations) == iterations + 1  # Adam's bias correction goes on, not from 1
    assert not dialogs["question"]
    assert "batch_size=64," in window.code.keras.toPlainText()
    for text, expected in (("0", 64), ("-3", 3), ("99999999", 99_999), ("100000", 100_000), ("abc", 100_000),
                           ("", 100_000)):
        hands.type(window.training_panel.batch_size, text, "enter")
        assert c.session.batch_size == expected


def test_precision_keeps_the_weights(window, hands, dialogs):
    trained(window)
    c = window.controller
    weights = [w.copy() for w in c.model.get_weights()]
    hands.choose(window.training_panel.dtype, "float64")
    assert c.model.ops.dtype == "float64" and c.train_config.dtype == "float64"
    assert all(np.allclose(a, b) for a, b in zip(weights, c.model.get_weights()))
    c.step_batch()
    assert not dialogs["question"]


@pytest.mark.parametrize("what", ["seed", "loss", "optimizer"])
def test_a_new_model_asks_first_and_no_keeps_the_training(window, hands, dialogs, what):
    trained(window)
    c = window.controller
    session = c.session
    dialogs["answer"] = dialogs["answer"].No
    panel = window.training_panel
    if what == "seed":
        hands.type(panel.seed, "7", "enter")
    elif what == "loss":
        neighbour = LOSSES[LOSSES.index(c.train_config.loss) + 1]  # one key press away
        hands.choose(panel.loss, neighbour, expect_change=False)
    else:
        hands.choose(panel.optimizer, "RMSprop", expect_change=False)  # one key press from Adam
    assert len(dialogs["question"]) == 1
    assert c.session is session and session.step == 3
    assert describe_change(panel.current(), c.train_config).empty  # the panel shows what trains
    dialogs["answer"] = dialogs["answer"].Yes
    if what == "seed":
        hands.type(panel.seed, "7", "enter")
        assert c.session is not session and c.session.step == 0 and c.train_config.seed == 7


def test_typing_while_running_applies_without_stopping(window, hands, qtbot):
    c = window.controller
    hands.type(window.training_panel.epochs, "5000", "enter")  # a run that lasts
    window.steps.speed.setCurrentIndex(window.steps.speed.findData("max"))
    window.toggle_run()
    qtbot.waitUntil(lambda: c.session.step > 5, timeout=20_000)
    hands.type(lr_field(window), "0.003", "enter")  # applied between two batches, then the run goes on
    qtbot.waitUntil(lambda: c.model.optimizer.current_learning_rate() == 0.003, timeout=20_000)
    hands.type(window.training_panel.epochs, "4000", "enter")
    qtbot.waitUntil(lambda: c.session.epochs == 4000, timeout=20_000)
    step = c.session.step
    qtbot.waitUntil(lambda: c.session.step > step + 5, timeout=20_000)  # still running
    assert c.running
    window.toggle_run()
    qtbot.waitUntil(lambda: not c.running, timeout=20_000)


def test_every_number_field_is_a_c_locale_field(window):
    from PySide6.QtWidgets import QAbstractSpinBox

    for field in window.training_panel.findChildren(QAbstractSpinBox):
        assert field.locale().decimalPoint() == "."
    assert all(isinstance(page.fields["learning_rate"], ScientificSpinBox) for page in
               window.training_panel.pages.values())
