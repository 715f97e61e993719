"""Callbacks are called exactly as Keras 3 calls them, and the built-in callbacks behave as Keras's."""

import csv

import numpy as np
import pytest

import core

from .helpers import LABELS, REGRESSION, X, assert_same_history, compile_both, max_weight_error, pair

HOOKS = ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_train_batch_begin",
         "on_train_batch_end", "on_test_begin", "on_test_end", "on_test_batch_begin", "on_test_batch_end",
         "on_predict_begin", "on_predict_end", "on_predict_batch_begin", "on_predict_batch_end")


def recorder(lib):
    """A callback recording every hook with its argument and logs."""
    calls = []

    def hook(name):
        def method(self, *args, logs=None):
            if args and isinstance(args[-1], dict):
                *args, logs = args
            logs = {k: v for k, v in (logs or {}).items() if k != "outputs"}
            calls.append((name, tuple(args), logs))
        return method

    cls = type("Recorder", (lib.callbacks.Callback,), {name: hook(name) for name in HOOKS})
    return cls(), calls


def assert_same_calls(kcalls, pcalls):
    assert [(n, i, list(logs)) for n, i, logs in pcalls] == [(n, i, list(logs)) for n, i, logs in kcalls]
    for (_, _, klogs), (_, _, plogs) in zip(kcalls, pcalls):
        for key in klogs:
            assert plogs[key] == pytest.approx(klogs[key], rel=2e-5, abs=1e-6), key


def test_hooks_logs_params_and_model_as_keras(keras):
    km, pm = pair(keras)
    compile_both(km, pm, keras, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    (kcb, kcalls), (pcb, pcalls) = recorder(keras), recorder(core)
    kh = km.fit(X, LABELS, batch_size=16, epochs=2, validation_split=0.25, shuffle=False, verbose=0, callbacks=[kcb])
    ph = pm.fit(X, LABELS, batch_size=16, epochs=2, validation_split=0.25, shuffle=False, verbose=0, callbacks=[pcb])
    assert_same_calls(kcalls, pcalls)
    assert pcb.params == kcb.params == {"verbose": 0, "epochs": 2, "steps": 3}
    assert pcb.model is pm and ph is pm.history
    assert_same_history(kh, ph)
    kcalls.clear(), pcalls.clear()
    km.evaluate(X, LABELS, batch_size=32, verbose=0, callbacks=[kcb])
    pm.evaluate(X, LABELS, batch_size=32, verbose=0, callbacks=[pcb])
    km.predict(X, batch_size=32, verbose=0, callbacks=[kcb])
    pm.predict(X, batch_size=32, verbose=0, callbacks=[pcb])
    assert_same_calls(kcalls, pcalls)


def _aliases_run(lib, model):
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    ends, begins = [], []

    class OnBatchEnd(lib.callbacks.Callback):
        def on_batch_end(self, batch, logs=None):
            ends.append((batch, sorted(logs)))

    history = lib.callbacks.History()
    lam = lib.callbacks.LambdaCallback(on_train_begin=lambda logs: begins.append(logs),
                                       on_epoch_end=lambda epoch, logs: begins.append(epoch))
    returned = model.fit(X, LABELS, batch_size=32, epochs=2, verbose=0, callbacks=[OnBatchEnd(), lam, history])
    assert returned is history
    return ends, begins, sorted(history.history), history.epoch


def test_batch_aliases_lambda_callback_and_an_explicit_history(keras):
    km, pm = pair(keras)
    assert _aliases_run(core, pm) == _aliases_run(keras, km)


def test_stop_training_is_checked_after_every_batch(keras):
    counts = {}
    models = dict(zip(("keras", "core"), pair(keras)))
    for lib in (keras, core):
        model = models[lib.__name__]
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        batches = []

        def stop(batch, logs, model=model, batches=batches):
            batches.append(batch)
            if batch == 1:
                model.stop_training = True

        history = model.fit(X, LABELS, batch_size=8, epochs=3, verbose=0,
                            callbacks=[lib.callbacks.LambdaCallback(on_train_batch_end=stop)])
        counts[lib.__name__] = (batches, history.epoch)
    assert counts["core"] == counts["keras"] == ([0, 1], [0])


def test_terminate_on_nan_stops_at_the_same_batch(keras, capsys):
    km, pm = pair(keras, units=3, out="linear")
    initial = pm.get_weights()
    results = {}
    for lib, model in ((keras, km), (core, pm)):
        model.compile(optimizer=lib.optimizers.SGD(1e4), loss="mse")  # diverges within the first epoch
        history = model.fit(X, REGRESSION, batch_size=8, epochs=2, shuffle=False, verbose=0,
                            callbacks=[lib.callbacks.TerminateOnNaN()])
        results[lib.__name__] = (history.epoch, capsys.readouterr().out)
    assert results["core"] == results["keras"] == ([0], "Batch 5: Invalid loss, terminating training\n")
    pm.set_weights(initial)
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 5"):
        pm.fit(X, REGRESSION, batch_size=8, shuffle=False, verbose=0, callbacks=[core.callbacks.TerminateOnNaN(True)])


@pytest.mark.parametrize("kwargs", [
    {"monitor": "loss", "patience": 1, "min_delta": 0.05},
    {"monitor": "val_accuracy", "patience": 2, "restore_best_weights": True, "verbose": 1},
    {"monitor": "val_loss", "baseline": 0.5, "patience": 1, "start_from_epoch": 2, "mode": "min"},
])
def test_early_stopping_as_keras(keras, kwargs, capsys):
    km, pm = pair(keras)
    compile_both(km, pm, keras, optimizer=("SGD", {"learning_rate": 0.5}), loss="sparse_categorical_crossentropy",
                 metrics=["accuracy"])
    kes, pes = keras.callbacks.EarlyStopping(**kwargs), core.callbacks.EarlyStopping(**kwargs)
    kh = km.fit(X, LABELS, batch_size=16, epochs=8, validation_split=0.25, shuffle=False, verbose=0, callbacks=[kes])
    kout = capsys.readouterr().out
    ph = pm.fit(X, LABELS, batch_size=16, epochs=8, validation_split=0.25, shuffle=False, verbose=0, callbacks=[pes])
    assert capsys.readouterr().out == kout
    assert ph.epoch == kh.epoch and pes.stopped_epoch == kes.stopped_epoch and pes.best_epoch == kes.best_epoch
    assert max_weight_error(km, pm) < 1e-5


def test_reduce_lr_on_plateau_and_scheduler_as_keras(keras, capsys):
    km, pm = pair(keras)
    compile_both(km, pm, keras, optimizer=("SGD", {"learning_rate": 0.3}), loss="sparse_categorical_crossentropy")
    callbacks = {}
    for lib in (keras, core):
        callbacks[lib.__name__] = [
            lib.callbacks.LearningRateScheduler(lambda epoch, lr: lr if epoch < 2 else lr * 0.9, verbose=1),
            lib.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=0.2, cooldown=1,
                                            min_lr=0.01, verbose=1)]
    kh = km.fit(X, LABELS, batch_size=16, epochs=6, shuffle=False, verbose=0, callbacks=callbacks["keras"])
    kout = capsys.readouterr().out
    ph = pm.fit(X, LABELS, batch_size=16, epochs=6, shuffle=False, verbose=0, callbacks=callbacks["core"])
    assert capsys.readouterr().out == kout
    assert_same_history(kh, ph)
    assert "learning_rate" in ph.history
    assert max_weight_error(km, pm) < 1e-5


def test_csv_logger_writes_what_keras_writes(keras, tmp_path):
    rows = {}
    models = dict(zip(("keras", "core"), pair(keras)))
    for lib in (keras, core):
        model = models[lib.__name__]
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        path = tmp_path / f"{lib.__name__}.csv"
        model.fit(X, LABELS, epochs=2, shuffle=False, verbose=0, callbacks=[lib.callbacks.CSVLogger(path)])
        model.fit(X, LABELS, epochs=1, validation_split=0.5, shuffle=False, verbose=0,
                  callbacks=[lib.callbacks.CSVLogger(path, separator=";", append=True)])
        rows[lib.__name__] = path.read_text().splitlines()
    assert len(rows["core"]) == len(rows["keras"]) == 4  # header, two epochs, the appended epoch (no 2nd header)
    for kline, pline in zip(rows["keras"], rows["core"]):
        sep = ";" if ";" in kline else ","
        for a, b in zip(next(csv.reader([kline], delimiter=sep)), next(csv.reader([pline], delimiter=sep))):
            assert a == b or float(b) == pytest.approx(float(a), rel=2e-5)


def test_model_checkpoint_files_load_in_keras(keras, tmp_path):
    km, pm = pair(keras)
    compile_both(km, pm, keras, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    weights = tmp_path / "w-{epoch:02d}-{val_loss:.3f}.weights.h5"
    best = tmp_path / "best.keras"
    cbs = [core.callbacks.ModelCheckpoint(weights, save_weights_only=True),
           core.callbacks.ModelCheckpoint(best, monitor="val_accuracy", save_best_only=True),
           core.callbacks.ModelCheckpoint(tmp_path / "b{batch}.weights.h5", save_weights_only=True, save_freq=3)]
    pm.fit(X, LABELS, batch_size=16, epochs=2, validation_split=0.25, verbose=0, callbacks=cbs)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names[:2] == ["b3.weights.h5", "best.keras"] and len(names) == 4
    last = tmp_path / names[-1]
    assert last.name.startswith("w-02-")
    km.load_weights(last)
    np.testing.assert_allclose(km.predict(X, verbose=0), pm.predict(X, verbose=0), atol=1e-6)
    loaded = keras.models.load_model(best)
    assert [w.shape for w in loaded.get_weights()] == [w.shape for w in pm.get_weights()]
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        core.callbacks.ModelCheckpoint(tmp_path / "x.keras", save_weights_only=True)
