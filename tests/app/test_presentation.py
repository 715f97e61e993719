"""Presentation mode and zoom: every text at least 18 pt at 1366×768, docks hidden, kept between runs."""

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QMenuBar, QSpinBox, QTabBar

from settings.display import PRESENTATION_MIN_PT
from widgets.display import display


def visible_text_sizes(window):
    """(what, point size) of every visible text: widgets, and the texts of the views' canvases."""
    sizes = []
    for cls in (QLabel, QAbstractButton, QComboBox, QSpinBox, QTabBar, QMenuBar):
        for widget in window.findChildren(cls):
            if widget.isVisibleTo(window) and widget.isVisible():
                text = getattr(widget, "text", lambda: "x")()
                if text or cls in (QComboBox, QSpinBox, QTabBar, QMenuBar):
                    sizes.append((f"{cls.__name__} {text[:30]!r}", widget.font().pointSizeF()))
    for view in window.findChildren(pg.GraphicsView):
        if not view.isVisible():
            continue
        for item in view.scene().items():
            if not item.isVisible():
                continue
            if isinstance(item, pg.TextItem) and item.toPlainText():
                sizes.append((f"TextItem {item.toPlainText()[:20]!r}", item.textItem.font().pointSizeF()))
            elif isinstance(item, pg.AxisItem) and item.isVisible() and item.style["showValues"]:
                font = item.style.get("tickFont")
                sizes.append((f"axis {item.orientation}", font.pointSizeF() if font else 0.0))
            elif isinstance(item, pg.LabelItem) and item.text:
                size = item.opts.get("size", "0pt")
                sizes.append((f"title {item.text[:20]!r}", float(str(size).rstrip("pt"))))
    return sizes


def step_through(window, qtbot, phases):
    for _ in range(phases):
        qtbot.keyClick(window, Qt.Key.Key_F6)
    qtbot.wait(50)  # the font change reaches every widget through Qt's events


def test_presentation_mode_makes_every_text_readable_from_the_back(window, qtbot):
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    qtbot.keyClick(window, Qt.Key.Key_F11)  # View → Presentation mode
    assert window.presentation.toggle.isChecked() and display().settings.presentation
    for key in ("network", "matrices", "samples"):
        window.views.show_view(key)
        step_through(window, qtbot, 2)
        small = [(what, pt) for what, pt in visible_text_sizes(window) if pt < PRESENTATION_MIN_PT - 0.01]
        assert not small, f"{key}: {small[:8]}"
    assert display().pt() >= 18 and display().settings.line_scale > 1 and display().settings.point_scale > 1
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert not display().settings.presentation and display().pt() < 18


def test_presentation_hides_the_chosen_docks_and_gives_them_back(window, qtbot):
    window.show()
    window.docks["Data"].show()
    window.docks["Inspector"].show()
    window.presentation.set_hidden("Inspector", False)
    window.presentation.set_presentation(True)
    assert window.docks["Data"].isHidden() and not window.docks["Inspector"].isHidden()
    window.presentation.set_hidden("Inspector", True)  # choose one more while presenting
    assert window.docks["Inspector"].isHidden()
    window.presentation.set_presentation(False)
    assert not window.docks["Data"].isHidden() and not window.docks["Inspector"].isHidden()


def test_zoom_keys_and_the_choice_is_kept_between_runs(window, qtbot):
    from app.window import MainWindow

    start = display().pt()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert display().pt() == pytest.approx(start * 1.25)
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert display().pt() == pytest.approx(start * 1.1)
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert display().pt() == pytest.approx(start)
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    window.presentation.set_size(2.0)
    window.presentation.set_presentation(True)
    window.close()
    again = MainWindow()  # a new run: the same settings from the store
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.presentation.settings.presentation and again.presentation.settings.zoom == pytest.approx(1.1)
    assert display().pt() == pytest.approx(24 * 1.1)
    assert again.docks["Data"].isHidden() and again.presentation.toggle.isChecked()
    again.presentation.set_presentation(False)
    assert not again.docks["Data"].isHidden()  # the docks open before presentation mode, also across runs
    again.close()


def test_unreadable_stored_settings_fall_back_to_the_defaults():
    from settings.display import DisplaySettings

    assert DisplaySettings.from_dict({"presentation": "yes", "size": 7, "zoom": "huge",
                                      "hidden_docks": 3}) == DisplaySettings()
    assert DisplaySettings.from_dict(None) == DisplaySettings()
    kept = DisplaySettings(presentation=True, size=2.0, zoom=1.25, hidden_docks=("Code",))
    assert DisplaySettings.from_dict(kept.to_dict()) == kept


def test_presentation_scales_dock_titles_and_keeps_the_key_facts_on_one_line(window, qtbot):
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    dock = window.docks["Steps"]
    normal_title = dock.widget().y()  # the title bar's height
    window.presentation.set_presentation(True)
    qtbot.wait(50)
    assert dock.widget().y() >= normal_title * 1.5
    # Qt paints the title in a font cached at the dock's birth while the dock's font equals the class font
    from PySide6.QtWidgets import QApplication
    assert dock.font() != QApplication.font("QDockWidget") and dock.font().pointSizeF() >= PRESENTATION_MIN_PT - 0.01
    label = window.steps.position
    assert not label.wordWrap()
    assert label.width() >= label.fontMetrics().horizontalAdvance(label.text())
    assert window.split_label.isHidden() and window.device_label.isHidden()
    window.presentation.set_presentation(False)
    assert not window.split_label.isHidden() and not window.device_label.isHidden()
    qtbot.wait(50)
    from app.staleness import hide_stale_tab_bars
    assert hide_stale_tab_bars(window) == 0  # the guard hid Qt's re-shown stale dock tab bar already
