"""The minimal main window shows the course presets' Keras summaries."""

from app.main import main
from app.window import MainWindow


def test_window_lists_presets_and_shows_summary(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.preset_box.count() == 6
    index = window.preset_box.findData("fashion_784_100_10")
    window.preset_box.setCurrentIndex(index)
    text = window.summary_view.toPlainText()
    assert "Total params: 79,510" in text and "dense (Dense)" in text
    assert "79,510 parameters" in window.status.text()


def test_cli_version_and_backends(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("propscope ")
    assert main(["--backends"]) == 0
    assert "numpy · cpu" in capsys.readouterr().out
