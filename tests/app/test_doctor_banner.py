"""The training doctor's warning in the windows: visible, non-modal, names the layer and the numbers,
suggests remedies, in English and Korean; dismissed until something new appears."""

from settings.config import LayerRow, ModelSpec, TrainConfig


def train_quietly(window, steps=500):
    c = window.controller
    for _ in c.session.run(max_steps=steps, capture_every_seconds=None):
        pass
    c.refresh()  # show the session as it is now


def dead_relu_setup(window):
    c = window.controller
    assert c.set_model(ModelSpec((LayerRow(32, "relu"),) * 3 + (LayerRow(1, "sigmoid"),)))
    assert c.set_training(TrainConfig("binary_crossentropy", "sgd", {"learning_rate": 3.0}, 32, 100))


def test_a_dead_relu_run_shows_a_warning_naming_the_layer(window, dialogs):
    dead_relu_setup(window)
    assert window.doctor.isHidden()
    train_quietly(window)
    banner = window.doctor
    assert banner.isVisible() and not dialogs["warning"]  # a banner, not a modal dialog
    text = banner.text.text()
    assert "ReLU units" in text and "output 0 for every sample" in text
    assert any(f"Layer {name}:" in text for name in ("dense", "dense_1", "dense_2"))
    assert "a lower learning rate (now 3)" in text and "He initialization" in text
    window.set_language("ko")
    assert "ReLU" in banner.text.text() and "학습률" in banner.text.text()
    window.set_language("en")
    banner.dismiss.click()
    assert banner.isHidden()
    window.controller.step_batch()  # the same findings stay dismissed
    assert banner.isHidden()


def test_a_healthy_run_shows_nothing_and_a_new_session_clears_the_warning(window):
    train_quietly(window, 300)
    assert window.doctor.isHidden()
    dead_relu_setup(window)
    train_quietly(window)
    assert window.doctor.isVisible()
    window.controller.set_training(TrainConfig("binary_crossentropy", "adam", {"learning_rate": 0.01}, 32, 100))
    assert window.doctor.isHidden()


def test_compare_mode_names_the_side_that_stopped_learning(window, qtbot):
    c = window.controller
    assert c.set_model(ModelSpec((LayerRow(8, "sigmoid"), LayerRow(8, "sigmoid"), LayerRow(1, "sigmoid"))))
    compare = window.open_compare()
    compare.apply_preset("optimizer")
    compare.sides[1].learning_rate.setValue(10.0)  # Adam at lr 10 saturates every sigmoid
    qtbot.waitUntil(lambda: float(compare.comparison.sessions[1].engine.optimizer.learning_rate) == 10.0)
    compare.epochs.setValue(40)
    compare.comparison.advance(compare.comparison.n * 40)
    compare.controller.frame_ready.emit(compare.comparison.frame())
    lines = compare.doctor.text.text().splitlines()
    assert compare.doctor.isVisible()
    assert any(line.startswith("B · ") and "sigmoid outputs sit in the flat ends" in line for line in lines)
    compare.close()
