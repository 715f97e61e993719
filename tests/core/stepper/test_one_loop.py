"""fit and the stepper run one loop on one engine: whole batches are ``engine.train_batch``, the epoch's
running totals live in the shared ``EpochLoop``, and every Keras option the stepper takes stays
bit-identical to ``fit`` — through rewinding too."""

import numpy as np
import pytest

import core
from core.engine import StepEngine
from core.stepper import TrainingSession


def _data(n=96, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, 4)).astype("float32"), np.eye(3, dtype="float32")[rng.integers(0, 3, n)],
            rng.random(n).astype("float32"))


def _model(optimizer="adam", metrics=("accuracy",), frozen=False):
    model = core.Sequential([core.Input((4,)), core.layers.Dense(6, activation="tanh"),
                             core.layers.Dense(5, activation="relu"), core.layers.Dense(3, activation="softmax")])
    model.layers[0].trainable = not frozen
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=list(metrics),
                  weighted_metrics=["accuracy"], backend="numpy")
    return model


def _same(a, b):
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)


@pytest.mark.parametrize("optimizer, frozen", [("nadam", False), ("adam", True), ("lion", False)])
def test_stepping_with_sample_weights_and_a_frozen_layer_is_bit_identical_to_fit(optimizer, frozen):
    x, y, sw = _data()
    core.utils.set_random_seed(4)
    reference = _model(optimizer, ("accuracy", "AUC"), frozen)
    history = reference.fit(x, y, batch_size=16, epochs=2, sample_weight=sw, validation_split=0.25, verbose=0)
    core.utils.set_random_seed(4)
    model = _model(optimizer, ("accuracy", "AUC"), frozen)
    session = TrainingSession(model, x, y, batch_size=16, epochs=2, sample_weight=sw, validation_split=0.25)
    while session.step < 3:
        session.step_phase()  # some batches phase by phase, the rest as run mode does them
    list(session.run())
    _same(reference, model)
    for key, values in history.history.items():
        assert [e[key] for e in session.history.epochs] == values, key


def test_rewinding_mid_epoch_restores_weights_optimizer_state_and_metric_totals_exactly():
    x, y, sw = _data()
    core.utils.set_random_seed(2)
    session = TrainingSession(_model("nadam", ("accuracy", "AUC")), x, y, batch_size=16, epochs=2,
                              sample_weight=sw, checkpoint_every=4)
    list(session.run())
    weights, epochs = session.model.get_weights(), session.history.epochs
    slots = {k: [np.array(a) for a in v] for k, v in session.engine.optimizer.slots.items()}
    session.seek(7)  # mid-epoch, between checkpoints: restore step 4 and replay 3 batches
    assert session.step == 7 and session.loop.samples == 16  # one batch into the second epoch
    list(session.run())
    for a, b in zip(weights, session.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    for name, arrays in session.engine.optimizer.slots.items():
        for a, b in zip(slots[name], arrays):
            np.testing.assert_array_equal(a, b)
    assert session.history.epochs == epochs
    assert float(session.engine.optimizer.variables[-1].numpy()) == pytest.approx(
        np.prod([0.9 * (1 - 0.5 * 0.96 ** t) for t in range(1, 13)]), rel=1e-5)  # Nadam's running product


def test_run_mode_trains_each_batch_with_the_engines_whole_step(monkeypatch):
    x, y, _ = _data()
    calls = []
    original = StepEngine.train_batch

    def counting(self, trace, stop_if_nonfinite=False):
        calls.append((trace.batch_size, stop_if_nonfinite))
        return original(self, trace, stop_if_nonfinite)

    monkeypatch.setattr(StepEngine, "train_batch", counting)
    session = TrainingSession(_model(), x, y, batch_size=32, epochs=1, seed=0)
    list(session.run(capture_every_seconds=None, capture_last=False))
    _model().fit(x, y, batch_size=32, verbose=0)
    assert calls == [(32, True)] * 3 + [(32, False)] * 3  # the stepper stops at a NaN loss; fit does not


def test_a_new_learning_rate_applies_at_the_next_step_of_a_session():
    x, y, _ = _data()
    core.utils.set_random_seed(9)
    reference = _model(core.optimizers.SGD(0.1, momentum=0.9))
    core.utils.set_random_seed(9)
    session = TrainingSession(_model(core.optimizers.SGD(0.1, momentum=0.9)), x, y, batch_size=16, epochs=1)
    shuffle_seed = session.shuffle_seed
    list(session.run(max_steps=3))
    session.model.optimizer.learning_rate = 0.02
    list(session.run())
    assert session.history.scalar("learning_rate")[1].tolist() == [0.1] * 3 + [0.02] * 3
    # fit with the same batches: three steps at 0.1, then three at 0.02
    from core.loop import BatchArrays, EpochLoop

    engine = reference.make_engine(y.shape, reference.output_shape)
    loop = EpochLoop(engine, BatchArrays.from_numpy(engine, x, y, reference.output_shape), 16, True, shuffle_seed)
    for batch in range(6):
        if batch == 3:
            reference.optimizer.learning_rate = 0.02
        loop.train_batch(0, batch)
    _same(reference, session.model)


def test_a_session_file_keeps_sample_weights_metric_statistics_and_frozen_layers(tmp_path):
    from core.export.session_file import load_session, save_session

    x, y, sw = _data()
    core.utils.set_random_seed(6)
    model = _model("adamax", ("accuracy", "AUC", "precision"), frozen=True)
    reference = TrainingSession(model, x, y, batch_size=16, epochs=2, sample_weight=sw,
                                validation_data=(x[:24], y[:24], sw[:24]))
    list(reference.run(max_steps=8, capture_every_seconds=None))  # mid-epoch: AUC counts are half an epoch
    session, _ = load_session(save_session(reference, tmp_path / "run.propscope"))
    for s in (reference, session):
        list(s.run(capture_every_seconds=None))
    _same(reference.model, session.model)
    assert session.history.epochs == reference.history.epochs
    assert not session.model.layers[0].trainable and "val_weighted_accuracy" in session.history.epochs[-1]
    objects = TrainingSession(_model("sgd", (core.metrics.Precision(thresholds=[0.3, 0.6]),)), x, y, batch_size=16)
    with pytest.raises(ValueError, match="stores metrics by name"):
        save_session(objects, tmp_path / "objects.propscope")


def _rewrite(src, dst, member, change):
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item.filename, change(data) if item.filename == member else data)
    return dst


@pytest.mark.parametrize("member, change, message", [
    ("sample_weights.npz", lambda data: _npz_bytes(train=np.ones(5, "float32")), "sample_weights.npz"),
    ("sample_weights.npz", lambda data: _npz_bytes(train=np.full(96, np.nan, "float32")), "sample_weights.npz"),
    ("session.json", lambda data: data.replace(b'"epoch_samples": 32', b'"epoch_samples": -1'), "epoch_samples"),
    ("session.json", lambda data: data.replace(b'"epoch_metric_stats": [', b'"epoch_metric_stats": ["x", '),
     "metric statistics"),
])
def test_damaged_sample_weights_or_metric_statistics_are_refused(tmp_path, member, change, message):
    from core.export.session_file import InvalidSessionError, load_session, save_session

    x, y, sw = _data()
    session = TrainingSession(_model("sgd", ("accuracy", "AUC")), x, y, batch_size=16, sample_weight=sw, seed=0)
    list(session.run(max_steps=2, capture_every_seconds=None))
    good = save_session(session, tmp_path / "good.propscope")
    bad = _rewrite(good, tmp_path / "bad.propscope", member, change)
    with pytest.raises(InvalidSessionError, match=message):
        load_session(bad)


def _npz_bytes(**arrays):
    import io

    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()
