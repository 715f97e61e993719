"""The controller on its own: rollback when a change fails, and runs that never make the GUI wait."""

from dataclasses import replace

import pytest

from app.controller import TrainingController
from settings.config import DataConfig, LayerRow, ModelSpec


@pytest.fixture
def controller(qtbot):
    c = TrainingController()
    errors, infos = [], []
    c.error.connect(lambda title, text: errors.append((title, text)))
    c.info.connect(infos.append)
    c.errors, c.infos = errors, infos
    assert c.load_data(DataConfig())
    yield c
    c.pause()
    qtbot.waitUntil(lambda: not c.runner.busy, timeout=20_000)


def test_a_model_that_cannot_be_built_leaves_everything_as_it_was(controller):
    c = controller
    session, spec = c.session, c.spec
    assert not c.set_model(ModelSpec((LayerRow(4, "nope"), LayerRow(1, "sigmoid"))))
    assert c.errors[-1][0] == "Cannot build this model" and "nope" in c.errors[-1][1]
    assert c.session is session and c.spec == spec


def test_data_whose_session_cannot_be_built_is_rolled_back(controller, monkeypatch):
    import app.controller as module

    c = controller
    before = (c.data_config, c.dataset, c.spec, c.train_config, c.session)
    shown = []
    c.dataset_changed.connect(shown.append)

    def broken(*args, **kwargs):
        raise ValueError("no room for this model")

    monkeypatch.setattr(module, "build_session", broken)
    assert not c.load_data(DataConfig(source="builtin", builtin="plane"))
    assert (c.data_config, c.dataset, c.spec, c.train_config, c.session) == before
    assert [d.name for d in shown] == ["plane", "spiral"]  # the old data is shown again
    assert not c.set_data_options(replace(c.data_config, validation_fraction=0.4))
    assert c.data_config == before[0] and c.errors[-1][1] == "no room for this model"


def test_a_data_file_that_fails_to_load_changes_nothing(controller, tmp_path):
    c = controller
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,label\n1,2,0\n")
    before = (c.data_config, c.dataset, c.session)
    assert not c.load_data(DataConfig(source="file", path=str(bad)))
    assert (c.data_config, c.dataset, c.session) == before and c.errors[-1][0] == "Could not load the data"


def test_a_new_model_during_a_run_takes_effect_at_once_without_waiting(controller, qtbot):
    c = controller
    c.set_training(replace(c.train_config, epochs=100_000))
    c.run()
    old = c.session
    qtbot.waitUntil(lambda: old.step > 5, timeout=20_000)
    assert c.set_training(replace(c.train_config, seed=7))  # the old run is told to stop, not awaited
    assert c.session is not old and c.session.step == 0 and not c.running
    qtbot.waitUntil(lambda: not c.runner.busy, timeout=20_000)  # the old run ended on its own
    stopped = old.step
    c.step_batch()
    assert c.session.step == 1 and old.step == stopped


def test_a_batch_size_during_a_run_continues_the_same_model_after_the_batch(controller, qtbot):
    """The same weights go on training in a new session: the change waits for the current batch to end
    (never for more), then the run goes on."""
    c = controller
    c.set_training(replace(c.train_config, epochs=100_000))
    c.run()
    old = c.session
    qtbot.waitUntil(lambda: old.step > 5, timeout=20_000)
    assert c.set_training(replace(c.train_config, batch_size=16))  # returns at once
    assert c.train_config.batch_size == 16
    qtbot.waitUntil(lambda: c.session is not old and c.session.step > 3, timeout=20_000)
    assert c.session.batch_size == 16 and c.session.model is old.model and c.running
    c.pause()
    qtbot.waitUntil(lambda: not c.runner.busy, timeout=20_000)


def test_reset_during_a_run_happens_after_the_batch(controller, qtbot):
    c = controller
    c.set_training(replace(c.train_config, epochs=100_000))
    c.run()
    qtbot.waitUntil(lambda: c.session.step > 5, timeout=20_000)
    c.reset()
    qtbot.waitUntil(lambda: not c.running, timeout=20_000)
    assert c.session.step == 0 and c.latest.step == 0


def test_a_main_run_and_a_comparison_never_train_at_once(controller, qtbot):
    from app.compare_controller import CompareController
    from settings.compare_setup import Variant

    c = controller
    compare = CompareController(c, c.runner, c.clock)
    assert compare.build((Variant("tanh", "adam", 0.01, 32), Variant("relu", "adam", 0.01, 32)), epochs=500)
    c.set_training(replace(c.train_config, epochs=100_000))
    c.run()
    qtbot.waitUntil(lambda: c.session.step > 3, timeout=20_000)
    compare.start(1)  # the main run is stopped first: one run at a time
    qtbot.waitUntil(lambda: not c.running and compare.running and c.runner.current is not None, timeout=20_000)
    assert c.infos[-1] == "Paused: compare mode is training now (one run at a time)."
    main_steps = c.session.step
    side = compare.comparison.sessions[0]
    qtbot.waitUntil(lambda: side.step > 3, timeout=20_000)
    assert c.session.step == main_steps  # the main session does not train meanwhile
    c.run()  # and the other way round
    qtbot.waitUntil(lambda: c.running and not compare.running and c.session.step > main_steps, timeout=20_000)
    side_steps = side.step
    qtbot.waitUntil(lambda: c.session.step > main_steps + 3, timeout=20_000)
    assert side.step == side_steps
