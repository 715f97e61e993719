"""The real main window driven like a lecturer would: data, model, steps, run, rewind, errors."""

import numpy as np
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from app import dialogs as dialogs_module


def choose(qtbot, combo, text):
    """Pick ``text`` in a combo box as a hand does: focus it and type the first letters."""
    from PySide6.QtCore import Qt as _Qt

    combo.setFocus(_Qt.FocusReason.OtherFocusReason)
    qtbot.keyClicks(combo, text)
    assert combo.currentText() == text


def wait_idle(qtbot, window, timeout=20_000):
    qtbot.waitUntil(lambda: not window.controller.running, timeout=timeout)


def write_csv(path, n=60, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    labels = np.where(x[:, 0] > 0, "yes", "no")
    rows = "\n".join(f"{a:.4f},{b:.4f},{c:.4f},{lab}" for (a, b, c), lab in zip(x, labels))
    path.write_text("f1,f2,f3,answer\n" + rows + "\n")
    return path


def test_window_starts_ready_with_a_builtin_set(window):
    c = window.controller
    assert c.dataset is not None and c.dataset.name == "spiral"
    assert c.session is not None and c.session.step == 0
    assert "Total params" in window.model_panel.summary.toPlainText()
    assert window.views.view("network").snapshot is not None and window.views.view("network").snapshot.phase == "start"
    acts = window.actions
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString() for a in
                 (acts.phase, acts.batch, acts.epoch, acts.run, acts.reset, acts.open, acts.back)}
    assert shortcuts == {"Step phase": "F6", "Step batch": "F7", "Step epoch": "F8", "Run": "F5",
                         "Reset": "Ctrl+Shift+R", "Open data…": "Ctrl+O", "Step back": "Shift+F7"}


def test_open_a_dataset_through_the_file_dialog(window, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "survey.csv")
    monkeypatch.setattr(dialogs_module, "open_file_name", lambda *a, **k: str(path))
    window.files.open_data_dialog()
    assert window.loader.wait()
    c = window.controller
    assert c.dataset.class_names == ("no", "yes") and c.dataset.input_shape == (3,)
    assert c.session.n == 48  # 20% held out for validation
    assert window.files.recent_files()[0] == str(path)
    assert "60 samples of shape (3,)" in window.data_panel.description.text()
    assert window.data_panel.preview.kind == "features"


def test_malformed_file_shows_an_error_and_keeps_the_previous_data(window, dialogs, tmp_path):
    before = window.controller.dataset
    bad = tmp_path / "broken.csv"
    bad.write_text("a,b,label\n1,2,0\n3,oops,1\n")
    assert window.files.open_path(str(bad)) and window.loader.wait()  # loads off the GUI thread, then refuses
    assert window.controller.dataset is before
    title, text = dialogs["warning"][-1]
    assert title == "Could not load the data"
    assert "broken.csv, line 3, column 2: 'oops' in column 'b' is not a number" in text
    assert window.controller.session is not None


def test_build_a_model_in_the_layer_table(window):
    c = window.controller
    window.model_panel.add_layer()
    assert len(c.spec.layers) == 4 and c.spec.layers[-2].units == 16
    assert c.model.count_params() == window.controller.model.count_params()
    assert "dense_3 (Dense)" in window.model_panel.summary.toPlainText()
    window.model_panel.table.selectRow(0)
    window.model_panel.remove_layer()
    assert len(c.spec.layers) == 3


def test_step_phase_batch_epoch_and_views_receive_snapshots(window, qtbot):
    c = window.controller
    c.step_phase()
    snap = c.latest
    assert snap.phase == "forward" and snap.phase_layer == 0
    assert window.views.frame.snapshot is snap  # published at once, as one frame
    assert window.views.view("network").snapshot is snap and window.views.view("network").highlighted_column == 1
    layers = window.views.show_view("propagation")  # a hidden view is built, and catches up, when shown
    assert layers.snapshot is snap and layers.highlighted_row == 0
    c.step_batch()
    assert c.session.step == 1 and c.latest.phase == "update"
    c.step_epoch()
    wait_idle(qtbot, window)
    assert c.session.step == c.session.batches_per_epoch
    assert c.session.history.epochs_done == 1
    steps, _ = window.metrics.batch_loss.getData()
    assert len(steps) == c.session.batches_per_epoch
    # The status bar counts the batch on screen, as the Layers header does (not the next one).
    bpe = c.session.batches_per_epoch
    assert f"Epoch 1/50 · batch {bpe}/{bpe} · update" in window.status_label.text()


def test_run_and_pause(window, qtbot):
    c = window.controller
    window.toggle_run()
    assert c.running
    qtbot.waitUntil(lambda: c.session.step > 30, timeout=20_000)
    window.toggle_run()  # returns at once; the run ends after its batch
    wait_idle(qtbot, window)
    stopped = c.session.step
    assert not c.runner.busy  # the worker has ended: nothing trains any more
    assert c.session.step == stopped and window.actions.run.text() == "&Run"
    assert window.actions.phase.isEnabled()


def test_rewind_with_the_slider(window, qtbot):
    c = window.controller
    for _ in range(12):
        c.step_batch()
    weights_at_5 = None
    c.seek(5)
    weights_at_5 = c.model.get_weights()
    assert c.session.step == 5 and c.latest.step == 5
    for _ in range(7):
        c.step_batch()
    window.steps.slider.setValue(5)
    window.steps.seek_requested.emit(5)
    for a, b in zip(weights_at_5, c.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert window.steps.slider.maximum() == 12


def test_changing_the_optimizer_mid_training_asks_then_restarts(window, dialogs, qtbot):
    c = window.controller
    c.step_batch()
    c.step_batch()
    choose(qtbot, window.training_panel.optimizer, "SGD")
    assert dialogs["question"] and dialogs["question"][-1][0] == "Discard training progress?"
    assert c.train_config.optimizer == "sgd" and c.train_config.hyper["learning_rate"] == 0.01
    assert c.session.step == 0


def test_divergence_is_reported_and_training_stops(window, qtbot, dialogs):
    c = window.controller
    config = window.training_panel.current()
    from dataclasses import replace

    window.requests.data(replace(c.data_config, builtin="plane"))
    assert c.dataset.task == "regression" and c.train_config.loss == "mean_squared_error"
    c.set_training(replace(c.train_config, optimizer="sgd", hyper={"learning_rate": 9.0}))
    window.toggle_run()
    wait_idle(qtbot, window)
    assert c.session.divergence is not None
    assert any(t == "Training diverged" for t, _ in dialogs["warning"])
    assert all(np.isfinite(w).all() for w in c.model.get_weights())
    assert config is not None


def test_drop_a_file_on_the_window(window, tmp_path):
    path = write_csv(tmp_path / "dropped.csv")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.loader.wait() and window.controller.dataset.name == "dropped"


def test_closing_during_a_run_exits_cleanly(qtbot, dialogs):
    from app.window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.toggle_run()
    qtbot.waitUntil(lambda: w.controller.session.step > 3, timeout=20_000)
    w.close()  # at once: the run is told to stop, never waited for
    assert not w.isVisible() and w.store.value("geometry") is not None
    qtbot.waitUntil(lambda: not w.controller.running and not w.controller.runner.busy, timeout=20_000)


def test_presets_load_course_models(window):
    window.course.apply_preset("mlp_4_8_8_3")
    c = window.controller
    assert [r.units for r in c.spec.layers[:-1]] == [8, 8]
    assert c.session is not None


def test_code_view_follows_the_model_and_gradcheck_panel_runs(window, qtbot):
    c = window.controller
    assert "keras.layers.Dense(8, activation='tanh')" in window.code.keras.toPlainText()
    window.model_panel.add_layer()
    assert "keras.layers.Dense(16, activation='relu')" in window.code.keras.toPlainText()
    assert "nn.Linear(8, 16, bias=True)" in window.code.torch.toPlainText()
    assert window.code.copy().startswith("import keras")
    c.step_batch()
    qtbot.mouseClick(window.gradcheck.button, Qt.MouseButton.LeftButton)
    entries = window.gradcheck.entries
    assert len(entries) == 2 * len(c.spec.layers)
    assert max(e.relative_error for e in entries) < 1e-4
    assert window.gradcheck.table.item(0, 4).text() in ("correct", "probably fine (kinks?)")


def test_lessons_load_and_train(window, tmp_path, qtbot):
    from settings.lessons import lessons
    from tests.core.datasets.idx_files import write_pair

    folder = tmp_path / "fashion-mnist"
    folder.mkdir()
    images, *_ = write_pair(folder, side=28, n=40, bright=True)
    c = window.controller
    for lesson in lessons():
        assert window.course.apply_lesson(lesson.key, fashion_path=str(images)), lesson.key
        assert [r.units for r in c.spec.layers[:-1]] == [r.units for r in lesson.model.layers[:-1]]
        assert c.train_config.optimizer == lesson.train.optimizer and c.session.batch_size == lesson.train.batch_size
        for _ in range(3):
            c.step_batch()
        assert c.session.step == 3
    assert window.views.tabText(window.views.currentIndex()) == "Gradient flow"
    assert c.dataset.name == "spiral"


def test_every_view_explains_itself(window):
    for index in range(window.views.count()):
        assert len(window.views.tabToolTip(index)) > 40, window.views.tabText(index)
    for title in ("Metrics", "Inspector", "Code", "Gradient check"):
        assert window.docks[title].toggleViewAction().statusTip()
    assert "f′(z)" in window.docks["Inspector"].toggleViewAction().toolTip()
