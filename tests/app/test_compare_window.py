"""Compare mode in the app: presets, a side-by-side run, overlaid curves and histograms, language."""

import numpy as np
import pytest
from PySide6.QtCore import Qt


@pytest.fixture
def compare(window, qtbot):
    cw = window.open_compare()
    qtbot.addWidget(cw)
    yield cw
    cw.stop()
    qtbot.waitUntil(lambda: not cw.running, timeout=20_000)


def run_to_end(cw, qtbot, timeout=60_000):
    cw.epochs.setValue(3)
    cw.start()
    assert cw.running
    qtbot.waitUntil(lambda: not cw.running, timeout=timeout)
    assert cw.comparison.done


def test_sigmoid_against_relu_trains_both_sides_and_overlays_them(window, compare, qtbot):
    assert window.actions.compare.text() == "&Compare settings side by side…"
    assert compare.preset.currentData() == "activation"
    assert (compare.sides[0].variant().activation, compare.sides[1].variant().activation) == ("sigmoid", "relu")
    assert compare.comparison.labels == ["A · sigmoid", "B · relu"]
    run_to_end(compare, qtbot)
    view = compare.view
    for items in view.items[:2]:
        x, y = items["loss"].getData()
        assert len(x) > 10 and np.all(np.isfinite(y)) and x.max() == pytest.approx(3.0, abs=0.05)
        assert len(items["epoch/val_loss"].getData()[0]) == 3
        assert items["hist"].getData()[0] is not None
        mx, my = items["loss_mean"].getData()  # the running mean is the batch curve smoothed
        assert 1 < len(mx) < len(x) and np.min(y) <= my.min() <= my.max() <= np.max(y)
    assert view.legend.getLabel(view.items[0]["loss_mean"]).text == "A · sigmoid"
    assert "A · sigmoid" in view.summary.text() and "epoch 3.00 of 3" in view.summary.text()
    # Same batches and initial weights: only the activation differs.
    a, b = compare.comparison.sessions
    assert a.shuffle_seed == b.shuffle_seed and a.batch_size == b.batch_size
    assert view.layer_box.count() == len(a.model.compute_layers)


def test_batch_32_against_the_full_batch(compare, qtbot):
    compare.apply_preset("batch")
    assert compare.sides[1].batch_size.text() == "full batch"
    assert compare.comparison.labels == ["A · batch 32", "B · full batch"]
    run_to_end(compare, qtbot)
    a, b = compare.comparison.sessions
    assert b.batch_size == b.n and b.step == 3
    assert a.step == 3 * a.batches_per_epoch


def test_sgd_against_adam_and_editing_a_side_rebuilds(compare, qtbot):
    compare.apply_preset("optimizer")
    assert compare.comparison.labels == ["A · SGD (lr 0.01)", "B · Adam (lr 0.001)"]
    a, b = compare.comparison.sessions
    assert type(a.engine.optimizer).__name__ == "SGD" and type(b.engine.optimizer).__name__ == "Adam"
    compare.sides[0].learning_rate.setValue(0.05)  # an edit is a new comparison from step 0 (nothing trained)
    qtbot.waitUntil(lambda: compare.comparison.sessions[0] is not a)
    assert compare.comparison.sessions[0].engine.optimizer.learning_rate == pytest.approx(0.05)


def test_compare_window_speaks_korean(window, compare):
    window.set_language("ko")
    assert compare.windowTitle() == "Propscope · 설정 나란히 비교"
    assert compare.run_button.text() == "모두 실행"
    assert compare.preset.itemText(0) == "sigmoid 대 ReLU (은닉층)"
    assert compare.sides[0].title() == "A 쪽"
    assert compare.view.loss_plot.titleLabel.text.startswith("손실")
    window.set_language("en")
    assert compare.run_button.text() == "Run all"


def test_closing_the_main_window_stops_a_running_comparison(window, compare, qtbot):
    compare.epochs.setValue(500)
    compare.start()
    qtbot.waitUntil(lambda: compare.view.frame is not None and compare.view.frame.sides[0].step > 0)
    window.close()  # at once: the comparison is told to stop and ends after its batch
    assert not compare.isVisible()
    qtbot.waitUntil(lambda: not compare.running and not compare.controller.runner.busy, timeout=20_000)


def test_the_four_optimizer_lesson_compares_them_side_by_side(window, qtbot, tmp_path):
    from tests.core.datasets.idx_files import write_pair

    folder = tmp_path / "fashion-mnist"
    folder.mkdir()
    images, *_ = write_pair(folder, side=28, n=60, bright=True)
    assert window.course.apply_lesson("fashion_optimizers", fashion_path=str(images))
    cw = window.compare_window
    qtbot.addWidget(cw)
    assert cw.side_count == 4 and all(editor.isVisibleTo(cw) for editor in cw.sides)
    assert cw.comparison.labels == ["A · SGD (lr 0.01)", "B · Adagrad (lr 0.001)", "C · RMSprop (lr 0.001)",
                                    "D · Adam (lr 0.001)"]
    sessions = cw.comparison.sessions
    assert [type(s.engine.optimizer).__name__ for s in sessions] == ["SGD", "Adagrad", "RMSprop", "Adam"]
    first = sessions[0].model.get_weights()
    for s in sessions[1:]:  # the same initial weights and batch order on every side
        assert s.shuffle_seed == sessions[0].shuffle_seed
        for w0, w in zip(first, s.model.get_weights()):
            np.testing.assert_array_equal(w0, w)
    run_to_end(cw, qtbot)
    frame = cw.view.frame
    assert len(frame.sides) == 4
    assert [cw.view.legend.items[k][1].text for k in range(4)] == list(cw.comparison.labels)
    for items in cw.view.items:
        assert len(items["loss"].getData()[0]) > 0
    cw.apply_preset("activation")  # back to two sides: the other two editors and curves go away
    assert cw.side_count == 2 and not cw.sides[2].isVisibleTo(cw)
    assert cw.view.items[3]["loss"].getData()[0] is None or len(cw.view.items[3]["loss"].getData()[0]) == 0
    assert len(cw.view.legend.items) == 2


def test_side_labels_name_only_what_differs():
    from settings.compare_setup import FULL_BATCH, Variant, side_labels

    base = Variant("relu", "Adam", 0.001, 32)
    assert side_labels((base, Variant("tanh", "Adam", 0.001, FULL_BATCH))) == (
        "A · relu, batch 32", "B · tanh, full batch")
    assert side_labels((base, base)) == ("A · relu · Adam (lr 0.001) · batch 32",
                                         "B · relu · Adam (lr 0.001) · batch 32")


def test_a_run_started_while_the_last_one_stops_follows_it(compare, qtbot):
    runner = compare.controller.runner
    compare.epochs.setValue(500)
    compare.start()
    qtbot.waitUntil(lambda: compare.view.frame is not None and compare.view.frame.sides[0].step > 0)
    first = runner.current
    compare.stop()  # returns at once: the first run ends after its batch
    compare.start()  # waits for it, then starts
    assert compare.running and runner.current is first  # queued behind the stopping run
    with qtbot.waitSignal(runner.finished, timeout=20_000) as ended:
        pass
    assert ended.args[0] is first and ended.args[1] == "paused"
    qtbot.waitUntil(lambda: runner.current is not None and runner.current is not first, timeout=20_000)
    assert compare.running  # the finish of the first run did not end the second
    compare.stop()
    qtbot.waitUntil(lambda: not compare.running, timeout=20_000)
    assert not runner.busy


def test_an_activation_comparison_without_hidden_layers_is_explained(window, dialogs):
    from settings.config import DataConfig, LayerRow, ModelSpec

    window.requests.data(DataConfig(source="gate", gate="XOR"))
    window.requests.model(ModelSpec((LayerRow(1, "sigmoid"),)))
    cw = window.open_compare()
    assert cw.last_error is not None and "no hidden layer" in cw.last_error[1]
    assert cw.apply_preset("optimizer")  # other comparisons still work on a single perceptron
    assert cw.comparison.labels == ["A · SGD (lr 0.01)", "B · Adam (lr 0.001)"]
    cw.close()


def test_the_overfitting_lesson_compares_without_and_with_dropout(window, qtbot, tmp_path):
    from tests.core.datasets.idx_files import write_pair

    folder = tmp_path / "fashion-mnist"
    folder.mkdir()
    images, *_ = write_pair(folder, side=28, n=60, bright=True)
    assert window.course.apply_lesson("fashion_overfitting", fashion_path=str(images))
    assert [row.kind for row in window.controller.spec.layers] == ["Dense", "Dropout", "Dense"]
    cw = window.compare_window
    qtbot.addWidget(cw)
    assert cw.comparison.labels == ["A · plain", "B · Dropout(0.3)"]
    assert (cw.sides[0].dropout.value(), cw.sides[1].dropout.value()) == (0.0, 0.3)
    assert cw.sides[0].dropout.text() == "none"
    plain, dropped = cw.comparison.sessions
    assert [type(la).__name__ for la in dropped.model.compute_layers] == ["Flatten", "Dense", "Dropout", "Dense"]
    assert [type(la).__name__ for la in plain.model.compute_layers] == ["Flatten", "Dense", "Dense"]
    run_to_end(cw, qtbot)
    for items in cw.view.items[:2]:  # training (each batch) and validation (each epoch) curves on both sides
        assert len(items["loss"].getData()[0]) > 0 and len(items["epoch/val_loss"].getData()[0]) == 3


def test_editing_a_sides_remedies_rebuilds_it(compare, qtbot):
    compare.apply_preset("remedies")
    assert compare.side_count == 4
    assert compare.comparison.labels == ["A · plain", "B · L2(0.001)", "C · Dropout(0.3)", "D · BatchNorm"]
    side = compare.sides[0]
    side.batchnorm.setFocus()
    qtbot.keyClick(side.batchnorm, Qt.Key.Key_Space)  # tick "BatchNormalization after every hidden layer"
    qtbot.waitUntil(lambda: compare.comparison.labels[0] == "A · BatchNorm", timeout=5000)
    kinds = [type(la).__name__ for la in compare.comparison.sessions[0].model.compute_layers]
    assert kinds.count("BatchNormalization") == len([k for k in kinds if k == "Dense"]) - 1
