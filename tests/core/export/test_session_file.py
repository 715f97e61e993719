"""Session files: exact continuation after reopening, and hostile files that change nothing."""

import io
import json
import zipfile

import numpy as np
import pytest

import core
from core.export.session_file import SessionFileError, UnsafeSessionError, load_session, save_session
from core.stepper import TrainingSession


def make_session(optimizer="adam"):
    core.utils.set_random_seed(2)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(120, 3)).astype("float32"), rng.integers(0, 3, 120)
    model = core.Sequential([core.Input(shape=(3,)), core.layers.Dense(6, activation="tanh"),
                             core.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return TrainingSession(model, x, y, batch_size=16, epochs=4, validation_split=0.25)


@pytest.mark.parametrize("optimizer", ["adam", "sgd", core.optimizers.RMSprop(momentum=0.5, centered=True)])
def test_reopened_session_continues_bit_identically(tmp_path, optimizer):
    reference = make_session(optimizer if isinstance(optimizer, str) else core.optimizers.RMSprop(
        momentum=0.5, centered=True))
    list(reference.run(max_steps=9, capture_every_seconds=None))  # stop mid-epoch
    saved = save_session(reference, tmp_path / "run.propscope", data_ref={"kind": "test"}, settings={"a": 1})
    list(reference.run(capture_every_seconds=None))
    session, extras = load_session(saved)
    assert session.step == 9 and extras["settings"] == {"a": 1}
    assert session.history.last_step == 9
    list(session.run(capture_every_seconds=None))
    for a, b in zip(reference.model.get_weights(), session.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert session.history.epochs == reference.history.epochs
    session.seek(3)  # rewinding before the save point replays from the saved initial weights
    reference.seek(3)
    for a, b in zip(reference.model.get_weights(), session.model.get_weights()):
        np.testing.assert_array_equal(a, b)


def _rewrite(src, dst, change):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = change(item.filename, zin.read(item.filename))
            if data is not None:
                zout.writestr(item.filename, data)
    return dst


@pytest.fixture
def saved(tmp_path):
    session = make_session()
    session.step_batch()
    return save_session(session, tmp_path / "good.propscope")


def test_pickle_inside_is_refused(saved, tmp_path):
    def evil(name, data):
        if name == "weights.npz":
            buf = io.BytesIO()
            np.savez(buf, p0=np.array([{"run": "code"}], dtype=object))
            return buf.getvalue()
        return data
    bad = _rewrite(saved, tmp_path / "evil.propscope", evil)
    with pytest.raises(UnsafeSessionError, match="weights.npz, key 'p0': holds Python objects.*never unpickles"):
        load_session(bad)


def test_newer_version_and_foreign_files(saved, tmp_path):
    def newer(name, data):
        if name == "manifest.json":
            doc = json.loads(data)
            doc["version"] = 99
            return json.dumps(doc)
        return data
    with pytest.raises(SessionFileError, match="version 99 is not supported"):
        load_session(_rewrite(saved, tmp_path / "new.propscope", newer))
    (tmp_path / "x.propscope").write_bytes(b"not a zip")
    with pytest.raises(SessionFileError, match="not a Propscope session file"):
        load_session(tmp_path / "x.propscope")


def test_missing_members(saved, tmp_path):
    bad = _rewrite(saved, tmp_path / "m.propscope", lambda n, d: None if n == "optimizer.npz" else d)
    with pytest.raises(SessionFileError, match="missing optimizer.npz"):
        load_session(bad)


def test_zip_bomb_is_refused_before_unpacking(saved, tmp_path):
    bomb = tmp_path / "bomb.propscope"
    with zipfile.ZipFile(saved) as zin, zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
        zout.writestr("padding.bin", b"\0" * 20_000_000)
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(SessionFileError, match="over the 10,485,760 allowed"):
        load_session(bomb, max_bytes=10 * 2**20)


def test_path_traversal_member_is_refused(saved, tmp_path):
    bad = tmp_path / "t.propscope"
    with zipfile.ZipFile(saved) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
        zout.writestr("../escape.txt", b"x")
    with pytest.raises(SessionFileError, match="unsafe name"):
        load_session(bad)


def test_referenced_data_needs_a_loader(tmp_path):
    session = make_session()
    path = save_session(session, tmp_path / "ref.propscope", data_ref={"kind": "file", "path": "/data/x.csv"},
                        include_data=False)
    with pytest.raises(SessionFileError, match="/data/x.csv"):
        load_session(path)
    x = np.asarray(session.xs)
    y = np.asarray(session.y_metric)
    loaded, _ = load_session(path, data_loader=lambda ref: (x, y, *session.validation_data))
    assert loaded.n == session.n


def test_a_learning_rate_change_is_kept_in_the_file_and_replayed(tmp_path):
    reference = make_session("sgd")
    list(reference.run(max_steps=5, capture_every_seconds=None))
    reference.set_hyperparameters(learning_rate=0.3, momentum=0.5)  # from update 6 on, as in Keras
    list(reference.run(max_steps=4, capture_every_seconds=None))
    state = reference.get_state()
    assert state.hyper_changes == ((5, {"learning_rate": 0.3, "momentum": 0.5}),)
    assert state.hyper_initial["learning_rate"] == pytest.approx(0.01) and state.hyper_initial["momentum"] == 0.0
    saved = save_session(reference, tmp_path / "lr.propscope")
    session, _ = load_session(saved)
    assert session.hyper.changes == {5: {"learning_rate": 0.3, "momentum": 0.5}}
    assert float(session.model.optimizer.learning_rate) == pytest.approx(0.3)
    list(reference.run(max_steps=7, capture_every_seconds=None))  # the continuation uses the new rate…
    list(session.run(max_steps=7, capture_every_seconds=None))
    for a, b in zip(reference.model.get_weights(), session.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    for step in (3, 8):  # …and a replay before and after the change uses the rate in force back then
        reference.seek(step)
        session.seek(step)
        assert float(session.model.optimizer.learning_rate) == pytest.approx(0.01 if step <= 5 else 0.3)
        for a, b in zip(reference.model.get_weights(), session.model.get_weights()):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("changes,message", [
    ([[5, {"learning_rate": "0.3"}]], "learning_rate = 0.3"),
    ([[5, {"__class__": 1}]], "hyper-parameter '__class__'"),
    ([[5, {"learning_rate": 0.1}], [3, {"learning_rate": 0.2}]], "steps rising"),
    ([[5, {"rho": 0.5}]], "does not have"),
])
def test_hostile_hyper_parameter_changes_are_refused(tmp_path, changes, message):
    session = make_session("sgd")
    list(session.run(max_steps=6, capture_every_seconds=None))
    session.set_hyperparameters(learning_rate=0.2)
    saved = save_session(session, tmp_path / "good.propscope")

    def change(name, data):
        if name != "session.json":
            return data
        doc = json.loads(data)
        doc["hyper_changes"] = changes
        return json.dumps(doc).encode()

    bad = _rewrite(saved, tmp_path / "bad.propscope", change)
    with pytest.raises(SessionFileError, match=message):
        load_session(bad)
