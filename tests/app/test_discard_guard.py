"""Discarding asks: every action that throws training away asks first (one guard), No keeps the weights."""

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from app.discard_guard import ACTIONS, DiscardGuard
from settings.config import ModelSpec


def weights(controller):
    return [np.array(w) for w in controller.model.get_weights()]


def trained(window, steps=3):
    c = window.controller
    for _ in range(steps):
        c.step_batch()
    assert c.session.step == steps and c.has_progress
    return c.session, weights(c)


def unchanged(window, session, before):
    c = window.controller
    assert c.session is session and c.session.step == 3
    assert all(np.array_equal(a, b) for a, b in zip(before, weights(c)))


def test_reset_asks_and_no_keeps_the_trained_weights(window, answers):
    session, before = trained(window)
    window.actions.reset.trigger()  # Ctrl+Shift+R
    assert len(answers.asked) == 1 and "3 trained steps" in answers.asked[0][1]
    unchanged(window, session, before)
    answers.reply = QMessageBox.StandardButton.Yes
    window.actions.reset.trigger()
    c = window.controller
    assert c.session.step == 0 and not c.has_progress
    assert all(np.array_equal(a, b) for a, b in zip(weights(c), session.initial_weights))


def test_nothing_trained_nothing_asked(window, answers):
    c = window.controller
    window.actions.reset.trigger()
    window.requests.model(ModelSpec((replace(c.spec.layers[0], units=5), *c.spec.layers[1:])))
    window.course.apply_lesson("xor_mlp")
    assert answers.asked == [] and c.dataset.name.lower().startswith("xor")


@pytest.mark.parametrize("action", ["data", "data_options", "lesson", "preset", "model", "optimizer", "loss", "seed"])
def test_every_discarding_action_asks_and_no_keeps_everything(window, answers, action):
    c = window.controller
    session, before = trained(window)
    spec, train, data = c.spec, c.train_config, c.data_config
    do = {
        "data": lambda: window.requests.data(replace(data, builtin="circle")),
        "data_options": lambda: window.requests.data_options(replace(data, validation_fraction=0.3)),
        "lesson": lambda: window.course.apply_lesson("xor_mlp"),
        "preset": lambda: window.course.apply_preset("dense_3_2"),
        "model": lambda: window.requests.model(ModelSpec((replace(spec.layers[0], units=5), *spec.layers[1:]))),
        "optimizer": lambda: window.requests.training(replace(train, optimizer="SGD", hyper={})),
        "loss": lambda: window.requests.training(replace(train, loss="mean_squared_error")),
        "seed": lambda: window.requests.training(replace(train, seed=train.seed + 1)),
    }[action]
    do()
    assert len(answers.asked) == 1
    unchanged(window, session, before)
    assert (c.spec, c.train_config, c.data_config) == (spec, train, data)
    # The panels show what holds, not what was refused.
    assert window.training_panel.current().optimizer == train.optimizer
    answers.reply = QMessageBox.StandardButton.Yes
    do()
    assert c.session is not session and c.session.step == 0


def test_files_ask_before_they_start_loading(window, answers, tmp_path):
    trained(window)
    assert not window.files.open_session(str(tmp_path / "x.propscope"))
    assert not window.files.open_model(str(tmp_path / "x.keras"))
    assert not window.files.open_path(str(tmp_path / "x.csv"))
    assert len(answers.asked) == 3 and not window.loader.busy


def test_changes_that_keep_the_training_do_not_ask(window, answers):
    c = window.controller
    session, before = trained(window)
    window.requests.training(replace(c.train_config, epochs=7))
    window.requests.training(replace(c.train_config, hyper={**c.train_config.hyper, "learning_rate": 0.02}))
    assert c.session is session and session.epochs == 7
    assert float(c.model.optimizer.learning_rate) == pytest.approx(0.02)
    window.requests.training(replace(c.train_config, batch_size=16))  # a new session on the same weights
    assert answers.asked == [] and c.train_config.batch_size == 16
    assert all(np.array_equal(a, b) for a, b in zip(before, weights(c)))


def test_the_guard_knows_its_actions():
    class Untrained:
        has_progress = False

    guard = DiscardGuard(Untrained(), lambda title, text: pytest.fail("asked without progress"))
    assert all(guard.allow(action) for action in ACTIONS)
    with pytest.raises(ValueError, match="unknown action"):
        guard.discards("format the disk")
