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


def test_cli_data_describes_a_good_file_and_explains_a_bad_one(tmp_path, capsys):
    good = tmp_path / "iris.csv"
    good.write_text("a,b,species\n1,2,setosa\n3,4,virginica\n")
    assert main(["data", str(good)]) == 0
    out = capsys.readouterr().out
    assert "2 samples of shape (2,), 2 classes" in out and "0=setosa (1)" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,label\n1,2,0\n3,x,1\n")
    assert main(["data", str(bad)]) == 2
    assert "bad.csv, line 3, column 2: 'x' in column 'b' is not a number" in capsys.readouterr().err
