"""Counters never pass their totals, and the status bar agrees with the views on the batch shown."""

from dataclasses import replace

from tests.app.conftest import wait_for_runs_to_end


def status_text(window):
    return window.status_label.text()


def test_after_an_update_the_status_bar_and_the_layers_header_name_the_same_batch(window):
    c = window.controller
    layers = window.views.show_view("propagation")
    bpe = c.session.batches_per_epoch
    c.step_batch()
    assert f"Epoch 1/50 · batch 1/{bpe} · update" in status_text(window)
    assert f"batch 1/{bpe}" in layers.title.text()
    c.step_phase()  # the next batch's first phase: now batch 2
    assert f"batch 2/{bpe} · forward" in status_text(window) and f"batch 2/{bpe}" in layers.title.text()


def test_the_end_of_a_run_shows_the_last_epoch_not_one_past_it(window, qtbot):
    c = window.controller
    window.requests.training(replace(c.train_config, epochs=2))
    bpe = c.session.batches_per_epoch
    window.actions.run.trigger()  # F5
    qtbot.waitUntil(lambda: not c.running, timeout=30_000)
    assert c.session.step == 2 * bpe
    assert f"Epoch 2/2 · batch {bpe}/{bpe}" in status_text(window)
    assert "Epoch 3/2" not in status_text(window)
    assert window.progress.value() == window.progress.maximum() == 2 * bpe
    assert window.steps.position.text() == f"step {2 * bpe} / {2 * bpe}"
    c.step_batch()  # stepping on at the end trains the configured epochs once more
    assert c.session.epochs == 4 and f"Epoch 3/4 · batch 1/{bpe} · update" in status_text(window)
    assert window.progress.value() == 2 * bpe + 1 and window.progress.maximum() == 4 * bpe
    wait_for_runs_to_end(qtbot)


def test_a_session_of_zero_epochs_says_why_run_does_nothing(window, dialogs):
    c = window.controller
    window.controller.set_training(replace(c.train_config, epochs=0))  # as propscope.show(..., epochs=0)
    assert c.session.epochs == 0
    window.controller.refresh()
    assert "Epoch 1/0" not in status_text(window) and "Epoch 0/0" in status_text(window)
    assert "nothing to train" in status_text(window)
    window.actions.run.trigger()  # F5
    assert not c.running and c.session.step == 0
    assert dialogs["warning"][-1][0] == "Nothing to train" and "0 epochs" in dialogs["warning"][-1][1]
    c.step_batch()  # F7 as well: said, not silently ignored
    assert c.session.step == 0 and len(dialogs["warning"]) == 2
