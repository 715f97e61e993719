"""Opening Keras model files in the window (menu, drag and drop, ``propscope open``) and ``propscope.show``."""

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from app import dialogs as dialogs_module

import core
from app.main import main

ROOT = Path(__file__).resolve().parents[2]


def spiral_model_file(path: Path, steps: int = 3) -> Path:
    """A compiled, trained Keras 3 .keras file that fits the window's starting data (2 inputs, binary)."""
    core.utils.set_random_seed(4)
    model = core.Sequential([core.Input((2,)), core.layers.Dense(6, activation="tanh", name="hidden"),
                             core.layers.ReLU(name="relu"), core.layers.Dense(1, activation="sigmoid", name="out")],
                            name="course_model")
    model.compile(optimizer=core.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    for _ in range(steps):
        model.train_on_batch(rng.normal(size=(8, 2)).astype("float32"), rng.integers(0, 2, 8))
    model.save(path)
    return path


def drop(window, *paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.loader.wait()


def test_open_model_from_the_file_menu_and_step_it_with_the_keyboard(window, qtbot, tmp_path, monkeypatch):
    path = spiral_model_file(tmp_path / "course.keras")
    saved = core.models.load_model(path).get_weights()
    monkeypatch.setattr(dialogs_module, "open_file_name", lambda *a, **k: str(path))
    window.actions.open_model.trigger()
    assert window.loader.wait()
    c = window.controller
    assert c.source.label.startswith("course.keras (Keras ") and c.model.name == "course_model"
    assert [la.name for la in c.model.compute_layers] == ["hidden", "relu", "out"]
    for a, b in zip(saved, c.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert c.session.initial_iterations == 3 and int(c.model.optimizer.iterations) == 3
    assert f"keras.models.load_model({str(path)!r})" in window.code.keras.toPlainText()
    assert "update rule: Keras's Adam" in window.training_panel.backend_note.text()
    assert "course.keras" in window.model_panel.input_note.text()
    phases = []
    for _ in c.session.phases:
        qtbot.keyClick(window, Qt.Key.Key_F6)  # step phase, as a hand does
        phases.append(c.latest.phase)
    assert phases == ["forward", "forward", "forward", "loss", "backward", "backward", "backward", "update"]
    assert c.session.step == 1 and int(c.model.optimizer.iterations) == 4  # Adam counts on from the file
    assert path.name in window.files.recent_files()[0]


def test_a_refused_model_leaves_the_current_session_as_it_was(window, tmp_path):
    keras = pytest.importorskip("keras")
    conv = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3, name="conv"), keras.layers.Flatten(),
                             keras.layers.Dense(1)])
    conv.save(tmp_path / "conv.keras")
    wide = core.Sequential([core.Input((784,)), core.layers.Dense(10, activation="softmax")])
    wide.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    wide.save(tmp_path / "wide.keras")
    c = window.controller
    c.step_batch()
    session, weights = c.session, [w.copy() for w in c.model.get_weights()]
    dialogs = window.context
    for name, message in (("conv.keras", "layer 'conv': Propscope cannot open Conv2D layers"),
                          ("wide.keras", "The model takes samples of shape (784,); the data (spiral) has samples of "
                                         "shape (2,)")):
        window.files.open_model(str(tmp_path / name))
        assert window.loader.wait()
        assert dialogs.last_error[0] == "Could not open the model" and message in dialogs.last_error[1]
        assert c.session is session and c.session.step == 1 and c.source is None
        for a, b in zip(weights, c.model.get_weights()):
            np.testing.assert_array_equal(a, b)


def test_dropping_a_model_with_its_data_opens_it_on_that_data(window, tmp_path):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(60, 3))
    labels = np.argmax(x, axis=1)
    (tmp_path / "three.csv").write_text("a,b,c,label\n" + "\n".join(
        f"{a:.4f},{b:.4f},{c:.4f},{k}" for (a, b, c), k in zip(x, labels)) + "\n")
    model = core.Sequential([core.Input((3,)), core.layers.Dense(4, activation="relu"),
                             core.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.save(tmp_path / "three.keras")
    drop(window, tmp_path / "three.keras", tmp_path / "three.csv")
    c = window.controller
    assert c.dataset.name == "three" and c.source.data_path == str(tmp_path / "three.csv")
    assert c.model.input_shape == (None, 3) and type(c.model.optimizer).__name__ == "RMSprop"
    drop(window, tmp_path / "three.keras")  # a model alone opens on the data shown
    assert c.dataset.name == "three" and c.source.data_path is None


def test_training_settings_keep_the_opened_model_and_layer_edits_replace_it(window, qtbot, tmp_path, dialogs):
    path = spiral_model_file(tmp_path / "course.keras")
    window.files.open_model(str(path))
    assert window.loader.wait()
    c = window.controller
    saved = [w.copy() for w in c.model.get_weights()]
    c.step_batch()
    spin = window.training_panel.batch_size
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "8")
    qtbot.keyClick(spin, Qt.Key.Key_Return)  # a new batch size: a new session of the same opened model
    assert c.session.batch_size == 8 and c.session.step == 0 and c.source is not None
    assert int(c.model.optimizer.iterations) == 3
    for a, b in zip(saved, c.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    window.model_panel.add_layer()  # the panel's layers replace the opened model, after asking
    assert dialogs["question"][-1][0] == "Replace the opened model?"
    assert "course.keras" in dialogs["question"][-1][1]
    assert c.source is None and [type(la).__name__ for la in c.model.compute_layers].count("Dense") == 3


def test_propscope_show_reuses_its_window_and_returns_in_a_running_event_loop(qtbot, monkeypatch, dialogs):
    import propscope
    from propscope import window as show_window

    monkeypatch.setattr(show_window, "event_loop_running", lambda: True)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    model = core.Sequential([core.Input((4,)), core.layers.Dense(5, activation="relu"),
                             core.layers.Dense(2, activation="softmax")], name="from_python")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    first = propscope.show(model, x, y, batch_size=10, epochs=3)
    qtbot.addWidget(first)
    c = first.controller
    assert c.source.label == "model 'from_python'" and c.session.batch_size == 10 and c.session.epochs == 3
    assert c.dataset.task == "binary" and len(c.dataset) == 40
    torch = pytest.importorskip("torch")
    net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2))
    second = propscope.show(net, x, y, loss=torch.nn.CrossEntropyLoss(),
                            optimizer=torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9), validation_split=0.25)
    assert second is first and c.source.kind == "torch"
    assert "update rule: PyTorch's torch.optim.SGD" in first.training_panel.backend_note.text()
    assert len(c.session.validation_data[0]) == 10  # the last quarter, as Keras's fit takes it
    c.step_batch()
    assert c.session.step == 1
    first.close()


def test_validation_handed_over_from_python_is_not_called_a_test_set(qtbot, monkeypatch, dialogs):
    import propscope
    from propscope import window as show_window

    monkeypatch.setattr(show_window, "event_loop_running", lambda: True)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(40, 3)).astype("float32")
    y = (x[:, 1] > 0).astype("int64")
    model = core.Sequential([core.Input((3,)), core.layers.Dense(2, activation="softmax")], name="arrays")
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    shown = propscope.show(model, x, y, validation_split=0.25)
    qtbot.addWidget(shown)
    split = shown.data_panel.split_label.text()
    assert "validation 10 (given with the arrays from Python)" in split and "test set" not in split
    assert "test" not in shown.split_label.text() and "val 10" in shown.split_label.text()
    described = shown.data_panel.description.text()
    assert "validation data of 10" in described and "test set" not in described
    assert shown.controller.evaluate_test() is None  # no test set to evaluate: said so
    assert dialogs["warning"][-1][0] == "No test set"
    shown.close()


def test_event_loop_detection_sees_ipython_gui_qt(monkeypatch):
    import types

    from propscope.window import event_loop_running

    shell = types.SimpleNamespace(active_eventloop="qt6")
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    assert event_loop_running()
    shell.active_eventloop = None
    assert not event_loop_running()


def test_propscope_show_blocks_a_script_until_the_window_is_closed(tmp_path):
    script = tmp_path / "lesson.py"
    script.write_text(textwrap.dedent("""
        import numpy as np
        from PySide6.QtCore import QTimer
        import core, propscope
        from propscope import window

        x = np.random.default_rng(0).normal(size=(30, 2)).astype("float32")
        model = core.Sequential([core.Input((2,)), core.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="sgd", loss="binary_crossentropy")
        window._application()
        QTimer.singleShot(300, lambda: window.window().close())
        shown = propscope.show(model, x, (x[:, 0] > 0).astype("int64"))
        print("returned after close:", not shown.isVisible())
    """))
    env = {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "OPENBLAS_NUM_THREADS": "1"}
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=env)
    assert "returned after close: True" in run.stdout, run.stderr[-2000:]


def test_propscope_open_checks_first_and_says_what_is_wrong_in_one_line(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "broken.keras"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert main(["open", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("propscope: broken.keras") and "\n" not in err
    opened = {}
    monkeypatch.setattr("app.launch.run_app", lambda **kw: opened.update(kw) or 0)
    good = spiral_model_file(tmp_path / "good.keras")
    assert main(["open", str(good)]) == 0
    assert opened == {"model_path": str(good), "data_path": None}


def test_the_file_menu_exports_the_model_as_a_keras_file_keras_opens(window, tmp_path, monkeypatch):
    keras = pytest.importorskip("keras")
    window.files.open_model(str(spiral_model_file(tmp_path / "course.keras")))
    assert window.loader.wait()
    c = window.controller
    for _ in range(3):
        c.step_batch()
    target = tmp_path / "after three steps"
    monkeypatch.setattr(dialogs_module, "save_file_name", lambda *a, **k: str(target))
    window.actions.export_keras.trigger()
    back = keras.models.load_model(str(target) + ".keras")
    for a, b in zip(c.model.get_weights(), back.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(back.optimizer.iterations) == 6 and back.name == "course_model"


def test_a_new_learning_rate_keeps_a_torch_models_loss_from_logits(qtbot, monkeypatch, dialogs):
    torch = pytest.importorskip("torch")
    import propscope
    from propscope import window as show_window

    monkeypatch.setattr(show_window, "event_loop_running", lambda: True)
    net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    x = np.random.default_rng(0).normal(size=(40, 4)).astype("float32")
    shown = propscope.show(net, x, (x[:, 0] > 0).astype("int64"), loss=torch.nn.CrossEntropyLoss(),
                           optimizer=torch.optim.Adam(net.parameters(), lr=0.01))
    qtbot.addWidget(shown)
    c = shown.controller
    from dataclasses import replace

    c.set_training(replace(c.train_config, hyper={**c.train_config.hyper, "learning_rate": 0.05}))
    assert c.model.loss.from_logits and c.model.optimizer.update_rule == "keras"
    assert c.model.optimizer.current_learning_rate() == pytest.approx(0.05)
    assert "update rule: Keras's Adam" in shown.training_panel.backend_note.text()
    shown.close()
