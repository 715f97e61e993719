"""Typing into the Model dock's layer table, and its buttons: the app survives and the model follows.

Run in its own process by tests/ui/test_cases_isolated.py (a crash fails that test).
"""

import pytest
from PySide6.QtCore import Qt

FINISHES = ("enter", "tab", "focus_out")


def units(window, row):
    return window.model_panel.rows[row].units


def activation(window, row):
    return window.model_panel.rows[row].activation


def dense_units(window):
    return [layer.units for layer in window.controller.model.compute_layers if hasattr(layer, "units")]


@pytest.mark.parametrize("finish", FINISHES)
def test_typing_units_rebuilds_the_model_with_them(window, hands, dialogs, finish):
    window.docks["Model"].raise_()
    window.controller.step_batch()
    field = units(window, 0)
    hands.type(field, "12", finish)
    assert window.controller.spec.layers[0].units == 12 and dense_units(window)[0] == 12
    assert units(window, 0) is field  # updated in place: the field typed into still exists
    assert window.controller.session.step == 0 and len(dialogs["question"]) == 1
    assert "Dense(12, activation='tanh')" in window.code.keras.toPlainText()


@pytest.mark.parametrize("text,expected", [("0", 8), ("-4", 4), ("99999", 999), ("abc", 8), ("", 8), ("4096", 4096),
                                           ("１６", 8), ("4097", 409)])
def test_units_out_of_range_or_garbage(window, hands, text, expected):
    hands.type(units(window, 0), text, "enter")
    assert window.controller.spec.layers[0].units == expected
    assert units(window, 0).value() == expected


def test_arrows_page_keys_and_wheel_on_units(window, hands):
    field = units(window, 1)
    hands.key(field, Qt.Key.Key_Up, 2)
    assert dense_units(window)[1] == 10
    hands.key(field, Qt.Key.Key_PageUp)
    assert dense_units(window)[1] == 20
    hands.wheel(field, -3)
    assert dense_units(window)[1] == 17
    hands.key(field, Qt.Key.Key_PageDown, 5)
    assert dense_units(window)[1] == 1


def test_activation_chosen_with_the_keyboard(window, hands):
    hands.choose(activation(window, 0), "relu")
    assert window.controller.spec.layers[0].activation == "relu"
    assert window.controller.model.compute_layers[0].activation.name == "relu"


def test_add_remove_and_move_layers_with_the_mouse(window, hands, dialogs):
    panel = window.model_panel
    hands.click(panel.add_button)
    assert [r.units for r in window.controller.spec.layers] == [8, 8, 16, 1]
    panel.table.selectRow(2)
    hands.click(panel.up_button)
    assert [r.units for r in window.controller.spec.layers] == [8, 16, 8, 1]
    hands.type(units(window, 1), "5", "enter")
    assert [r.units for r in window.controller.spec.layers] == [8, 5, 8, 1]
    panel.table.selectRow(0)
    hands.click(panel.remove_button)
    assert [r.units for r in window.controller.spec.layers] == [5, 8, 1]
    for _ in range(5):
        hands.click(panel.remove_button)  # the output layer stays
    assert [r.units for r in window.controller.spec.layers] == [1]
    assert panel.table.rowCount() == 1
    hands.click(panel.down_button)  # nothing below: nothing happens
    assert not dialogs["warning"]


def test_a_preset_from_the_keyboard(window, hands):
    hands.choose(window.model_panel.preset_box, "xor_2_2_1", expect_change=False)  # the box resets to its title
    assert [r.units for r in window.controller.spec.layers][-1] == 1
    assert window.model_panel.preset_box.currentIndex() == 0


def test_refusing_the_restart_keeps_the_model_and_the_table(window, hands, dialogs):
    window.controller.step_batch()
    dialogs["answer"] = dialogs["answer"].No
    hands.type(units(window, 0), "30", "enter")
    assert window.controller.spec.layers[0].units == 8 and units(window, 0).value() == 8
    assert window.controller.session.step == 1
