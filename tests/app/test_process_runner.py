"""Run mode in the training process: the same numbers as on a thread, and the session comes back whole.

Each test trains one session through the :class:`ProcessRunner` (a child
process, snapshots through shared memory) and an identical one in this
process, and compares bits: weights, optimizer state, history, what stepping
and rewinding do afterwards.
"""

from __future__ import annotations

import numpy as np
import pytest

from app.process_runner import ProcessRunner
from app.runner import DIVERGED, DONE, PAUSED, ComparisonRun, SessionRun
from tests.widgets.conftest import session_for


@pytest.fixture(scope="module")
def runner(qapp):
    r = ProcessRunner()
    r.prewarm()
    yield r
    assert r.shutdown(5_000)


def _twins(make_optimizer=None, **kwargs):
    """Two identical sessions (the same initial weights: the same global seed before each)."""
    from core.random import set_random_seed

    sessions = []
    for _ in range(2):
        set_random_seed(7)
        extra = {} if make_optimizer is None else {"optimizer": make_optimizer()}
        sessions.append(session_for(**kwargs, **extra))
    a, b = sessions
    for p, q in zip(a.engine.parameters(), b.engine.parameters()):
        np.testing.assert_array_equal(np.asarray(p), np.asarray(q))
    return a, b


def _same_bits(a, b) -> None:
    for p, q in zip(a.engine.parameters(), b.engine.parameters()):
        np.testing.assert_array_equal(np.asarray(p), np.asarray(q))
    slots_a, slots_b = a.engine.optimizer.flat_slots, b.engine.optimizer.flat_slots
    assert slots_a.keys() == slots_b.keys()
    for k in slots_a:
        np.testing.assert_array_equal(slots_a[k], slots_b[k])
    assert a.step == b.step == int(a.engine.optimizer.iterations)
    for key in ("loss",):
        np.testing.assert_array_equal(a.history.scalar(key)[1], b.history.scalar(key)[1])
    name_a, name_b = a.engine.layers[0].name, b.engine.layers[0].name  # twins are numbered apart
    np.testing.assert_array_equal(a.history.scalar(f"{name_a}/grad_norm")[1],
                                  b.history.scalar(f"{name_b}/grad_norm")[1])
    assert a.history.epochs == b.history.epochs


def _run(runner, qtbot, job):
    with qtbot.waitSignal(runner.finished, timeout=60_000) as ended:
        runner.submit(job)
    return ended.args[1]


def test_a_run_in_the_process_gives_the_bits_of_a_run_here(runner, qtbot):
    remote, local = _twins(hidden=((12, "relu"),), out=(3, "softmax"), loss="sparse_categorical_crossentropy",
                           n=200, optimizer="nadam")
    remote.epochs = local.epochs = 4
    job = SessionRun(remote, None, None, 1 / 30)
    assert _run(runner, qtbot, job) == DONE
    assert runner.current is None and not runner.busy
    for _ in local.run():
        pass
    _same_bits(remote, local)
    assert job.latest.step == remote.step and not job.latest.x.flags.writeable  # the last batch, read-only
    assert job.history.last_step == remote.step
    # Stepping and rewinding go on in this process, exactly as after a run here.
    np.testing.assert_array_equal(remote.step_batch().layers[0].W_after, local.step_batch().layers[0].W_after)
    assert remote.checkpoints.steps == local.checkpoints.steps  # the checkpoints came back too
    np.testing.assert_array_equal(remote.seek(7).layers[0].W_after, local.seek(7).layers[0].W_after)
    _same_bits(remote, local)


def test_a_paused_run_continues_exactly(runner, qtbot):
    remote, local = _twins(n=64)
    remote.epochs = local.epochs = 400
    job = SessionRun(remote, None, None, 1 / 30)
    runner.submit(job)
    qtbot.waitUntil(lambda: job.latest is not None and job.latest.step > 20, timeout=60_000)
    with qtbot.waitSignal(runner.finished, timeout=60_000) as ended:
        runner.request_stop(job)
    assert ended.args[1] == PAUSED
    stopped = remote.step
    assert 20 < stopped < remote.epochs * remote.batches_per_epoch
    for _ in local.run(max_steps=stopped):
        pass
    _same_bits(remote, local)
    # A second run of the same session: the data are not sent again, and it continues from there.
    again = SessionRun(remote, 25, None, 1 / 30)
    assert _run(runner, qtbot, again) == DONE
    for _ in local.run(max_steps=25):
        pass
    assert remote.step == stopped + 25
    _same_bits(remote, local)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_divergence_is_found_and_named_as_on_a_thread(runner, qtbot):
    from core import optimizers

    remote, local = _twins(lambda: optimizers.SGD(learning_rate=10.0), hidden=((8, "relu"),), out=(1, "linear"),
                           loss="mse", n=64)
    remote.epochs = local.epochs = 50
    assert _run(runner, qtbot, SessionRun(remote, None, None, 1 / 30)) == DIVERGED
    snaps = list(local.run())
    assert local.divergence is not None and remote.divergence == local.divergence
    assert snaps[-1].divergence == local.divergence
    _same_bits(remote, local)


def test_other_jobs_run_on_the_thread(runner, qtbot):
    from core.compare import Comparison

    paced = SessionRun(session_for(), 3, 200.0, 1 / 30)
    assert runner._remote_ok(paced) is None  # noqa: SLF001 — which path a job takes is the point
    assert _run(runner, qtbot, paced) == DONE and paced.session.step == 3
    a, b = _twins()
    comparison = ComparisonRun(Comparison([a, b], ["a", "b"], 1))
    assert runner._remote_ok(comparison) is None  # noqa: SLF001
    assert _run(runner, qtbot, comparison) == DONE and a.step == b.step == a.batches_per_epoch


def test_a_lost_process_ends_the_run_with_an_error_and_keeps_the_session(runner, qtbot):
    session = session_for()
    session.epochs = 100_000
    before = [np.array(p) for p in session.engine.parameters()]
    job = SessionRun(session, None, None, 1 / 30)
    runner.submit(job)
    qtbot.waitUntil(lambda: job.latest is not None, timeout=60_000)
    with qtbot.waitSignal(runner.finished, timeout=60_000) as ended:
        runner._process.kill()  # noqa: SLF001 — the crash under test
    assert ended.args[1].startswith("error: the training process ended")
    assert session.step == 0
    for p, q in zip(before, session.engine.parameters()):
        np.testing.assert_array_equal(p, q)
    # The next run starts a new process.
    again = SessionRun(session, 5, None, 1 / 30)
    assert _run(runner, qtbot, again) == DONE and session.step == 5


def test_without_processes_runs_stay_on_the_thread(qapp, qtbot, monkeypatch):
    import subprocess

    def refuse(*args, **kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    runner = ProcessRunner()
    session = session_for()
    job = SessionRun(session, 7, None, 1 / 30)
    assert _run(runner, qtbot, job) == DONE
    assert session.step == 7 and runner._process is None  # noqa: SLF001 — no child was started
    assert runner.shutdown(5_000)


def test_the_confusion_matrix_is_computed_in_the_process_while_wanted(runner, qtbot):
    from core.stepper.derived import confusion_matrix

    session = session_for(hidden=((12, "relu"),), out=(3, "softmax"), loss="sparse_categorical_crossentropy", n=400)
    session.epochs = 2_000
    job = SessionRun(session, None, None, 1 / 30)
    runner.set_capture_options(False, 3)
    runner.submit(job)
    qtbot.waitUntil(lambda: job.confusion is not None, timeout=60_000)
    step, matrix = job.confusion
    x_val, y_val = session.validation_data
    assert matrix.shape == (3, 3) and matrix.sum() == len(x_val) and step > 0
    with qtbot.waitSignal(runner.finished, timeout=60_000):
        runner.request_stop(job)
    runner.set_capture_options(False, 0)
    # Computed on a snapshot's weights: a paused session's own snapshot gives the same function's counts.
    assert (confusion_matrix(job.latest.layers, x_val, y_val, 3) >= 0).all()
    quiet = SessionRun(session, 40, None, 1 / 30)  # not wanted: never computed
    assert _run(runner, qtbot, quiet) == DONE and quiet.confusion is None


def test_dropout_and_batch_normalization_continue_exactly_through_the_process(runner, qtbot):
    """Whatever the session state carries (Dropout's random stream, BatchNormalization's moving statistics)
    goes to the training process and back: the same bits as a run here."""
    import core
    from core.random import set_random_seed
    from core.stepper import TrainingSession

    def session():
        set_random_seed(11)
        core.backend.clear_session()
        model = core.Sequential([core.Input(shape=(6,)), core.layers.Dense(16, activation="relu"),
                                 core.layers.BatchNormalization(), core.layers.Dropout(0.3),
                                 core.layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                      backend="numpy")
        rng = np.random.default_rng(2)
        return TrainingSession(model, rng.normal(size=(160, 6)).astype(np.float32), rng.integers(0, 3, 160),
                               batch_size=16, epochs=3, seed=5, validation_split=0.25)

    remote, local = session(), session()
    assert _run(runner, qtbot, SessionRun(remote, 17, None, 1 / 30)) == DONE
    for _ in local.run(max_steps=17):
        pass
    for p, q in zip(remote.engine.parameters(), local.engine.parameters()):  # moving statistics included
        np.testing.assert_array_equal(np.asarray(p), np.asarray(q))
    np.testing.assert_array_equal(remote.step_batch().layers[-1].W_after, local.step_batch().layers[-1].W_after)
    assert _run(runner, qtbot, SessionRun(remote, None, None, 1 / 30)) == DONE
    for _ in local.run():
        pass
    for p, q in zip(remote.engine.parameters(), local.engine.parameters()):
        np.testing.assert_array_equal(np.asarray(p), np.asarray(q))
    np.testing.assert_array_equal(remote.history.scalar("loss")[1], local.history.scalar("loss")[1])


def test_closing_during_a_run_ends_the_process_without_waiting_for_the_run(qapp, qtbot):
    r = ProcessRunner()
    session = session_for()
    session.epochs = 100_000
    job = SessionRun(session, None, None, 1 / 30)
    r.submit(job)
    qtbot.waitUntil(lambda: job.latest is not None, timeout=60_000)
    process = r._process  # noqa: SLF001 — the child under test
    assert r.shutdown(5_000)
    assert process.poll() == 0  # it quit by itself (told to), rather than being terminated after the wait
    assert session.step == 0  # the window is gone: the run's state is not taken back


def test_a_run_from_a_rewound_step_replays_a_later_learning_rate_change_in_the_process(runner, qtbot):
    """The session's hyper-parameter changes by step go with the run: replaying past the step where the
    learning rate changed uses the new value there, as a run here does."""
    remote, local = _twins(n=64)
    remote.epochs = local.epochs = 10
    for s in (remote, local):
        for _ in s.run(max_steps=12):
            pass
        s.set_hyperparameters(learning_rate=0.2)
        for _ in s.run(max_steps=8):
            pass
        s.seek(5)  # before the change: the replay must switch to 0.2 after step 12 again
    assert _run(runner, qtbot, SessionRun(remote, 20, None, 1 / 30)) == DONE
    for _ in local.run(max_steps=20):
        pass
    _same_bits(remote, local)
    lr_steps, lrs = remote.history.scalar("learning_rate")
    assert lrs[lr_steps <= 12].max() == pytest.approx(0.001) and lrs[lr_steps > 12].min() == pytest.approx(0.2)
    assert remote.engine.optimizer.learning_rate == pytest.approx(0.2)  # the value in force at step 25, here too


def test_a_learning_rate_typed_during_a_process_run_reaches_the_training_process(runner, qtbot):
    """The controller on the process runner: the change waits for the batch, the run goes on in the training
    process at the new rate, keeping the optimizer's state — the same bits as the change made here."""
    from dataclasses import replace

    from app.controller import TrainingController
    from settings.config import DataConfig

    c = TrainingController(runner=runner)
    assert c.load_data(DataConfig())
    assert c.set_training(replace(c.train_config, optimizer="sgd",
                                  hyper={"learning_rate": 0.01, "momentum": 0.9}, epochs=100_000))
    session = c.session
    c.run()
    in_process = lambda: runner._remote is not None  # noqa: E731, SLF001 — where the run goes is the point
    qtbot.waitUntil(lambda: in_process() and session.step == 0 and c.latest is not None and c.latest.step > 30,
                    timeout=60_000)
    assert c.set_training(replace(c.train_config, hyper={"learning_rate": 0.1, "momentum": 0.9}))
    qtbot.waitUntil(lambda: in_process() and session.step > 0, timeout=60_000)
    changed_at = min(session.hyper.changes)
    assert session.step == changed_at > 30  # taken back after the batch, changed, and sent again
    qtbot.waitUntil(lambda: c.latest.step > changed_at + 30, timeout=60_000)
    c.pause()
    qtbot.waitUntil(lambda: not runner.busy, timeout=60_000)
    end = session.step
    assert end > changed_at + 30 and c.train_config.hyper["learning_rate"] == 0.1
    assert session.engine.optimizer.learning_rate == pytest.approx(0.1)
    steps, lrs = session.history.scalar("learning_rate")
    assert np.allclose(lrs[steps <= changed_at], 0.01) and np.allclose(lrs[steps > changed_at], 0.1)
    # Replayed here from step 0 with the change at the same step (momentum kept across it): the same bits.
    trained = [np.array(p) for p in session.engine.parameters()]
    session.seek(0)
    for _ in session.run(max_steps=end):
        pass
    assert session.step == end
    for p, q in zip(session.engine.parameters(), trained):
        np.testing.assert_array_equal(np.asarray(p), q)


def test_the_training_doctor_reads_the_curves_of_a_run_in_the_process(runner, qtbot, dialogs):
    """While the training process runs, the session here has not got the history yet: the doctor reads the
    frame's curves (the process's statistics, sent back five times a second) and warns during the run."""
    from app.controller import TrainingController
    from app.window import MainWindow
    from settings.config import LayerRow, ModelSpec, TrainConfig

    window = MainWindow(TrainingController(runner=runner))
    qtbot.addWidget(window)
    window.show()
    c = window.controller
    assert c.set_model(ModelSpec((LayerRow(32, "relu"),) * 3 + (LayerRow(1, "sigmoid"),)))
    assert c.set_training(TrainConfig("binary_crossentropy", "sgd", {"learning_rate": 3.0}, 32, 100_000))
    session = c.session
    c.run()
    qtbot.waitUntil(window.doctor.isVisible, timeout=60_000)
    assert c.running and session.step == 0 and runner._remote is not None  # noqa: SLF001 — during the process run
    assert "ReLU units" in window.doctor.text.text()
    window.close()
    qtbot.waitUntil(lambda: not runner.busy, timeout=60_000)


def test_epochs_changed_during_a_process_run_set_where_it_ends(runner, qtbot):
    from dataclasses import replace

    from app.controller import TrainingController
    from settings.config import DataConfig

    c = TrainingController(runner=runner)
    assert c.load_data(DataConfig())
    assert c.set_training(replace(c.train_config, epochs=100_000))
    session = c.session
    c.run()
    qtbot.waitUntil(lambda: runner._remote is not None and c.latest is not None  # noqa: SLF001
                    and c.latest.step > 3 * session.batches_per_epoch, timeout=60_000)
    epochs = c.latest.step // session.batches_per_epoch + 40
    assert c.set_training(replace(c.train_config, epochs=epochs))
    qtbot.waitUntil(lambda: session.step > 0 and not c.running and not runner.busy, timeout=120_000)
    assert session.epochs == epochs and session.step == epochs * session.batches_per_epoch  # ran on, to the new end
    assert session.history.epochs_done == epochs


def test_the_shared_copy_of_an_old_data_set_is_freed_when_its_session_goes(runner, qtbot):
    from dataclasses import replace
    from pathlib import Path

    from app.controller import TrainingController
    from settings.config import DataConfig

    c = TrainingController(runner=runner)
    assert c.load_data(DataConfig())
    assert c.set_training(replace(c.train_config, epochs=3))
    c.run()
    qtbot.waitUntil(lambda: c.session.step > 0 and not runner.busy, timeout=60_000)
    names = [shm.name for shm in runner._data_segments]  # noqa: SLF001 — the copy under test
    assert names and all(Path("/dev/shm", name.lstrip("/")).exists() for name in names)
    c.step_batch()  # stepping the same session keeps its copy
    qtbot.wait(50)
    assert [shm.name for shm in runner._data_segments] == names  # noqa: SLF001
    assert c.load_data(DataConfig(source="builtin", builtin="plane"))
    qtbot.waitUntil(lambda: not runner._data_segments, timeout=10_000)  # noqa: SLF001
    assert not any(Path("/dev/shm", name.lstrip("/")).exists() for name in names)
    c.run()  # the next run sends the new data
    qtbot.waitUntil(lambda: c.session.step > 0 and not runner.busy, timeout=60_000)
    assert c.session.step == c.session.epochs * c.session.batches_per_epoch


def test_a_pace_chosen_during_a_process_run_goes_on_here_at_that_pace(runner, qtbot):
    """A class watching: the lecturer picks 2 batches a second while a full-speed run trains in the training
    process; the run is taken back after its batch and goes on here at that pace, every phase shown."""
    from dataclasses import replace

    from app.controller import TrainingController
    from settings.config import DataConfig

    c = TrainingController(runner=runner)
    assert c.load_data(DataConfig())
    assert c.set_training(replace(c.train_config, epochs=100_000))
    session = c.session
    c.run()
    qtbot.waitUntil(lambda: runner.runs_elsewhere(runner.current) and c.latest is not None and c.latest.step > 3,
                    timeout=60_000)
    c.set_pace(2.0)
    qtbot.waitUntil(lambda: c.running and not runner.runs_elsewhere(runner.current) and session.step > 0,
                    timeout=60_000)
    assert runner.current.batches_per_second == 2.0
    taken_back = session.step
    qtbot.waitUntil(lambda: c.latest.phase not in ("update", "batch") and c.latest.step >= taken_back,
                    timeout=10_000)  # phase by phase, on this side
    c.pause()
    qtbot.waitUntil(lambda: not runner.busy, timeout=60_000)
