"""The propscope command's headless parts."""

from app.main import main


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
