"""Typing into the Data dock, choosing validation data and evaluating the test set, by hand.

Run in its own process by tests/ui/test_cases_isolated.py (a crash fails that test).
"""

import gzip
import struct

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from core.datasets.splits import holdout_indices

FINISHES = ("enter", "tab", "focus_out")


def write_idx(path, arr):
    arr = np.asarray(arr, dtype=np.uint8)
    header = bytes([0, 0, 0x08, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    path.write_bytes(gzip.compress(header + arr.tobytes()))


def fashion_like(folder, n_train=200, n_test=50):
    """train-/t10k- IDX pairs of 8×8 images, ten classes told apart by their brightness."""
    rng = np.random.default_rng(0)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        images = np.clip(labels[:, None, None] * 25 + rng.integers(0, 20, (n, 8, 8)), 0, 255)
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", images)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", labels)
    return folder / "train-images-idx3-ubyte.gz"


@pytest.mark.parametrize("finish", FINISHES)
def test_points_noise_and_seed_typed(window, hands, finish):
    panel, c = window.data_panel, window.controller
    window.docks["Data"].raise_()
    hands.type(panel.n_samples, "250", finish)
    assert len(c.dataset) == 250 and c.session.n == 200  # 20% held out
    hands.type(panel.noise, "0.3", finish)
    assert c.data_config.noise == 0.3 and panel.noise.text() == "0.3"
    hands.type(panel.seed, "11", finish)
    assert c.data_config.seed == 11


@pytest.mark.parametrize("field,text,kept", [("n_samples", "5", 400), ("n_samples", "abc", 400),
                                             ("n_samples", "", 400), ("noise", "9", 0.5), ("noise", "-1", 0.1),
                                             ("noise", "x", 0.1), ("validation", "0.9", 0.5),
                                             ("validation", "", 0.2), ("validation", "1e-1", 0.1),
                                             ("validation", "0,3", 0.3), ("seed", "-", 0)])
def test_out_of_range_is_clamped_and_garbage_keeps_the_data(window, hands, dialogs, field, text, kept):
    panel, c = window.data_panel, window.controller
    hands.type(getattr(panel, field), text, "enter")
    config_field = {"n_samples": "n_samples", "noise": "noise", "validation": "validation_fraction",
                    "seed": "seed"}[field]
    assert getattr(c.data_config, config_field) == kept
    assert not dialogs["warning"]


def test_validation_share_typed_holds_out_that_share_exactly_as_train_test_split(window, hands):
    panel, c = window.data_panel, window.controller
    hands.type(panel.validation, "0.3", "enter")
    train, held_out = holdout_indices(400, 0.3, 0)
    assert c.session.n == len(train) == 280 and len(c.session.validation_data[0]) == 120
    assert "test_size=0.3, random_state=0" in window.code.keras.toPlainText()
    assert "validation 120 (30% held out, random_state 0)" in panel.split_label.text()
    hands.type(panel.validation, "0", "enter")
    assert c.session.validation_data is None and c.session.n == 400
    assert "validation_data" not in window.code.keras.toPlainText()
    hands.key(panel.validation, Qt.Key.Key_Up)
    assert c.data_config.validation_fraction == 0.05


def test_sources_and_normalization_with_the_keyboard(window, hands, monkeypatch):
    panel, c = window.data_panel, window.controller
    hands.choose(panel.builtin, "moons")
    assert c.dataset.name.startswith("moons")
    hands.choose(panel.normalization, "standardize")
    assert c.data_config.normalization == "standardize"
    assert "mean, std = x_train.mean(axis=0)" in window.code.keras.toPlainText()
    hands.choose(panel.source, "gate")
    assert len(c.dataset) == 4 and c.session.validation_data is None  # 4 points: nothing to hold out
    hands.choose(panel.gate, "AND")
    assert c.data_config.gate == "AND"
    # The app opens Qt's own file dialog (app/dialogs.py): cancel it as a hand would, with its result.
    monkeypatch.setattr(QFileDialog, "exec", lambda self: QFileDialog.DialogCode.Rejected)
    hands.choose(panel.source, "file", expect_change=False)  # the dialog was cancelled: nothing changes
    assert c.data_config.source == "gate"


def test_a_file_with_a_test_set_validates_on_held_out_training_data(window, hands, tmp_path):
    path = fashion_like(tmp_path)
    assert window.files.open_path(str(path)) and window.loader.wait(30)
    c, panel = window.controller, window.data_panel
    assert c.session.n == 160 and len(c.session.validation_data[0]) == 40  # 200 train: 80% / 20%
    assert len(c.prepared.x_test) == 50
    assert panel.split_label.text() == ("training 160 · validation 40 (20% held out, random_state 0) · "
                                        "test set 50 (kept apart)")
    assert window.split_label.text() == "train 160 · val 40 · test 50"
    code = window.code.keras.toPlainText()
    assert "train_test_split(\n    x, y, test_size=0.2, random_state=0)" in code
    assert "validation_data=(x_val, y_val)," in code and "model.evaluate(x_test, y_test)" in code
    assert panel.test_result.text() == "not evaluated yet"
    c.step_batch()
    hands.click(panel.evaluate_button)
    result = c.model.evaluate(c.prepared.x_test, c.prepared.y_test, verbose=0, return_dict=True)
    assert panel.test_result.text().startswith("test set (50 samples) at step 1: loss ")
    assert f"{result['loss']:.4f}" in panel.test_result.text()
    assert c.session.step == 1  # evaluating does not train


def test_validating_on_the_test_set_is_an_explicit_choice(window, hands, dialogs, tmp_path):
    assert window.files.open_path(str(fashion_like(tmp_path))) and window.loader.wait(30)
    c, panel = window.controller, window.data_panel
    assert panel.validation_source.isEnabled()
    hands.choose(panel.validation_source, "test")
    assert c.data_config.validation == "test"
    assert c.session.n == 200 and len(c.session.validation_data[0]) == 50
    assert not panel.validation.isEnabled()
    assert "validation_data=(x_test, y_test)," in window.code.keras.toPlainText()
    assert "validation 50 (the test set)" in panel.split_label.text()


def test_without_a_test_set_the_evaluate_button_says_so(window, hands, dialogs):
    panel = window.data_panel
    assert not panel.evaluate_button.isEnabled() and not panel.validation_source.isEnabled()
    assert panel.test_result.text() == "this data has no test set"
    window.actions.test.trigger()
    assert dialogs["warning"][-1][0] == "No test set"
