"""The course's overfitting notebook — Dropout, BatchNormalization and an L2 penalty — runs unchanged on ``core``
(only the import line differs), and the same text runs on Keras 3."""

import numpy as np
import pytest

from tests.core.datasets.idx_files import write_idx

NOTEBOOK = '''
import numpy as np
import keras

(train_input, train_target), (test_input, test_target) = keras.datasets.fashion_mnist.load_data()
train_scaled = train_input / 255.0
val_scaled, val_target = train_scaled[-60:], train_target[-60:]
train_scaled, train_target = train_scaled[:-60], train_target[:-60]

def model_fn(a_layer=None):
    model = keras.Sequential()
    model.add(keras.Input(shape=(28, 28)))
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(100, activation='relu'))
    if a_layer:
        model.add(a_layer)
    model.add(keras.layers.Dense(10, activation='softmax'))
    return model

model = model_fn(keras.layers.Dropout(0.3))
model.summary()
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
history = model.fit(train_scaled, train_target, epochs=3, verbose=0,
                    validation_data=(val_scaled, val_target))
dropout_history = history.history

model.save_weights('model.weights.h5')
model.save('model-whole.keras')
model = model_fn(keras.layers.Dropout(0.3))
model.load_weights('model.weights.h5')
val_labels = np.argmax(model.predict(val_scaled, verbose=0), axis=-1)
reloaded_accuracy = np.mean(val_labels == val_target)

model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    keras.layers.Flatten(),
    keras.layers.Dense(100, kernel_regularizer=keras.regularizers.l2(0.001)),
    keras.layers.BatchNormalization(),
    keras.layers.Activation('relu'),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(10, activation='softmax'),
])
model.summary()
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
checkpoint_cb = keras.callbacks.ModelCheckpoint('best-model.keras', save_best_only=True)
early_stopping_cb = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
history = model.fit(train_scaled, train_target, epochs=4, verbose=0, batch_size=16,
                    validation_data=(val_scaled, val_target),
                    callbacks=[checkpoint_cb, early_stopping_cb])
bn_history = history.history
bn_layer = model.layers[2]
moving_mean = bn_layer.moving_mean.numpy()
params = (model.count_params(), sum(int(np.prod(w.shape)) for w in model.non_trainable_weights))
penalty = sum(float(loss) for loss in model.losses)
val_loss, val_acc = model.evaluate(val_scaled, val_target, verbose=0)
'''


@pytest.fixture
def fashion_home(tmp_path, monkeypatch):
    folder = tmp_path / "keras-home" / "datasets" / "fashion-mnist"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 300), ("t10k", 50)):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        # Each class gets its own bright band, with noise: learnable, but not at once.
        images = rng.integers(0, 90, (n, 28, 28)).astype(np.uint8)
        for i, label in enumerate(labels):
            images[i, 2 * label:2 * label + 3] += 120
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", images)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", labels)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(import_line: str) -> dict:
    scope: dict = {}
    exec(NOTEBOOK.replace("import keras\n", import_line + "\n"), scope)
    return scope


def test_the_notebook_runs_unchanged_on_core(fashion_home, capsys):
    import core

    core.backend.clear_session()
    core.utils.set_random_seed(42)
    run = _run("import core as keras")
    printed = capsys.readouterr().out
    assert "dropout (Dropout)" in printed and "batch_normalization" in printed
    assert set(run["dropout_history"]) == {"accuracy", "loss", "val_accuracy", "val_loss"}
    assert len(run["dropout_history"]["loss"]) == 3
    assert run["reloaded_accuracy"] == pytest.approx(run["dropout_history"]["val_accuracy"][-1], abs=1e-6)
    # Dense 78,500 + BN 400 + Dense 1,010; the moving statistics are the 200 non-trainable ones.
    assert run["params"] == (79_910, 200)
    assert not np.allclose(run["moving_mean"], 0.0)  # the moving averages moved during fit
    assert run["penalty"] > 0 and (fashion_home / "best-model.keras").is_file()
    assert np.isfinite(run["val_loss"]) and 0 <= run["val_acc"] <= 1


def test_the_same_notebook_runs_on_keras(fashion_home, keras_module, monkeypatch):
    # Keras reads KERAS_HOME once, when it is first imported: point it at the test's files (never a download).
    monkeypatch.setattr("keras.src.backend.config._KERAS_DIR", str(fashion_home / "keras-home"))
    keras_module.utils.set_random_seed(42)
    run = _run("import keras")
    assert run["params"] == (79_910, 200)
    assert len(run["dropout_history"]["loss"]) == 3


@pytest.fixture
def keras_module():
    keras = pytest.importorskip("keras")
    pytest.importorskip("torch")
    keras.backend.clear_session(free_memory=False)
    return keras
