"""``--model`` with Dropout, BatchNormalization and kernel penalties: summaries, training, clear errors."""

import pytest

from app.cli import parse_model
from app.main import main
from settings.config import LayerRow


def test_model_text_with_every_layer_kind():
    spec = parse_model("100:relu:l2=0.001, bn, dropout:0.3, 50:tanh:l1_l2=0.01, 10:softmax")
    assert spec.layers == (LayerRow(100, "relu", penalty="l2", factor=0.001), LayerRow(kind="BatchNormalization"),
                           LayerRow(kind="Dropout", rate=0.3), LayerRow(50, "tanh", penalty="l1_l2", factor=0.01),
                           LayerRow(10, "softmax"))
    assert [row.kind for row in parse_model("fashion_784_100_dropout_10").layers] == ["Dense", "Dropout", "Dense"]


def test_summary_and_training_with_them(capsys, tmp_path):
    assert main(["summary", "--model", "fashion_784_100_bn_l2_10"]) == 0
    out = capsys.readouterr().out
    assert "batch_normalization" in out and "(BatchNormalization)" in out and "Non-trainable params: 200" in out
    session = tmp_path / "s.propscope"
    assert main(["train", "--data", "builtin:circle", "--model", "8:relu:l2=0.01,bn,dropout:0.2,1:sigmoid",
                 "--samples", "60", "--epochs", "1", "--save-session", str(session)]) == 0
    assert session.is_file()


@pytest.mark.parametrize("text, message", [
    ("dropout:1.5,1:sigmoid", "a dropout rate lies from 0 up to (not including) 1"),
    ("dropout:lots,1:sigmoid", "expected dropout:RATE such as dropout:0.3"),
    ("bn:3,1:sigmoid", "BatchNormalization takes no arguments here"),
    ("8:relu:l3=0.1,1:sigmoid", "a kernel penalty is l1=F, l2=F or l1_l2=F"),
    ("8:relu:l2=-1,1:sigmoid", "a kernel penalty is l1=F, l2=F or l1_l2=F"),
    ("conv:3,1:sigmoid", "expected UNITS:ACTIVATION such as 100:relu, dropout:RATE or bn"),
])
def test_bad_layers_are_one_line_errors(text, message, capsys):
    code = main(["train", "--data", "builtin:circle", "--model", text, "--samples", "60"])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
