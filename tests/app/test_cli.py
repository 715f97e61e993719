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


def _three_class_csv(path):
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 3))
    rows = "\n".join(f"{a:.4f},{b:.4f},{c:.4f},{int(np.argmax((a, b, c)))}" for a, b, c in x)
    path.write_text("f1,f2,f3,label\n" + rows + "\n")
    return path


def test_cli_trains_with_every_loss_the_window_offers(tmp_path, capsys):
    from settings.vocabulary import LOSSES, loss_fits

    sources = {"classification": str(_three_class_csv(tmp_path / "three.csv")), "binary": "builtin:circle",
               "regression": "builtin:plane"}
    for loss in LOSSES:
        task = next(t for t in ("classification", "binary", "regression") if loss_fits(loss, t))
        code = main(["train", "--data", sources[task], "--model", "8:tanh,1:linear", "--epochs", "1",
                     "--loss", loss, "--optimizer", "SGD"])
        out, err = capsys.readouterr()
        assert code == 0, (loss, err)
        assert "Epoch 1/1 - loss:" in out, loss


def test_cli_trains_on_one_compute_thread_like_the_window(capsys):
    from threadpoolctl import threadpool_info, threadpool_limits

    with threadpool_limits(limits=2):  # as if left at the machine's default
        assert main(["train", "--data", "builtin:xor", "--model", "4:tanh,1:sigmoid", "--epochs", "1"]) == 0
        blas = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
        assert blas and set(blas) == {1}
    capsys.readouterr()


def test_cli_rejects_an_unknown_loss_or_optimizer_by_name(capsys):
    import pytest

    for option, value in (("--loss", "hinge_ish"), ("--optimizer", "adamm")):
        with pytest.raises(SystemExit):
            main(["train", "--data", "builtin:xor", "--model", "4:tanh,1:sigmoid", option, value])
        assert "invalid" in capsys.readouterr().err
