"""The model panel's rows of Dense, Dropout and BatchNormalization layers, driven as hands do."""

import pytest
from PySide6.QtCore import Qt

from settings.config import LayerRow, ModelSpec
from widgets.model_panel import ModelPanel

DENSE_NET = ModelSpec((LayerRow(8, "tanh"), LayerRow(6, "tanh"), LayerRow(1, "sigmoid")))


@pytest.fixture
def panel(qtbot):
    panel = ModelPanel()
    qtbot.addWidget(panel)
    panel.set_spec(DENSE_NET)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def emitted(qtbot, panel, action):
    with qtbot.waitSignal(panel.model_requested, timeout=2000) as blocker:
        action()
    return blocker.args[0]


def type_into(qtbot, spin, text):
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def test_add_dropout_and_batchnorm_after_the_selected_layer(qtbot, panel):
    panel.table.selectRow(0)
    spec = emitted(qtbot, panel, lambda: qtbot.mouseClick(panel.add_dropout_button, Qt.MouseButton.LeftButton))
    assert [row.kind for row in spec.layers] == ["Dense", "Dropout", "Dense", "Dense"]
    assert spec.layers[1].rate == 0.3
    panel.set_spec(spec)
    panel.table.selectRow(2)
    spec = emitted(qtbot, panel, lambda: qtbot.mouseClick(panel.add_batchnorm_button, Qt.MouseButton.LeftButton))
    assert [row.kind for row in spec.layers] == ["Dense", "Dropout", "Dense", "BatchNormalization", "Dense"]
    # Without a selection, a new layer goes before the output layer.
    panel.set_spec(DENSE_NET)
    panel.table.clearSelection()
    panel.table.setCurrentCell(-1, -1)
    spec = emitted(qtbot, panel, lambda: qtbot.mouseClick(panel.add_dropout_button, Qt.MouseButton.LeftButton))
    assert [row.kind for row in spec.layers] == ["Dense", "Dense", "Dropout", "Dense"]


def test_typing_a_rate_and_a_penalty_edits_the_row_in_place(qtbot, panel):
    panel.set_spec(ModelSpec((LayerRow(8, "tanh"), LayerRow(kind="Dropout", rate=0.3), LayerRow(1, "sigmoid"))))
    rate_editor = panel.rows[1].rate
    spec = emitted(qtbot, panel, lambda: type_into(qtbot, rate_editor, "0.5"))
    assert spec.layers[1] == LayerRow(kind="Dropout", rate=0.5)
    panel.set_spec(spec)
    assert panel.rows[1].rate is rate_editor  # same number of rows: the editors stay, updated in place
    row = panel.rows[0]
    assert not row.factor.isEnabled()
    row.penalty.setFocus()
    spec = emitted(qtbot, panel, lambda: qtbot.keyClick(row.penalty, Qt.Key.Key_Down))  # none → l1
    assert spec.layers[0].penalty == "l1" and spec.layers[0].factor == 0.001 and row.factor.isEnabled()
    spec = emitted(qtbot, panel, lambda: type_into(qtbot, row.factor, "0.01"))
    assert spec.layers[0] == LayerRow(8, "tanh", penalty="l1", factor=0.01)
    type_into(qtbot, row.factor, "abc")  # letters cannot be typed into the factor: nothing changes
    assert panel.spec().layers[0].factor == 0.01


def test_changing_a_rows_kind_keeps_its_widgets_and_the_output_stays_dense(qtbot, panel):
    row = panel.rows[1]
    row.kind.setFocus()
    spec = emitted(qtbot, panel, lambda: qtbot.keyClick(row.kind, Qt.Key.Key_Down))  # Dense → Dropout
    assert spec.layers[1] == LayerRow(kind="Dropout", rate=0.3)
    assert not row.activation.isEnabled() and row.size.currentWidget() is row.rate
    assert not panel.rows[-1].kind.isEnabled()  # the output layer's kind cannot change
    panel.set_spec(spec)
    panel.table.selectRow(1)
    with qtbot.assertNotEmitted(panel.model_requested):
        panel.move_layer(1)  # a Dropout below the output layer: refused
    assert [r.kind for r in panel.spec().layers] == ["Dense", "Dropout", "Dense"]
