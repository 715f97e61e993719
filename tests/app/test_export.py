"""Exports from the window and the CLI: figures (PNG DPI, SVG), lecture pack, animation, sessions, Hangul."""

import json
import re
import xml.dom.minidom
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from app import dialogs as dialogs_module

from app.main import main


def test_figures_from_the_window_png_svg_pdf_with_their_numbers(window, tmp_path):
    from pypdf import PdfReader

    from core.export.fingerprint import lesson_code

    c = window.controller
    for _ in range(5):
        c.step_batch()
    code = lesson_code(c.session)
    assert window.exports.figure(str(tmp_path / "net.png"))
    with Image.open(tmp_path / "net.png") as image:
        assert image.size == (4000, 2250) and round(image.info["dpi"][0]) == 300  # a full 16:9 slide
        assert image.info["Lesson fingerprint"] == code
    assert (tmp_path / "net.csv").read_text().startswith("layer,unit,drawn,quantity,value")
    assert window.exports.figure(str(tmp_path / "net.svg"))
    doc = xml.dom.minidom.parse(str(tmp_path / "net.svg"))
    assert len(doc.getElementsByTagName("path")) > 50  # neurons and edges are vectors
    texts = " ".join(t.firstChild.data for t in doc.getElementsByTagName("text") if t.firstChild)
    assert "dense" in texts and "units" in texts and code in texts
    assert window.exports.figure(str(tmp_path / "net.pdf"))
    pdf = PdfReader(tmp_path / "net.pdf")
    assert len(pdf.pages) == 1 and float(pdf.pages[0].mediabox.width) == pytest.approx(960, abs=1)
    assert code in pdf.pages[0].extract_text() and code in pdf.metadata.creator
    window.views.show_view("matrices").pin(quantity="W")  # it follows the phase (ΔW after an update) until pinned
    assert window.exports.figure(str(tmp_path / "w.png"))
    with np.load(tmp_path / "w.npz") as npz:
        np.testing.assert_array_equal(npz["matrix"], c.model.get_weights()[0])


def test_lecture_pack_from_the_window(window, tmp_path):
    from pypdf import PdfReader

    c = window.controller
    for _ in range(25):
        c.step_batch()
    window.views.view("network").select_neuron(2, 0)  # the inspected neuron's chain rule goes in the pack
    assert window.exports.pack(str(tmp_path / "pack"))
    pack = tmp_path / "pack"
    figures = sorted(p.name for p in (pack / "figures").iterdir())
    stems = ("network", "layers", "weights_first_layer", "distributions", "gradient_flow", "metrics",
             "decision_boundary", "samples")
    for stem in stems:
        assert f"{stem}.png" in figures and f"{stem}.svg" in figures and f"{stem}.npz" in figures, stem
        assert f"{stem}.csv" in figures, stem
    html = (pack / "index.html").read_text()
    assert "figures/network.png" in html and "Total params" in html and "<math" in html
    assert "<script" not in html and "http" not in html  # offline: no CDN
    listed = re.findall(r"href=[\"'](weights/[^\"']+)[\"']", html)
    assert "weights/model.weights.h5" in listed and all((pack / name).exists() for name in listed)
    assert (pack / "index.md").read_text().startswith("# Propscope lecture pack")
    rows = (pack / "history_steps.csv").read_text().splitlines()
    assert rows[0].startswith("step,loss") and len(rows) == 26
    with np.load(pack / "weights" / "weights.npz") as npz:
        np.testing.assert_array_equal(npz["dense/kernel"], c.model.get_weights()[0])
    config = json.loads((pack / "config.json").read_text())
    assert config["step"] == 25 and config["fingerprint"]["step"] == 25
    tex = (pack / "chain_rule.tex").read_text()
    assert "dense_1, neuron j = 0" in tex and r"\begin{align*}" in tex
    handout = PdfReader(pack / "handout.pdf")
    assert len(handout.pages) == 1 + len(stems) + 2  # title, one figure a page, summary, chain rule
    pages = [" ".join(page.extract_text().split()) for page in handout.pages]  # words, however spaced
    assert config["fingerprint"]["code"] in pages[0]
    assert "Figure 1. The network" in pages[1] and "step 25" in pages[1]
    assert "Total params" in pages[-2] and "∂L/∂" in pages[-1]
    assert c.session.step == 25  # exporting leaves the session where it was


def test_animation_gif_over_steps(window, tmp_path):
    c = window.controller
    for _ in range(8):
        c.step_batch()
    weights = c.model.get_weights()
    assert window.exports.animation(str(tmp_path / "a.gif"), range(2, 7))
    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.n_frames == 5
    labels = (tmp_path / "a.frames.csv").read_text().splitlines()
    assert labels[1] == '0,2,update,"step 2 (epoch 1, batch 2/10) · update"'
    assert c.session.step == 8
    for a, b in zip(weights, c.model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_save_and_reopen_a_session_from_the_window(window, tmp_path, dialogs, monkeypatch):
    c = window.controller
    for _ in range(6):
        c.step_batch()
    path = tmp_path / "s.propscope"
    monkeypatch.setattr(dialogs_module, "save_file_name", lambda *a, **k: str(path))
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
    from app.figure_export import save_png
    from app.fonts import KOREAN_FAMILY, has_hangul, register_fonts
    from widgets.figures.canvas import FigureCanvas, FigureSize

    assert KOREAN_FAMILY in register_fonts()
    assert has_hangul()
    images = []
    for text in ("순전파 역전파 가중치", "\ufffe\ufffe\ufffe \ufffe\ufffe\ufffe \ufffe\ufffe\ufffe"):
        canvas = FigureCanvas(FigureSize(300, 80))
        canvas.set_title(text)
        canvas.lay_out()
        figure = SimpleNamespace(canvas=canvas, meta=lambda: {"title": "", "caption": "", "fingerprint": ""})
        save_png(figure, tmp_path / "k.png", dpi=120)
        canvas.close()
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
    monkeypatch.setattr(dialogs_module, "existing_directory", lambda *a, **k: str(tmp_path))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    window.actions.export_weights.trigger()
    assert (tmp_path / "weights.npz").read_bytes() == b"keep me"
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    window.actions.export_weights.trigger()
    assert (tmp_path / "weights.npz").read_bytes() != b"keep me"


def test_mp4_without_ffmpeg_is_a_clear_error(window, tmp_path, dialogs, monkeypatch):
    import shutil
    import sys

    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # nor the one the pip package carries
    window.controller.step_batch()
    assert not window.exports.animation(str(tmp_path / "a.mp4"), range(0, 1))
    assert "needs the ffmpeg program" in dialogs["warning"][-1][1]


def test_a_session_with_dropout_batchnorm_and_a_penalty_round_trips_through_the_window(window, tmp_path, dialogs,
                                                                                       monkeypatch, qtbot):
    from settings.config import LayerRow, ModelSpec

    c = window.controller
    spec = ModelSpec((LayerRow(8, "relu", penalty="l2", factor=0.01), LayerRow(kind="BatchNormalization"),
                      LayerRow(kind="Dropout", rate=0.25), LayerRow(1, "sigmoid")))
    window.requests.model(spec)
    assert c.spec == spec and [r.kind for r in window.model_panel.spec().layers] == [r.kind for r in spec.layers]
    for _ in range(5):
        c.step_batch()
    path = tmp_path / "s.propscope"
    monkeypatch.setattr(dialogs_module, "save_file_name", lambda *a, **k: str(path))
    window.actions.save_session.trigger()
    for _ in range(3):
        c.step_batch()
    after_8 = c.model.get_weights()
    window.model_panel.set_spec(ModelSpec())  # what the panel showed before does not matter: the file decides
    assert window.files.open_session(str(path)) and window.loader.wait() and c.session.step == 5
    assert window.model_panel.spec() == spec and c.spec == spec
    for _ in range(3):
        c.step_batch()
    for a, b in zip(after_8, c.model.get_weights()):  # the same masks, moving averages and penalties
        np.testing.assert_array_equal(a, b)
    assert "keras.layers.Dropout(0.25)" in window.code.keras.toPlainText()
    assert "nn.BatchNorm1d(8, eps=0.001, momentum=0.01)" in window.code.torch.toPlainText()
    qtbot.mouseClick(window.gradcheck.button, Qt.MouseButton.LeftButton)  # Dropout's mask held fixed
    entries = window.gradcheck.entries
    assert {(e.layer, e.param) for e in entries} >= {("batch_normalization", "gamma"), ("batch_normalization", "beta")}
    assert max(e.relative_error for e in entries) < 1e-4


def test_the_lesson_fingerprint_in_the_status_bar_and_help(window, dialogs):
    from PySide6.QtWidgets import QApplication

    from core.export.fingerprint import lesson_code

    c = window.controller
    code = lesson_code(c.session)
    assert window.fingerprint_label.text() == f"Lesson {code} · step 0"
    c.step_batch()
    c.step_batch()
    steps, loss = c.session.history.scalar("loss")
    assert window.fingerprint_label.text() == f"Lesson {code} · step 2 · loss {float(loss[-1]):.4g}"
    window.actions.fingerprint.trigger()
    title, text = dialogs["information"][-1]
    assert title == "Lesson fingerprint" and code in text and "same run" in text
    assert QApplication.clipboard().text().startswith(f"Lesson {code}")
    window.set_language("ko")
    assert window.fingerprint_label.text().startswith(f"실습 {code} · 스텝 2 · 손실 ")


def test_figure_and_animation_dialogs(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from app.export_dialogs import AnimationDialog, FigureDialog

    c = window.controller
    for _ in range(4):
        c.step_batch()

    def figure_choices(dialog):
        dialog.size_box.setCurrentIndex(dialog.size_box.findData("half"))
        dialog.dpi_box.setCurrentIndex(dialog.dpi_box.findData(150))
        dialog.data.setChecked(False)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FigureDialog, "exec", figure_choices)
    monkeypatch.setattr(dialogs_module, "save_file_name", lambda *a, **k: str(tmp_path / "f.png"))
    window.actions.export_figure.trigger()
    with Image.open(tmp_path / "f.png") as image:
        assert image.size == (1000, 1125)  # half a 16:9 slide at 150 dpi
    assert not (tmp_path / "f.csv").exists()
    assert window.store.value("figure_size") == "half"  # remembered for the next export

    def phases_of_batch_3(dialog):
        dialog.view_box.setCurrentIndex(dialog.view_box.findData("propagation"))
        dialog.batch_button.setChecked(True)
        dialog.batch.setValue(3)
        dialog.fps.setValue(2)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AnimationDialog, "exec", phases_of_batch_3)
    monkeypatch.setattr(dialogs_module, "save_file_name", lambda *a, **k: str(tmp_path / "b.gif"))
    window.actions.record.trigger()
    with Image.open(tmp_path / "b.gif") as gif:
        assert gif.n_frames == len(c.session.phases) and gif.info["duration"] == 500
    assert c.session.step == 4
