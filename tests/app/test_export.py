"""Exports from the window and the CLI: figures (PNG DPI, SVG), lecture pack, animation, sessions, Hangul."""

import json
import re
import xml.dom.minidom

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QFileDialog, QLabel

from app.main import main


def test_figure_png_has_300_dpi_and_svg_parses(window, tmp_path):
    c = window.controller
    for _ in range(5):
        c.step_batch()
    assert window.exports.figure(str(tmp_path / "net.png"))
    image = Image.open(tmp_path / "net.png")
    width = window.views.currentWidget().width()
    assert image.size[0] == 3 * width and round(image.info["dpi"][0]) == 300
    assert window.exports.figure(str(tmp_path / "net.svg"))
    doc = xml.dom.minidom.parse(str(tmp_path / "net.svg"))
    assert len(doc.getElementsByTagName("path")) > 50  # neurons and edges are vectors
    texts = " ".join(t.firstChild.data for t in doc.getElementsByTagName("text") if t.firstChild)
    assert "dense" in texts and "units" in texts


def test_lecture_pack_from_the_window(window, tmp_path):
    c = window.controller
    for _ in range(25):
        c.step_batch()
    assert window.exports.pack(str(tmp_path / "pack"))
    pack = tmp_path / "pack"
    figures = sorted(p.name for p in (pack / "figures").iterdir())
    for stem in ("network", "layers", "weights_first_layer", "distributions", "gradient_flow", "metrics",
                 "decision_boundary", "samples"):
        assert f"{stem}.png" in figures and f"{stem}.svg" in figures, stem
    html = (pack / "index.html").read_text()
    assert "figures/network.png" in html and "Total params" in html
    listed = re.findall(r'href="(weights/[^"]+)"', html)
    assert "weights/model.weights.h5" in listed and all((pack / name).exists() for name in listed)
    assert (pack / "index.md").read_text().startswith("# Propscope lecture pack")
    rows = (pack / "history_steps.csv").read_text().splitlines()
    assert rows[0].startswith("step,loss") and len(rows) == 26
    with np.load(pack / "weights" / "weights.npz") as npz:
        np.testing.assert_array_equal(npz["dense/kernel"], c.model.get_weights()[0])
    assert json.loads((pack / "config.json").read_text())["step"] == 25
    assert c.session.step == 25  # exporting replays exactly and leaves the session where it was


def test_animation_gif_over_steps(window, tmp_path):
    c = window.controller
    for _ in range(8):
        c.step_batch()
    weights = c.model.get_weights()
    assert window.exports.animation(str(tmp_path / "a.gif"), range(2, 7))
    gif = Image.open(tmp_path / "a.gif")
    assert gif.n_frames == 5
    assert c.session.step == 8
    for a, b in zip(weights, c.model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_save_and_reopen_a_session_from_the_window(window, tmp_path, dialogs, monkeypatch):
    c = window.controller
    for _ in range(6):
        c.step_batch()
    path = tmp_path / "s.propscope"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    window.actions.save_session.trigger()
    for _ in range(4):
        c.step_batch()
    after_10 = c.model.get_weights()
    assert window.files.open_session(str(path)) and window.loader.wait() and c.session.step == 6
    for _ in range(4):
        c.step_batch()
    for a, b in zip(after_10, c.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    bad = tmp_path / "bad.propscope"
    bad.write_bytes(b"garbage")
    session = c.session
    assert window.files.open_session(str(bad)) and window.loader.wait()  # started; refused off the GUI thread
    assert c.session is session and dialogs["warning"][-1][0] == "Could not open the session"


def test_hangul_renders_with_the_bundled_font(qtbot, tmp_path):
    from app.fonts import KOREAN_FAMILY, has_hangul, register_fonts
    from app.figures import save_png

    assert KOREAN_FAMILY in register_fonts()
    assert has_hangul()
    hangul, boxes = QLabel("순전파 역전파 가중치"), QLabel("\ufffe\ufffe\ufffe \ufffe\ufffe\ufffe \ufffe\ufffe\ufffe")
    images = []
    for label in (hangul, boxes):
        qtbot.addWidget(label)
        label.resize(300, 60)
        save_png(label, tmp_path / "k.png", scale=1)
        images.append(np.asarray(Image.open(tmp_path / "k.png").convert("L")))
    ink = (images[0] < 128).sum()
    assert ink > 200 and not np.array_equal(images[0], images[1])  # real glyphs, not missing-glyph boxes


def test_cli_summary_train_export(tmp_path, capsys):
    assert main(["summary", "--model", "100:relu,10:softmax"]) == 0
    assert "Total params: 79,510" in capsys.readouterr().out
    session = tmp_path / "s.propscope"
    assert main(["train", "--data", "builtin:circle", "--model", "8:tanh,1:sigmoid", "--epochs", "2",
                 "--save-session", str(session)]) == 0
    out = capsys.readouterr().out
    assert "Epoch 2/2 - loss:" in out and "session saved" in out
    assert main(["export", "--session", str(session), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "weights" / "weights.npz").exists()
    assert main(["export", "--session", str(tmp_path / "nope.propscope"), "--out", str(tmp_path / "x")]) == 2
    assert "no such session file" in capsys.readouterr().err
    assert main(["train", "--data", "builtin:nope", "--model", "4:relu", "--epochs", "1"]) == 2


def test_folder_exports_ask_before_replacing(window, tmp_path, dialogs, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    (tmp_path / "weights.npz").write_bytes(b"keep me")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(tmp_path)))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    window.actions.export_weights.trigger()
    assert (tmp_path / "weights.npz").read_bytes() == b"keep me"
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    window.actions.export_weights.trigger()
    assert (tmp_path / "weights.npz").read_bytes() != b"keep me"


def test_mp4_without_ffmpeg_is_a_clear_error(window, tmp_path, dialogs, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    window.controller.step_batch()
    assert not window.exports.animation(str(tmp_path / "a.mp4"), range(0, 1))
    assert "needs the ffmpeg program" in dialogs["warning"][-1][1]
