"""The CLI's errors: one line and a non-zero exit, never a traceback; impossible numbers refused by argparse."""

import os
import zipfile

import pytest

from app import cli_errors
from app.main import main

TRAIN = ["train", "--data", "builtin:circle", "--model", "4:tanh,1:sigmoid", "--samples", "60"]


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


@pytest.mark.parametrize("args, message", [
    (["--epochs", "-3"], "-3 is outside 1 to 100,000 (MAX_EPOCHS)"),
    (["--epochs", "0"], "0 is outside 1 to 100,000 (MAX_EPOCHS)"),
    (["--epochs", "2.5"], "'2.5' is not a whole number"),
    (["--validation", "-0.2"], "-0.2 is outside [0, 1)"),
    (["--validation", "1"], "1 is outside [0, 1)"),
    (["--validation", "nan"], "nan is outside [0, 1)"),
    (["--samples", "1e10"], "'1e10' is not a whole number"),
    (["--samples", "10000000000"], "outside 2 to 100,000 (MAX_BUILTIN_SAMPLES)"),
    (["--batch-size", "0"], "outside 1 to 100,000 (MAX_BATCH_SIZE)"),
    (["--lr", "-1"], "-1 is outside [0, 1e+06]"),
    (["--lr", "inf"], "inf is outside"),
    (["--seed", "-5"], "outside 0 to"),
])
def test_argparse_rejects_impossible_numbers(args, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(TRAIN + args)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("args, message", [
    (["summary", "--model", "3000000000:relu"], "over the limit of 4,096 (MAX_UNITS)"),
    (["summary", "--model", ",".join(["4:relu"] * 65)], "over the limit of 64 (MAX_LAYERS)"),
    (["summary", "--model", "4:nonsense"], "Unknown activation"),
    (["train", "--data", "builtin:nope", "--model", "4:relu,1:sigmoid"], "Unknown dataset"),
])
def test_bad_models_and_data_are_one_line(args, message, capsys):
    assert main(args) == 2
    assert message in one_line(capsys.readouterr().err)


def test_input_shape_over_the_feature_limit_is_refused_by_argparse(capsys):
    with pytest.raises(SystemExit):
        main(["summary", "--model", "10:relu", "--input-shape", "100000x100000"])
    assert "MAX_FEATURES" in capsys.readouterr().err


@pytest.mark.parametrize("make", ["folder", "fifo", "device"])
def test_saving_onto_something_that_is_not_a_file(tmp_path, capsys, make):
    target = tmp_path / "target"
    if make == "folder":
        target.mkdir()
    elif make == "fifo":
        os.mkfifo(target)
    else:
        os.symlink("/dev/full", target)
    assert main(TRAIN + ["--epochs", "1", "--save-session", str(target)]) == 1
    err = capsys.readouterr().err
    assert "could not save the session" in one_line(err) and "only a regular file" in err
    assert os.path.islink(target) if make == "device" else not target.is_file()


def test_saving_into_a_read_only_folder(tmp_path, capsys, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", kwargs.get("dir"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # root may write anywhere: simulate the read-only folder
    assert main(TRAIN + ["--epochs", "1", "--save-session", str(tmp_path / "s.propscope")]) == 1
    assert "Permission denied" in one_line(capsys.readouterr().err)


def test_export_errors(tmp_path, capsys, monkeypatch):
    session = tmp_path / "s.propscope"
    assert main(TRAIN + ["--epochs", "1", "--save-session", str(session)]) == 0
    capsys.readouterr()
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    assert main(["export", "--session", str(session), "--out", str(a_file)]) == 2
    assert "is a file" in one_line(capsys.readouterr().err)
    import core.export.atomic as atomic

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    assert main(["export", "--session", str(session), "--out", str(tmp_path / "out")]) == 1
    assert "could not write" in one_line(capsys.readouterr().err)


def test_hostile_files_are_one_line_too(tmp_path, capsys):
    fifo = tmp_path / "pipe.propscope"
    os.mkfifo(fifo)
    assert main(["export", "--session", str(fifo), "--out", str(tmp_path / "o")]) == 2
    assert "FIFO" in one_line(capsys.readouterr().err)
    evil = tmp_path / "evil.npz"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("x.npy", b"\x93NUMPY")
    data = bytearray(evil.read_bytes())
    data[data.find(b"PK\x01\x02") + 8] |= 1  # the encrypted flag
    evil.write_bytes(bytes(data))
    assert main(["data", str(evil)]) == 2
    assert "encrypted" in one_line(capsys.readouterr().err)
    assert main(TRAIN[:2] + [str(fifo)] + TRAIN[3:]) == 2
    assert "FIFO" in one_line(capsys.readouterr().err)


def test_unexpected_errors_are_one_line(capsys):
    @cli_errors.one_line_errors
    def broken(args):
        raise KeyError("a bug")

    assert broken(None) == 1
    assert "unexpected error (KeyError)" in one_line(capsys.readouterr().err)

    @cli_errors.one_line_errors
    def out_of_memory(args):
        raise MemoryError()

    assert out_of_memory(None) == 1
    assert "out of memory" in one_line(capsys.readouterr().err)
