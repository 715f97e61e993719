"""The session's state as plain data, consistency after errors, and divergence found in run mode as in step mode."""

import json

import numpy as np
import pytest

import core
from core import limits
from core.datasets import generate
from core.safeio import InvalidValueError, NonFiniteValuesError, ReadRejected
from core.stepper import SessionState, TrainingSession, capture
from core.stepper.blowup import chance_accuracy, detect_blowup
from core.stepper.stats import histogram, norm, percentiles_from_histogram


def make_session(optimizer="adam", seed=2, **kwargs):
    core.utils.set_random_seed(seed)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(100, 3)).astype("float32"), rng.integers(0, 3, 100)
    model = core.Sequential([core.Input(shape=(3,)), core.layers.Dense(6, activation="tanh"),
                             core.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return TrainingSession(model, x, y, batch_size=16, epochs=3, seed=4, **kwargs), x, y


def weights(session):
    return [w.copy() for w in session.model.get_weights()]


# --- state API ---------------------------------------------------------------------------------------------
def test_state_is_plain_json_and_arrays_and_continues_bit_identically():
    session, x, y = make_session()
    list(session.run(max_steps=9, capture_every_seconds=None))
    fields, arrays = session.get_state().to_parts()
    text = json.dumps(fields)  # JSON-able: another process can receive it
    assert all(isinstance(a, np.ndarray) for group in arrays.values() for a in group.values())
    state = SessionState.from_parts(json.loads(text), arrays)
    other, _, _ = make_session(seed=99)  # different initial weights: everything must come from the state
    other.set_state(state)
    assert other.step == 9 and other.engine.optimizer.iterations == 9
    list(session.run(capture_every_seconds=None))
    list(other.run(capture_every_seconds=None))
    for a, b in zip(weights(session), weights(other)):
        np.testing.assert_array_equal(a, b)
    assert other.history.epochs == session.history.epochs
    session.seek(4)
    other.seek(4)  # rewinding before the state's step replays from its initial weights
    for a, b in zip(weights(session), weights(other)):
        np.testing.assert_array_equal(a, b)


def test_from_state_builds_a_session_on_a_fresh_model():
    session, x, y = make_session()
    list(session.run(max_steps=5, capture_every_seconds=None))
    state = session.get_state()
    fresh, _, _ = make_session(seed=7)
    rebuilt = TrainingSession.from_state(fresh.model, x, y, state)
    assert rebuilt.step == 5 and rebuilt.batch_size == 16 and rebuilt.shuffle_seed == 4
    session.step_batch()
    rebuilt.step_batch()
    for a, b in zip(weights(session), weights(rebuilt)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("change, error", [
    (lambda s: s.__class__(**{**s.__dict__, "weights": (np.ones(1, np.float32),) + s.weights[1:]}),
     InvalidValueError),
    (lambda s: s.__class__(**{**s.__dict__, "weights": (s.weights[0] * np.nan,) + s.weights[1:]}),
     NonFiniteValuesError),
    (lambda s: s.__class__(**{**s.__dict__, "optimizer_slots": {}}), InvalidValueError),
    (lambda s: s.__class__(**{**s.__dict__, "step": 500}), ValueError),
    (lambda s: s.__class__(**{**s.__dict__, "history": {**s.history, "meta": np.zeros(3, np.int64)}}),
     InvalidValueError),
])
def test_a_bad_state_changes_nothing(change, error):
    session, _, _ = make_session()
    list(session.run(max_steps=6, capture_every_seconds=None))
    good = session.get_state()
    target, _, _ = make_session(seed=3)
    target.step_batch()
    before, step, history = weights(target), target.step, target.history
    with pytest.raises(error):
        target.set_state(change(good))
    assert target.step == step and target.history is history
    for a, b in zip(before, weights(target)):
        np.testing.assert_array_equal(a, b)


def test_from_parts_names_the_limits():
    session, _, _ = make_session()
    fields, arrays = session.get_state().to_parts()
    with pytest.raises(ReadRejected, match="MAX_STEPS"):
        SessionState.from_parts({**fields, "step": 10**12}, arrays)
    with pytest.raises(ReadRejected, match="MAX_BATCH_SIZE"):
        SessionState.from_parts({**fields, "batch_size": 10**9}, arrays)


def test_total_steps_are_bounded_for_qt():
    session, x, y = make_session()
    with pytest.raises(limits.LimitError, match="MAX_STEPS"):
        TrainingSession(session.model, x, y, batch_size=1, epochs=limits.MAX_STEPS // 50)


# --- consistent after any error ---------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["run", "step_batch", "step_phase"])
def test_an_error_half_way_leaves_the_session_consistent_and_replay_exact(monkeypatch, mode):
    reference, _, _ = make_session()
    list(reference.run(max_steps=12, capture_every_seconds=None))
    session, _, _ = make_session()
    list(session.run(max_steps=5, capture_every_seconds=None))
    real = capture.record_layer_stats
    calls = {"n": 0}

    def failing(history, step, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("disk full while recording")
        return real(history, step, *args, **kwargs)

    monkeypatch.setattr(capture, "record_layer_stats", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        if mode == "run":
            list(session.run(max_steps=4, capture_every_seconds=None, capture_every_steps=1))
        elif mode == "step_batch":
            session.step_batch()
        else:
            for _ in range(len(session.phases)):
                session.step_phase()
    assert session.step == 5 == session.engine.optimizer.iterations
    assert not session.mid_batch
    list(session.run(max_steps=7, capture_every_seconds=None))
    assert session.step == 12 == session.engine.optimizer.iterations
    for a, b in zip(weights(reference), weights(session)):
        np.testing.assert_array_equal(a, b)


# --- divergence in run mode as in step mode -----------------------------------------------------------------
def exploding_session(backend="numpy"):
    """z overflows to Inf in float32 while the loss stays finite (a saturated sigmoid)."""
    core.backend.clear_session()
    core.utils.set_random_seed(0)
    x = np.full((8, 1), 1e10, np.float32)
    y = np.ones(8)
    model = core.Sequential([core.Input(shape=(1,)), core.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", backend=backend)
    model.set_weights([np.full((1, 1), 1e30, np.float32), np.zeros(1, np.float32)])
    return TrainingSession(model, x, y, batch_size=4, epochs=2, shuffle=False)


@pytest.mark.filterwarnings("ignore:overflow encountered")
@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_run_mode_finds_inf_in_z_with_a_finite_loss_as_step_mode_does(backend, request):
    if backend == "torch":
        request.getfixturevalue("torch_module")
    stepped = exploding_session(backend)
    snap = stepped.step_phase()  # forward of the only layer
    assert snap.divergence is not None
    step_report = snap.divergence
    run = exploding_session(backend)
    assert run.engine.ops.name == backend
    snaps = list(run.run(capture_every_seconds=None))
    found = snaps[-1].divergence
    assert found is not None
    assert (found.step, found.phase, found.layer, found.quantity) == (
        step_report.step, step_report.phase, step_report.layer, step_report.quantity) == (1, "forward", "dense", "z")
    assert run.step == 0 == run.engine.optimizer.iterations  # the last finite state is kept


def test_a_blown_up_run_at_chance_is_reported_with_its_exploding_layer():
    data = generate("spiral", 400, 0.1, 0)
    core.utils.set_random_seed(0)
    model = core.Sequential([core.Input(shape=(2,)), core.layers.Dense(8, activation="tanh"),
                             core.layers.Dense(8, activation="tanh"), core.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=core.optimizers.SGD(learning_rate=1e3), loss="binary_crossentropy", metrics=["accuracy"])
    session = TrainingSession(model, data.x, data.y, batch_size=32, epochs=20, seed=0)
    list(session.run(capture_every_seconds=None))
    assert session.divergence is None  # no NaN: the checks for non-finite values never fire
    found = detect_blowup(session.history, chance_accuracy(data.y))
    assert found is not None and found.z_absmax >= 1e3 and found.layer.startswith("dense")
    assert abs(found.accuracy - 0.5) < 0.05 and "blown up" in found.message()
    healthy = TrainingSession(*_healthy(data), batch_size=32, epochs=20, seed=0)
    list(healthy.run(capture_every_seconds=None))
    assert detect_blowup(healthy.history, chance_accuracy(data.y)) is None


def _healthy(data):
    core.utils.set_random_seed(0)
    model = core.Sequential([core.Input(shape=(2,)), core.layers.Dense(8, activation="tanh"),
                             core.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model, data.x, data.y


# --- statistics for any finite range -----------------------------------------------------------------------
@pytest.mark.parametrize("values", [
    np.full(50, 8e3, np.float32), np.full(5, -3.4e38, np.float32), np.array([-3e38, 3e38], np.float32),
    np.array([-1.7e308, 1.7e308]), np.array([1.7e308, 1.7e308]), np.array([np.inf, -np.inf, np.nan, 2.0]),
    np.array([np.inf, np.nan]), np.array([1e-45, 2e-45], np.float32), np.arange(1000.0),
])
def test_histogram_and_percentiles_for_any_finite_range(values):
    with np.errstate(all="raise"):
        counts, lo, hi = histogram(values)
        bands = percentiles_from_histogram(counts, lo, hi)
    finite = values[np.isfinite(values)]
    assert counts.sum() == finite.size and counts.shape == (32,)
    assert np.isfinite([lo, hi]).all() and np.isfinite(bands).all()
    if finite.size:
        assert lo <= finite.min() and finite.max() <= hi and hi > lo


def test_norm_does_not_overflow_for_finite_values():
    assert norm(np.full(100, 1e30, np.float32)) == pytest.approx(1e31, rel=1e-6)


def test_training_with_huge_but_finite_values_records_statistics():
    session, _, _ = make_session(stats_every=1, distributions_every=1)
    w = session.model.get_weights()
    session.model.set_weights([w[0] * 3e3, w[1], w[2], w[3]])  # |z| around 8e3: the old histogram divided by 0
    snap = session.step_batch()
    assert snap.divergence is None and session.step == 1
    steps, ranges, counts = session.history.distribution("dense/preactivations")
    assert len(steps) == 1 and np.isfinite(ranges).all()
