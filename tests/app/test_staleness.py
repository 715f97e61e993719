"""Nothing stale: docks and tabs shown again show the current step; a new data set or lesson clears the old one's
results, hints and zoomed plot ranges."""

from dataclasses import replace

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication


def test_the_inspector_dock_shown_again_shows_the_current_step_at_once(window, qtbot):
    c, inspector = window.controller, window.inspector
    window.views.view("network").neuron_selected.emit(1, 0)  # a click on a neuron: the inspector in front
    c.step_phase()
    first = c.latest
    assert inspector.snapshot is first
    window.docks["Metrics"].raise_()  # the inspector's tab goes behind: hidden docks are not rendered
    QApplication.processEvents()
    for _ in range(5):
        c.step_phase()
    assert inspector.snapshot is first
    window.docks["Inspector"].raise_()  # its tab picked again
    QApplication.processEvents()
    assert inspector.snapshot is c.latest
    assert f"step {c.latest.step}" in inspector.text.text()
    window.docks["Metrics"].raise_()
    QApplication.processEvents()
    c.step_batch()
    window.docks["Inspector"].setFloating(True)  # undocked
    QApplication.processEvents()
    assert inspector.snapshot is c.latest


def test_a_tab_shown_again_after_a_data_change_shows_the_new_data(window, qtbot):
    c = window.controller
    matrices = window.views.show_view("matrices")
    c.step_batch()
    window.views.show_view("network")
    window.requests.data(replace(c.data_config, builtin="circle", n_samples=200))  # asked (Yes) and loaded
    c.step_phase()
    assert matrices.snapshot is not c.latest
    window.views.show_view("matrices")
    assert matrices.snapshot is c.latest and c.latest.layers[0].W.shape[0] == 2


def test_a_new_data_set_clears_the_gradient_check_and_the_lesson_hint(window):
    c = window.controller
    assert window.course.apply_lesson("xor_mlp")
    assert "XOR" in window.statusBar().currentMessage()
    c.step_batch()
    window.run_gradcheck()
    assert window.gradcheck.table.rowCount() > 0
    c.reset()  # the same model: the results still describe it
    assert window.gradcheck.table.rowCount() > 0 and "XOR" in window.statusBar().currentMessage()
    window.requests.data(replace(c.data_config, source="builtin", builtin="circle"))
    assert c.dataset.name.lower().startswith("circle")
    assert window.gradcheck.table.rowCount() == 0 and window.gradcheck.entries == []
    assert "XOR" not in window.statusBar().currentMessage()


def wheel(widget, steps: int) -> None:
    """Turn the mouse wheel over the middle of ``widget`` (as hands do: a real wheel event)."""
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(QPoint(int(centre.x()), int(centre.y())))), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_a_zoomed_plot_follows_the_new_data_after_a_lesson(window):
    c = window.controller
    window.docks["Metrics"].raise_()
    window.zoom.watch()
    for _ in range(3):
        c.step_batch()
    box = window.metrics.loss_plot.getViewBox()
    wheel(window.metrics.plots.viewport(), 3)  # zoomed in by hand: auto-range is off
    assert window.zoom.moved >= 1 and not any(box.autoRangeEnabled())
    assert window.course.apply_lesson("xor_mlp")  # a new lesson (asked, Yes)
    assert all(box.autoRangeEnabled()) and window.zoom.moved == 0
    assert c.session.step == 0


def visible_dock_tab_bars(window):
    from PySide6.QtWidgets import QTabBar

    return [[bar.tabText(i) for i in range(bar.count())] for bar in window.findChildren(QTabBar)
            if bar.parent() is window and bar.isVisible()]


def test_one_row_of_tabs_per_dock_group_fresh_and_after_the_layout_is_restored(window, qtbot):
    from app.window import MainWindow

    right = ["Metrics", "Inspector", "Code", "Gradient check"]
    assert sorted(map(sorted, visible_dock_tab_bars(window))) == sorted([sorted(["Data", "Model", "Training"]),
                                                                        sorted(right)])
    window.docks["Code"].close()
    window.close()  # saves the layout
    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    bars = visible_dock_tab_bars(again)
    assert sorted(map(sorted, bars)) == sorted([sorted(["Data", "Model", "Training"]),
                                                sorted(["Metrics", "Inspector", "Gradient check"])])
    again.close()
